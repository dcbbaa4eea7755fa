import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { api } from "../api/endpoints";
import { ApiError } from "../api/http";
import type { LookupResult, PaymentRequest } from "../api/models";
import { ConfirmAction } from "../components/ConfirmAction";
import { ErrorBanner, SuccessBanner, type ErrorMessages } from "../components/ErrorBanner";
import { FrozenNotice, useFrozen } from "../components/FrozenNotice";
import { Field } from "../components/Field";
import { PinField } from "../components/PinField";
import { Empty, Loading } from "../components/States";
import { useI18n } from "../i18n/I18nProvider";
import { useAttemptKeys } from "../lib/useAttemptKeys";
import { normaliseAmount, validateAmount, validatePin, validateRecipient } from "../lib/validation";
import { focusFirstInvalid } from "../lib/focus";
import { normaliseRecipient } from "../lib/phone";
import { useProfile } from "./useProfile";

// A request to oneself is refused in words about requesting, not sending.
const REQUEST_ERRORS: ErrorMessages = { self_transfer: "flows.self_request" };

const ROLES = ["incoming", "outgoing"] as const;
type Role = (typeof ROLES)[number];

export function Requests() {
  const { t, dir } = useI18n();
  const [params] = useSearchParams();
  const [tab, setTab] = useState<Role>(params.get("tab") === "outgoing" ? "outgoing" : "incoming");
  // What the last payment did, said above the lists (the paid request itself moves to Finished).
  const [paid, setPaid] = useState<string | null>(null);
  const highlight = params.get("request");
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
        <FrozenNotice />
        <SuccessBanner>{paid}</SuccessBanner>
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
          <RequestList role={tab} highlight={highlight} onPaid={setPaid} />
        </div>
      </section>
    </div>
  );
}

function NewRequest() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const me = useProfile();
  const [payer, setPayer] = useState("");
  const [found, setFound] = useState<LookupResult | null>(null);
  const [self, setSelf] = useState(false);
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  const [touched, setTouched] = useState(false);
  const payerRef = useRef<HTMLInputElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  // The payer is looked up first: the person sees whom they are asking (the masked name) before
  // the request goes out, and a request to themselves is refused there.
  const lookup = useMutation({
    mutationFn: (q: string) => api.lookup(normaliseRecipient(q)),
    onSuccess: (r) => {
      if (me.data && r.user_id === me.data.user_id) return setSelf(true);
      setFound(r);
      setTouched(false);
    },
  });
  const create = useMutation({
    mutationFn: api.createPaymentRequest,
    onSuccess: () => {
      setPayer("");
      setFound(null);
      setAmount("");
      setNote("");
      setTouched(false);
      void qc.invalidateQueries({ queryKey: ["payment-requests"] });
    },
  });
  useEffect(() => {
    if (found) amountRef.current?.focus();
  }, [found]);
  const errs = { payer: validateRecipient(payer), amount: validateAmount(normaliseAmount(amount)) };

  function submitLookup(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSelf(false);
    create.reset();
    if (errs.payer) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    lookup.mutate(payer);
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errs.amount) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (create.isPending || !found) return;
    create.mutate({ payer: found.handle, amount: normaliseAmount(amount), note: note.trim() || undefined });
  }

  function change() {
    setFound(null);
    create.reset();
    lookup.reset();
    setTimeout(() => payerRef.current?.focus());
  }

  return (
    <section className="card" aria-labelledby="new-req-h">
      <h2 id="new-req-h" className="h3">
        {t("req.new")}
      </h2>
      <SuccessBanner>{create.isSuccess ? t("req.created") : null}</SuccessBanner>
      {!found ? (
        <form onSubmit={submitLookup} noValidate>
          {self ? (
            <div role="alert" className="banner banner-error" data-code="self_transfer">
              {t("flows.self_request")}
            </div>
          ) : (
            <ErrorBanner error={lookup.error} />
          )}
          <Field
            ref={payerRef}
            label={t("req.payer")}
            name="payer"
            dir="ltr"
            autoComplete="off"
            value={payer}
            onChange={(e) => {
              setPayer(e.target.value);
              setSelf(false);
              if (create.isSuccess) create.reset();
            }}
            error={touched && errs.payer ? t(errs.payer) : null}
          />
          <button className="btn btn-primary" type="submit" disabled={lookup.isPending}>
            {lookup.isPending ? t("common.loading") : t("flows.find_payer")}
          </button>
        </form>
      ) : (
        <form onSubmit={submit} noValidate>
          <div className="recipient" aria-live="polite">
            <span className="muted">{t("flows.request_to")}</span>
            <strong data-testid="payer-name">
              <bdi>{found.display_name}</bdi>
            </strong>
            <bdi className="muted">@{found.handle}</bdi>
            <button type="button" className="link" onClick={change} disabled={create.isPending}>
              {t("send.change")}
            </button>
          </div>
          <ErrorBanner error={create.error} messages={REQUEST_ERRORS} />
          <Field ref={amountRef} label={t("common.amount")} name="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} error={touched && errs.amount ? t(errs.amount) : null} />
          <Field label={t("common.note")} name="note" maxLength={140} value={note} onChange={(e) => setNote(e.target.value)} />
          <button className="btn btn-primary" type="submit" disabled={create.isPending}>
            {t("req.create")}
          </button>
        </form>
      )}
    </section>
  );
}

function partyName(p: PaymentRequest["payer"]): string {
  if (!p) return "";
  return p.display_name || `@${p.handle}`;
}

function RequestList({ role, highlight, onPaid }: { role: Role; highlight: string | null; onPaid: (msg: string) => void }) {
  const { t } = useI18n();
  const list = useQuery({ queryKey: ["payment-requests", role], queryFn: () => api.paymentRequests({ role }) });
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorBanner error={list.error} />;
  // What still needs someone to act, apart from what is settled (paid, declined, cancelled...).
  const waiting = list.data.items.filter((r) => r.status === "pending");
  const finished = list.data.items.filter((r) => r.status !== "pending");
  return (
    <>
      {(
        [
          ["pending", waiting],
          ["finished", finished],
        ] as const
      ).map(([kind, items]) => (
        <div key={kind} className="req-section" data-testid={`requests-${kind}`}>
          <h2>
            {t(`flows.${kind}`)} <span className="muted">({items.length})</span>
          </h2>
          {items.length === 0 ? (
            <Empty />
          ) : (
            <ul className="list">
              {items.map((r) => (
                <RequestItem key={r.id} req={r} role={role} highlighted={r.id === highlight} onPaid={onPaid} />
              ))}
            </ul>
          )}
        </div>
      ))}
    </>
  );
}

function RequestItem({ req, role, highlighted, onPaid }: { req: PaymentRequest; role: Role; highlighted: boolean; onPaid: (msg: string) => void }) {
  const { t, money, dateTime } = useI18n();
  const frozen = useFrozen();
  const itemRef = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (highlighted) itemRef.current?.scrollIntoView?.({ block: "center" });
  }, [highlighted]);
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
      onPaid(t("flows.paid", { amount: money(req.amount, req.currency ?? "EGP"), name: partyName(req.requester) }));
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
    <li ref={itemRef} className={`req${highlighted ? " highlight" : ""}`} data-testid="payment-request" aria-current={highlighted ? "true" : undefined}>
      <div className="row between wrap">
        <div className="tx-main">
          <strong>
            <bdi>{who}</bdi>
          </strong>
          <small className="muted">
            {req.created_at ? dateTime(req.created_at) : ""}
            {req.note ? (
              <>
                {" · "}
                <bdi>{req.note}</bdi>
              </>
            ) : null}
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
          <button type="button" className="btn btn-primary" onClick={() => setPaying(true)} disabled={busy || frozen}>
            {t("req.accept")}
          </button>
          <ConfirmAction
            label={t("req.decline")}
            question={t("flows.decline_q", { name: partyName(req.requester) })}
            confirm={t("flows.decline_yes")}
            cancel={t("flows.keep")}
            onConfirm={() => decline.mutate()}
            disabled={busy}
          />
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
          <button type="submit" className="btn btn-primary" disabled={busy || frozen}>
            {t("req.accept")}
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => setPaying(false)} disabled={busy}>
            {t("common.cancel")}
          </button>
        </form>
      )}
      {req.status === "pending" && role === "outgoing" && (
        <ConfirmAction
          label={t("req.cancel")}
          question={t("flows.cancel_q")}
          confirm={t("flows.cancel_yes")}
          cancel={t("flows.keep")}
          onConfirm={() => cancel.mutate()}
          disabled={busy}
        />
      )}
    </li>
  );
}
