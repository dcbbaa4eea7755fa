import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { useLocation, useNavigate } from "react-router-dom";
import { api } from "../api/endpoints";
import type { AppNotification } from "../api/models";
import { followStream } from "../api/sse";
import { useI18n } from "../i18n/I18nProvider";
import { notificationTarget } from "../lib/notificationTarget";
import { Empty } from "./States";

const UNREAD_KEY = ["notifications", "unread"];

/** A kind that reports money that did not move (`withdrawal.failed`, `topup.failed`...): marked. */
export function isFailure(type: string): boolean {
  return type.endsWith(".failed");
}

/** Bell with the unread count, kept live by the notification stream (SSE over fetch). */
export function NotificationBell() {
  const { t, dateTime } = useI18n();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const panelRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const navigate = useNavigate();
  const location = useLocation();
  const unread = useQuery({ queryKey: UNREAD_KEY, queryFn: () => api.notifications({ unread_only: true, limit: 100 }) });
  const recent = useQuery({ queryKey: ["notifications", "recent"], queryFn: () => api.notifications({ limit: 20 }), enabled: open });
  const readAll = useMutation({
    mutationFn: api.readAllNotifications,
    onSuccess: () => qc.invalidateQueries({ queryKey: ["notifications"] }),
  });
  const readOne = useMutation({
    mutationFn: api.readNotification,
    onSuccess: () => qc.invalidateQueries({ queryKey: ["notifications"] }),
  });

  useEffect(() => {
    const ctrl = new AbortController();
    void followStream(
      "/api/v1/notifications/stream",
      (e) => {
        if (e.event !== "message" && e.event !== "notification") return;
        // A notification means something happened to this user's money or account: refresh
        // everything that could show it, not only the bell.
        void qc.invalidateQueries({ queryKey: ["notifications"] });
        void qc.invalidateQueries({ queryKey: ["wallet"] });
        void qc.invalidateQueries({ queryKey: ["transactions"] });
        void qc.invalidateQueries({ queryKey: ["payment-requests"] });
      },
      ctrl.signal,
      // Catch up on anything that arrived while the stream was down.
      () => void qc.invalidateQueries({ queryKey: ["notifications"] }),
    );
    return () => ctrl.abort();
  }, [qc]);

  // A new screen (a tapped notification, a tab) closes the sheet.
  useEffect(() => setOpen(false), [location.pathname, location.search]);

  /** Tapping a notification marks it read and opens what it is about. */
  function openNotification(n: AppNotification) {
    if (!n.read_at) readOne.mutate(n.id);
    const target = notificationTarget(n);
    if (!target) return;
    setOpen(false);
    navigate(target);
  }

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      buttonRef.current?.focus(); // back where the keyboard user opened it, not lost on <body>
    };
    document.addEventListener("keydown", onKey);
    panelRef.current?.focus();
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  const count = unread.data?.items.length ?? 0;
  const label = `${t("notif.title")}: ${t("notif.unread", { count })}`;
  return (
    <div className="bell">
      <button
        ref={buttonRef}
        type="button"
        className="icon-btn"
        aria-label={label}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.73 21a2 2 0 0 1-3.46 0" />
        </svg>
        {count > 0 && (
          <span className="badge" data-testid="unread-count">
            {count > 99 ? "99+" : count}
          </span>
        )}
      </button>
      {open && (
        <div id={panelId} className="bell-panel card" data-testid="notification-sheet" role="dialog" aria-label={t("notif.title")} tabIndex={-1} ref={panelRef}>
          <div className="row between">
            <h2 className="h3">{t("notif.title")}</h2>
            <div className="row">
              <button type="button" className="link" onClick={() => readAll.mutate()} disabled={count === 0}>
                {t("notif.mark_all")}
              </button>
              <button
                type="button"
                className="link phone-only"
                onClick={() => {
                  setOpen(false);
                  buttonRef.current?.focus();
                }}
              >
                {t("flows.close")}
              </button>
            </div>
          </div>
          {recent.data && recent.data.items.length === 0 && <Empty text={t("notif.empty")} />}
          <ul className="list">
            {recent.data?.items.map((n) => (
              <li key={n.id} className={`notif${n.read_at ? "" : " unread"}${isFailure(n.type) ? " notif-failed" : ""}`} data-type={n.type}>
                <button type="button" className="notif-btn" onClick={() => openNotification(n)}>
                  {/* Each text in its own direction: an older English notice stays left to right in Arabic. */}
                  <strong dir="auto">{n.title}</strong>
                  <span dir="auto">{n.body}</span>
                  <small className="muted">{dateTime(n.created_at)}</small>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
