import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api } from "../api/endpoints";
import { ErrorBanner, fieldErrors } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { PinField } from "../components/PinField";
import { useI18n } from "../i18n/I18nProvider";
import { useSession } from "../session/SessionProvider";
import {
  validateEmail,
  validateHandle,
  validatePassword,
  validatePhone,
  validatePin,
  validateRequired,
} from "../lib/validation";
import { focusFirstInvalid } from "../lib/focus";
import { useDocumentTitle } from "../lib/useDocumentTitle";

interface Form {
  full_name: string;
  email: string;
  phone: string;
  handle: string;
  password: string;
}

export function validateRegistration(f: Form): Partial<Record<keyof Form, string>> {
  const out: Partial<Record<keyof Form, string>> = {};
  const checks: [keyof Form, string | null][] = [
    ["full_name", validateRequired(f.full_name)],
    ["email", validateEmail(f.email)],
    ["phone", validatePhone(f.phone)],
    ["handle", validateHandle(f.handle, true)],
    ["password", validatePassword(f.password)],
  ];
  for (const [k, v] of checks) if (v) out[k] = v;
  return out;
}

/** Sign up, then log in and set the transaction PIN: one flow, two steps. */
export function Register() {
  const { t, lang } = useI18n();
  const { login } = useSession();
  const navigate = useNavigate();
  const [form, setForm] = useState<Form>({ full_name: "", email: "", phone: "", handle: "", password: "" });
  const [step, setStep] = useState<"account" | "pin">("account");
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [pin, setPin] = useState("");
  const [pin2, setPin2] = useState("");
  const pinRef = useRef<HTMLInputElement>(null);
  useDocumentTitle(t(step === "pin" ? "auth.pin_title" : "auth.register_title"), t("app.name"));

  // The account form (and the button just pressed) is gone: start the PIN step at its first field.
  useEffect(() => {
    if (step === "pin") pinRef.current?.focus();
  }, [step]);

  const errors = validateRegistration(form);
  const server = fieldErrors(error);
  const set = (k: keyof Form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [k]: e.target.value });
  const err = (k: keyof Form) => (touched && errors[k] ? t(errors[k]!) : server[k] ?? null);

  async function submitAccount(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (Object.keys(errors).length) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.register({
        full_name: form.full_name.trim(),
        email: form.email.trim(),
        phone: form.phone.trim(),
        password: form.password,
        ...(form.handle.trim() ? { handle: form.handle.trim() } : {}),
      });
      await login(form.email.trim(), form.password);
      // A new profile starts in English; keep the language the person signed up in (the app's and
      // their e-mails'), or the saved "en" would switch the app back once the profile loads.
      // Best effort: the account exists either way, and the profile page can change it.
      if (lang !== "en") await api.updateMe({ preferences: { language: lang } }).catch(() => undefined);
      setStep("pin");
      setTouched(false);
    } catch (e2) {
      setError(e2);
    } finally {
      setBusy(false);
    }
  }

  const pinError = validatePin(pin);
  const pin2Error = pin !== pin2 ? "auth.pin_mismatch" : null;

  async function submitPin(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pinError || pin2Error) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.setPin({ pin, password: form.password });
      navigate("/", { replace: true });
    } catch (e2) {
      setError(e2);
    } finally {
      setBusy(false);
    }
  }

  if (step === "pin") {
    return (
      <main className="auth-page">
        <form className="card auth-card" onSubmit={submitPin} noValidate>
          <h1>{t("auth.pin_title")}</h1>
          <p>{t("auth.pin_intro")}</p>
          <ErrorBanner error={error} />
          <PinField ref={pinRef} name="pin" value={pin} onChange={setPin} error={pinError} touched={touched} />
          <PinField label={t("auth.pin_confirm")} name="pin_confirm" value={pin2} onChange={setPin2} error={pin2Error} touched={touched} />
          <button className="btn btn-primary" type="submit" disabled={busy}>
            {t("auth.pin_set")}
          </button>
        </form>
      </main>
    );
  }

  return (
    <main className="auth-page">
      <form className="card auth-card" onSubmit={submitAccount} noValidate>
        <h1>{t("auth.register_title")}</h1>
        <ErrorBanner error={error} />
        <Field label={t("auth.full_name")} name="full_name" autoComplete="name" value={form.full_name} onChange={set("full_name")} error={err("full_name")} />
        <Field label={t("auth.email")} name="email" type="email" autoComplete="email" value={form.email} onChange={set("email")} error={err("email")} />
        <Field label={t("auth.phone")} name="phone" type="tel" autoComplete="tel" dir="ltr" placeholder="+201001234567" value={form.phone} onChange={set("phone")} error={err("phone")} />
        <Field label={t("auth.handle")} name="handle" autoComplete="off" dir="ltr" value={form.handle} onChange={set("handle")} error={err("handle")} hint={t("auth.handle_hint")} />
        <Field label={t("auth.password")} name="password" type="password" autoComplete="new-password" value={form.password} onChange={set("password")} error={err("password")} hint={t("auth.password_hint")} />
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? t("common.loading") : t("auth.register")}
        </button>
        <p>
          {t("auth.have_account")} <Link to="/login">{t("auth.login")}</Link>
        </p>
      </form>
    </main>
  );
}
