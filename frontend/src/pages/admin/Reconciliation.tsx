import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../api/endpoints";
import type { Reconciliation as ReconciliationResult, ReconciliationItem } from "../../api/models";
import { ErrorBanner } from "../../components/ErrorBanner";
import { Loading } from "../../components/States";
import { useI18n } from "../../i18n/I18nProvider";
import { isoDate } from "../../lib/money";

/** Yesterday's UTC day: the last day whose settlement report is complete. */
function yesterday(): string {
  return isoDate(new Date(Date.now() - 24 * 3600 * 1000));
}

type ListKey = "missing_in_ledger" | "missing_at_provider" | "amount_mismatch";
const LISTS: ListKey[] = ["missing_in_ledger", "missing_at_provider", "amount_mismatch"];

/** The provider's settlement report of a day against the ledger (role admin). */
export function Reconciliation() {
  const { t, dateTime } = useI18n();
  const [day, setDay] = useState(yesterday);
  const result = useQuery({
    queryKey: ["admin", "reconciliation", day],
    queryFn: () => api.reconciliation(day),
    enabled: /^\d{4}-\d{2}-\d{2}$/.test(day),
  });
  const r = result.data;
  const discrepancies = r ? LISTS.reduce((n, k) => n + r[k].length, 0) : 0;

  return (
    <section className="card" aria-labelledby="recon-h">
      <h2 id="recon-h">{t("rec.title")}</h2>
      <div className="filters">
        <div className="field compact">
          <label htmlFor="rec-date">{t("rec.date")}</label>
          <input id="rec-date" type="date" value={day} max={isoDate(new Date())} onChange={(e) => setDay(e.target.value)} />
        </div>
      </div>
      {result.isPending && result.fetchStatus !== "idle" && <Loading />}
      <ErrorBanner error={result.error} />
      {r && (
        <>
          <dl className="stats" data-testid="reconciliation-summary">
            <div>
              <dt>{t("rec.matched")}</dt>
              <dd data-testid="rec-matched">{r.matched}</dd>
            </div>
            <div>
              <dt>{t("rec.ran_at")}</dt>
              <dd>{r.ran_at ? dateTime(r.ran_at) : t("rec.not_run")}</dd>
            </div>
          </dl>
          {discrepancies === 0 ? (
            <p className="banner banner-ok" role="status" data-testid="rec-clean">
              {t("rec.none")}
            </p>
          ) : (
            <>
              <p className="banner banner-error" role="status">
                {t("rec.count", { n: discrepancies })}
              </p>
              {LISTS.map((k) => (
                <DiscrepancyList key={k} kind={k} result={r} />
              ))}
            </>
          )}
        </>
      )}
    </section>
  );
}

function DiscrepancyList({ kind, result }: { kind: ListKey; result: ReconciliationResult }) {
  const { t } = useI18n();
  const items = result[kind];
  const headingId = `rec-${kind}`;
  return (
    <section aria-labelledby={headingId} data-testid={`rec-list-${kind}`}>
      <h3 id={headingId} className="h3">
        {t(`rec.${kind}`)} ({items.length})
      </h3>
      {items.length === 0 ? (
        <p className="empty">{t("rec.list_empty")}</p>
      ) : (
        <ul className="list rec-items">
          {items.map((item) => (
            <DiscrepancyRow key={`${item.kind}-${item.operation_id}`} item={item} mismatch={kind === "amount_mismatch"} />
          ))}
        </ul>
      )}
    </section>
  );
}

function DiscrepancyRow({ item, mismatch }: { item: ReconciliationItem; mismatch: boolean }) {
  const { t, money, dateTime } = useI18n();
  const kindKey = `rec.kind.${item.kind}`;
  const kindText = t(kindKey) === kindKey ? item.kind : t(kindKey);
  return (
    <li className="rec-item">
      <dl className="facts">
        <dt>{t("rec.operation")}</dt>
        <dd className="mono" dir="ltr">
          {item.operation_id}
        </dd>
        <dt>{t("rec.kind")}</dt>
        <dd>{kindText}</dd>
        <dt>{mismatch ? t("rec.provider_amount") : t("rec.amount")}</dt>
        <dd>
          <bdi>{money(item.amount)}</bdi>
        </dd>
        {mismatch && item.ledger_amount != null && (
          <>
            <dt>{t("rec.ledger_amount")}</dt>
            <dd>
              <bdi>{money(item.ledger_amount)}</bdi>
            </dd>
          </>
        )}
        {item.provider_id && (
          <>
            <dt>{t("rec.provider_id")}</dt>
            <dd className="mono" dir="ltr">
              {item.provider_id}
            </dd>
          </>
        )}
        {item.settled_at && (
          <>
            <dt>{t("rec.settled_at")}</dt>
            <dd>{dateTime(item.settled_at)}</dd>
          </>
        )}
        {item.completed_at && (
          <>
            <dt>{t("rec.completed_at")}</dt>
            <dd>{dateTime(item.completed_at)}</dd>
          </>
        )}
      </dl>
    </li>
  );
}
