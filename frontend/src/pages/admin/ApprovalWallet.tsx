import type { LimitName } from "../../api/admin";
import type { Approval } from "../../api/adminAudit";
import { Bdi } from "../../components/Bdi";
import { useI18n } from "../../i18n/I18nProvider";
import { WalletStatusBadge } from "./badges";

// How the Approvals page reads a wallet action (freeze, unfreeze, a limit change): its name, what
// it asks for and the wallet it left, in words and formatted money as the wallet panel shows them,
// rather than as the stored JSON.

const WALLET_ACTIONS = new Set(["wallet.freeze", "wallet.unfreeze", "wallet.limits"]);
const LIMITS: LimitName[] = ["per_transaction", "daily", "monthly"];

export function isWalletAction(action: string): boolean {
  return WALLET_ACTIONS.has(action);
}

/** An action's name in the reader's language; one this page does not know yet, as written. */
export function actionName(t: (id: string) => string, action: string): string {
  return isWalletAction(action) ? t(`gaps.appr.action.${action}`) : action;
}

export interface WalletAfter {
  status: string;
  balance: string;
  available_balance: string;
  currency: string;
  limits: Partial<Record<LimitName, string>>;
}

/** The approval's `result` when it is a wallet (the server's `Wallet`), else null. */
export function walletOf(result: Record<string, unknown> | null): WalletAfter | null {
  if (!result) return null;
  const { status, balance, available_balance, currency, limits } = result;
  if (typeof status !== "string" || typeof balance !== "string" || typeof available_balance !== "string" || typeof currency !== "string") return null;
  const named = typeof limits === "object" && limits !== null ? (limits as Record<string, unknown>) : {};
  const kept = Object.fromEntries(LIMITS.filter((l) => typeof named[l] === "string").map((l) => [l, named[l] as string]));
  return { status, balance, available_balance, currency, limits: kept };
}

/** What a wallet proposal asks for: the reason, and for a limit change each limit named (null: the default again). */
export function WalletPayload({ approval: a }: { approval: Approval }) {
  const { t, money } = useI18n();
  const reason = typeof a.payload.reason === "string" ? a.payload.reason : null;
  const limits = LIMITS.filter((l) => l in a.payload);
  if (!reason && limits.length === 0) return null;
  return (
    <>
      <p className="muted details-label">{t("webui.appr.payload")}</p>
      <dl className="facts details-list" data-testid="approval-payload">
        {limits.map((l) => {
          const value = a.payload[l];
          return (
            <div key={l} className="details-pair">
              <dt>{t(`gaps.limit.${l}`)}</dt>
              <dd>
                <Bdi>{typeof value === "string" ? money(value) : t("gaps.limit.default")}</Bdi>
              </dd>
            </div>
          );
        })}
        {reason && (
          <div className="details-pair">
            <dt>{t("adm.wallet.reason")}</dt>
            <dd>
              <Bdi>{reason}</Bdi>
            </dd>
          </div>
        )}
      </dl>
    </>
  );
}

/** The wallet as the approval left it, like the wallet panel: status, balances, limits. */
export function WalletResult({ wallet }: { wallet: WalletAfter }) {
  const { t, money } = useI18n();
  const rows: [string, string][] = [
    ["adm.wallet.balance", money(wallet.balance, wallet.currency)],
    ["adm.wallet.available", money(wallet.available_balance, wallet.currency)],
  ];
  for (const l of LIMITS) {
    const limit = wallet.limits[l];
    if (limit) rows.push([`gaps.limit.${l}`, money(limit, wallet.currency)]);
  }
  return (
    <>
      <p className="muted details-label">{t("webadmin.appr.result")}</p>
      <dl className="facts details-list" data-testid="approval-wallet">
        <div className="details-pair">
          <dt>{t("adm.wallet.status")}</dt>
          <dd>
            <WalletStatusBadge status={wallet.status} />
          </dd>
        </div>
        {rows.map(([label, value]) => (
          <div key={label} className="details-pair">
            <dt>{t(label)}</dt>
            <dd>
              <Bdi>{value}</Bdi>
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}
