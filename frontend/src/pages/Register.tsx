import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api } from "../api/endpoints";
import { verified } from "../api/models";
import { CodeVerification } from "../components/CodeVerification";
import { ErrorBanner, fieldErrors } from "../components/ErrorBanner";
import { LanguageSwitch } from "../components/LanguageSwitch";
import { Field } from "../components/Field";
import { PinField } from "../components/PinField";
import { useI18n } from "../i18n/I18nProvider";
import { useSession } from "../session/SessionProvider";
import {
  validateEmail,
  validateHandle,
  validatePassword,
  validateNewPin,
  validatePhone,
  validateRequired,
} from "../lib/validation";
import { normalisePhone } from "../lib/phone";
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

type Step = "account" | "phone" | "pin" | "email";
const STEPS: Step[] = ["account", "phone", "pin", "email"];

/**
 * Sign up, then log in, prove the phone with the SMS code, set the transaction PIN and, if the
 * person wishes, prove the e-mail: one flow, four steps. (A server that does not report
 * verification skips the two code steps.)
 */
export function Register() {
  const { t, lang } = useI18n();
  const { login } = useSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form, setForm] = useState<Form>({ full_name: "", email: "", phone: "", handle: "", password: "" });
  const [step, setStep] = useState<Step>("account");
  const [verifies, setVerifies] = useState(true);
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [pin, setPin] = useState("");
  const [pin2, setPin2] = useState("");
  const pinRef = useRef<HTMLInputElement>(null);
  const titles: Record<Step, string> = {
    account: "auth.register_title",
    phone: "verify.phone_title",
    pin: "auth.pin_title",
    email: "verify.email_title",
  };
  useDocumentTitle(t(titles[step]), t("app.name"));
  const steps = verifies ? STEPS : STEPS.filter((s) => s === "account" || s === "pin");
  const progress = t("auth.step", { n: steps.indexOf(step) + 1, total: steps.length });

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
        phone: normalisePhone(form.phone),
        password: form.password,
        ...(form.handle.trim() ? { handle: form.handle.trim() } : {}),
      });
      await login(form.email.trim(), form.password);
      // A new profile starts in English; keep the language the person signed up in (the app's and
      // their e-mails'), or the saved "en" would switch the app back once the profile loads.
      // Best effort: the account exists either way, and the profile page can change it.
      if (lang !== "en") await api.updateMe({ preferences: { language: lang } }).catch(() => undefined);
      // A new account's phone is unverified; only a server that does not report it skips the step.
      const me = await qc.fetchQuery({ queryKey: ["me"], queryFn: api.me }).catch(() => undefined);
      const needsCode = !me || !verified(me, "phone");
      setVerifies(needsCode);
      setStep(needsCode ? "phone" : "pin");
      setTouched(false);
    } catch (e2) {
      setError(e2);
    } finally {
      setBusy(false);
    }
  }

  const pinError = validateNewPin(pin);
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
      if (verifies) {
        setStep("email");
        setTouched(false);
      } else navigate("/", { replace: true });
    } catch (e2) {
      setError(e2);
    } finally {
      setBusy(false);
    }
  }

  function finish() {
    // The profile read before the codes says "unverified": the app reads it afresh.
    qc.removeQueries({ queryKey: ["me"] });
    navigate("/", { replace: true });
  }

  if (step === "phone" || step === "email") {
    return (
      <main className="auth-page">
        <div className="card auth-card">
          <CodeVerification
            key={step}
            channel={step}
            destination={step === "phone" ? normalisePhone(form.phone) : form.email.trim()}
            progress={progress}
            onVerified={step === "phone" ? () => setStep("pin") : finish}
            onSkip={step === "email" ? finish : undefined}
          />
        </div>
      </main>
    );
  }

  if (step === "pin") {
    return (
      <main className="auth-page">
        <form className="card auth-card" onSubmit={submitPin} noValidate>
          <p className="muted step">{progress}</p>
          <h1>{t("auth.pin_title")}</h1>
          <p>{t("auth.pin_intro")}</p>
          <ErrorBanner error={error} />
          <PinField ref={pinRef} name="pin" value={pin} onChange={setPin} error={pinError} touched={touched} hint={t("auth.pin_hint")} />
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
        <p className="muted step">{progress}</p>
        <LanguageSwitch />
        <h1>{t("auth.register_title")}</h1>
        <ErrorBanner error={error} />
        <Field label={t("auth.full_name")} name="full_name" autoComplete="name" value={form.full_name} onChange={set("full_name")} error={err("full_name")} />
        <Field label={t("auth.email")} name="email" type="email" autoComplete="email" value={form.email} onChange={set("email")} error={err("email")} />
        <Field label={t("auth.phone")} name="phone" type="tel" autoComplete="tel" dir="ltr" placeholder="01001234567" value={form.phone} onChange={set("phone")} error={err("phone")} hint={t("auth.phone_hint")} />
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
