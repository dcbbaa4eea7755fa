import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { ApiError } from "../api/http";
import { useI18n } from "../i18n/I18nProvider";
import { focusFirstInvalid } from "../lib/focus";
import { validatePin } from "../lib/validation";
import { Bdi } from "./Bdi";
import { ErrorBanner, type ErrorMessages } from "./ErrorBanner";
import { PinField } from "./PinField";

/** Whom the money goes to: the verified (masked) name from the server, and the handle. */
export interface ReviewRecipient {
  display_name?: string | null;
  handle?: string | null;
}

interface ReviewFactsProps {
  recipient: ReviewRecipient;
  /** The decimal amount string; left out while it is still being typed. */
  amount?: string;
  note?: string;
  /** More facts (dt/dd pairs) after the amount: a link's reference. */
  extra?: ReactNode;
  testId?: string;
}

/**
 * What a payment will do, as a definition list: to whom (masked name and handle), how much, the
 * note. Also shown alone above a link's amount form, so the payer sees whom they pay first.
 */
export function ReviewFacts({ recipient, amount, note, extra, testId }: ReviewFactsProps) {
  const { t, money } = useI18n();
  const name = recipient.display_name || (recipient.handle ? `@${recipient.handle}` : "");
  return (
    <dl className="facts review" data-testid={testId}>
      <dt>{t("send.to")}</dt>
      <dd>
        <strong data-testid="recipient-name">
          <Bdi>{name}</Bdi>
        </strong>
        {recipient.display_name && recipient.handle && (
          <>
            {" "}
            <Bdi ltr className="muted">
              @{recipient.handle}
            </Bdi>
          </>
        )}
      </dd>
      {amount !== undefined && (
        <>
          <dt>{t("common.amount")}</dt>
          <dd className="big">
            <Bdi testId="review-amount">{money(amount)}</Bdi>
          </dd>
        </>
      )}
      {extra}
      {note && (
        <>
          <dt>{t("flows.note")}</dt>
          <dd>
            <Bdi>{note}</Bdi>
          </dd>
        </>
      )}
    </dl>
  );
}

interface ConfirmWithPinProps extends Omit<ReviewFactsProps, "amount"> {
  amount: string;
  /** The last attempt's refusal (the mutation's error), or null. */
  error: unknown;
  errorMessages?: ErrorMessages;
  /** A request is in flight: Confirm shows "Sending…" and Back is disabled. */
  pending: boolean;
  /** Confirm is disabled (a frozen wallet). */
  disabled?: boolean;
  /** Called with a well-formed PIN; the caller guards double submits and sends. */
  onConfirm: (pin: string) => void;
  /** Typing a new PIN starts a new attempt: the caller drops the last refusal (mutation.reset). */
  onRetype: () => void;
  /** "Edit": back to the amount. Left out where there is nothing to edit (a fixed-amount link). */
  onBack?: () => void;
  /** Fields shown in the form above the PIN (a note for a fixed-amount link). */
  children?: ReactNode;
}

/**
 * The last screen before money leaves, the same for Send, a payment link, and later refunds and
 * schedules: what will happen (ReviewFacts), the PIN, Confirm and Edit. The PIN lives only here,
 * so no Enter on an earlier screen can send. Its format is judged on blur or Confirm only; a
 * refused or locked PIN empties the field without a format error; the server's refusal (tries
 * left before the lock, the lock and how to leave it: ErrorBanner) stays until a new PIN is typed.
 * Focus: the PIN on arrival and after a wrong PIN, the message after any other refusal.
 */
export function ConfirmWithPin(props: ConfirmWithPinProps) {
  const { recipient, amount, note, extra, testId, error, errorMessages, pending, disabled, onConfirm, onRetype, onBack, children } = props;
  const { t } = useI18n();
  const headingId = useId();
  const [pin, setPin] = useState("");
  const [pinTouched, setPinTouched] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const pinError = validatePin(pin);

  useEffect(() => {
    pinRef.current?.focus();
  }, []);

  useEffect(() => {
    if (!error) return;
    const code = error instanceof ApiError ? error.code : null;
    if (code === "invalid_pin" || code === "pin_locked") {
      setPin("");
      setPinTouched(false);
    }
    (code === "invalid_pin" ? pinRef : errorRef).current?.focus();
  }, [error]);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pinError) return focusFirstInvalid(e.currentTarget, () => setPinTouched(true));
    onConfirm(pin);
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h2 id={headingId} className="h3">
        {t("flows.review_title")}
      </h2>
      <ReviewFacts recipient={recipient} amount={amount} note={note} extra={extra} testId={testId} />
      {children}
      <p className="muted">{t("flows.review_hint")}</p>
      <ErrorBanner ref={errorRef} error={error} messages={errorMessages} />
      <PinField
        ref={pinRef}
        name="pin"
        value={pin}
        onChange={(v) => {
          setPin(v);
          if (error) onRetype();
        }}
        onBlur={() => pin && setPinTouched(true)}
        error={pinError}
        touched={pinTouched}
      />
      <div className="actions">
        <button className="btn btn-primary" type="submit" disabled={pending || disabled}>
          {pending ? t("send.sending") : t("send.confirm")}
        </button>
        {onBack && (
          <button className="btn" type="button" onClick={onBack} disabled={pending}>
            {t("flows.edit")}
          </button>
        )}
      </div>
    </form>
  );
}
