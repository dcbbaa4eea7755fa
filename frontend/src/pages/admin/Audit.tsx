import { useInfiniteQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { adminAuditApi, type AuditEntry, type AuditQuery } from "../../api/adminAudit";
import { Bdi } from "../../components/Bdi";
import { ErrorBanner } from "../../components/ErrorBanner";
import { Loading } from "../../components/States";
import { useI18n } from "../../i18n/I18nProvider";
import { DetailsList } from "./DetailsList";

const FILTERS = ["actor", "subject", "action", "from", "to"] as const;
type Filter = (typeof FILTERS)[number];

// The server's limits on the text filters (instapay_common.audit.api.audit_filter): longer text
// or an action outside [a-z0-9_.] is a 422, so the form holds them to the same rules.
const MAX_LENGTH: Record<Filter, number | undefined> = { actor: 64, subject: 128, action: 64, from: undefined, to: undefined };
const ACTION = /^[a-z0-9_.]+$/;
const PAGE = 50;

/** Midnight at the start of a local calendar day (YYYY-MM-DD), as an RFC 3339 UTC timestamp. */
function localDayStart(day: string, plusDays = 0): string | undefined {
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m || !d) return undefined;
  return new Date(y, m - 1, d + plusDays).toISOString();
}

/**
 * The filters as the server takes them. The date fields are the operator's own calendar days,
 * so they are sent as the timestamps those days start and end at (the server reads a bare date
 * as a UTC day, which in Cairo is off by two or three hours): `from` the first day's start, `to`
 * the start of the day after the last one (a timestamp `to` is exclusive).
 */
export function auditQuery(filters: Partial<Record<Filter, string>>): AuditQuery {
  const q: AuditQuery = {};
  if (filters.actor) q.actor = filters.actor;
  if (filters.subject) q.subject = filters.subject;
  if (filters.action) q.action = filters.action;
  if (filters.from) q.from = localDayStart(filters.from);
  if (filters.to) q.to = localDayStart(filters.to, 1);
  return q;
}

/**
 * The audit log (role admin): who did what to whom, newest first, filtered by actor, subject,
 * action and a date range. The filters live in the URL, so a filtered view can be shared with
 * another operator and survives the back button.
 */
export function Audit() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const applied = auditQuery(Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ""])));
  const [typed, setTyped] = useState<Record<Filter, string>>(() => Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ""])) as Record<Filter, string>);
  const badRange = Boolean(typed.from && typed.to && typed.from > typed.to);
  const badAction = typed.action.trim() !== "" && !ACTION.test(typed.action.trim());
  const log = useInfiniteQuery({
    queryKey: ["admin", "audit", applied],
    queryFn: ({ pageParam }) => adminAuditApi.audit({ ...applied, limit: PAGE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];

  function submit(e: FormEvent) {
    e.preventDefault();
    if (badRange || badAction) return;
    setParams(Object.fromEntries(FILTERS.map((f) => [f, typed[f].trim()]).filter(([, v]) => v)));
  }
  function clear() {
    setTyped(Object.fromEntries(FILTERS.map((f) => [f, ""])) as Record<Filter, string>);
    setParams({});
  }

  return (
    <section className="card" aria-labelledby="adm-audit-h">
      <h2 id="adm-audit-h">{t("webui.audit.title")}</h2>
      <form role="search" className="filters audit-filters" onSubmit={submit} aria-label={t("webui.audit.filters")}>
        {FILTERS.map((f) => (
          <div key={f} className="field compact">
            <label htmlFor={`audit-${f}`}>{t(`webui.audit.${f}`)}</label>
            <input
              id={`audit-${f}`}
              type={f === "from" || f === "to" ? "date" : "text"}
              dir={f === "actor" || f === "subject" || f === "action" ? "ltr" : undefined}
              autoComplete="off"
              maxLength={MAX_LENGTH[f]}
              value={typed[f]}
              aria-invalid={(f === "to" && badRange) || (f === "action" && badAction) ? true : undefined}
              aria-describedby={f === "to" && badRange ? "audit-range-err" : f === "action" ? "audit-action-hint" : undefined}
              onChange={(e) => setTyped({ ...typed, [f]: e.target.value })}
            />
          </div>
        ))}
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={badRange || badAction}>
            {t("webui.audit.apply")}
          </button>
          <button type="button" className="btn" onClick={clear}>
            {t("webui.audit.clear")}
          </button>
        </div>
      </form>
      <p id="audit-action-hint" className={badAction ? "banner banner-error" : "muted"} role={badAction ? "alert" : undefined}>
        {t("webadmin.audit.action_hint")}
      </p>
      {badRange && (
        <p className="banner banner-error" role="alert" id="audit-range-err">
          {t("hist.range_invalid")}
        </p>
      )}
      {log.isPending && <Loading />}
      <ErrorBanner error={log.error} />
      {log.isSuccess && (
        <div role="status" className="muted">
          {rows.length === 0 ? t("webui.audit.none") : t("webui.audit.count", { n: rows.length })}
        </div>
      )}
      {rows.length > 0 && (
        <ul className="admin-results audit-rows" data-testid="audit-rows">
          {rows.map((r) => (
            // A row's id is its place in its own service's chain: unique with the service only.
            <AuditRow key={`${r.service}:${r.id}`} entry={r} />
          ))}
        </ul>
      )}
      {log.hasNextPage && (
        <button type="button" className="btn" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
          {t("common.load_more")}
        </button>
      )}
    </section>
  );
}

function AuditRow({ entry: r }: { entry: AuditEntry }) {
  const { t, dateTime } = useI18n();
  return (
    <li className="audit-row" data-testid="audit-row">
      <div className="wh-head">
        <code className="mono audit-action">{r.action}</code>
        <Bdi className="muted">{dateTime(r.at)}</Bdi>
      </div>
      <dl className="facts">
        <dt>{t("webui.audit.actor")}</dt>
        <dd>
          <Bdi ltr className="mono">
            {r.actor}
          </Bdi>
          {r.actor_role && <span className="tag tag-warn audit-role">{r.actor_role}</span>}
        </dd>
        {r.subject && (
          <>
            <dt>{t("webui.audit.subject")}</dt>
            <dd>
              <Bdi ltr className="mono">
                {r.subject}
              </Bdi>
            </dd>
          </>
        )}
        <dt>{t("webui.audit.service")}</dt>
        <dd>
          <Bdi ltr>{r.service}</Bdi>
        </dd>
        {r.ip && (
          <>
            <dt>{t("webadmin.audit.ip")}</dt>
            <dd>
              <Bdi ltr className="mono">
                {r.ip}
              </Bdi>
            </dd>
          </>
        )}
        {r.request_id && (
          <>
            <dt>{t("webadmin.audit.request_id")}</dt>
            <dd>
              <Bdi ltr className="mono">
                {r.request_id}
              </Bdi>
            </dd>
          </>
        )}
      </dl>
      {Object.keys(r.details).length > 0 && <DetailsList values={r.details} label={t("webui.audit.details")} />}
    </li>
  );
}
