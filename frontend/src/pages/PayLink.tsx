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
import { ConfirmWithPin, ReviewFacts } from "../components/ConfirmWithPin";
import { Loading } from "../components/States";
import { useI18n } from "../i18n/I18nProvider";
import { focusFirstInvalid } from "../lib/focus";
import { useAttemptKeys } from "../lib/useAttemptKeys";
import { normaliseAmount, validateAmount } from "../lib/validation";
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
  const { t } = useI18n();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const me = useProfile();
  const frozen = useFrozen();
  const link = useQuery({ queryKey: ["pay-link", token], queryFn: () => paymentsApi.resolve(token), staleTime: 0 });
  const fixed = link.data?.amount ?? null;
  const [step, setStep] = useState<"details" | "review">("details");
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  const [touched, setTouched] = useState(false);
  const [done, setDone] = useState<{ transfer: Transfer; at: number } | null>(null);
  const keys = useAttemptKeys();
  const inFlight = useRef(false);
  const doneRef = useRef<HTMLDivElement>(null);

  // A link with its amount goes straight to the review: there is nothing to fill in.
  useEffect(() => {
    if (fixed) setStep("review");
  }, [fixed]);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  const pay = useMutation({
    mutationFn: (v: { key: string; payment_link: string; amount: string; note?: string; pin: string }) =>
      paymentsApi.payLink(v.key, { payment_link: v.payment_link, amount: v.amount, note: v.note, pin: v.pin }),
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

  if (done)
    return (
      <PaidResult transfer={done.transfer} at={done.at} focusRef={doneRef}>
        <div className="actions">
          <button className="btn" type="button" onClick={() => navigate("/")}>
            {t("flows.done")}
          </button>
        </div>
      </PaidResult>
    );

  const amountValue = fixed ?? normaliseAmount(amount);
  const amountErr = fixed ? null : validateAmount(amountValue);
  const self = Boolean(link.data && me.data && link.data.user_id === me.data.user_id);

  function submitDetails(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (amountErr) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setStep("review");
  }

  function submitPay(pin: string) {
    if (inFlight.current || done) return;
    inFlight.current = true; // a second click before React re-renders cannot pay twice
    pay.reset();
    const body = { payment_link: token, amount: amountValue, note: note.trim() || undefined };
    pay.mutate({ ...body, pin, key: keys.keyFor(body) });
  }

  const data = link.data;
  const noteField = <Field label={t("common.note")} name="note" maxLength={140} value={note} onChange={(e) => setNote(e.target.value)} />;
  // The link's own reference (what the shop asked to be paid for), beside whom and how much.
  const linkReference = data?.reference ? (
    <>
      <dt>{t("flows.reference")}</dt>
      <dd>
        <Bdi testId="link-reference">{data.reference}</Bdi>
      </dd>
    </>
  ) : null;
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
      {data && !self && step === "details" && (
        <>
          <ReviewFacts recipient={data} extra={linkReference} testId="pay-review" />
          <form onSubmit={submitDetails} noValidate>
            <Field
              label={t("common.amount")}
              name="amount"
              inputMode="decimal"
              autoComplete="off"
              autoFocus
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              error={touched && amountErr ? t(amountErr) : null}
            />
            {noteField}
            <button className="btn btn-primary" type="submit" disabled={frozen}>
              {t("send.review")}
            </button>
          </form>
        </>
      )}
      {data && !self && step === "review" && (
        <ConfirmWithPin
          testId="pay-review"
          recipient={data}
          amount={amountValue}
          note={note.trim()}
          extra={linkReference}
          error={pay.error}
          errorMessages={LINK_ERRORS}
          pending={pay.isPending}
          disabled={frozen}
          onConfirm={submitPay}
          onRetype={() => pay.reset()}
          onBack={fixed ? undefined : () => setStep("details")}
        >
          {fixed && noteField}
        </ConfirmWithPin>
      )}
    </section>
  );
}
