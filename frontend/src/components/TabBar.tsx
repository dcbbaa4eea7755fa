import { useEffect, useId, useRef, useState } from "react";
import { NavLink, useLocation } from "react-router-dom";
import type { MessageId } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";
import { BadgeDescription, NavBadge } from "./NavBadge";

export type NavEntry = readonly [to: string, label: MessageId];

// The four things done most on a phone, always one tap away; everything else is under More.
export const TAB_LINKS: readonly NavEntry[] = [
  ["/", "flows.home"],
  ["/send", "nav.send"],
  ["/requests", "nav.requests"],
  ["/history", "nav.history"],
];

const ICONS: Record<string, string> = {
  "/": "M3 11l9-8 9 8v10h-6v-6H9v6H3z",
  "/send": "M3 12l18-9-7 18-3-7z",
  "/requests": "M4 4h16v12H7l-3 3z",
  "/history": "M12 7v5l3 3M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5",
  more: "M5 12h.01M12 12h.01M19 12h.01",
};

function Icon({ d }: { d: string }) {
  return (
    <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d={d} />
    </svg>
  );
}

/**
 * The phone's navigation: a bar fixed at the bottom (thumb reach) with Home, Send, Requests,
 * History and More; More opens a sheet with the other destinations and signing out. Shown by CSS
 * below 720 px only, where the top menu is hidden (one navigation landmark at a time).
 */
export function TabBar({ more, pending, onLogout }: { more: readonly NavEntry[]; pending: number; onLogout: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const sheetId = useId();
  const badgeId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const sheetRef = useRef<HTMLUListElement>(null);
  const inMore = more.some(([to]) => to === location.pathname);

  useEffect(() => setOpen(false), [location.pathname]);
  useEffect(() => {
    if (!open) return;
    sheetRef.current?.querySelector<HTMLElement>("a, button")?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  return (
    <nav className="tabbar" aria-label={t("nav.menu")} data-testid="tabbar">
      {open && (
        <ul id={sheetId} className="more-sheet" ref={sheetRef}>
          {more.map(([to, key]) => (
            <li key={to}>
              {/* Closes on a tap even when already on that screen (the path does not change then). */}
              <NavLink to={to} onClick={() => setOpen(false)}>
                {t(key)}
              </NavLink>
            </li>
          ))}
          <li>
            <button type="button" className="more-logout" onClick={onLogout}>
              {t("nav.logout")}
            </button>
          </li>
        </ul>
      )}
      <ul className="tabs-row">
        {TAB_LINKS.map(([to, key]) => (
          <li key={to}>
            <NavLink to={to} end={to === "/"} aria-describedby={to === "/requests" && pending > 0 ? badgeId : undefined}>
              <Icon d={ICONS[to]} />
              <span className="tab-label">{t(key)}</span>
              {to === "/requests" && <NavBadge count={pending} />}
            </NavLink>
            {to === "/requests" && <BadgeDescription count={pending} id={badgeId} />}
          </li>
        ))}
        <li>
          <button
            ref={buttonRef}
            type="button"
            className={inMore ? "active" : undefined}
            aria-expanded={open}
            aria-controls={open ? sheetId : undefined}
            onClick={() => setOpen((o) => !o)}
          >
            <Icon d={ICONS.more} />
            <span className="tab-label">{t("flows.more")}</span>
          </button>
        </li>
      </ul>
    </nav>
  );
}
