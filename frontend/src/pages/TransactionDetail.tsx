import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router-dom";
import { paymentsApi, type TransactionDetail as Detail } from "../api/payments";
import { Bdi } from "../components/Bdi";
import { CopyButton } from "../components/CopyButton";
import { ErrorBanner } from "../components/ErrorBanner";
import { SaveFavourite } from "../components/SaveFavourite";
import { Loading } from "../components/States";
import { useI18n } from "../i18n/I18nProvider";

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
      <h1 id="txd-h">{d ? t(`hist.type.${d.type}`) : t("pay.detail_title")}</h1>
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
          </dl>
          <h2 className="h3">{t("pay.timeline")}</h2>
          <ol className="timeline" data-testid="timeline">
            {d.timeline.map((step) => (
              <li key={`${step.status}-${step.at}`}>
                <strong>{t(`tx.status.${step.status}`)}</strong> <span className="muted">{dateTime(step.at)}</span>
              </li>
            ))}
          </ol>
          {d.type === "transfer" && other?.handle && <SaveFavourite handle={other.handle} />}
        </>
      )}
    </section>
  );
}
