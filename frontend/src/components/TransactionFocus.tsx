import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useSearchParams } from "react-router-dom";
import { api } from "../api/endpoints";
import { useI18n } from "../i18n/I18nProvider";
import { ErrorBanner } from "./ErrorBanner";
import { Loading } from "./States";

/** A party's name as shown: the masked display name, else the handle. */
function partyName(p: { handle?: string | null; display_name?: string | null }): string {
  return p.display_name || (p.handle ? `@${p.handle}` : "");
}

/**
 * The one transaction a tapped notification is about, shown above the History list
 * (/history?transfer=<id> or ?transaction=<id>): what moved, with whom, when. A transfer is read
 * by id (GET /transfers/{id}); a top-up or withdrawal is found among the latest rows.
 */
export function TransactionFocus() {
  const { t, money, dateTime } = useI18n();
  const [params, setParams] = useSearchParams();
  const transferId = params.get("transfer");
  const transactionId = params.get("transaction");
  const ref = useRef<HTMLElement>(null);
  const transfer = useQuery({ queryKey: ["transactions", "transfer", transferId], queryFn: () => api.getTransfer(transferId!), enabled: !!transferId });
  const rows = useQuery({ queryKey: ["transactions", "focus", transactionId], queryFn: () => api.transactions({ limit: "50" }), enabled: !!transactionId });
  const row = rows.data?.items.find((r) => r.id === transactionId);
  const ready = !!transfer.data || !!row;
  useEffect(() => {
    if (ready) ref.current?.focus();
  }, [ready]);
  if (!transferId && !transactionId) return null;

  function close() {
    setParams({}, { replace: true });
  }

  let body = null;
  if (transfer.data) {
    const tr = transfer.data;
    body = (
      <dl className="facts">
        <dt>{t("common.amount")}</dt>
        <dd>
          <bdi data-testid="focus-amount">{money(tr.amount, tr.currency)}</bdi>
        </dd>
        <dt>{t("flows.from")}</dt>
        <dd>
          <bdi>{partyName(tr.sender)}</bdi>
        </dd>
        <dt>{t("flows.to")}</dt>
        <dd>
          <bdi>{partyName(tr.recipient)}</bdi>
        </dd>
        {tr.note && (
          <>
            <dt>{t("flows.note")}</dt>
            <dd>
              <bdi>{tr.note}</bdi>
            </dd>
          </>
        )}
        <dt>{t("flows.when")}</dt>
        <dd>{dateTime(tr.created_at)}</dd>
      </dl>
    );
  } else if (row) {
    body = (
      <dl className="facts">
        <dt>{t("common.amount")}</dt>
        <dd>
          <bdi data-testid="focus-amount">{money(row.amount, row.currency)}</bdi>
        </dd>
        <dt>{t("flows.kind")}</dt>
        <dd>{t(`flows.kind.${row.type}`)}</dd>
        <dt>{t("flows.status")}</dt>
        <dd>{t(`flows.status.${row.status}`)}</dd>
        <dt>{t("flows.when")}</dt>
        <dd>{dateTime(row.created_at)}</dd>
      </dl>
    );
  }
  return (
    <section className="card focus-card" aria-labelledby="focus-h" tabIndex={-1} ref={ref} data-testid="transaction-focus">
      <div className="row between">
        <h2 id="focus-h" className="h3">
          {t("flows.focus_title")}
        </h2>
        <button type="button" className="link" onClick={close}>
          {t("flows.close")}
        </button>
      </div>
      {(transfer.isLoading || rows.isLoading) && <Loading />}
      <ErrorBanner error={transfer.error ?? rows.error} />
      {rows.data && !row && <p className="muted">{t("flows.focus_missing")}</p>}
      {body}
    </section>
  );
}
