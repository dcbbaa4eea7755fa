import { useI18n } from "../../i18n/I18nProvider";

/** "Phone: verified" / "Phone: not verified", in words (not colour alone). */
export function VerifiedBadge({ ok, label }: { ok: boolean; label: string }) {
  const { t } = useI18n();
  return <span className={`tag ${ok ? "tag-ok" : "tag-warn"}`}>{t(ok ? "adm.verified" : "adm.unverified", { what: label })}</span>;
}

/** A wallet's status in words. */
export function WalletStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const frozen = status === "frozen";
  return (
    <span className={`tag ${frozen ? "tag-err" : "tag-ok"}`} data-testid="admin-wallet-status">
      {t(frozen ? "adm.wallet.frozen" : "adm.wallet.active")}
    </span>
  );
}
