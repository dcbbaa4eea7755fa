import type { Ref } from "react";
import { Link } from "react-router-dom";
import { ApiError } from "../api/http";
import type { MessageId } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";

/** Per-screen wording for an error code, where the general one would be too vague. */
export type ErrorMessages = Partial<Record<string, MessageId>>;

/**
 * Wrong PINs left before the lock, when the server says: its invalid_pin detail reads "Wrong PIN;
 * 3 attempt(s) left before the PIN is locked", or "...the PIN is now locked..." after the last
 * one (0). Null when it does not say.
 */
export function pinTriesLeft(err: unknown): number | null {
  if (!(err instanceof ApiError) || err.code !== "invalid_pin") return null;
  const m = /(\d+)\s+attempt/i.exec(err.message);
  if (m) return Number(m[1]);
  return /now locked/i.test(err.message) ? 0 : null;
}

/** Where the person can fix what the error is about (a link after the message). */
const FIX_LINKS: Partial<Record<string, { to: string; label: MessageId }>> = {
  phone_not_verified: { to: "/verify", label: "verify.now" },
  pin_locked: { to: "/security", label: "sec.pin" },
};

/** The message for an API error: the contract's code when we know it, else the server's detail. */
export function useErrorMessage(messages?: ErrorMessages): (err: unknown) => string {
  const { t } = useI18n();
  return (err: unknown) => {
    if (err instanceof ApiError) {
      const own = messages?.[err.code];
      if (own) return t(own);
      // 423 account_frozen says whose wallet: the caller's own, or the recipient's.
      if (err.code === "account_frozen" && (err.problem.frozen_wallet === "own" || err.problem.frozen_wallet === "recipient"))
        return t(`err.account_frozen_${err.problem.frozen_wallet}`);
      const left = pinTriesLeft(err);
      if (left !== null) return t(left > 0 ? "err.invalid_pin_left" : "err.invalid_pin_now_locked", { n: left });
      const key = `err.${err.code}`;
      const known = t(key);
      if (known !== key) return known;
      if (err.status === 404) return t("err.not_found");
      return err.message || t("err.generic");
    }
    return t("err.generic");
  };
}

/** An error, announced when it appears (role=alert); with a ref, focusable by script (tabIndex -1). */
export function ErrorBanner({ error, ref, messages }: { error: unknown; ref?: Ref<HTMLDivElement>; messages?: ErrorMessages }) {
  const { t } = useI18n();
  const message = useErrorMessage(messages);
  if (!error) return null;
  const fix = error instanceof ApiError ? FIX_LINKS[error.code] : undefined;
  return (
    <div
      ref={ref}
      tabIndex={ref ? -1 : undefined}
      role="alert"
      className="banner banner-error"
      data-code={error instanceof ApiError ? error.code : undefined}
    >
      {message(error)}
      {fix && (
        <>
          {" "}
          <Link to={fix.to}>{t(fix.label)}</Link>
        </>
      )}
    </div>
  );
}

/**
 * A confirmation in a polite live region. The region stays in the page while empty: screen readers
 * announce a change inside an existing live region, not always one that is inserted with its text.
 */
export function SuccessBanner({ children, ref }: { children: string | null | undefined; ref?: Ref<HTMLDivElement> }) {
  return (
    <div ref={ref} tabIndex={ref ? -1 : undefined} role="status" className={children ? "banner banner-ok" : undefined}>
      {children || null}
    </div>
  );
}

/** Field errors from a 422 problem, keyed by field name (the last path segment). */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError) {
    for (const e of err.errors) out[e.field.split(".").pop() ?? e.field] = e.message;
  }
  return out;
}
