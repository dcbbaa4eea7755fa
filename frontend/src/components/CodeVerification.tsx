import { useEffect, useRef, useState, type FormEvent } from "react";
import { api } from "../api/endpoints";
import { ApiError } from "../api/http";
import { useI18n } from "../i18n/I18nProvider";
import { focusFirstInvalid } from "../lib/focus";
import { useCountdown } from "../lib/useCountdown";
import { normaliseCode, validateCode } from "../lib/validation";
import { CodeField } from "./CodeField";
import { ErrorBanner, type ErrorMessages } from "./ErrorBanner";
import { ResendCode } from "./ResendCode";

/** Seconds before another code may be asked for when the server does not say (no Retry-After). */
export const RESEND_SECONDS = 60;

const VERIFY_ERRORS: ErrorMessages = { rate_limited: "verify.too_many_tries" };
const SEND_ERRORS: ErrorMessages = { rate_limited: "verify.send_limited" };

interface CodeVerificationProps {
  channel: "phone" | "email";
  /** Where the code goes: the E.164 phone or the e-mail address, shown so a typo is noticed. */
  destination: string;
  onVerified: () => void;
  /** Offered for the e-mail only: the account works without it, and Profile can do it later. */
  onSkip?: () => void;
  /** "Step 2 of 4" during sign-up. */
  progress?: string;
}

/**
 * Asks for the 6-digit code sent by SMS or e-mail. A code is sent when the screen opens; another
 * can be asked for once the countdown ends (the server's Retry-After when it refuses, else
 * RESEND_SECONDS). The input is a one-time-code field, so phones offer the SMS code above the
 * keyboard.
 */
export function CodeVerification({ channel, destination, onVerified, onSkip, progress }: CodeVerificationProps) {
  const { t } = useI18n();
  const [code, setCode] = useState("");
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sendError, setSendError] = useState<unknown>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const [notice, setNotice] = useState<"sent" | "recent" | null>(null);
  const countdown = useCountdown();
  const codeRef = useRef<HTMLInputElement>(null);
  const autoSent = useRef(false);

  async function send(auto: boolean) {
    setSendError(null);
    try {
      await api.sendCode(channel);
      setNotice("sent");
      countdown.start(RESEND_SECONDS);
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        countdown.start(err.retryAfter ?? RESEND_SECONDS);
        // Opening the screen again soon after a send is not a mistake: the code already sent works.
        if (auto) return setNotice("recent");
      }
      setSendError(err);
    }
  }

  useEffect(() => {
    codeRef.current?.focus();
    // Once per screen (StrictMode mounts effects twice in development; the ref survives that).
    if (autoSent.current) return;
    autoSent.current = true;
    void send(true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Back to the code after a refusal, once the field is enabled again (a disabled field cannot
  // take focus, so focusing inside the catch lost it).
  useEffect(() => {
    if (busy || !verifyError) return;
    codeRef.current?.focus();
    codeRef.current?.select();
  }, [busy, verifyError]);

  const codeError = validateCode(code);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (codeError) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (busy) return;
    setBusy(true);
    setVerifyError(null);
    try {
      await api.verifyCode(channel, normaliseCode(code));
      onVerified();
    } catch (err) {
      setVerifyError(err);
      if (err instanceof ApiError && err.status === 429) countdown.start(err.retryAfter ?? RESEND_SECONDS);
    } finally {
      setBusy(false);
    }
  }

  function resend() {
    setVerifyError(null);
    setCode("");
    void send(false);
    codeRef.current?.focus();
  }

  return (
    <>
      {progress && <p className="muted step">{progress}</p>}
      <h1>{t(`verify.${channel}_title`)}</h1>
      <p>{t(`verify.${channel}_intro`)}</p>
      <div role="status">
        {notice && (
          <p>
            {/* A phone or e-mail reads left to right even in Arabic: isolated as LTR (LRI), not by its first
                strong character, which a phone ("+20...") has none of. */}
            {t(notice === "sent" ? "verify.sent_to" : "verify.sent_recently", { to: "\u2066" + destination + "\u2069" })}
          </p>
        )}
      </div>
      <ErrorBanner error={sendError} messages={SEND_ERRORS} />
      <form onSubmit={submit} noValidate>
        <ErrorBanner error={verifyError} messages={VERIFY_ERRORS} />
        <CodeField ref={codeRef} value={code} onChange={setCode} error={codeError} touched={touched} />
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? t("common.loading") : t("verify.submit")}
        </button>
      </form>
      <ResendCode left={countdown.left} onResend={resend}>
        {onSkip && (
          <button type="button" className="btn btn-ghost" onClick={onSkip}>
            {t("verify.skip")}
          </button>
        )}
      </ResendCode>
    </>
  );
}
