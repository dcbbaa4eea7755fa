import { useI18n } from "../i18n/I18nProvider";

/**
 * The count of requests waiting, inside a nav link. Hidden from the accessibility tree, so the
 * link's name stays "Requests"; the count reaches screen readers as the link's description
 * (BadgeDescription, placed outside the link, referenced by aria-describedby).
 */
export function NavBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span className="nav-badge" aria-hidden="true" data-testid="requests-badge">
      {count > 99 ? "99+" : count}
    </span>
  );
}

export function BadgeDescription({ count, id }: { count: number; id: string }) {
  const { t } = useI18n();
  if (count <= 0) return null;
  return (
    <span id={id} className="sr-only">
      {t("flows.requests_waiting", { count })}
    </span>
  );
}
