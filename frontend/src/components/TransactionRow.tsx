import type { Transaction } from "../api/models";
import { useI18n } from "../i18n/I18nProvider";

export function TransactionRow({ tx }: { tx: Transaction }) {
  const { t, money, dateTime } = useI18n();
  const who = tx.counterparty ? tx.counterparty.display_name || `@${tx.counterparty.handle}` : t(`hist.type.${tx.type}`);
  const sign = tx.direction === "in" ? "+" : "−";
  return (
    <li className="tx">
      <div className="tx-main">
        <strong>{who}</strong>
        <small className="muted">
          {t(`hist.type.${tx.type}`)} · {dateTime(tx.created_at)}
          {tx.note ? ` · ${tx.note}` : ""}
        </small>
      </div>
      <div className={tx.direction === "in" ? "amount in" : "amount out"}>
        <bdi>
          {sign}
          {money(tx.amount, tx.currency)}
        </bdi>
      </div>
    </li>
  );
}
