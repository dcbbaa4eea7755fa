import { useI18n, type Lang } from "../i18n/I18nProvider";

const NAMES: Record<Lang, string> = { en: "English", ar: "العربية" };

/**
 * EN / AR before signing in. It sets the app's language preference (I18nProvider keeps it in
 * localStorage, so the next visit opens in it); `onSwitch` lets the log-in page save it to the
 * profile too, which is what the app follows once signed in. Each name is in its own language.
 */
export function LanguageSwitch({ onSwitch }: { onSwitch?: (lang: Lang) => void }) {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t("prof.language")}>
      {(Object.keys(NAMES) as Lang[]).map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          className={`btn${code === lang ? " btn-primary" : ""}`}
          aria-pressed={code === lang}
          onClick={() => {
            setLang(code);
            onSwitch?.(code);
          }}
        >
          {NAMES[code]}
        </button>
      ))}
    </div>
  );
}
