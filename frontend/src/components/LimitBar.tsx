import { useI18n } from "../i18n/I18nProvider";

/** Used part of a limit, as a labelled meter. */
export function LimitBar({ label, limit, remaining }: { label: string; limit: string; remaining: string }) {
  const { t, money } = useI18n();
  const total = Number(limit);
  const used = Math.max(0, total - Number(remaining));
  const pct = total > 0 ? Math.min(100, (used / total) * 100) : 0;
  return (
    <div className="limit">
      <div className="row between">
        <span>{label}</span>
        <small>
          <bdi>{money(used)}</bdi> {t("dash.of")} <bdi>{money(limit)}</bdi>
        </small>
      </div>
      <div className="meter" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={used} aria-valuetext={`${money(used)} ${t("dash.of")} ${money(limit)}`}>
        <span style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
