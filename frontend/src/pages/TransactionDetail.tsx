import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { ApiError } from "../api/http";
import type { Transfer } from "../api/models";
import { DISPUTE_REASONS, paymentsApi, type Dispute, type TransactionDetail as Detail } from "../api/payments";
import { Bdi } from "../components/Bdi";
import { CopyButton } from "../components/CopyButton";
import { ErrorBanner } from "../components/ErrorBanner";
import { ReceiptActions } from "../components/ReceiptActions";
import { Field } from "../components/Field";
import { PinField } from "../components/PinField";
import { SaveFavourite } from "../components/SaveFavourite";
import { Loading } from "../components/States";
import { useI18n } from "../i18n/I18nProvider";
import { focusFirstInvalid } from "../lib/focus";
import { subtractMoney } from "../lib/money";
import { useAttemptKeys } from "../lib/useAttemptKeys";
import { normaliseAmount, validateAmount, validatePin } from "../lib/validation";

type PartyView = Detail["parties"]["sender"];

function Party({ party, fallback, testId }: { party: PartyView; fallback: string; testId: string }) {
  if (!party) return <span data-testid={testId}>{fallback}</span>;
  return (
    <span data-testid={testId}>
      <Bdi>{party.display_name || `@${party.handle}`}</Bdi>
      {party.display_name && party.handle && (
        <>
          {" "}
          <Bdi ltr className="muted">
            @{party.handle}
          </Bdi>
        </>
      )}
    </span>
  );
}

/**
 * One transaction in full, as a receipt reads: the reference (what support and shops ask for),
 * amount, who paid whom (masked names), note, time, the status steps it went through and the
 * request it paid. Anyone else's transaction answers 404 and reads as "not found".
 */
export function TransactionDetail() {
  const { id = "" } = useParams();
  const { t, money, dateTime } = useI18n();
  const tx = useQuery({ queryKey: ["transactions", "detail", id], queryFn: () => paymentsApi.transaction(id) });
  const d = tx.data;
  const moved = d && d.status !== "failed" && d.status !== "reversed";
  const sign = d && moved ? (d.direction === "in" ? "+" : "−") : "";
  const other = d?.direction === "out" ? d.parties.recipient : d?.parties.sender;

  return (
    <section className="card narrow" aria-labelledby="txd-h">
      <p>
        <Link to="/history">{t("pay.back_history")}</Link>
      </p>
      <h1 id="txd-h">{d ? t(kindKey(d)) : t("pay.detail_title")}</h1>
      {tx.isPending && <Loading />}
      <ErrorBanner error={tx.error} />
      {d && (
        <>
          <p className={`big amount ${d.direction}`}>
            <Bdi testId="detail-amount">
              {sign}
              {money(d.amount, d.currency)}
            </Bdi>{" "}
            <span className={`status status-${d.status}`} data-testid="detail-status">
              {t(`tx.status.${d.status}`)}
            </span>
          </p>
          <dl className="facts">
            <dt>{t("flows.reference")}</dt>
            <dd className="row wrap">
              <Bdi ltr className="mono" testId="detail-reference">
                {d.reference}
              </Bdi>
              <CopyButton value={d.reference} label={t("pay.copy_reference")} />
            </dd>
            <dt>{t("pay.from")}</dt>
            <dd>
              <Party party={d.parties.sender} fallback={t("hist.type.topup")} testId="detail-sender" />
            </dd>
            <dt>{t("pay.to")}</dt>
            <dd>
              <Party party={d.parties.recipient} fallback={t("hist.type.withdrawal")} testId="detail-recipient" />
            </dd>
            {d.note && (
              <>
                <dt>{t("flows.note")}</dt>
                <dd>
                  <Bdi>{d.note}</Bdi>
                </dd>
              </>
            )}
            <dt>{t("flows.when")}</dt>
            <dd>{dateTime(d.created_at)}</dd>
            {d.fee !== "0.00" && (
              <>
                <dt>{t("pay.fee")}</dt>
                <dd>
                  <Bdi>{money(d.fee, d.currency)}</Bdi>
                </dd>
              </>
            )}
            <dt>{t("pay.balance_after")}</dt>
            <dd>
              <Bdi>{money(d.balance_after, d.currency)}</Bdi>
            </dd>
            {d.payment_request_id && (
              <>
                <dt>{t("pay.related")}</dt>
                <dd>
                  <Link to={`/requests?${new URLSearchParams({ request: d.payment_request_id })}`}>{t("tx.paid_request")}</Link>
                </dd>
              </>
            )}
            {d.payment_link_id && (
              <>
                <dt>{t("pay.related")}</dt>
                <dd>{t("pay.paid_link")}</dd>
              </>
            )}
            {(d.refund_of || d.reversal_of) && (
              <>
                <dt>{t("pay.related")}</dt>
                <dd>
                  <Link to={`/transactions/${encodeURIComponent((d.refund_of || d.reversal_of) as string)}`} data-testid="detail-original">
                    {t(d.refund_of ? "txd.refund_of" : "txd.reversal_of")}
                  </Link>
                </dd>
              </>
            )}
            {d.refunds && d.refunds.length > 0 && (
              <>
                <dt>{t("txd.refunds")}</dt>
                <dd>
                  <ul className="plain" data-testid="detail-refunds">
                    {d.refunds.map((r) => (
                      <li key={r.id}>
                        <Link to={`/transactions/${encodeURIComponent(r.id)}`}>{t(`txd.kind.${r.type}`)}</Link>{" "}
                        <Bdi>{money(r.amount, d.currency)}</Bdi>{" "}
                        <Bdi ltr className="mono muted">
                          {r.reference}
                        </Bdi>
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
            {d.dispute && (
              <>
                <dt>{t("txd.case")}</dt>
                <dd data-testid="detail-dispute">
                  <Link to="/disputes">
                    <Bdi ltr className="mono">
                      {d.dispute.reference}
                    </Bdi>
                  </Link>{" "}
                  <span className={`pill pill-${d.dispute.status}`}>{t(`disp.status.${d.dispute.status}`)}</span>
                </dd>
              </>
            )}
          </dl>
          <h2 className="h3">{t("pay.timeline")}</h2>
          <ol className="timeline" data-testid="timeline">
            {d.timeline.map((step) => (
              <li key={`${step.status}-${step.at}`}>
                <strong>{t(`tx.status.${step.status}`)}</strong> <span className="muted">{dateTime(step.at)}</span>
              </li>
            ))}
          </ol>
          <ReceiptActions
            transactionId={d.id}
            amount={d.amount}
            currency={d.currency}
            counterparty={other ? other.display_name || `@${other.handle}` : t(kindKey(d))}
            reference={d.reference}
            at={d.created_at}
            direction={d.direction === "in" ? "in" : "out"}
          />
          {refundable(d) && <RefundPanel detail={d} />}
          {disputable(d) && <ReportProblem detail={d} />}
          {d.type === "transfer" && other?.handle && <SaveFavourite handle={other.handle} />}
        </>
      )}
    </section>
  );
}

const kindKey = (d: Detail) => (d.refund_of ? "txd.kind.refund" : `hist.type.${d.type}`);

/** A transfer received (not a refund itself) with something left to give back. */
function refundable(d: Detail): boolean {
  return (
    d.type === "transfer" &&
    d.direction === "in" &&
    d.status === "completed" &&
    !d.refund_of &&
    Boolean(d.refundable_amount) &&
    d.refundable_amount !== "0.00"
  );
}

/** A transfer the caller sent (not a refund), with no case open about it. */
function disputable(d: Detail): boolean {
  return d.type === "transfer" && d.direction === "out" && d.status === "completed" && !d.refund_of && d.dispute?.status !== "open";
}

/** The recipient gives money back: amount (what is left, by default), optional note, PIN. */
function RefundPanel({ detail: d }: { detail: Detail }) {
  const { t, money } = useI18n();
  const qc = useQueryClient();
  const keys = useAttemptKeys();
  const left = d.refundable_amount as string;
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState(left);
  const [note, setNote] = useState("");
  const [pin, setPin] = useState("");
  const [touched, setTouched] = useState(false);
  const [done, setDone] = useState<Transfer | null>(null);
  const refund = useMutation({
    mutationFn: (v: { key: string; amount: string; note: string; pin: string }) =>
      paymentsApi.refund(d.id, v.key, { amount: v.amount, pin: v.pin, ...(v.note ? { note: v.note } : {}) }),
    onSuccess: (made) => {
      keys.settle(false);
      setDone(made);
      setOpen(false);
      setPin("");
      void qc.invalidateQueries({ queryKey: ["transactions"] });
      void qc.invalidateQueries({ queryKey: ["wallet"] });
    },
    onError: (err) => keys.settle(err instanceof ApiError && err.outcomeUnknown),
  });
  const value = normaliseAmount(amount);
  const amountError = validateAmount(value) ?? (subtractMoney(left, value).startsWith("-") ? "txd.refund_max" : null);
  const pinError = validatePin(pin);
  return (
    <section aria-labelledby="refund-h" className="stack">
      <h2 id="refund-h" className="h3">
        {t("txd.refund")}
      </h2>
      {done && (
        <p className="banner banner-ok" role="status" data-testid="refund-done">
          {t("txd.refunded", { amount: money(done.amount, done.currency) })}{" "}
          <Link to={`/transactions/${encodeURIComponent(done.id)}`}>
            <Bdi ltr className="mono" testId="refund-reference">
              {done.reference}
            </Bdi>
          </Link>
        </p>
      )}
      <ErrorBanner error={refund.error} />
      {!open ? (
        <p>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setAmount(left);
              setOpen(true);
            }}
          >
            {t("txd.refund")}
          </button>{" "}
          <span className="muted">{t("txd.refund_left", { amount: money(left, d.currency) })}</span>
        </p>
      ) : (
        <form
          noValidate
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (amountError || pinError) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
            if (refund.isPending) return;
            refund.mutate({ key: keys.keyFor({ amount: value, note: note.trim() }), amount: value, note: note.trim(), pin });
          }}
        >
          <Field
            label={t("common.amount")}
            name="refund-amount"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            error={touched && amountError ? t(amountError, { amount: money(left, d.currency) }) : null}
          />
          <Field label={t("txd.note_optional")} name="refund-note" value={note} maxLength={140} onChange={(e) => setNote(e.target.value)} />
          <PinField name="refund-pin" value={pin} onChange={setPin} error={pinError} touched={touched} />
          <div className="row wrap">
            <button type="submit" className="btn btn-primary" disabled={refund.isPending}>
              {t("txd.refund_confirm")}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setOpen(false)} disabled={refund.isPending}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** The sender reports a problem: a reason and an optional note; then the case's reference. */
function ReportProblem({ detail: d }: { detail: Detail }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<(typeof DISPUTE_REASONS)[number]>("wrong_recipient");
  const [note, setNote] = useState("");
  const [done, setDone] = useState<Dispute | null>(null);
  const report = useMutation({
    mutationFn: () => paymentsApi.openDispute(d.id, { reason, ...(note.trim() ? { note: note.trim() } : {}) }),
    onSuccess: (made) => {
      setDone(made);
      setOpen(false);
      void qc.invalidateQueries({ queryKey: ["disputes"] });
    },
  });
  if (done) {
    return (
      <p className="banner banner-ok" role="status" data-testid="dispute-done">
        {t("txd.reported")}{" "}
        <Bdi ltr className="mono" testId="dispute-reference">
          {done.reference}
        </Bdi>{" "}
        <span className={`pill pill-${done.status}`} data-testid="dispute-status">
          {t(`disp.status.${done.status}`)}
        </span>{" "}
        <Link to="/disputes">{t("nav.disputes")}</Link>
      </p>
    );
  }
  return (
    <section aria-labelledby="report-h" className="stack">
      <h2 id="report-h" className="h3">
        {t("txd.report")}
      </h2>
      <ErrorBanner error={report.error} />
      {!open ? (
        <p>
          <button type="button" className="btn" onClick={() => setOpen(true)}>
            {t("txd.report")}
          </button>
        </p>
      ) : (
        <form
          noValidate
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (!report.isPending) report.mutate();
          }}
        >
          <div className="field">
            <label htmlFor="report-reason">{t("txd.reason")}</label>
            <select id="report-reason" value={reason} onChange={(e) => setReason(e.target.value as typeof reason)}>
              {DISPUTE_REASONS.map((r) => (
                <option key={r} value={r}>
                  {t(`disp.reason.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <Field label={t("txd.note_optional")} name="report-note" value={note} maxLength={140} onChange={(e) => setNote(e.target.value)} />
          <div className="row wrap">
            <button type="submit" className="btn btn-primary" disabled={report.isPending}>
              {t("txd.report_send")}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setOpen(false)} disabled={report.isPending}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
