import { useId } from "react";
import type { Wallet } from "../api/models";
import { useI18n } from "../i18n/I18nProvider";
import { subtractMoney } from "../lib/money";

/**
 * The wallet's money as a user needs it: what can be spent now (available) first and large; the
 * ledger balance and the money held for pending withdrawals only when they differ, so a pending
 * withdrawal never looks like money that vanished or money that is still spendable.
 */
export function BalanceSummary({ wallet }: { wallet: Wallet }) {
  const { t, money } = useI18n();
  const labelId = useId();
  // An older server without holds has no available_balance: then all of the balance is available.
  const available = wallet.available_balance ?? wallet.balance;
  const held = subtractMoney(wallet.balance, available);
  const holding = held !== "0.00";
  return (
    <div className="balance-summary">
      <p className="balance-label" id={labelId}>
        {t("dash.available")}
      </p>
      <p className="balance" data-testid="balance" aria-describedby={labelId}>
        <bdi>{money(available, wallet.currency)}</bdi>
      </p>
      {holding && (
        <dl className="balance-split" data-testid="balance-split">
          <div>
            <dt>{t("dash.total")}</dt>
            <dd data-testid="ledger-balance">
              <bdi>{money(wallet.balance, wallet.currency)}</bdi>
            </dd>
          </div>
          <div>
            <dt>{t("dash.held")}</dt>
            <dd data-testid="held-amount">
              <bdi>{money(held, wallet.currency)}</bdi>
            </dd>
          </div>
        </dl>
      )}
    </div>
  );
}
