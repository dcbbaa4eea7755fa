import { useI18n } from "../i18n/I18nProvider";
import { SUPPORT_EMAIL } from "../lib/support";
import { useWallet } from "../pages/useProfile";

/** True while GET /wallet says the wallet is frozen: money cannot leave or arrive by the user's hand. */
export function useFrozen(): boolean {
  return useWallet().data?.status === "frozen";
}

/**
 * What a freeze means and whom to ask, shown wherever an action is disabled by it (the server
 * refuses with 423 `account_frozen` anyway; this says so before the person tries).
 */
export function FrozenNotice() {
  const { t } = useI18n();
  if (!useFrozen()) return null;
  return (
    <div className="banner banner-error" data-testid="frozen-notice">
      <strong>{t("flows.frozen_title")}</strong> {t("flows.frozen_body")}{" "}
      {t("flows.frozen_contact")}{" "}
      <a href={`mailto:${SUPPORT_EMAIL}`}>
        <bdi>{SUPPORT_EMAIL}</bdi>
      </a>
    </div>
  );
}
