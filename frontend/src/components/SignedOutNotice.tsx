import { useI18n } from "../i18n/I18nProvider";
import { useSession } from "../session/SessionProvider";

/**
 * Above the log-in page after the server ended the session (revoked from another device, password
 * changed): says why the person is here, instead of a silent jump to log-in.
 */
export function SignedOutNotice() {
  const { t } = useI18n();
  const { endedBy } = useSession();
  if (endedBy !== "revoked") return null;
  return (
    <aside className="signed-out-notice" aria-label={t("flows.notice")}>
      <p className="banner banner-warn" role="alert" data-testid="signed-out-notice">
        {t("flows.signed_out_revoked")}
      </p>
    </aside>
  );
}
