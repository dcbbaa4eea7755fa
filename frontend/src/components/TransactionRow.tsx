import { Link } from "react-router-dom";
import type { Transaction } from "../api/models";
import { useI18n } from "../i18n/I18nProvider";
import { Bdi } from "./Bdi";

/** Statuses shown on the row: a completed transaction needs no label. */
const LABELLED = new Set(["pending", "failed", "reversed"]);

/**
 * What the row is about, as a person names it: the other person of a transfer (isolated, so
 * "Bassem Y." keeps its full stop at the end in Arabic), or where a top-up came from and a
 * withdrawal went ("Top-up from card ••1234"), never "Top-up · Top-up".
 */
function Who({ tx }: { tx: Transaction }) {
  const { t } = useI18n();
  if (tx.counterparty) {
    return tx.counterparty.display_name ? <Bdi>{tx.counterparty.display_name}</Bdi> : <Bdi ltr>@{tx.counterparty.handle}</Bdi>;
  }
  const source = tx.funding_source;
  if (tx.type !== "transfer" && source) {
    return (
      <>
        {t(`tx.source.${tx.type}.${source.type}`)}
        {source.last4 && (
          <>
            {" "}
            <Bdi ltr>••{source.last4}</Bdi>
          </>
        )}
      </>
    );
  }
  return <>{t(`hist.type.${tx.type}`)}</>;
}

export function TransactionRow({ tx }: { tx: Transaction }) {
  const { t, money, dateTime } = useI18n();
  const status = tx.status ?? "completed";
  // A failed or reversed amount did not move (or moved back): no +/−, struck through, so it is
  // never read as money in or out. A pending one keeps its sign but is dimmed until it settles.
  const moved = status !== "failed" && status !== "reversed";
  const sign = moved ? (tx.direction === "in" ? "+" : "−") : "";
  const amountClass = ["amount", tx.direction === "in" ? "in" : "out", status === "pending" ? "pending" : "", moved ? "" : "not-moved"]
    .filter(Boolean)
    .join(" ");
  // A transfer that paid a payment request says so; a funding row's kind is already in its title.
  const kind = tx.payment_request_id
    ? t("tx.paid_request")
    : tx.refund_of
      ? t("txd.kind.refund")
      : tx.type === "transfer" || !tx.funding_source
        ? t(`hist.type.${tx.type}`)
        : null;
  return (
    <li className={`tx tx-${status}`} data-status={status}>
      <div className="tx-main">
        <strong data-testid="tx-who">
          {/* The name opens the transaction's details (reference, parties, timeline). */}
          <Link to={`/transactions/${encodeURIComponent(tx.id)}`} className="tx-link">
            <Who tx={tx} />
          </Link>
        </strong>
        <small className="muted">
          {kind && `${kind} · `}
          {dateTime(tx.created_at)}
          {tx.note && (
            <>
              {" · "}
              <Bdi>{tx.note}</Bdi>
            </>
          )}
        </small>
      </div>
      <div className="tx-end">
        <div className={amountClass}>
          <Bdi testId="tx-amount">
            {sign}
            {money(tx.amount, tx.currency)}
          </Bdi>
        </div>
        {LABELLED.has(status) && (
          <span className={`status status-${status}`} data-testid="tx-status">
            {t(`tx.status.${status}`)}
          </span>
        )}
      </div>
    </li>
  );
}
