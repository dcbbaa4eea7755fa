import { Link, NavLink, Outlet } from "react-router-dom";
import { useI18n } from "../../i18n/I18nProvider";
import { useSession } from "../../session/SessionProvider";
import "./admin.css";

// The admin sections that exist (a section joins this list with its page, never as a link to nothing).
const SECTIONS = [
  ["/admin", "adm.nav.overview"],
  ["/admin/users", "adm.nav.users"],
  ["/admin/reconciliation", "adm.nav.reconciliation"],
  ["/admin/disputes", "webadmin.nav.disputes"],
  ["/admin/audit", "webui.adm.nav.audit"],
  ["/admin/approvals", "webui.adm.nav.approvals"],
] as const;

/**
 * The operators' console: a sub-navigation over its sections, for users with the admin role. The
 * role is read from the access token only to show or hide the screens; every admin endpoint
 * checks it on the server, so a user without it who comes here sees the refusal and nothing else.
 */
export function AdminLayout() {
  const { t } = useI18n();
  const { roles } = useSession();
  if (!roles.includes("admin")) return <NotAllowed />;
  return (
    <div className="admin">
      <h1>{t("admin.title")}</h1>
      <nav className="admin-nav" aria-label={t("adm.nav")}>
        {SECTIONS.map(([to, key]) => (
          <NavLink key={to} to={to} end={to === "/admin"}>
            {t(key)}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}

function NotAllowed() {
  const { t } = useI18n();
  return (
    <section className="card" data-testid="admin-forbidden">
      <h1>{t("adm.forbidden.title")}</h1>
      <p>{t("adm.forbidden.body")}</p>
      <Link className="btn" to="/">
        {t("adm.forbidden.home")}
      </Link>
    </section>
  );
}
