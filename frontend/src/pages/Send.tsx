import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { flushSync } from "react-dom";
import { useNavigate, useSearchParams } from "react-router-dom";
import { api } from "../api/endpoints";
import { ApiError } from "../api/http";
import type { LookupResult, Transfer } from "../api/models";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { FrozenNotice, useFrozen } from "../components/FrozenNotice";
import { PaidFollowUp } from "../components/PaidResult";
import { PayeeChips } from "../components/PayeeChips";
import { PinField } from "../components/PinField";
import { ScheduleLink } from "../components/ScheduleLink";
import { ScanQr } from "../components/ScanQr";
import { useI18n } from "../i18n/I18nProvider";
import { useAttemptKeys } from "../lib/useAttemptKeys";
import { normaliseAmount, validateAmount, validatePin, validateRecipient } from "../lib/validation";
import { focusFirstInvalid } from "../lib/focus";
import { normaliseRecipient } from "../lib/phone";
import { useProfile, useWallet } from "./useProfile";

/**
 * Sending money in four screens: who (looked up, the masked name shown), how much (amount and
 * note), review (everything that will happen, then the PIN and Confirm), and the result. Money
 * leaves only from the review screen, so Enter in an earlier field can never send it.
 */
type Step = "recipient" | "details" | "review";

/** The name to show for a party: the masked display name, else the handle. */
function partyName(p: { handle?: string | null; display_name?: string | null }): string {
  return p.display_name || (p.handle ? `@${p.handle}` : "");
}

export function Send() {
  const { t, money, dateTime } = useI18n();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const me = useProfile();
  const wallet = useWallet();
  const frozen = useFrozen();
  const [step, setStep] = useState<Step>("recipient");
  const [recipient, setRecipient] = useState(params.get("to") ?? "");
  const [found, setFound] = useState<LookupResult | null>(null);
  const [self, setSelf] = useState(false);
  const [amount, setAmount] = useState(params.get("amount") ?? "");
  const [note, setNote] = useState("");
  const [pin, setPin] = useState("");
  const [touched, setTouched] = useState(false);
  // The PIN's format is judged when the person leaves the field or confirms, never while empty
  // after a refused PIN cleared it.
  const [pinTouched, setPinTouched] = useState(false);
  const [done, setDone] = useState<{ transfer: Transfer; at: number } | null>(null);
  const keys = useAttemptKeys();
  const inFlight = useRef(false);
  const amountRef = useRef<HTMLInputElement>(null);
  const recipientRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const selfRef = useRef<HTMLDivElement>(null);

  const lookup = useMutation({
    // A phone typed as 011... is looked up as +2011... (lib/phone.ts).
    mutationFn: (q: string) => api.lookup(normaliseRecipient(q)),
    onSuccess: (r) => {
      // Refused at once when the recipient is the sender: before any amount or PIN is typed.
      if (me.data && r.user_id === me.data.user_id) {
        setSelf(true);
        return;
      }
      setFound(r);
      setStep("details");
      setTouched(false); // the next step's fields start clean
    },
  });

  const send = useMutation({
    mutationFn: (v: { key: string; recipient: string; amount: string; note?: string; pin: string }) =>
      api.transfer(v.key, { recipient: v.recipient, amount: v.amount, note: v.note, pin: v.pin }),
    onSuccess: (transfer) => {
      keys.settle(false);
      setDone({ transfer, at: Date.now() });
      setPin("");
      void qc.invalidateQueries({ queryKey: ["wallet"] });
      void qc.invalidateQueries({ queryKey: ["transactions"] });
      void qc.invalidateQueries({ queryKey: ["recent-recipients"] });
    },
    onError: (err) => {
      keys.settle(err instanceof ApiError && err.outcomeUnknown);
      if (err instanceof ApiError && (err.code === "invalid_pin" || err.code === "pin_locked")) {
        setPin("");
        setPinTouched(false);
      }
    },
    onSettled: () => {
      inFlight.current = false;
    },
  });

  // A quick-send link arrives with a recipient: look it up at once (once the profile is known, so
  // a link to oneself is refused like a typed one).
  const linked = useRef(false);
  useEffect(() => {
    const to = params.get("to");
    if (linked.current || !me.data || !to || validateRecipient(to) !== null) return;
    linked.current = true;
    lookup.mutate(to);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me.data]);

  useEffect(() => {
    if (step === "details") amountRef.current?.focus();
    if (step === "review") pinRef.current?.focus();
  }, [step]);

  // Focus follows the outcome (the form or button just used may be gone): a refused PIN -> the
  // PIN field, any other refusal -> the error, a lookup miss -> the recipient, success -> the result.
  useEffect(() => {
    if (!send.error) return;
    const pinRefused = send.error instanceof ApiError && send.error.code === "invalid_pin";
    (pinRefused ? pinRef : errorRef).current?.focus();
  }, [send.error]);
  useEffect(() => {
    if (lookup.error) recipientRef.current?.focus();
  }, [lookup.error]);
  useEffect(() => {
    if (self) selfRef.current?.focus();
  }, [self]);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  function goTo(next: Step, focus?: () => void) {
    flushSync(() => {
      setStep(next);
      send.reset();
      setPin("");
      setPinTouched(false);
    });
    focus?.();
  }

  const recipientError = validateRecipient(recipient);
  const amountValue = normaliseAmount(amount);
  const errs = { amount: validateAmount(amountValue), pin: validatePin(pin) };
  const available = wallet.data ? (wallet.data.available_balance ?? wallet.data.balance) : null;

  function submitLookup(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSelf(false);
    if (recipientError) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    lookup.mutate(recipient);
  }

  function submitDetails(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errs.amount) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setStep("review");
  }

  function submitTransfer(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errs.pin) return focusFirstInvalid(e.currentTarget, () => setPinTouched(true));
    if (!found || inFlight.current || done) return;
    inFlight.current = true; // a second click before React re-renders cannot send twice
    send.reset(); // one message at a time: the last attempt's error goes as this one starts
    const body = { recipient: found.handle, amount: amountValue, note: note.trim() || undefined };
    send.mutate({ ...body, pin, key: keys.keyFor(body) });
  }

  /** After a success: a new transfer, to the same person ("Send again") or from the start. */
  function restart(samePerson: boolean) {
    flushSync(() => {
      if (!samePerson) {
        setFound(null);
        setRecipient("");
      }
      setAmount("");
      setNote("");
      setDone(null);
      setTouched(false);
      setStep(samePerson ? "details" : "recipient");
      send.reset();
      lookup.reset();
    });
    (samePerson ? amountRef : recipientRef).current?.focus();
  }

  if (done) {
    const tr = done.transfer;
    const reference = (tr as { reference?: string | null }).reference;
    // The balance after this transfer: the wallet as read after it (read-your-writes), not before.
    const fresh = wallet.data && wallet.dataUpdatedAt >= done.at ? (wallet.data.available_balance ?? wallet.data.balance) : null;
    return (
      <section className="card narrow success-card" aria-labelledby="sent-h">
        <h1 id="sent-h">{t("flows.sent_title")}</h1>
        <div ref={doneRef} tabIndex={-1} role="status" className="banner banner-ok" data-testid="send-success">
          <p className="big">
            <bdi>{money(tr.amount, tr.currency)}</bdi>
          </p>
          <p>
            {t("flows.sent_to")} <bdi data-testid="sent-to">{partyName(tr.recipient)}</bdi>
          </p>
        </div>
        <dl className="facts">
          <dt>{t("flows.new_balance")}</dt>
          <dd data-testid="new-balance">{fresh ? <bdi>{money(fresh, wallet.data?.currency ?? tr.currency)}</bdi> : t("common.loading")}</dd>
          <dt>{t("flows.when")}</dt>
          <dd>{dateTime(tr.created_at)}</dd>
          {tr.note && (
            <>
              <dt>{t("flows.note")}</dt>
              <dd>
                <bdi>{tr.note}</bdi>
              </dd>
            </>
          )}
          {reference && (
            <>
              <dt>{t("flows.reference")}</dt>
              <dd>
                <bdi className="mono" data-testid="reference">
                  {reference}
                </bdi>
              </dd>
            </>
          )}
        </dl>
        <PaidFollowUp transfer={tr} showReference={false} />
        <div className="actions">
          <button className="btn btn-primary" type="button" onClick={() => restart(true)}>
            {t("flows.send_again")}
          </button>
          <button className="btn" type="button" onClick={() => navigate("/")}>
            {t("flows.done")}
          </button>
        </div>
      </section>
    );
  }

  const recipientBox = found && (
    <div className="recipient" aria-live="polite">
      <span className="muted">{t("send.to")}</span>
      <strong data-testid="recipient-name">
        <bdi>{found.display_name}</bdi>
      </strong>
      <bdi className="muted">@{found.handle}</bdi>
      <button type="button" className="link" onClick={() => goTo("recipient", () => recipientRef.current?.focus())} disabled={send.isPending}>
        {t("send.change")}
      </button>
    </div>
  );

  return (
    <section className="card narrow">
      <h1>{t("send.title")}</h1>
      {available !== null && (
        <p className="muted send-balance" data-testid="send-available">
          <bdi>{t("flows.available", { amount: money(available, wallet.data?.currency) })}</bdi>
        </p>
      )}
      <FrozenNotice />
      {step === "recipient" && (
        <form onSubmit={submitLookup} noValidate>
          {self ? (
            <div ref={selfRef} tabIndex={-1} role="alert" className="banner banner-error" data-code="self_transfer">
              {t("flows.self_send")}
            </div>
          ) : (
            <ErrorBanner error={lookup.error} />
          )}
          <Field
            ref={recipientRef}
            label={t("send.recipient")}
            name="recipient"
            dir="ltr"
            autoComplete="off"
            value={recipient}
            onChange={(e) => {
              setRecipient(e.target.value);
              setSelf(false);
            }}
            error={touched && recipientError ? t(recipientError) : null}
          />
          <button className="btn btn-primary" type="submit" disabled={lookup.isPending}>
            {lookup.isPending ? t("common.loading") : t("send.lookup")}
          </button>
          <PayeeChips
            disabled={lookup.isPending}
            onPick={(handle) => {
              setRecipient(handle);
              setSelf(false);
              setTouched(true);
              lookup.mutate(handle);
            }}
          />
          <ScanQr />
        </form>
      )}
      {step === "details" && found && (
        <form onSubmit={submitDetails} noValidate>
          {recipientBox}
          <Field
            ref={amountRef}
            label={t("common.amount")}
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            error={touched && errs.amount ? t(errs.amount) : null}
          />
          <Field label={t("common.note")} name="note" maxLength={140} value={note} onChange={(e) => setNote(e.target.value)} />
          <button className="btn btn-primary" type="submit" disabled={frozen}>
            {t("send.review")}
          </button>
          <ScheduleLink to={found.handle} amount={amount} />
        </form>
      )}
      {step === "review" && found && (
        <form onSubmit={submitTransfer} noValidate aria-labelledby="review-h">
          <h2 id="review-h" className="h3">
            {t("flows.review_title")}
          </h2>
          <dl className="facts review" data-testid="send-review">
            <dt>{t("send.to")}</dt>
            <dd>
              <strong data-testid="recipient-name">
                <bdi>{found.display_name}</bdi>
              </strong>{" "}
              <bdi className="muted">@{found.handle}</bdi>
            </dd>
            <dt>{t("common.amount")}</dt>
            <dd className="big">
              <bdi data-testid="review-amount">{money(amountValue)}</bdi>
            </dd>
            {note.trim() && (
              <>
                <dt>{t("flows.note")}</dt>
                <dd>
                  <bdi>{note.trim()}</bdi>
                </dd>
              </>
            )}
          </dl>
          <p className="muted">{t("flows.review_hint")}</p>
          <ErrorBanner ref={errorRef} error={send.error} />
          <PinField
            ref={pinRef}
            name="pin"
            value={pin}
            onChange={(v) => {
              setPin(v);
              // Typing a new PIN starts a new attempt: the last refusal goes.
              if (send.error) send.reset();
            }}
            onBlur={() => pin && setPinTouched(true)}
            error={errs.pin}
            touched={pinTouched}
          />
          <div className="actions">
            <button className="btn btn-primary" type="submit" disabled={send.isPending || frozen}>
              {send.isPending ? t("send.sending") : t("send.confirm")}
            </button>
            <button className="btn" type="button" onClick={() => goTo("details", () => amountRef.current?.focus())} disabled={send.isPending}>
              {t("flows.edit")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
