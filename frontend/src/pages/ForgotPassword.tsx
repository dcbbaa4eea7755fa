import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api } from "../api/endpoints";
import { ApiError } from "../api/http";
import { CodeField } from "../components/CodeField";
import { RESEND_SECONDS } from "../components/CodeVerification";
import { ErrorBanner, fieldErrors, type ErrorMessages } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { ResendCode } from "../components/ResendCode";
import { useI18n } from "../i18n/I18nProvider";
import { focusFirstInvalid } from "../lib/focus";
import { normaliseRecipient } from "../lib/phone";
import { useCountdown } from "../lib/useCountdown";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { normaliseCode, validateCode, validatePassword, validateRequired } from "../lib/validation";

const RESET_ERRORS: ErrorMessages = { rate_limited: "verify.too_many_tries" };
const SEND_ERRORS: ErrorMessages = { rate_limited: "verify.send_limited" };

/**
 * `/forgot-password`: the username, then the code sent to the account's verified phone or e-mail
 * with a new password (twice). The first answer is the same whether or not the account exists,
 * and so is the wording: the page never says whether it does.
 */
export function ForgotPassword() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [step, setStep] = useState<"request" | "reset">("request");
  const [username, setUsername] = useState("");
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [password2, setPassword2] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sendError, setSendError] = useState<unknown>(null);
  const [resetError, setResetError] = useState<unknown>(null);
  const countdown = useCountdown();
  const codeRef = useRef<HTMLInputElement>(null);
  useDocumentTitle(t("reset.title"), t("app.name"));

  useEffect(() => {
    if (step === "reset") codeRef.current?.focus();
  }, [step]);

  const account = normaliseRecipient(username);

  async function requestCode(): Promise<boolean> {
    setSendError(null);
    try {
      await api.forgotPassword({ username: account });
      countdown.start(RESEND_SECONDS);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) countdown.start(err.retryAfter ?? RESEND_SECONDS);
      setSendError(err);
      return false;
    }
  }

  async function submitRequest(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (validateRequired(username)) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    if (busy) return;
    setBusy(true);
    if (await requestCode()) {
      setTouched(false);
      setStep("reset");
    }
    setBusy(false);
  }

  const errs = {
    code: validateCode(code),
    password: validatePassword(password),
    password2: password2 !== password ? "reset.mismatch" : null,
  };
  const server = fieldErrors(resetError);

  async function submitReset(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errs.code || errs.password || errs.password2) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (busy) return;
    setBusy(true);
    setResetError(null);
    try {
      await api.resetPassword({ username: account, code: normaliseCode(code), new_password: password });
      navigate("/login", { replace: true, state: { passwordReset: true } });
    } catch (err) {
      setResetError(err);
      if (err instanceof ApiError && err.status === 429) countdown.start(err.retryAfter ?? RESEND_SECONDS);
      if (err instanceof ApiError && ["invalid_code", "code_expired"].includes(err.code)) codeRef.current?.focus();
      setBusy(false);
    }
  }

  function resend() {
    setResetError(null);
    setCode("");
    void requestCode();
    codeRef.current?.focus();
  }

  if (step === "request") {
    return (
      <main className="auth-page">
        <form className="card auth-card" onSubmit={submitRequest} noValidate>
          <h1>{t("reset.title")}</h1>
          <p>{t("reset.intro")}</p>
          <ErrorBanner error={sendError} messages={SEND_ERRORS} />
          <Field
            label={t("auth.username")}
            name="username"
            autoComplete="username"
            dir="ltr"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            error={touched && validateRequired(username) ? t("v.required") : null}
          />
          <button className="btn btn-primary" type="submit" disabled={busy}>
            {busy ? t("common.loading") : t("reset.send")}
          </button>
          <p>
            <Link to="/login">{t("reset.back")}</Link>
          </p>
        </form>
      </main>
    );
  }

  return (
    <main className="auth-page">
      <div className="card auth-card">
        <h1>{t("reset.title")}</h1>
        {/* A phone or e-mail reads left to right even in Arabic: isolated as LTR (LRI), not by its first
            strong character, which a phone ("+20...") has none of. */}
        <p role="status">{t("reset.sent", { who: "\u2066" + account + "\u2069" })}</p>
        <ErrorBanner error={sendError} messages={SEND_ERRORS} />
        <form onSubmit={submitReset} noValidate>
          <ErrorBanner error={resetError} messages={RESET_ERRORS} />
          <CodeField ref={codeRef} value={code} onChange={setCode} error={errs.code} touched={touched} />
          <Field
            label={t("sec.new_password")}
            name="new_password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={touched && errs.password ? t(errs.password) : server.new_password ?? null}
            hint={t("auth.password_hint")}
          />
          <Field
            label={t("reset.confirm")}
            name="new_password_confirm"
            type="password"
            autoComplete="new-password"
            value={password2}
            onChange={(e) => setPassword2(e.target.value)}
            error={touched && errs.password2 ? t(errs.password2) : null}
          />
          <button className="btn btn-primary" type="submit" disabled={busy}>
            {busy ? t("common.loading") : t("reset.submit")}
          </button>
        </form>
        <ResendCode left={countdown.left} onResend={resend}>
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setStep("request");
              setResetError(null);
              setSendError(null);
            }}
          >
            {t("reset.other_account")}
          </button>
        </ResendCode>
      </div>
    </main>
  );
}
