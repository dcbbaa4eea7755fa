import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { paymentsApi, type PaymentLink } from "../api/payments";
import { Bdi } from "../components/Bdi";
import { ConfirmAction } from "../components/ConfirmAction";
import { CopyButton } from "../components/CopyButton";
import { ErrorBanner, fieldErrors } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { QrImage } from "../components/QrImage";
import { ShareButton } from "../components/ShareButton";
import { Empty, Loading } from "../components/States";
import { useI18n } from "../i18n/I18nProvider";
import { focusFirstInvalid } from "../lib/focus";
import { normaliseAmount, validateAmount } from "../lib/validation";

/** Expiry choices: a phone has no good date-time picker, and these are the lifetimes people use. */
const EXPIRIES = { none: 0, hour: 3600, day: 86_400, week: 7 * 86_400 } as const;
type Expiry = keyof typeof EXPIRIES;

/**
 * Getting paid: the person's own QR code and link (anyone can pay them any amount), and payment
 * links for one amount, a reference, an expiry or a single payment (a shop's dynamic code).
 */
export function Receive() {
  const { t } = useI18n();
  const code = useQuery({ queryKey: ["receive"], queryFn: paymentsApi.receive });
  return (
    <div className="grid">
      <section className="card narrow" aria-labelledby="recv-h">
        <h1 id="recv-h">{t("pay.receive_title")}</h1>
        <p className="muted">{t("pay.receive_hint")}</p>
        {code.isPending && <Loading />}
        <ErrorBanner error={code.error} />
        {code.data && (
          <div className="qr-box" data-testid="my-code">
            <QrImage svg={code.data.qr_svg} alt={t("pay.qr_alt", { handle: `@${code.data.handle}` })} />
            <Bdi ltr className="mono">
              @{code.data.handle}
            </Bdi>
            <LinkActions url={code.data.url} />
          </div>
        )}
      </section>
      <NewLink />
      <MyLinks />
    </div>
  );
}

function LinkActions({ url }: { url: string }) {
  const { t } = useI18n();
  return (
    <div className="row wrap link-actions">
      <Bdi ltr className="mono link-url" testId="link-url">
        {url}
      </Bdi>
      <CopyButton value={url} label={t("pay.copy_link")} />
      <ShareButton url={url} title={t("app.name")} />
    </div>
  );
}

function NewLink() {
  const { t, money } = useI18n();
  const qc = useQueryClient();
  const [amount, setAmount] = useState("");
  const [reference, setReference] = useState("");
  const [expiry, setExpiry] = useState<Expiry>("none");
  const [singleUse, setSingleUse] = useState(false);
  const [touched, setTouched] = useState(false);
  const create = useMutation({
    mutationFn: paymentsApi.createLink,
    onSuccess: () => {
      setAmount("");
      setReference("");
      setExpiry("none");
      setSingleUse(false);
      setTouched(false);
      void qc.invalidateQueries({ queryKey: ["payment-links"] });
    },
  });
  const value = normaliseAmount(amount);
  const amountError = value ? validateAmount(value) : null;
  const server = fieldErrors(create.error);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (amountError) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    const seconds = EXPIRIES[expiry];
    create.mutate({
      amount: value || undefined,
      reference: reference.trim() || undefined,
      expires_at: seconds ? new Date(Date.now() + seconds * 1000).toISOString() : undefined,
      single_use: singleUse,
    });
  }

  const made = create.data;
  return (
    <section className="card narrow" aria-labelledby="newlink-h">
      <h2 id="newlink-h" className="h3">
        {t("pay.new_link")}
      </h2>
      {made && (
        <div role="status" className="banner banner-ok qr-box" data-testid="new-link">
          <p>
            {t("pay.link_ready")} {made.amount && <Bdi>{money(made.amount)}</Bdi>}
          </p>
          <QrImage svg={made.qr_svg} alt={t("pay.link_qr_alt")} />
          <LinkActions url={made.url} />
        </div>
      )}
      <form onSubmit={submit} noValidate>
        <ErrorBanner error={create.error} />
        <Field
          label={t("pay.amount_optional")}
          name="amount"
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          hint={t("pay.amount_hint")}
          error={touched && amountError ? t(amountError) : (server.amount ?? null)}
        />
        <Field
          label={t("pay.reference_optional")}
          name="reference"
          maxLength={64}
          value={reference}
          onChange={(e) => setReference(e.target.value)}
          error={server.reference ?? null}
        />
        <div className="field">
          <label htmlFor="link-expiry">{t("pay.expiry")}</label>
          <select id="link-expiry" value={expiry} onChange={(e) => setExpiry(e.target.value as Expiry)}>
            {(Object.keys(EXPIRIES) as Expiry[]).map((k) => (
              <option key={k} value={k}>
                {t(`pay.expiry.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <label className="inline">
          <input type="checkbox" checked={singleUse} onChange={(e) => setSingleUse(e.target.checked)} /> {t("pay.single_use")}
        </label>
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {create.isPending ? t("common.loading") : t("pay.create_link")}
        </button>
      </form>
    </section>
  );
}

function MyLinks() {
  const { t, money, dateTime } = useI18n();
  const qc = useQueryClient();
  const links = useQuery({ queryKey: ["payment-links"], queryFn: paymentsApi.links });
  const cancel = useMutation({
    mutationFn: (link: PaymentLink) => paymentsApi.cancelLink(link.id),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ["payment-links"] }),
  });
  return (
    <section className="card narrow" aria-labelledby="links-h">
      <h2 id="links-h" className="h3">
        {t("pay.my_links")}
      </h2>
      {links.isPending && <Loading />}
      <ErrorBanner error={links.error ?? cancel.error} />
      {links.data && links.data.items.length === 0 && <Empty text={t("pay.no_links")} />}
      <ul className="list" data-testid="my-links">
        {links.data?.items.map((link) => (
          <li key={link.id} className="tx" data-status={link.status}>
            <div className="tx-main">
              <strong>{link.amount ? <Bdi>{money(link.amount)}</Bdi> : t("pay.any_amount")}</strong>
              <small className="muted">
                {link.reference && (
                  <>
                    <Bdi>{link.reference}</Bdi>
                    {" · "}
                  </>
                )}
                {link.single_use ? t("pay.once") : t("pay.reusable")}
                {link.expires_at && ` · ${t("pay.expires", { when: dateTime(link.expires_at) })}`}
              </small>
            </div>
            <div className="tx-end">
              <span className={`status status-link-${link.status}`} data-testid="link-status">
                {t(`pay.status.${link.status}`)}
              </span>
              {link.status === "active" && (
                <>
                  <CopyButton value={link.url} label={t("pay.copy_link")} />
                  <ConfirmAction
                    label={t("pay.delete")}
                    question={t("pay.delete_q")}
                    confirm={t("pay.delete_yes")}
                    cancel={t("common.cancel")}
                    onConfirm={() => cancel.mutate(link)}
                    disabled={cancel.isPending}
                  />
                </>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
