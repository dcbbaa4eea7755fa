import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { api } from "../api/endpoints";
import { WEBHOOK_EVENTS, webhooksApi, type WebhookDelivery, type WebhookEndpoint, type WebhookEndpointWithSecret, type WebhookEvent } from "../api/webhooks";
import { Bdi } from "../components/Bdi";
import { ConfirmAction } from "../components/ConfirmAction";
import { CopyButton } from "../components/CopyButton";
import { ErrorBanner, SuccessBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { Loading } from "../components/States";
import { useI18n } from "../i18n/I18nProvider";
import { focusFirstInvalid } from "../lib/focus";
import { validateRequired, type MessageKey } from "../lib/validation";
import "../webui.css";

const ENDPOINTS = ["webhook-endpoints"] as const;

/** An absolute http(s) URL; whether the server may call it (https, public) is the server's to say. */
function validateUrl(url: string): MessageKey | null {
  const required = validateRequired(url);
  if (required) return required;
  try {
    const u = new URL(url.trim());
    return u.protocol === "https:" || u.protocol === "http:" ? null : "webui.wh.url_invalid";
  } catch {
    return "webui.wh.url_invalid";
  }
}

/** A secret just made (new endpoint or rotation): shown once, here, and gone when dismissed. */
interface Revealed {
  endpoint: WebhookEndpointWithSecret;
  rotated: boolean;
}

/**
 * Webhooks on the Security page: the user's endpoints grouped by the API client they belong to
 * (endpoints made here are the account's own and receive all its events; an app adds its own with
 * its token), adding one, its signing secret shown once, enable/disable, rotating the secret (the
 * old one keeps signing for 24 h), deleting, and each endpoint's delivery log with Replay.
 */
export function Webhooks() {
  const { t } = useI18n();
  const endpoints = useQuery({ queryKey: ENDPOINTS, queryFn: webhooksApi.list });
  const clients = useQuery({ queryKey: ["clients"], queryFn: api.clients });
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const secretRef = useRef<HTMLDivElement>(null);

  function reveal(r: Revealed) {
    setRevealed(r);
    // After React has drawn it: the secret is what the person must act on now.
    setTimeout(() => secretRef.current?.focus(), 0);
  }

  const items = endpoints.data?.items ?? [];
  const names = new Map((clients.data?.items ?? []).map((c) => [c.client_id, c.name]));
  // The account's own endpoints first, then one group per API client.
  const groups = new Map<string | null, WebhookEndpoint[]>();
  for (const e of [...items].sort((a, b) => Number(a.client_id !== null) - Number(b.client_id !== null))) {
    groups.set(e.client_id, [...(groups.get(e.client_id) ?? []), e]);
  }

  return (
    <section className="card span-2 webhooks" aria-labelledby="wh-h">
      <h2 id="wh-h" className="h3">
        {t("webui.wh.title")}
      </h2>
      <p className="muted">{t("webui.wh.intro")}</p>
      {revealed && (
        <div ref={secretRef} tabIndex={-1} className="banner banner-ok secret" role="status" data-testid="webhook-secret-box">
          <p>{revealed.rotated ? t("webui.wh.rotated") : t("webui.wh.secret_once")}</p>
          {revealed.rotated && revealed.endpoint.previous_secret_expires_at && (
            <OldSecretUntil at={revealed.endpoint.previous_secret_expires_at} />
          )}
          <dl className="facts">
            <dt>{t("webui.wh.url")}</dt>
            <dd>
              <Bdi ltr className="mono">
                {revealed.endpoint.url}
              </Bdi>
            </dd>
            <dt>{t("webui.wh.secret")}</dt>
            <dd>
              <code data-testid="webhook-secret" dir="ltr">
                {revealed.endpoint.secret}
              </code>{" "}
              <CopyButton value={revealed.endpoint.secret} label={t("webui.wh.copy_secret")} testId="copy-webhook-secret" />
            </dd>
          </dl>
          <button type="button" className="btn" onClick={() => setRevealed(null)}>
            {t("common.done")}
          </button>
        </div>
      )}
      <AddEndpoint onCreated={(e) => reveal({ endpoint: e, rotated: false })} />
      {endpoints.isPending && <Loading />}
      <ErrorBanner error={endpoints.error} />
      {endpoints.isSuccess && items.length === 0 && <p className="empty">{t("webui.wh.none")}</p>}
      {[...groups].map(([clientId, list]) => (
        <section key={clientId ?? "own"} className="wh-group" aria-label={groupName(clientId)}>
          <h3 className="h3">{groupName(clientId)}</h3>
          <ul className="list" data-testid="webhook-endpoints">
            {list.map((e) => (
              <EndpointItem key={e.id} endpoint={e} onRotated={(r) => reveal({ endpoint: r, rotated: true })} />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );

  function groupName(clientId: string | null): string {
    if (clientId === null) return t("webui.wh.own");
    const name = names.get(clientId);
    return name ? t("webui.wh.client", { name }) : t("webui.wh.client_gone");
  }
}

function OldSecretUntil({ at }: { at: string }) {
  const { t, dateTime } = useI18n();
  return (
    <p>
      {t("webui.wh.old_until")} <Bdi>{dateTime(at)}</Bdi>
    </p>
  );
}

function AddEndpoint({ onCreated }: { onCreated: (e: WebhookEndpointWithSecret) => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<WebhookEvent[]>(["transfer.received"]);
  const [description, setDescription] = useState("");
  const [touched, setTouched] = useState(false);
  const eventsErrId = useId();
  const create = useMutation({
    mutationFn: webhooksApi.create,
    onSuccess: (e) => {
      setUrl("");
      setDescription("");
      setTouched(false);
      onCreated(e);
      void qc.invalidateQueries({ queryKey: ENDPOINTS });
    },
  });
  const urlErr = validateUrl(url);
  const eventsErr = events.length === 0 ? "webui.wh.events_required" : null;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (urlErr || eventsErr) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    if (create.isPending) return;
    // Keep the contract's order whatever order they were ticked in.
    const ordered = WEBHOOK_EVENTS.filter((ev) => events.includes(ev));
    create.mutate({ url: url.trim(), events: ordered, ...(description.trim() ? { description: description.trim() } : {}) });
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="wh-add-h" className="wh-add">
      <h3 id="wh-add-h" className="h3">
        {t("webui.wh.add")}
      </h3>
      <ErrorBanner error={create.error} />
      <Field
        label={t("webui.wh.url")}
        name="webhook_url"
        type="url"
        inputMode="url"
        dir="ltr"
        autoComplete="off"
        placeholder="https://example.com/hooks/instapay"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        error={touched && urlErr ? t(urlErr) : null}
        hint={t("webui.wh.url_hint")}
      />
      <fieldset className="field">
        <legend>{t("webui.wh.events")}</legend>
        {WEBHOOK_EVENTS.map((ev) => (
          <label key={ev} className="inline wh-event">
            <input
              type="checkbox"
              aria-invalid={touched && eventsErr ? true : undefined}
              aria-describedby={touched && eventsErr ? eventsErrId : undefined}
              checked={events.includes(ev)}
              onChange={(e) => setEvents(e.target.checked ? [...events, ev] : events.filter((x) => x !== ev))}
            />{" "}
            <span>{t(`webui.wh.event.${ev}`)}</span> <code className="muted scope-code">{ev}</code>
          </label>
        ))}
        {touched && eventsErr && (
          <small id={eventsErrId} className="field-error">
            {t(eventsErr)}
          </small>
        )}
      </fieldset>
      <Field label={t("webui.wh.description")} name="webhook_description" maxLength={200} value={description} onChange={(e) => setDescription(e.target.value)} />
      <button className="btn btn-primary" type="submit" disabled={create.isPending}>
        {t("webui.wh.add")}
      </button>
    </form>
  );
}

function EndpointItem({ endpoint: e, onRotated }: { endpoint: WebhookEndpoint; onRotated: (r: WebhookEndpointWithSecret) => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const logId = useId();
  const refresh = () => qc.invalidateQueries({ queryKey: ENDPOINTS });
  const toggle = useMutation({
    mutationFn: () => webhooksApi.update(e.id, { status: e.status === "enabled" ? "disabled" : "enabled" }),
    onSuccess: refresh,
  });
  const rotate = useMutation({
    mutationFn: () => webhooksApi.rotate(e.id),
    onSuccess: (r) => {
      onRotated(r);
      void refresh();
    },
  });
  const remove = useMutation({ mutationFn: () => webhooksApi.remove(e.id), onSuccess: refresh });
  const busy = toggle.isPending || rotate.isPending || remove.isPending;
  const enabled = e.status === "enabled";

  return (
    <li className="wh-endpoint" data-testid="webhook-endpoint">
      <div className="wh-head">
        <Bdi ltr className="mono wh-url">
          {e.url}
        </Bdi>
        <span className={`pill ${enabled ? "pill-ok" : "pill-warn"}`} data-testid="webhook-status">
          {t(enabled ? "webui.wh.status.enabled" : "webui.wh.status.disabled")}
        </span>
      </div>
      {e.description && (
        <p className="muted">
          <Bdi>{e.description}</Bdi>
        </p>
      )}
      {!enabled && e.disabled_reason && <p className="muted">{t(`webui.wh.reason.${e.disabled_reason}`)}</p>}
      <p className="muted wh-events">{e.events.map((ev) => t(`webui.wh.event.${ev}`)).join(" · ")}</p>
      <ErrorBanner error={toggle.error ?? rotate.error ?? remove.error} />
      <div className="actions">
        {/* An endpoint whose API client was deleted cannot be enabled again (the server says 422). */}
        {e.disabled_reason !== "client_revoked" && (
          <button type="button" className="btn" onClick={() => toggle.mutate()} disabled={busy}>
            {t(enabled ? "webui.wh.disable" : "webui.wh.enable")}
          </button>
        )}
        <button type="button" className="btn" aria-expanded={open} aria-controls={logId} onClick={() => setOpen(!open)}>
          {t("webui.wh.log")}
        </button>
      </div>
      <div className="actions">
        <ConfirmAction
          label={t("webui.wh.rotate")}
          question={t("webui.wh.rotate_q")}
          confirm={t("webui.wh.rotate_yes")}
          cancel={t("flows.keep")}
          onConfirm={() => rotate.mutate()}
          disabled={busy}
        />
        <ConfirmAction
          label={t("webui.wh.delete")}
          question={t("webui.wh.delete_q")}
          confirm={t("flows.delete_yes")}
          cancel={t("flows.keep")}
          onConfirm={() => remove.mutate()}
          disabled={busy}
        />
      </div>
      <div id={logId}>{open && <DeliveryLog endpointId={e.id} />}</div>
    </li>
  );
}

/** The endpoint's deliveries, newest first, each with every attempt; read again every 5 s while open. */
function DeliveryLog({ endpointId }: { endpointId: string }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const key = ["webhook-deliveries", endpointId];
  const log = useQuery({ queryKey: key, queryFn: () => webhooksApi.deliveries(endpointId), refetchInterval: 5000 });
  const [replayed, setReplayed] = useState<string | null>(null);
  const replay = useMutation({
    mutationFn: webhooksApi.replay,
    onSuccess: () => {
      setReplayed(t("webui.wh.replayed"));
      void qc.invalidateQueries({ queryKey: key });
    },
  });
  const items = log.data?.items ?? [];
  return (
    <section className="wh-log" aria-label={t("webui.wh.log")} data-testid="webhook-log">
      <h4 className="h3">{t("webui.wh.log")}</h4>
      {log.isPending && <Loading />}
      <ErrorBanner error={log.error ?? replay.error} />
      <SuccessBanner>{replayed}</SuccessBanner>
      {log.isSuccess && items.length === 0 && <p className="empty">{t("webui.wh.no_deliveries")}</p>}
      <ul className="list">
        {items.map((d) => (
          <DeliveryRow key={d.id} delivery={d} onReplay={() => replay.mutate(d.id)} busy={replay.isPending} />
        ))}
      </ul>
    </section>
  );
}

const OUTCOME_PILL: Record<WebhookDelivery["status"], string> = { pending: "pill-warn", succeeded: "pill-ok", failed: "pill-declined" };

function DeliveryRow({ delivery: d, onReplay, busy }: { delivery: WebhookDelivery; onReplay: () => void; busy: boolean }) {
  const { t, dateTime } = useI18n();
  const eventKey = `webui.wh.event.${d.event_type}`;
  return (
    <li className="wh-delivery" data-testid="webhook-delivery">
      <div className="wh-head">
        <span>
          {t(eventKey) === eventKey ? d.event_type : t(eventKey)} <code className="muted scope-code">{d.event_type}</code>
        </span>
        <span className={`pill ${OUTCOME_PILL[d.status]}`} data-testid="delivery-outcome">
          {t(`webui.wh.outcome.${d.status}`)}
        </span>
      </div>
      <ol className="wh-attempts">
        {d.attempts.map((a, i) => (
          <li key={i}>
            <dl className="facts">
              <dt>{t("webui.wh.attempt_at")}</dt>
              <dd>
                <Bdi>{dateTime(a.attempted_at)}</Bdi>
              </dd>
              <dt>{t("webui.wh.status_code")}</dt>
              <dd data-testid="attempt-status">{a.status_code === null ? t("webui.wh.no_answer") : <Bdi>{String(a.status_code)}</Bdi>}</dd>
              <dt>{t("webui.wh.latency")}</dt>
              <dd>
                <Bdi>{t("webui.wh.ms", { n: a.latency_ms })}</Bdi>
              </dd>
              {a.error && (
                <>
                  <dt>{t("webui.wh.error")}</dt>
                  <dd>
                    <Bdi ltr className="mono">
                      {a.error}
                    </Bdi>
                  </dd>
                </>
              )}
            </dl>
          </li>
        ))}
      </ol>
      {d.status === "pending" && d.next_attempt_at && (
        <p className="muted">
          {t("webui.wh.next_attempt")} <Bdi>{dateTime(d.next_attempt_at)}</Bdi>
        </p>
      )}
      <button type="button" className="btn" onClick={onReplay} disabled={busy}>
        {t("webui.wh.replay")}
      </button>
    </li>
  );
}
