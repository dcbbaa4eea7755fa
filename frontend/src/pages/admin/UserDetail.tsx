import { useQuery } from "@tanstack/react-query";
import { Link, useLocation, useParams } from "react-router-dom";
import { adminApi, type AdminUser, type AdminWallet } from "../../api/admin";
import { ErrorBanner } from "../../components/ErrorBanner";
import { Loading } from "../../components/States";
import { useI18n } from "../../i18n/I18nProvider";
import { VerifiedBadge, WalletStatusBadge } from "./badges";
import { FreezePanel } from "./FreezePanel";
import { LimitsPanel } from "./LimitsPanel";

/** One user as operators see them: profile, verification, wallet, freeze or unfreeze, limits. */
export function UserDetail() {
  const { t } = useI18n();
  const { userId = "" } = useParams();
  // The search this page was opened from (Users passes it), so "back" shows the same results.
  const from = (useLocation().state as { search?: string } | null)?.search ?? "";
  const user = useQuery({ queryKey: ["admin", "user", userId], queryFn: () => adminApi.user(userId) });
  const wallet = useQuery({ queryKey: ["admin", "wallet", userId], queryFn: () => adminApi.wallet(userId) });
  return (
    <>
      <p>
        <Link to={`/admin/users${from}`}>{t("adm.user.back")}</Link>
      </p>
      <section className="card" aria-labelledby="adm-user-h">
        <h2 id="adm-user-h">{user.data ? <bdi>{user.data.full_name}</bdi> : t("adm.user.profile")}</h2>
        {user.isPending && <Loading />}
        <ErrorBanner error={user.error} />
        {user.data && <ProfileFacts user={user.data} />}
      </section>
      <section className="card" aria-labelledby="adm-wallet-h">
        <h2 id="adm-wallet-h">{t("adm.user.wallet")}</h2>
        {wallet.isPending && <Loading />}
        <ErrorBanner error={wallet.error} />
        {wallet.data && <WalletFacts wallet={wallet.data} />}
        {wallet.data && user.data && <FreezePanel user={user.data} wallet={wallet.data} />}
        {wallet.data && user.data && <LimitsPanel user={user.data} wallet={wallet.data} />}
      </section>
    </>
  );
}

function ProfileFacts({ user }: { user: AdminUser }) {
  const { t, dateTime } = useI18n();
  return (
    <dl className="facts" data-testid="admin-profile">
      <dt>{t("adm.user.handle")}</dt>
      <dd>
        <bdi dir="ltr">@{user.handle}</bdi>
      </dd>
      <dt>{t("adm.user.email")}</dt>
      <dd>
        <bdi dir="ltr">{user.email}</bdi> <VerifiedBadge ok={Boolean(user.email_verified)} label={t("adm.user.email")} />
      </dd>
      <dt>{t("adm.user.phone")}</dt>
      <dd>
        <bdi dir="ltr">{user.phone}</bdi> <VerifiedBadge ok={Boolean(user.phone_verified)} label={t("adm.user.phone")} />
      </dd>
      <dt>{t("adm.user.language")}</dt>
      <dd>{user.preferences.language === "ar" ? "العربية" : "English"}</dd>
      <dt>{t("adm.user.joined")}</dt>
      <dd>{dateTime(user.created_at)}</dd>
      <dt>{t("adm.user.id")}</dt>
      <dd className="mono" dir="ltr">
        {user.user_id}
      </dd>
    </dl>
  );
}

function WalletFacts({ wallet }: { wallet: AdminWallet }) {
  const { t, money, dateTime } = useI18n();
  return (
    <dl className="facts" data-testid="admin-wallet">
      <dt>{t("adm.wallet.status")}</dt>
      <dd>
        <WalletStatusBadge status={wallet.status} />
      </dd>
      <dt>{t("adm.wallet.balance")}</dt>
      <dd>
        <bdi>{money(wallet.balance, wallet.currency)}</bdi>
      </dd>
      <dt>{t("adm.wallet.available")}</dt>
      <dd>
        <bdi>{money(wallet.available_balance, wallet.currency)}</bdi>
      </dd>
      {wallet.frozen_reason && (
        <>
          <dt>{t("adm.wallet.reason")}</dt>
          <dd data-testid="admin-frozen-reason">
            <bdi>{wallet.frozen_reason}</bdi>
          </dd>
        </>
      )}
      {wallet.frozen_at && (
        <>
          <dt>{t("adm.wallet.frozen_since")}</dt>
          <dd>{dateTime(wallet.frozen_at)}</dd>
        </>
      )}
    </dl>
  );
}
