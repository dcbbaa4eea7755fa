import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { adminAuditApi, type AdminDispute, type DisputeOutcome } from "../../api/adminAudit";
import { Bdi } from "../../components/Bdi";
import { ErrorBanner } from "../../components/ErrorBanner";
import { Empty, Loading } from "../../components/States";
import { useI18n } from "../../i18n/I18nProvider";

type Party = AdminDispute["sender"];

/** A party as the server masks it ("Ahmed M."), else its handle. */
function partyName(p: Party): string {
  return p.display_name || (p.handle ? `@${p.handle}` : "");
}

/**
 * The disputes queue (role admin): the open cases, newest first. Each one says what the sender
 * reported (reason, their note), about which transfer, between whom, for how much. Reverse and
 * Reject each need a note (the parties are told it) and only propose the decision: a second
 * admin carries it out on the Approvals page (two-person rule), so a case with a pending
 * proposal says it is waiting instead of offering the actions again.
 */
export function Disputes() {
  const { t } = useI18n();
  const queue = useInfiniteQuery({
    queryKey: ["admin", "disputes", "open"],
    queryFn: ({ pageParam }) => adminAuditApi.disputes({ status: "open", cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  // Which cases already have a decision waiting for a second admin.
  const approvals = useQuery({ queryKey: ["admin", "approvals"], queryFn: adminAuditApi.approvals });
  const waiting = new Set(
    (approvals.data?.items ?? [])
      .filter((a) => a.action === "dispute.resolve" && a.status === "pending" && Date.parse(a.expires_at) > Date.now())
      .map((a) => a.subject),
  );
  const cases = queue.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="card" aria-labelledby="adm-disp-h">
      <h2 id="adm-disp-h">{t("webadmin.disp.title")}</h2>
      <p className="muted">{t("webadmin.disp.intro")}</p>
      {queue.isPending && <Loading />}
      <ErrorBanner error={queue.error} />
      {queue.isSuccess && cases.length === 0 && <Empty text={t("webadmin.disp.none")} />}
      {cases.length > 0 && (
        <ul className="approvals-list" data-testid="admin-disputes">
          {cases.map((c) => (
            <DisputeCase key={c.id} dispute={c} waiting={waiting.has(c.id)} />
          ))}
        </ul>
      )}
      {queue.hasNextPage && (
        <button type="button" className="btn" disabled={queue.isFetchingNextPage} onClick={() => void queue.fetchNextPage()}>
          {t("common.load_more")}
        </button>
      )}
    </section>
  );
}

function PartyLink({ party }: { party: Party }) {
  return (
    <Link to={`/admin/users/${encodeURIComponent(party.user_id)}`}>
      <Bdi>{partyName(party)}</Bdi>
    </Link>
  );
}

function DisputeCase({ dispute: c, waiting }: { dispute: AdminDispute; waiting: boolean }) {
  const { t, money, dateTime } = useI18n();
  const [deciding, setDeciding] = useState<DisputeOutcome | null>(null);
  const [proposed, setProposed] = useState(false);
  const headingId = useId();
  return (
    <li className="approval dispute-case" data-testid="admin-dispute" aria-labelledby={headingId}>
      <div className="wh-head">
        <strong id={headingId}>
          <Bdi ltr className="mono" testId="admin-dispute-ref">
            {c.reference}
          </Bdi>
        </strong>
        <Bdi className="amount">{money(c.amount, c.currency)}</Bdi>
      </div>
      <dl className="facts">
        <dt>{t("webadmin.disp.reason")}</dt>
        <dd>{t(`disp.reason.${c.reason}`)}</dd>
        <dt>{t("webadmin.disp.parties")}</dt>
        <dd data-testid="admin-dispute-parties">
          {t("webadmin.disp.from")} <PartyLink party={c.sender} /> {t("webadmin.disp.to")} <PartyLink party={c.recipient} />
        </dd>
        <dt>{t("webadmin.disp.sender_note")}</dt>
        <dd data-testid="admin-dispute-note">{c.note ? <Bdi>{c.note}</Bdi> : <span className="muted">{t("webadmin.disp.no_note")}</span>}</dd>
        <dt>{t("webadmin.disp.transfer")}</dt>
        <dd>
          <Bdi ltr className="mono">
            {c.transaction_reference ?? c.transaction_id}
          </Bdi>{" "}
          {/* No admin view of a transaction exists: the case's own trail is in the audit log. */}
          <Link to={`/admin/audit?subject=${encodeURIComponent(c.id)}`}>{t("webadmin.disp.trail")}</Link>
        </dd>
        <dt>{t("webadmin.disp.opened")}</dt>
        <dd>
          <Bdi>{dateTime(c.created_at)}</Bdi>
        </dd>
      </dl>
      {waiting || proposed ? (
        <p className="banner banner-ok" role="status" data-testid="admin-dispute-waiting">
          {t("webadmin.disp.waiting")} <Link to="/admin/approvals">{t("webadmin.disp.to_approvals")}</Link>
        </p>
      ) : deciding ? (
        <Decide dispute={c} outcome={deciding} onCancel={() => setDeciding(null)} onProposed={() => setProposed(true)} />
      ) : (
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={() => setDeciding("reverse")}>
            {t("webadmin.disp.reverse")}
          </button>
          <button type="button" className="btn" onClick={() => setDeciding("reject")}>
            {t("webadmin.disp.reject")}
          </button>
        </div>
      )}
    </li>
  );
}

interface DecideProps {
  dispute: AdminDispute;
  outcome: DisputeOutcome;
  onCancel: () => void;
  onProposed: () => void;
}

/** The note (required: the parties are told it) and the proposal of one outcome. */
function Decide({ dispute: c, outcome, onCancel, onProposed }: DecideProps) {
  const { t, money } = useI18n();
  const qc = useQueryClient();
  const [note, setNote] = useState("");
  const [noteError, setNoteError] = useState<string | null>(null);
  const noteId = useId();
  const noteRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => noteRef.current?.focus(), []);
  const propose = useMutation({
    mutationFn: () => adminAuditApi.resolveDispute(c.id, { outcome, note: note.trim() }),
    onSuccess: () => {
      onProposed();
      void qc.invalidateQueries({ queryKey: ["admin", "approvals"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!note.trim()) {
      setNoteError(t("webadmin.disp.note_required"));
      noteRef.current?.focus();
      return;
    }
    setNoteError(null);
    propose.mutate();
  };
  const amount = `\u2068${money(c.amount, c.currency)}\u2069`;
  return (
    <form className="admin-confirm" onSubmit={submit} noValidate data-testid="admin-dispute-decide">
      <p>{t(`webadmin.disp.${outcome}_q`, { amount })}</p>
      <div className="field">
        <label htmlFor={noteId}>{t("webadmin.disp.note")}</label>
        <textarea
          id={noteId}
          ref={noteRef}
          value={note}
          maxLength={500}
          required
          aria-invalid={noteError ? true : undefined}
          aria-describedby={`${noteId}-hint${noteError ? ` ${noteId}-err` : ""}`}
          onChange={(e) => setNote(e.target.value)}
        />
        <span className="hint" id={`${noteId}-hint`}>
          {t("webadmin.disp.note_hint")}
        </span>
        {noteError && (
          <span className="field-error" id={`${noteId}-err`}>
            {noteError}
          </span>
        )}
      </div>
      <ErrorBanner error={propose.error} />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={propose.isPending}>
          {t(`webadmin.disp.propose_${outcome}`)}
        </button>
        <button type="button" className="btn" disabled={propose.isPending} onClick={onCancel}>
          {t("adm.cancel")}
        </button>
      </div>
    </form>
  );
}
