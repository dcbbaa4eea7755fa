import { useEffect, useState } from "react";
import { useI18n } from "../i18n/I18nProvider";

/**
 * Copies a value to the clipboard and says so ("Copied") in a polite live region. `label` names
 * what is copied for screen readers ("Copy handle"), the visible text stays short.
 */
export function CopyButton({ value, label, testId }: { value: string; label: string; testId?: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 4000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      // No clipboard permission (an insecure origin, an old browser): the value stays on screen to
      // be selected by hand, and the person is told.
      setState("failed");
    }
  }

  return (
    <span className="copy">
      <button type="button" className="btn btn-small" aria-label={label} onClick={() => void copy()} data-testid={testId}>
        {t("flows.copy")}
      </button>
      <span role="status" className="muted copy-state">
        {state === "copied" ? t("flows.copied") : state === "failed" ? t("flows.copy_failed") : ""}
      </span>
    </span>
  );
}
