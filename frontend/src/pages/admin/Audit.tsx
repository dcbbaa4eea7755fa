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

/**
 * The audit log (role admin): who did what to whom, newest first, filtered by actor, subject,
 * action and a date range. The filters live in the URL, so a filtered view can be shared with
 * another operator and survives the back button.
 */
export function Audit() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const applied: AuditQuery = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ""]).filter(([, v]) => v));
  const [typed, setTyped] = useState<Record<Filter, string>>(() => Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ""])) as Record<Filter, string>);
  const badRange = Boolean(typed.from && typed.to && typed.from > typed.to);
  const log = useInfiniteQuery({
    queryKey: ["admin", "audit", applied],
    queryFn: ({ pageParam }) => adminAuditApi.audit({ ...applied, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];

  function submit(e: FormEvent) {
    e.preventDefault();
    if (badRange) return;
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
              maxLength={200}
              value={typed[f]}
              aria-invalid={f === "to" && badRange ? true : undefined}
              aria-describedby={f === "to" && badRange ? "audit-range-err" : undefined}
              onChange={(e) => setTyped({ ...typed, [f]: e.target.value })}
            />
          </div>
        ))}
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={badRange}>
            {t("webui.audit.apply")}
          </button>
          <button type="button" className="btn" onClick={clear}>
            {t("webui.audit.clear")}
          </button>
        </div>
      </form>
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
            <AuditRow key={r.id} entry={r} />
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
      </dl>
      {r.details && Object.keys(r.details).length > 0 && <DetailsList values={r.details} label={t("webui.audit.details")} />}
    </li>
  );
}
