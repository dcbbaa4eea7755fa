import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { adminAuditApi, type Approval } from "../../api/adminAudit";
import { getAccessToken } from "../../api/http";
import { Bdi } from "../../components/Bdi";
import { ConfirmAction } from "../../components/ConfirmAction";
import { ErrorBanner, SuccessBanner } from "../../components/ErrorBanner";
import { Loading } from "../../components/States";
import { useI18n } from "../../i18n/I18nProvider";
import { subjectOf } from "../../session/roles";
import { DetailsList } from "./DetailsList";

/** A pending proposal past its expiry is expired, whether or not the server has marked it yet. */
export function effectiveStatus(a: Approval, now: number): string {
  return a.status === "pending" && Date.parse(a.expires_at) <= now ? "expired" : a.status;
}

/** Waiting ones first (the soonest to expire on top), then the rest, newest first. */
export function sortApprovals(items: Approval[], now: number): Approval[] {
  const waiting = (a: Approval) => effectiveStatus(a, now) === "pending";
  return [...items].sort((a, b) => {
    if (waiting(a) !== waiting(b)) return waiting(a) ? -1 : 1;
    if (waiting(a)) return Date.parse(a.expires_at) - Date.parse(b.expires_at);
    return Date.parse(b.proposed_at) - Date.parse(a.proposed_at);
  });
}

/**
 * Two-person rule (role admin): actions that move or block money wait here until a second admin
 * approves them. The proposer's own proposals have no Approve button (the server refuses a
 * self-approval with 403 as well); an expired proposal says so and can only be proposed again.
 */
export function Approvals() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const me = subjectOf(getAccessToken());
  const list = useQuery({ queryKey: ["admin", "approvals"], queryFn: adminAuditApi.approvals });
  const [done, setDone] = useState<string | null>(null);
  const approve = useMutation({
    mutationFn: adminAuditApi.approve,
    onMutate: () => setDone(null),
    onSuccess: () => {
      setDone(t("webui.appr.approved"));
      void qc.invalidateQueries({ queryKey: ["admin"] });
    },
  });
  const now = Date.now();
  const items = sortApprovals(list.data?.items ?? [], now);
  const waiting = items.filter((a) => effectiveStatus(a, now) === "pending").length;

  return (
    <section className="card" aria-labelledby="adm-appr-h">
      <h2 id="adm-appr-h">{t("webui.appr.title")}</h2>
      <p className="muted">{t("webui.appr.intro")}</p>
      {list.isPending && <Loading />}
      <ErrorBanner error={list.error ?? approve.error} />
      <SuccessBanner>{done}</SuccessBanner>
      {list.isSuccess && (
        <p className="muted" data-testid="approvals-count">
          {waiting === 0 ? t("webui.appr.none") : t("webui.appr.waiting", { n: waiting })}
        </p>
      )}
      {items.length > 0 && (
        <ul className="approvals-list" data-testid="approvals">
          {items.map((a) => (
            <ApprovalItem
              key={a.id}
              approval={a}
              status={effectiveStatus(a, now)}
              mine={me !== null && a.proposed_by === me}
              busy={approve.isPending}
              onApprove={() => approve.mutate(a.id)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

interface ItemProps {
  approval: Approval;
  status: string;
  mine: boolean;
  busy: boolean;
  onApprove: () => void;
}

const STATUS_TAG: Record<string, string> = { pending: "tag-warn", approved: "tag-ok", expired: "tag-err", rejected: "tag-err" };

function ApprovalItem({ approval: a, status, mine, busy, onApprove }: ItemProps) {
  const { t, dateTime } = useI18n();
  const statusKey = `webui.appr.status.${status}`;
  return (
    <li className={`approval${status === "pending" ? " is-pending" : ""}`} data-testid="approval" data-status={status}>
      <div className="wh-head">
        <code className="mono audit-action">{a.action}</code>
        <span className={`tag ${STATUS_TAG[status] ?? "tag-warn"}`} data-testid="approval-status">
          {t(statusKey) === statusKey ? status : t(statusKey)}
        </span>
      </div>
      <dl className="facts">
        {a.subject && (
          <>
            <dt>{t("webui.audit.subject")}</dt>
            <dd>
              <Bdi ltr className="mono">
                {a.subject}
              </Bdi>
            </dd>
          </>
        )}
        <dt>{t("webui.appr.proposed_by")}</dt>
        <dd>
          <Bdi ltr className="mono">
            {a.proposed_by}
          </Bdi>
          {mine && <span className="muted"> ({t("webui.appr.you")})</span>}
        </dd>
        <dt>{t("webui.appr.proposed_at")}</dt>
        <dd>
          <Bdi>{dateTime(a.proposed_at)}</Bdi>
        </dd>
        <dt>{t("webui.appr.expires_at")}</dt>
        <dd>
          <Bdi>{dateTime(a.expires_at)}</Bdi>
        </dd>
        {a.approved_by && (
          <>
            <dt>{t("webui.appr.approved_by")}</dt>
            <dd>
              <Bdi ltr className="mono">
                {a.approved_by}
              </Bdi>
            </dd>
          </>
        )}
        {a.approved_at && (
          <>
            <dt>{t("webui.appr.approved_at")}</dt>
            <dd>
              <Bdi>{dateTime(a.approved_at)}</Bdi>
            </dd>
          </>
        )}
      </dl>
      {a.payload && Object.keys(a.payload).length > 0 && <DetailsList values={a.payload} label={t("webui.appr.payload")} />}
      {status === "pending" &&
        (mine ? (
          <p className="muted" data-testid="approval-own">
            {t("webui.appr.own")}
          </p>
        ) : (
          <ConfirmAction
            label={t("webui.appr.approve")}
            question={t("webui.appr.approve_q", { action: a.action })}
            confirm={t("webui.appr.approve_yes")}
            cancel={t("flows.keep")}
            onConfirm={onApprove}
            disabled={busy}
          />
        ))}
      {status === "expired" && <p className="muted">{t("webui.appr.expired_note")}</p>}
    </li>
  );
}
