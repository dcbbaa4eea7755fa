import { Link } from "react-router-dom";
import { useI18n } from "../i18n/I18nProvider";

/** From Send: the same recipient and amount, as a scheduled or recurring transfer instead. */
export function ScheduleLink({ to, amount }: { to: string; amount: string }) {
  const { t } = useI18n();
  const params = new URLSearchParams({ new: "1", to, ...(amount.trim() ? { amount: amount.trim() } : {}) });
  return (
    <p className="muted">
      <Link to={`/scheduled?${params.toString()}`} data-testid="schedule-instead">
        {t("sched.from_send")}
      </Link>
    </p>
  );
}
