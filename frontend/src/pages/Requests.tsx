import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { api } from "../api/endpoints";
import { ApiError } from "../api/http";
import type { PaymentRequest } from "../api/models";
import { ErrorBanner, SuccessBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { PinField } from "../components/PinField";
import { Empty, Loading } from "../components/States";
import { useI18n } from "../i18n/I18nProvider";
import { useAttemptKeys } from "../lib/useAttemptKeys";
import { normaliseAmount, validateAmount, validatePin, validateRecipient } from "../lib/validation";
import { focusFirstInvalid } from "../lib/focus";
import { normaliseRecipient } from "../lib/phone";

const ROLES = ["incoming", "outgoing"] as const;
type Role = (typeof ROLES)[number];

export function Requests() {
  const { t, dir } = useI18n();
  const [tab, setTab] = useState<Role>("incoming");
  const id = useId();
  const tabs = useRef<Partial<Record<Role, HTMLButtonElement | null>>>({});

  // The ARIA tabs pattern: one tab stop; the arrow keys (mirrored in RTL), Home and End move
  // between the tabs and select them.
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const i = ROLES.indexOf(tab);
    const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key as "ArrowRight" | "ArrowLeft"];
    let next: number | null = null;
    if (step) next = (i + (dir === "rtl" ? -step : step) + ROLES.length) % ROLES.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = ROLES.length - 1;
    if (next === null) return;
    e.preventDefault();
    setTab(ROLES[next]);
    tabs.current[ROLES[next]]?.focus();
  }

  return (
    <div className="grid">
      <NewRequest />
      <section className="card span-2" aria-labelledby="req-h">
        <h1 id="req-h" className="h3">
          {t("req.title")}
        </h1>
        <div role="tablist" className="tabs" aria-label={t("req.title")} onKeyDown={onKeyDown}>
          {ROLES.map((r) => (
            <button
              key={r}
              ref={(el) => {
                tabs.current[r] = el;
              }}
              id={`${id}-tab-${r}`}
              role="tab"
              type="button"
              aria-selected={tab === r}
              aria-controls={`${id}-panel`}
              tabIndex={tab === r ? 0 : -1}
              onClick={() => setTab(r)}
            >
              {t(`req.${r}`)}
            </button>
          ))}
        </div>
        <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${tab}`} tabIndex={0}>
          <RequestList role={tab} />
        </div>
      </section>
    </div>
  );
}

function NewRequest() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [payer, setPayer] = useState("");
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  const [touched, setTouched] = useState(false);
  const create = useMutation({
    mutationFn: api.createPaymentRequest,
    onSuccess: () => {
      setPayer("");
      setAmount("");
      setNote("");
      setTouched(false);
      void qc.invalidateQueries({ queryKey: ["payment-requests"] });
    },
  });
  const errs = { payer: validateRecipient(payer), amount: validateAmount(normaliseAmount(amount)) };

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errs.payer || errs.amount) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (create.isPending) return;
    create.mutate({ payer: normaliseRecipient(payer), amount: normaliseAmount(amount), note: note.trim() || undefined });
  }

  return (
    <section className="card" aria-labelledby="new-req-h">
      <h2 id="new-req-h" className="h3">
        {t("req.new")}
      </h2>
      <form onSubmit={submit} noValidate>
        <ErrorBanner error={create.error} />
        <SuccessBanner>{create.isSuccess ? t("req.created") : null}</SuccessBanner>
        <Field label={t("req.payer")} name="payer" dir="ltr" value={payer} onChange={(e) => setPayer(e.target.value)} error={touched && errs.payer ? t(errs.payer) : null} />
        <Field label={t("common.amount")} name="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} error={touched && errs.amount ? t(errs.amount) : null} />
        <Field label={t("common.note")} name="note" maxLength={140} value={note} onChange={(e) => setNote(e.target.value)} />
        <button className="btn btn-primary" type="submit" disabled={create.isPending}>
          {t("req.create")}
        </button>
      </form>
    </section>
  );
}

function partyName(p: PaymentRequest["payer"]): string {
  if (!p) return "";
  return p.display_name || `@${p.handle}`;
}

function RequestList({ role }: { role: Role }) {
  const list = useQuery({ queryKey: ["payment-requests", role], queryFn: () => api.paymentRequests({ role }) });
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorBanner error={list.error} />;
  if (list.data.items.length === 0) return <Empty />;
  return (
    <ul className="list">
      {list.data.items.map((r) => (
        <RequestItem key={r.id} req={r} role={role} />
      ))}
    </ul>
  );
}

function RequestItem({ req, role }: { req: PaymentRequest; role: Role }) {
  const { t, money, dateTime } = useI18n();
  const qc = useQueryClient();
  const [pin, setPin] = useState("");
  const [paying, setPaying] = useState(false);
  const [touched, setTouched] = useState(false);
  const keys = useAttemptKeys();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ["payment-requests"] });
    void qc.invalidateQueries({ queryKey: ["wallet"] });
    void qc.invalidateQueries({ queryKey: ["transactions"] });
  };
  const accept = useMutation({
    mutationFn: (v: { key: string; pin: string }) => api.acceptPaymentRequest(req.id, v.key, v.pin),
    onSuccess: () => {
      keys.settle(false);
      refresh();
    },
    onError: (err) => keys.settle(err instanceof ApiError && err.outcomeUnknown),
  });
  const decline = useMutation({ mutationFn: () => api.declinePaymentRequest(req.id), onSuccess: refresh });
  const cancel = useMutation({ mutationFn: () => api.cancelPaymentRequest(req.id), onSuccess: refresh });
  const busy = accept.isPending || decline.isPending || cancel.isPending;
  const pinError = validatePin(pin);
  const who = role === "incoming" ? t("req.from", { name: partyName(req.requester) }) : t("req.to", { name: partyName(req.payer) });

  return (
    <li className="req" data-testid="payment-request">
      <div className="row between wrap">
        <div className="tx-main">
          <strong>{who}</strong>
          <small className="muted">
            {req.created_at ? dateTime(req.created_at) : ""}
            {req.note ? ` · ${req.note}` : ""}
          </small>
        </div>
        <div className="tx-main end">
          <bdi className="amount">{money(req.amount, req.currency ?? "EGP")}</bdi>
          <span className={`pill pill-${req.status}`}>{t(`req.status.${req.status}`)}</span>
        </div>
      </div>
      <ErrorBanner error={accept.error ?? decline.error ?? cancel.error} />
      {req.status === "pending" && role === "incoming" && !paying && (
        <div className="row wrap">
          <button type="button" className="btn btn-primary" onClick={() => setPaying(true)} disabled={busy}>
            {t("req.accept")}
          </button>
          <button type="button" className="btn" onClick={() => decline.mutate()} disabled={busy}>
            {t("req.decline")}
          </button>
        </div>
      )}
      {req.status === "pending" && role === "incoming" && paying && (
        <form
          className="row wrap end-items"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (pinError) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
            setTouched(true);
            if (busy) return;
            accept.mutate({ pin, key: keys.keyFor({ id: req.id }) });
          }}
        >
          <PinField name="pin" value={pin} onChange={setPin} error={pinError} touched={touched} />
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t("req.accept")}
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => setPaying(false)} disabled={busy}>
            {t("common.cancel")}
          </button>
        </form>
      )}
      {req.status === "pending" && role === "outgoing" && (
        <button type="button" className="btn" onClick={() => cancel.mutate()} disabled={busy}>
          {t("req.cancel")}
        </button>
      )}
    </li>
  );
}
