import { ApiError } from "../api/http";
import { useI18n } from "../i18n/I18nProvider";

/** The message for an API error: the contract's code when we know it, else the server's detail. */
export function useErrorMessage(): (err: unknown) => string {
  const { t } = useI18n();
  return (err: unknown) => {
    if (err instanceof ApiError) {
      const key = `err.${err.code}`;
      const known = t(key);
      if (known !== key) return known;
      if (err.status === 404) return t("err.not_found");
      return err.message || t("err.generic");
    }
    return t("err.generic");
  };
}

export function ErrorBanner({ error }: { error: unknown }) {
  const message = useErrorMessage();
  if (!error) return null;
  return (
    <div role="alert" className="banner banner-error" data-code={error instanceof ApiError ? error.code : undefined}>
      {message(error)}
    </div>
  );
}

export function SuccessBanner({ children }: { children: string | null | undefined }) {
  if (!children) return null;
  return (
    <div role="status" className="banner banner-ok">
      {children}
    </div>
  );
}

/** Field errors from a 422 problem, keyed by field name (the last path segment). */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError) {
    for (const e of err.errors) out[e.field.split(".").pop() ?? e.field] = e.message;
  }
  return out;
}
