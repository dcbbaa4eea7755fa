import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError } from "../api/http";
import type { Transfer } from "../api/models";
import { paymentsApi } from "../api/payments";
import { Bdi } from "../components/Bdi";
import { ErrorBanner, type ErrorMessages } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { FrozenNotice, useFrozen } from "../components/FrozenNotice";
import { PaidResult } from "../components/PaidResult";
import { PinField } from "../components/PinField";
import { Loading } from "../components/States";
import { useI18n } from "../i18n/I18nProvider";
import { focusFirstInvalid } from "../lib/focus";
import { useAttemptKeys } from "../lib/useAttemptKeys";
import { normaliseAmount, validateAmount, validatePin } from "../lib/validation";
import { useProfile } from "./useProfile";

/** A link's refusals in plain words (the same whether resolving or paying). */
const LINK_ERRORS: ErrorMessages = {
  payment_link_expired: "pay.err.expired",
  payment_link_not_found: "pay.err.not_found",
  not_found: "pay.err.not_found",
  payment_link_used: "pay.err.used",
};

/**
 * `/pay/<token>`: a payment link or QR code opened. Whom it pays (masked name and handle) and,
 * when the link fixes them, the amount and the reference, then Send's review: the PIN and Confirm.
 * The transfer names the link (`payment_link`), never a recipient typed here, so the money goes
 * where the link says. Signed out, RequireSession logs in first and comes back here.
 */
export function PayLink() {
  const { token = "" } = useParams();
  const { t, money } = useI18n();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const me = useProfile();
  const frozen = useFrozen();
  const link = useQuery({ queryKey: ["pay-link", token], queryFn: () => paymentsApi.resolve(token), staleTime: 0 });
  const fixed = link.data?.amount ?? null;
  const [step, setStep] = useState<"details" | "review">("details");
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  const [pin, setPin] = useState("");
  const [touched, setTouched] = useState(false);
  const [pinTouched, setPinTouched] = useState(false);
  const [done, setDone] = useState<Transfer | null>(null);
  const keys = useAttemptKeys();
  const inFlight = useRef(false);
  const pinRef = useRef<HTMLInputElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);

  // A link with its amount goes straight to the review: there is nothing to fill in.
  useEffect(() => {
    if (fixed) setStep("review");
  }, [fixed]);
  useEffect(() => {
    if (step === "review") pinRef.current?.focus();
  }, [step]);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  const pay = useMutation({
    mutationFn: (v: { key: string; payment_link: string; amount: string; note?: string; pin: string }) =>
      paymentsApi.payLink(v.key, { payment_link: v.payment_link, amount: v.amount, note: v.note, pin: v.pin }),
    onSuccess: (transfer) => {
      keys.settle(false);
      setDone(transfer);
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

  // Focus follows a refusal once it is on screen: a wrong PIN -> the PIN field, else the message.
  useEffect(() => {
    if (!pay.error) return;
    (pay.error instanceof ApiError && pay.error.code === "invalid_pin" ? pinRef : errorRef).current?.focus();
  }, [pay.error]);

  if (done)
    return (
      <PaidResult transfer={done} focusRef={doneRef}>
        <div className="actions">
          <button className="btn" type="button" onClick={() => navigate("/")}>
            {t("flows.done")}
          </button>
        </div>
      </PaidResult>
    );

  const amountValue = fixed ?? normaliseAmount(amount);
  const errs = { amount: fixed ? null : validateAmount(amountValue), pin: validatePin(pin) };
  const self = Boolean(link.data && me.data && link.data.user_id === me.data.user_id);

  function submitDetails(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errs.amount) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setStep("review");
  }

  function submitPay(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errs.pin) return focusFirstInvalid(e.currentTarget, () => setPinTouched(true));
    if (inFlight.current || done) return;
    inFlight.current = true; // a second click before React re-renders cannot pay twice
    pay.reset();
    const body = { payment_link: token, amount: amountValue, note: note.trim() || undefined };
    pay.mutate({ ...body, pin, key: keys.keyFor(body) });
  }

  const data = link.data;
  return (
    <section className="card narrow" aria-labelledby="pay-h">
      <h1 id="pay-h">{t("pay.title")}</h1>
      <FrozenNotice />
      {link.isPending && <Loading />}
      {link.error && (
        <>
          <ErrorBanner error={link.error} messages={LINK_ERRORS} />
          <Link className="btn" to="/send">
            {t("nav.send")}
          </Link>
        </>
      )}
      {data && self && (
        <div role="alert" className="banner banner-error" data-code="self_transfer">
          {t("flows.self_send")}
        </div>
      )}
      {data && !self && (
        <>
          <dl className="facts review" data-testid="pay-review">
            <dt>{t("send.to")}</dt>
            <dd>
              <strong data-testid="recipient-name">
                <Bdi>{data.display_name || `@${data.handle}`}</Bdi>
              </strong>{" "}
              {data.handle && (
                <Bdi ltr className="muted">
                  @{data.handle}
                </Bdi>
              )}
            </dd>
            {(fixed || step === "review") && (
              <>
                <dt>{t("common.amount")}</dt>
                <dd className="big">
                  <Bdi testId="review-amount">{money(amountValue)}</Bdi>
                </dd>
              </>
            )}
            {data.reference && (
              <>
                <dt>{t("flows.reference")}</dt>
                <dd>
                  <Bdi testId="link-reference">{data.reference}</Bdi>
                </dd>
              </>
            )}
            {step === "review" && note.trim() && (
              <>
                <dt>{t("flows.note")}</dt>
                <dd>
                  <Bdi>{note.trim()}</Bdi>
                </dd>
              </>
            )}
          </dl>
          {step === "details" && (
            <form onSubmit={submitDetails} noValidate>
              <Field
                label={t("common.amount")}
                name="amount"
                inputMode="decimal"
                autoComplete="off"
                autoFocus
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                error={touched && errs.amount ? t(errs.amount) : null}
              />
              <Field label={t("common.note")} name="note" maxLength={140} value={note} onChange={(e) => setNote(e.target.value)} />
              <button className="btn btn-primary" type="submit" disabled={frozen}>
                {t("send.review")}
              </button>
            </form>
          )}
          {step === "review" && (
            <form onSubmit={submitPay} noValidate aria-labelledby="pay-review-h">
              <h2 id="pay-review-h" className="h3">
                {t("flows.review_title")}
              </h2>
              {fixed && (
                <Field label={t("common.note")} name="note" maxLength={140} value={note} onChange={(e) => setNote(e.target.value)} />
              )}
              <p className="muted">{t("flows.review_hint")}</p>
              <ErrorBanner ref={errorRef} error={pay.error} messages={LINK_ERRORS} />
              <PinField
                ref={pinRef}
                name="pin"
                value={pin}
                onChange={(v) => {
                  setPin(v);
                  if (pay.error) pay.reset();
                }}
                onBlur={() => pin && setPinTouched(true)}
                error={errs.pin}
                touched={pinTouched}
              />
              <div className="actions">
                <button className="btn btn-primary" type="submit" disabled={pay.isPending || frozen}>
                  {pay.isPending ? t("send.sending") : t("send.confirm")}
                </button>
                {!fixed && (
                  <button className="btn" type="button" onClick={() => setStep("details")} disabled={pay.isPending}>
                    {t("flows.edit")}
                  </button>
                )}
              </div>
            </form>
          )}
        </>
      )}
    </section>
  );
}
