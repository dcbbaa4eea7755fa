import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { flushSync } from "react-dom";
import { useSearchParams } from "react-router-dom";
import { api } from "../api/endpoints";
import { ApiError } from "../api/http";
import type { LookupResult, Transfer } from "../api/models";
import { ErrorBanner, SuccessBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { PinField } from "../components/PinField";
import { useI18n } from "../i18n/I18nProvider";
import { useAttemptKeys } from "../lib/useAttemptKeys";
import { normaliseAmount, validateAmount, validatePin, validateRecipient } from "../lib/validation";
import { focusFirstInvalid } from "../lib/focus";
import { normaliseRecipient } from "../lib/phone";

export function Send() {
  const { t, money } = useI18n();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const [recipient, setRecipient] = useState(params.get("to") ?? "");
  const [found, setFound] = useState<LookupResult | null>(null);
  const [amount, setAmount] = useState(params.get("amount") ?? "");
  const [note, setNote] = useState("");
  const [pin, setPin] = useState("");
  const [touched, setTouched] = useState(false);
  const [done, setDone] = useState<Transfer | null>(null);
  const keys = useAttemptKeys();
  const inFlight = useRef(false);
  const amountRef = useRef<HTMLInputElement>(null);
  const recipientRef = useRef<HTMLInputElement>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);

  const lookup = useMutation({
    // A phone typed as 011... is looked up as +2011... (lib/phone.ts).
    mutationFn: (q: string) => api.lookup(normaliseRecipient(q)),
    onSuccess: (r) => {
      setFound(r);
      setTouched(false); // the next step's fields start clean
    },
  });

  const send = useMutation({
    mutationFn: (v: { key: string; recipient: string; amount: string; note?: string; pin: string }) =>
      api.transfer(v.key, { recipient: v.recipient, amount: v.amount, note: v.note, pin: v.pin }),
    onSuccess: (transfer) => {
      keys.settle(false);
      setDone(transfer);
      setPin("");
      void qc.invalidateQueries({ queryKey: ["wallet"] });
      void qc.invalidateQueries({ queryKey: ["transactions"] });
    },
    onError: (err) => {
      keys.settle(err instanceof ApiError && err.outcomeUnknown);
      if (err instanceof ApiError && (err.code === "invalid_pin" || err.code === "pin_locked")) setPin("");
    },
    onSettled: () => {
      inFlight.current = false;
    },
  });

  // A quick-send link arrives with a recipient: look it up at once.
  useEffect(() => {
    if (params.get("to") && validateRecipient(params.get("to")!) === null) lookup.mutate(params.get("to")!);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (found) amountRef.current?.focus();
  }, [found]);

  // Focus follows the outcome (the form or button just used may be gone): a refused PIN -> the
  // PIN field, any other refusal -> the error, a lookup miss -> the recipient, success -> the message.
  useEffect(() => {
    if (!send.error) return;
    const pinRefused = send.error instanceof ApiError && send.error.code === "invalid_pin";
    (pinRefused ? pinRef : errorRef).current?.focus();
  }, [send.error]);
  useEffect(() => {
    if (lookup.error) recipientRef.current?.focus();
  }, [lookup.error]);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  /** Back to the recipient step, with focus in its field. */
  function changeRecipient() {
    flushSync(() => {
      setFound(null);
      send.reset();
    });
    recipientRef.current?.focus();
  }

  const recipientError = validateRecipient(recipient);
  const amountValue = normaliseAmount(amount);
  const errs = { amount: validateAmount(amountValue), pin: validatePin(pin) };

  function submitLookup(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (recipientError) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    lookup.mutate(recipient);
  }

  function submitTransfer(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errs.amount || errs.pin) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (!found || inFlight.current) return;
    inFlight.current = true; // a second click before React re-renders cannot send twice
    const body = { recipient: found.handle, amount: amountValue, note: note.trim() || undefined };
    send.mutate({ ...body, pin, key: keys.keyFor(body) });
  }

  function reset() {
    flushSync(() => {
      setFound(null);
      setRecipient("");
      setAmount("");
      setNote("");
      setDone(null);
      setTouched(false);
      send.reset();
      lookup.reset();
    });
    recipientRef.current?.focus();
  }

  if (done) {
    return (
      <section className="card narrow">
        <h1>{t("send.title")}</h1>
        <SuccessBanner ref={doneRef}>
          {t("send.success", { amount: money(done.amount, done.currency), name: done.recipient.display_name ?? `@${done.recipient.handle}` })}
        </SuccessBanner>
        <button className="btn btn-primary" type="button" onClick={reset}>
          {t("send.another")}
        </button>
      </section>
    );
  }

  return (
    <section className="card narrow">
      <h1>{t("send.title")}</h1>
      {!found ? (
        <form onSubmit={submitLookup} noValidate>
          <ErrorBanner error={lookup.error} />
          <Field
            ref={recipientRef}
            label={t("send.recipient")}
            name="recipient"
            dir="ltr"
            autoComplete="off"
            value={recipient}
            onChange={(e) => setRecipient(e.target.value)}
            error={touched && recipientError ? t(recipientError) : null}
          />
          <button className="btn btn-primary" type="submit" disabled={lookup.isPending}>
            {lookup.isPending ? t("common.loading") : t("send.lookup")}
          </button>
        </form>
      ) : (
        <form onSubmit={submitTransfer} noValidate>
          <div className="recipient" aria-live="polite">
            <span className="muted">{t("send.to")}</span>
            <strong data-testid="recipient-name">{found.display_name}</strong>
            <bdi className="muted">@{found.handle}</bdi>
            <button type="button" className="link" onClick={changeRecipient} disabled={send.isPending}>
              {t("send.change")}
            </button>
          </div>
          <ErrorBanner ref={errorRef} error={send.error} />
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
          <PinField ref={pinRef} name="pin" value={pin} onChange={setPin} error={errs.pin} touched={touched} />
          <button className="btn btn-primary" type="submit" disabled={send.isPending}>
            {send.isPending ? t("send.sending") : t("send.confirm")}
          </button>
        </form>
      )}
    </section>
  );
}
