import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { adminAuditApi, type AdminDispute, type Approval } from "../../api/adminAudit";
import { ApiError, getAccessToken } from "../../api/http";
import { Bdi } from "../../components/Bdi";
import { ConfirmAction } from "../../components/ConfirmAction";
import { ErrorBanner, SuccessBanner } from "../../components/ErrorBanner";
import { Loading } from "../../components/States";
import { useI18n } from "../../i18n/I18nProvider";
import { subjectOf } from "../../session/roles";
import { actionName, isWalletAction, WalletPayload, WalletResult, walletOf } from "./ApprovalWallet";
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

/** A dispute.resolve proposal's arguments, when its payload has them. */
export function disputeDecision(a: Approval): { outcome: "reverse" | "reject"; note: string } | null {
  if (a.action !== "dispute.resolve") return null;
  const { outcome, note } = a.payload;
  if (outcome !== "reverse" && outcome !== "reject") return null;
  return { outcome, note: typeof note === "string" ? note : "" };
}

/**
 * Two-person rule (role admin): actions that move or block money wait here until a second admin
 * approves or rejects them. The proposer's own proposals have no Approve or Reject button (the
 * server refuses a self-approval with 403 as well); an expired proposal says so and can only be
 * proposed again. A dispute decision reads as one (outcome, note, the case's reference) rather
 * than as its raw payload, and once approved shows what it did (its `result`). A wallet action
 * (freeze, unfreeze, limits) reads by its name, its reason and limits, and the wallet it left, as
 * the wallet panel shows a wallet (ApprovalWallet.tsx).
 */
export function Approvals() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const me = subjectOf(getAccessToken());
  const list = useQuery({ queryKey: ["admin", "approvals"], queryFn: adminAuditApi.approvals });
  const [done, setDone] = useState<string | null>(null);
  const decided = () => void qc.invalidateQueries({ queryKey: ["admin"] });
  const approve = useMutation({
    mutationFn: adminAuditApi.approve,
    onMutate: () => setDone(null),
    onSuccess: () => {
      setDone(t("webui.appr.approved"));
      decided();
    },
  });
  const reject = useMutation({
    mutationFn: adminAuditApi.reject,
    onMutate: () => setDone(null),
    onSuccess: () => {
      setDone(t("webadmin.appr.rejected"));
      decided();
    },
  });
  const now = Date.now();
  const items = sortApprovals(list.data?.items ?? [], now);
  const waiting = items.filter((a) => effectiveStatus(a, now) === "pending").length;
  // A dispute proposal names the case by id only: its reference comes from the cases list.
  const hasDisputes = items.some((a) => a.action === "dispute.resolve");
  const cases = useQuery({
    queryKey: ["admin", "disputes", "all"],
    queryFn: () => adminAuditApi.disputes({ limit: 100 }),
    enabled: hasDisputes,
  });
  const byId = useMemo(() => new Map((cases.data?.items ?? []).map((c) => [c.id, c])), [cases.data]);
  const error = approve.error ?? reject.error;

  return (
    <section className="card" aria-labelledby="adm-appr-h">
      <h2 id="adm-appr-h">{t("webui.appr.title")}</h2>
      <p className="muted">{t("webui.appr.intro")}</p>
      {list.isPending && <Loading />}
      <ErrorBanner error={list.error ?? error} />
      <ShortfallNote error={error} />
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
              key={a.approval_id}
              approval={a}
              dispute={byId.get(a.subject)}
              status={effectiveStatus(a, now)}
              mine={me !== null && a.proposed_by === me}
              busy={approve.isPending || reject.isPending}
              onApprove={() => approve.mutate(a.approval_id)}
              onReject={() => reject.mutate(a.approval_id)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

/** 409 reversal_insufficient_funds says how much the recipient still holds: show both amounts. */
function ShortfallNote({ error }: { error: unknown }) {
  const { t, money } = useI18n();
  if (!(error instanceof ApiError) || error.code !== "reversal_insufficient_funds") return null;
  const { reversal_amount: amount, available_balance: available } = error.problem;
  if (typeof amount !== "string" || typeof available !== "string") return null;
  return (
    <p className="muted" data-testid="approval-shortfall">
      {t("webadmin.appr.shortfall", { amount: money(amount), available: money(available) })}
    </p>
  );
}

interface ItemProps {
  approval: Approval;
  dispute: AdminDispute | undefined;
  status: string;
  mine: boolean;
  busy: boolean;
  onApprove: () => void;
  onReject: () => void;
}

const STATUS_TAG: Record<string, string> = { pending: "tag-warn", approved: "tag-ok", expired: "tag-err", rejected: "tag-err" };

function ApprovalItem({ approval: a, dispute, status, mine, busy, onApprove, onReject }: ItemProps) {
  const { t, dateTime } = useI18n();
  const statusKey = `webui.appr.status.${status}`;
  const decision = disputeDecision(a);
  const resolved = decision && a.result ? (a.result as Partial<AdminDispute>) : null;
  const reference = dispute?.reference ?? resolved?.reference;
  const what = decision ? t(`webadmin.appr.dispute_${decision.outcome}`) : actionName(t, a.action);
  return (
    <li className={`approval${status === "pending" ? " is-pending" : ""}`} data-testid="approval" data-status={status} data-action={a.action}>
      <div className="wh-head">
        {what !== a.action ? (
          <strong className="audit-action" data-testid="approval-action">
            {what}
          </strong>
        ) : (
          <code className="mono audit-action" data-testid="approval-action">
            {a.action}
          </code>
        )}
        <span className={`tag ${STATUS_TAG[status] ?? "tag-warn"}`} data-testid="approval-status">
          {t(statusKey) === statusKey ? status : t(statusKey)}
        </span>
      </div>
      <dl className="facts">
        {decision ? (
          <>
            <dt>{t("webadmin.disp.case")}</dt>
            <dd data-testid="approval-dispute">
              {reference ? (
                <Bdi ltr className="mono">
                  {reference}
                </Bdi>
              ) : (
                <Bdi ltr className="mono">
                  {a.subject}
                </Bdi>
              )}
            </dd>
            <dt>{t("webadmin.appr.outcome")}</dt>
            <dd data-testid="approval-outcome">{t(`webadmin.disp.outcome.${decision.outcome}`)}</dd>
            <dt>{t("webadmin.appr.note")}</dt>
            <dd data-testid="approval-note">
              <Bdi>{decision.note}</Bdi>
            </dd>
          </>
        ) : (
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
        <Decider label="webui.appr.approved_by" at="webui.appr.approved_at" by={a.approved_by} when={a.approved_at} />
        <Decider label="webadmin.appr.rejected_by" at="webadmin.appr.rejected_at" by={a.rejected_by} when={a.rejected_at} />
      </dl>
      {isWalletAction(a.action) ? (
        <WalletPayload approval={a} />
      ) : (
        !decision && Object.keys(a.payload).length > 0 && <DetailsList values={a.payload} label={t("webui.appr.payload")} />
      )}
      {a.result && <Result approval={a} resolved={resolved} />}
      {status === "pending" &&
        (mine ? (
          <p className="muted" data-testid="approval-own">
            {t("webui.appr.own")}
          </p>
        ) : (
          <div className="actions approval-actions">
            <ConfirmAction
              label={t("webui.appr.approve")}
              question={t("webui.appr.approve_q", { action: what })}
              confirm={t("webui.appr.approve_yes")}
              cancel={t("flows.keep")}
              onConfirm={onApprove}
              disabled={busy}
            />
            <ConfirmAction
              label={t("webadmin.appr.reject")}
              question={t("webadmin.appr.reject_q", { action: what })}
              confirm={t("webadmin.appr.reject_yes")}
              cancel={t("flows.keep")}
              onConfirm={onReject}
              disabled={busy}
            />
          </div>
        ))}
      {status === "expired" && <p className="muted">{t("webui.appr.expired_note")}</p>}
    </li>
  );
}

function Decider({ label, at, by, when }: { label: string; at: string; by: string | null; when: string | null }) {
  const { t, dateTime } = useI18n();
  return (
    <>
      {by && (
        <>
          <dt>{t(label)}</dt>
          <dd>
            <Bdi ltr className="mono">
              {by}
            </Bdi>
          </dd>
        </>
      )}
      {when && (
        <>
          <dt>{t(at)}</dt>
          <dd>
            <Bdi>{dateTime(when)}</Bdi>
          </dd>
        </>
      )}
    </>
  );
}

/** What carrying the action out did: a resolved case in words, a wallet as the wallet panel shows it, anything else as its fields. */
function Result({ approval: a, resolved }: { approval: Approval; resolved: Partial<AdminDispute> | null }) {
  const { t } = useI18n();
  if (resolved?.status) {
    return (
      <p data-testid="approval-result">
        <strong>{t("webadmin.appr.result")}: </strong>
        {t(`disp.status.${resolved.status}`)}
        {resolved.reversal_id && (
          <>
            {" · "}
            {t("webadmin.appr.reversal")}{" "}
            <Bdi ltr className="mono">
              {resolved.reversal_id}
            </Bdi>
          </>
        )}
      </p>
    );
  }
  const wallet = isWalletAction(a.action) ? walletOf(a.result) : null;
  if (wallet) return <WalletResult wallet={wallet} />;
  return a.result ? <DetailsList values={a.result} label={t("webadmin.appr.result")} /> : null;
}
