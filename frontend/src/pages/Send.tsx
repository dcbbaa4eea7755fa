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
import { PaidResult } from "../components/PaidResult";
import { PayeeChips } from "../components/PayeeChips";
import { ConfirmWithPin } from "../components/ConfirmWithPin";
import { ScheduleLink } from "../components/ScheduleLink";
import { ScanQr } from "../components/ScanQr";
import { useI18n } from "../i18n/I18nProvider";
import { useAttemptKeys } from "../lib/useAttemptKeys";
import { normaliseAmount, validateAmount, validateRecipient } from "../lib/validation";
import { focusFirstInvalid } from "../lib/focus";
import { normaliseRecipient } from "../lib/phone";
import { useProfile, useWallet } from "./useProfile";

/**
 * Sending money in four screens: who (looked up, the masked name shown), how much (amount and
 * note), review (everything that will happen, then the PIN and Confirm), and the result. Money
 * leaves only from the review screen, so Enter in an earlier field can never send it.
 */
type Step = "recipient" | "details" | "review";

export function Send() {
  const { t, money } = useI18n();
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
  const [touched, setTouched] = useState(false);
  const [done, setDone] = useState<{ transfer: Transfer; at: number } | null>(null);
  const keys = useAttemptKeys();
  const inFlight = useRef(false);
  const amountRef = useRef<HTMLInputElement>(null);
  const recipientRef = useRef<HTMLInputElement>(null);
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
      void qc.invalidateQueries({ queryKey: ["wallet"] });
      void qc.invalidateQueries({ queryKey: ["transactions"] });
      void qc.invalidateQueries({ queryKey: ["recent-recipients"] });
    },
    onError: (err) => {
      keys.settle(err instanceof ApiError && err.outcomeUnknown);
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
  }, [step]);

  // Focus follows the outcome (the form or button just used may be gone): a lookup miss -> the
  // recipient, success -> the result (a refused PIN or transfer: ConfirmWithPin).
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
    });
    focus?.();
  }

  const recipientError = validateRecipient(recipient);
  const amountValue = normaliseAmount(amount);
  const errs = { amount: validateAmount(amountValue) };
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

  function submitTransfer(pin: string) {
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

  if (done)
    return (
      <PaidResult transfer={done.transfer} at={done.at} focusRef={doneRef}>
        <div className="actions">
          <button className="btn btn-primary" type="button" onClick={() => restart(true)}>
            {t("flows.send_again")}
          </button>
          <button className="btn" type="button" onClick={() => navigate("/")}>
            {t("flows.done")}
          </button>
        </div>
      </PaidResult>
    );

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
        <ConfirmWithPin
          testId="send-review"
          recipient={found}
          amount={amountValue}
          note={note.trim()}
          error={send.error}
          pending={send.isPending}
          disabled={frozen}
          onConfirm={submitTransfer}
          onRetype={() => send.reset()}
          onBack={() => goTo("details", () => amountRef.current?.focus())}
        />
      )}
    </section>
  );
}
