import { useI18n } from "../i18n/I18nProvider";

/** The phone's own share sheet (Web Share API) where the browser has one; nothing otherwise (Copy stays). */
export function ShareButton({ url, title }: { url: string; title: string }) {
  const { t } = useI18n();
  if (typeof navigator === "undefined" || typeof navigator.share !== "function") return null;
  return (
    <button
      type="button"
      className="btn btn-small"
      onClick={() => {
        // Closing the share sheet rejects the promise: nothing to tell the person.
        navigator.share({ title, url }).catch(() => undefined);
      }}
    >
      {t("pay.share")}
    </button>
  );
}
