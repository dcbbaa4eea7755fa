import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useId, useState, type FormEvent } from "react";
import { api } from "../api/endpoints";
import { ApiError } from "../api/http";
import { API_CLIENT_SCOPES, MONEY_SCOPES, type ApiClientScope, type CreatedApiClient } from "../api/models";
import { ConfirmAction } from "../components/ConfirmAction";
import { CopyButton } from "../components/CopyButton";
import { ErrorBanner, SuccessBanner, type ErrorMessages } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { PinField } from "../components/PinField";
import { Empty, Loading } from "../components/States";
import { useI18n } from "../i18n/I18nProvider";
import { describeUserAgent } from "../lib/userAgent";
import { Webhooks } from "./Webhooks";
import { validateNewPin, validatePassword, validatePin, validateRequired } from "../lib/validation";
import { focusFirstInvalid } from "../lib/focus";

// Creating a client: the password typed to confirm it was wrong (401 in v1.1's contract).
const WRONG_PASSWORD: ErrorMessages = { invalid_credentials: "sec.wrong_password", invalid_password: "sec.wrong_password" };

/**
 * The auth service answers a new password equal to the current one with its `weak_password` code
 * (the contract's) and a detail saying the password must differ: told apart here by that detail,
 * so the person hears what to do rather than "too weak".
 */
export function isPasswordReuse(err: unknown): boolean {
  return err instanceof ApiError && err.code === "weak_password" && /differ|same as|current/i.test(err.message);
}
const REUSED: ErrorMessages = { weak_password: "v.password_same" };

export function Security() {
  const { t } = useI18n();
  return (
    <div className="grid">
      <h1 className="span-2">{t("sec.title")}</h1>
      <Sessions />
      <ApiClients />
      <Webhooks />
      <ChangePassword />
      <ChangePin />
    </div>
  );
}

function Sessions() {
  const { t, dateTime } = useI18n();
  const qc = useQueryClient();
  const sessions = useQuery({ queryKey: ["sessions"], queryFn: api.sessions });
  const revoke = useMutation({ mutationFn: api.revokeSession, onSuccess: () => qc.invalidateQueries({ queryKey: ["sessions"] }) });
  return (
    <section className="card span-2" aria-labelledby="ses-h">
      <h2 id="ses-h" className="h3">
        {t("sec.sessions")}
      </h2>
      {sessions.isPending && <Loading />}
      <ErrorBanner error={sessions.error ?? revoke.error} />
      <ul className="list">
        {sessions.data?.items.map((s) => (
          <li key={s.id} className="tx">
            <div className="tx-main">
              <strong title={s.user_agent ?? undefined}>{describeUserAgent(s.user_agent)}</strong>
              <small className="muted">
                <bdi>{s.ip ?? ""}</bdi> · {t("sec.last_used")}: {dateTime(s.last_used_at ?? s.created_at)}
              </small>
            </div>
            {s.current ? (
              <span className="pill">{t("sec.this_device")}</span>
            ) : (
              <button type="button" className="btn" onClick={() => revoke.mutate(s.id)} disabled={revoke.isPending}>
                {t("sec.revoke")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ChangePassword() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [touched, setTouched] = useState(false);
  const change = useMutation({
    mutationFn: api.changePassword,
    onSuccess: () => {
      setCurrent("");
      setNext("");
      setTouched(false);
      void qc.invalidateQueries({ queryKey: ["sessions"] });
    },
  });
  const errs = {
    current: validateRequired(current),
    next: validatePassword(next) ?? (next && next === current ? "v.password_same" : null),
  };
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errs.current || errs.next) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (change.isPending) return;
    change.mutate({ current_password: current, new_password: next });
  }
  return (
    <section className="card" aria-labelledby="pw-h">
      <h2 id="pw-h" className="h3">
        {t("sec.password")}
      </h2>
      <form onSubmit={submit} noValidate>
        <ErrorBanner error={change.error} messages={isPasswordReuse(change.error) ? REUSED : undefined} />
        <SuccessBanner>{change.isSuccess ? t("sec.password_changed") : null}</SuccessBanner>
        <Field label={t("sec.current_password")} name="current_password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} error={touched && errs.current ? t(errs.current) : null} />
        <Field label={t("sec.new_password")} name="new_password" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} error={touched && errs.next ? t(errs.next) : null} hint={t("auth.password_hint")} />
        <button className="btn btn-primary" type="submit" disabled={change.isPending}>
          {t("sec.password")}
        </button>
      </form>
    </section>
  );
}

/** Also the way out of a PIN lock: a new PIN (with the password) starts with no failures. */
function ChangePin() {
  const { t } = useI18n();
  const [pin, setPin] = useState("");
  const [pin2, setPin2] = useState("");
  const [password, setPassword] = useState("");
  const [touched, setTouched] = useState(false);
  const change = useMutation({
    mutationFn: api.setPin,
    onSuccess: () => {
      setPin("");
      setPin2("");
      setPassword("");
      setTouched(false);
    },
  });
  const errs = { pin: validateNewPin(pin), pin2: pin2 !== pin ? "auth.pin_mismatch" : null, password: validateRequired(password) };
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errs.pin || errs.pin2 || errs.password) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (change.isPending) return;
    change.mutate({ pin, password });
  }
  return (
    <section className="card" aria-labelledby="pin-h">
      <h2 id="pin-h" className="h3">
        {t("sec.pin")}
      </h2>
      <form onSubmit={submit} noValidate>
        <ErrorBanner error={change.error} />
        <SuccessBanner>{change.isSuccess ? t("sec.pin_changed") : null}</SuccessBanner>
        <p className="muted">{t("sec.pin_intro")}</p>
        <PinField label={t("sec.new_pin")} name="new_pin" value={pin} onChange={setPin} error={errs.pin} touched={touched} hint={t("auth.pin_hint")} />
        <PinField label={t("auth.pin_confirm")} name="new_pin_confirm" value={pin2} onChange={setPin2} error={errs.pin2} touched={touched} />
        <Field label={t("auth.password")} name="pin_password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={touched && errs.password ? t(errs.password) : null} />
        <button className="btn btn-primary" type="submit" disabled={change.isPending}>
          {t("sec.pin")}
        </button>
      </form>
    </section>
  );
}

function ApiClients() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const clients = useQuery({ queryKey: ["clients"], queryFn: api.clients });
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiClientScope[]>(["wallet:read"]);
  const [password, setPassword] = useState("");
  const [pin, setPin] = useState("");
  const [created, setCreated] = useState<CreatedApiClient | null>(null);
  const [touched, setTouched] = useState(false);
  // A client holding a money scope moves money without a PIN: creating it costs the PIN once.
  const movesMoney = scopes.some((s) => MONEY_SCOPES.includes(s));
  const create = useMutation({
    mutationFn: api.createClient,
    onSuccess: (c) => {
      // The secret lives only in this component's state: it is gone once the user leaves.
      setCreated(c);
      setName("");
      setPassword("");
      setPin("");
      setTouched(false);
      void qc.invalidateQueries({ queryKey: ["clients"] });
    },
  });
  const remove = useMutation({ mutationFn: api.deleteClient, onSuccess: () => qc.invalidateQueries({ queryKey: ["clients"] }) });
  const nameErr = validateRequired(name);
  const scopeErr = scopes.length === 0 ? "v.required" : null;
  const passwordErr = validateRequired(password);
  const pinErr = movesMoney ? validatePin(pin) : null;
  const scopeErrId = useId();

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (nameErr || scopeErr || passwordErr || pinErr) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (create.isPending) return;
    create.mutate({ name: name.trim(), scopes, password, ...(movesMoney ? { pin } : {}) });
  }

  return (
    <section className="card span-2" aria-labelledby="cl-h">
      <h2 id="cl-h" className="h3">
        {t("sec.clients")}
      </h2>
      {created && (
        <div className="banner banner-ok secret" role="status">
          <p>{t("sec.secret_once")}</p>
          <dl className="facts">
            <dt>{t("sec.client_id")}</dt>
            <dd>
              <code>{created.client_id}</code>
            </dd>
            <dt>{t("sec.client_secret")}</dt>
            <dd>
              <code data-testid="client-secret">{created.client_secret}</code>{" "}
              <CopyButton value={created.client_secret} label={t("flows.copy_secret")} testId="copy-secret" />
            </dd>
          </dl>
          <button type="button" className="btn" onClick={() => setCreated(null)}>
            {t("common.done")}
          </button>
        </div>
      )}
      <form onSubmit={submit} noValidate>
        <ErrorBanner error={create.error ?? remove.error} messages={WRONG_PASSWORD} />
        <Field label={t("sec.client_name")} name="client_name" value={name} onChange={(e) => setName(e.target.value)} error={touched && nameErr ? t(nameErr) : null} />
        <fieldset className="field">
          <legend>{t("sec.scopes")}</legend>
          {API_CLIENT_SCOPES.map((s) => (
            <label key={s} className="inline">
              <input
                type="checkbox"
                aria-invalid={touched && scopeErr ? true : undefined}
                aria-describedby={touched && scopeErr ? scopeErrId : undefined}
                checked={scopes.includes(s)}
                onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
              />{" "}
              {/* Plain words for what the app may do; the scope's code for developers, secondary. */}
              <span>{t(`flows.scope.${s}`)}</span> <code className="muted scope-code">{s}</code>
            </label>
          ))}
          {touched && scopeErr && (
            <small id={scopeErrId} className="field-error">
              {t(scopeErr)}
            </small>
          )}
        </fieldset>
        <Field
          label={t("sec.client_password")}
          name="client_password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={touched && passwordErr ? t(passwordErr) : null}
          hint={t("sec.client_password_hint")}
        />
        {movesMoney && (
          <PinField name="client_pin" value={pin} onChange={setPin} error={pinErr} touched={touched} hint={t("sec.client_pin_hint")} />
        )}
        <button className="btn btn-primary" type="submit" disabled={create.isPending}>
          {t("sec.create_client")}
        </button>
      </form>
      {clients.isPending && <Loading />}
      {clients.data && clients.data.items.length === 0 && <Empty />}
      <ul className="list">
        {clients.data?.items.map((c) => (
          <li key={c.client_id} className="tx">
            <div className="tx-main">
              <strong>{c.name}</strong>
              <small className="muted">
                <code>{c.client_id}</code> ·{" "}
                {c.scopes.map((sc, i) => (
                  <Fragment key={sc}>
                    {i > 0 && ", "}
                    <span title={sc}>{t(`flows.scope.${sc}`)}</span>
                  </Fragment>
                ))}
              </small>
            </div>
            <ConfirmAction
              label={t("sec.delete")}
              question={t("flows.delete_q", { name: c.name })}
              confirm={t("flows.delete_yes")}
              cancel={t("flows.keep")}
              onConfirm={() => remove.mutate(c.client_id)}
              disabled={remove.isPending}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
