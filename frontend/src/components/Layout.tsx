import { useEffect, useId, useRef } from "react";
import { Link, NavLink, Outlet, useLocation, useNavigate } from "react-router-dom";
import { verified } from "../api/models";
import { useI18n } from "../i18n/I18nProvider";
import { useSession } from "../session/SessionProvider";
import { NotificationBell } from "./NotificationBell";
import { BadgeDescription, NavBadge } from "./NavBadge";
import { TabBar, TAB_LINKS } from "./TabBar";
import { TransactionFocus } from "./TransactionFocus";
import { usePendingIncoming } from "./usePendingRequests";
import { useProfile, useProfileLanguage } from "../pages/useProfile";
import { useDocumentTitle } from "../lib/useDocumentTitle";

const LINKS = [
  ["/", "nav.dashboard"],
  ["/send", "nav.send"],
  ["/requests", "nav.requests"],
  ["/scheduled", "sched.nav"],
  ["/receive", "pay.receive_nav"],
  ["/wallet", "nav.wallet"],
  ["/history", "nav.history"],
  ["/disputes", "nav.disputes"],
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
  // The phone's More sheet: every destination the tab bar does not show.
  const more = links.filter(([to]) => !TAB_LINKS.some(([tab]) => tab === to));
  const pending = usePendingIncoming();
  const badgeId = useId();
  const navigate = useNavigate();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const prompted = useRef(false);
  useProfileLanguage();
  const profile = useProfile();
  const current = links.find(([to]) => to === location.pathname);
  const onVerify = location.pathname === "/verify";
  useDocumentTitle(current ? t(current[1]) : onVerify ? t("verify.title") : "", t("app.name"));

  // Opening the app (after logging in, or a reload) on the dashboard with an unverified phone goes
  // to the code screen first: nothing on the dashboard works until then. Once per page load, so
  // the person can still come back here; the reminder above every screen stays.
  useEffect(() => {
    if (prompted.current || !profile.data) return;
    prompted.current = true;
    if (!verified(profile.data, "phone") && location.pathname === "/") navigate("/verify", { replace: true });
    // only when the profile first arrives
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [profile.data]);

  // A client-side navigation does not move focus by itself: bring keyboard and screen-reader
  // users to the new screen's content, as a page load would, unless the new screen already put
  // focus where it belongs (the code screen on its code field; this effect runs after the screen's).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    if (!mainRef.current?.contains(document.activeElement)) mainRef.current?.focus();
  }, [location.pathname]);
  async function signOut() {
    await logout();
    navigate("/login");
  }

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
          {/* On a phone, signing out is under More in the tab bar. */}
          <button type="button" className="btn btn-ghost desktop-only" onClick={() => void signOut()}>
            {t("nav.logout")}
          </button>
        </div>
      </header>
      <nav className="nav" aria-label={t("nav.menu")}>
        {links.map(([to, key]) => (
          <NavLink key={to} to={to} end={to === "/"} aria-describedby={to === "/requests" && pending > 0 ? badgeId : undefined}>
            {t(key)}
            {to === "/requests" && <NavBadge count={pending} />}
          </NavLink>
        ))}
        <BadgeDescription count={pending} id={badgeId} />
      </nav>
      <main id="main" className="content" tabIndex={-1} ref={mainRef}>
        {/* Until the phone is verified no money moves and nobody can pay this account. */}
        {profile.data && !verified(profile.data, "phone") && !onVerify && (
          <p className="banner banner-warn" data-testid="verify-reminder">
            {t("verify.reminder")} <Link to="/verify">{t("verify.now")}</Link>
          </p>
        )}
        {location.pathname === "/history" && <TransactionFocus />}
        <Outlet />
      </main>
      <TabBar more={more} pending={pending} onLogout={() => void signOut()} />
    </div>
  );
}
