import { useId, type ReactNode } from "react";
import { useI18n } from "../i18n/I18nProvider";
import { formatCountdown } from "../lib/useCountdown";

/**
 * "Send a new code", refused until the countdown ends, with the time left shown under it. The
 * button is aria-disabled rather than disabled, so it keeps focus (and says why) while waiting.
 */
export function ResendCode({ left, onResend, children }: { left: number; onResend: () => void; children?: ReactNode }) {
  const { t, lang } = useI18n();
  const timerId = useId();
  const waiting = left > 0;
  return (
    <>
      <div className="row wrap resend">
        <button
          type="button"
          className="btn"
          aria-disabled={waiting}
          aria-describedby={waiting ? timerId : undefined}
          onClick={() => !waiting && onResend()}
        >
          {t("verify.resend")}
        </button>
        {children}
      </div>
      {waiting && (
        // role=timer is not a live region: screen readers are not told every second.
        <p id={timerId} role="timer" className="muted" data-testid="resend-countdown">
          {t("verify.resend_in", { time: formatCountdown(left, lang) })}
        </p>
      )}
    </>
  );
}
