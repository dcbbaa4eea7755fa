import { useEffect, useRef } from "react";
import { NavLink, Outlet, useLocation, useNavigate } from "react-router-dom";
import { useI18n } from "../i18n/I18nProvider";
import { useSession } from "../session/SessionProvider";
import { NotificationBell } from "./NotificationBell";
import { useProfileLanguage } from "../pages/useProfile";
import { useDocumentTitle } from "../lib/useDocumentTitle";

const LINKS = [
  ["/", "nav.dashboard"],
  ["/send", "nav.send"],
  ["/requests", "nav.requests"],
  ["/wallet", "nav.wallet"],
  ["/history", "nav.history"],
  ["/reports", "nav.reports"],
  ["/profile", "nav.profile"],
  ["/security", "nav.security"],
] as const;
// Shown to admins only (the server refuses everyone else anyway).
const ADMIN_LINK = ["/admin", "nav.admin"] as const;

export function Layout() {
  const { t } = useI18n();
  const { logout, roles } = useSession();
  const links = roles.includes("admin") ? [...LINKS, ADMIN_LINK] : LINKS;
  const navigate = useNavigate();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  useProfileLanguage();
  const current = links.find(([to]) => to === location.pathname);
  useDocumentTitle(current ? t(current[1]) : "", t("app.name"));

  // A client-side navigation does not move focus by itself: bring keyboard and screen-reader
  // users to the new screen's content, as a page load would.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [location.pathname]);
  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t("app.skip")}
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          {t("app.name")}
        </NavLink>
        <div className="row">
          <NotificationBell />
          <button
            type="button"
            className="btn btn-ghost"
            onClick={async () => {
              await logout();
              navigate("/login");
            }}
          >
            {t("nav.logout")}
          </button>
        </div>
      </header>
      <nav className="nav" aria-label={t("nav.menu")}>
        {links.map(([to, key]) => (
          <NavLink key={to} to={to} end={to === "/"}>
            {t(key)}
          </NavLink>
        ))}
      </nav>
      <main id="main" className="content" tabIndex={-1} ref={mainRef}>
        <Outlet />
      </main>
    </div>
  );
}
