import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api } from "../api/endpoints";
import { BalanceSummary } from "../components/BalanceSummary";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { LimitBar } from "../components/LimitBar";
import { Empty, Loading } from "../components/States";
import { TransactionRow } from "../components/TransactionRow";
import { useI18n } from "../i18n/I18nProvider";
import { normaliseAmount, validateAmount, validateRecipient } from "../lib/validation";
import { normaliseRecipient } from "../lib/phone";
import { useProfile, useWallet } from "./useProfile";
import { CopyButton } from "../components/CopyButton";
import { FrozenNotice } from "../components/FrozenNotice";
import { focusFirstInvalid } from "../lib/focus";

export function Dashboard() {
  const { t } = useI18n();
  const wallet = useWallet();
  const profile = useProfile();
  const frozen = wallet.data?.status === "frozen";
  const recent = useQuery({ queryKey: ["transactions", "recent"], queryFn: () => api.transactions({ limit: "5" }) });

  return (
    <div className="grid">
      <section className="card balance-card" aria-labelledby="bal-h">
        {profile.data && (
          // Who is signed in, and the handle others need to pay them (one tap to copy and share).
          <div className="identity" data-testid="identity">
            <span className="name">
              {t("flows.hello")}{" "}
              <bdi data-testid="my-name">{profile.data.full_name}</bdi>
            </span>
            <span className="muted">{t("flows.your_handle")}:</span>
            <bdi className="mono" data-testid="my-handle">
              @{profile.data.handle}
            </bdi>
            <CopyButton value={`@${profile.data.handle}`} label={t("flows.copy_handle")} testId="copy-handle" />
          </div>
        )}
        <h1 id="bal-h" className="h3">
          {t("dash.balance")}
        </h1>
        {wallet.isPending && <Loading />}
        <ErrorBanner error={wallet.error} />
        {wallet.data && (
          <>
            <BalanceSummary wallet={wallet.data} />
            <FrozenNotice />
            <div className="row wrap">
              {frozen ? (
                // Frozen: the actions stay in place (so the layout does not jump) but lead nowhere.
                <>
                  <span className="btn btn-primary" aria-disabled="true">
                    {t("nav.send")}
                  </span>
                  <span className="btn" aria-disabled="true">
                    {t("wallet.topup")}
                  </span>
                </>
              ) : (
                <>
                  <Link className="btn btn-primary" to="/send">
                    {t("nav.send")}
                  </Link>
                  <Link className="btn" to="/wallet">
                    {t("wallet.topup")}
                  </Link>
                </>
              )}
              <Link className="btn" to="/requests">
                {t("req.new")}
              </Link>
              <Link className="btn" to="/receive" data-testid="dash-receive">
                {t("pay.receive_nav")}
              </Link>
            </div>
          </>
        )}
      </section>
      <section className="card" aria-labelledby="lim-h">
        <h2 id="lim-h" className="h3">
          {t("dash.limits")}
        </h2>
        {wallet.data && (
          <>
            <LimitBar label={t("dash.daily")} limit={wallet.data.limits.daily} remaining={wallet.data.limits.daily_remaining} />
            <LimitBar label={t("dash.monthly")} limit={wallet.data.limits.monthly} remaining={wallet.data.limits.monthly_remaining} />
          </>
        )}
      </section>
      <QuickSend />
      <section className="card span-2" aria-labelledby="rec-h">
        <div className="row between">
          <h2 id="rec-h" className="h3">
            {t("dash.recent")}
          </h2>
          <Link to="/history">{t("dash.see_all")}</Link>
        </div>
        {recent.isPending && <Loading />}
        <ErrorBanner error={recent.error} />
        {recent.data && recent.data.items.length === 0 && <Empty />}
        <ul className="list">
          {recent.data?.items.map((tx) => <TransactionRow key={tx.id} tx={tx} />)}
        </ul>
      </section>
    </div>
  );
}

/** Starts a transfer with the recipient and amount filled in; the send screen does the rest. */
function QuickSend() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("");
  const [touched, setTouched] = useState(false);
  const errs = { to: validateRecipient(to), amount: validateAmount(normaliseAmount(amount)) };

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errs.to || errs.amount) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    navigate(`/send?${new URLSearchParams({ to: normaliseRecipient(to), amount: normaliseAmount(amount) })}`);
  }

  return (
    <section className="card" aria-labelledby="qs-h">
      <h2 id="qs-h" className="h3">
        {t("dash.quick_send")}
      </h2>
      <form onSubmit={submit} noValidate>
        <Field label={t("send.recipient")} dir="ltr" value={to} onChange={(e) => setTo(e.target.value)} error={touched && errs.to ? t(errs.to) : null} />
        <Field label={t("common.amount")} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} error={touched && errs.amount ? t(errs.amount) : null} />
        <button className="btn btn-primary" type="submit">
          {t("send.review")}
        </button>
      </form>
    </section>
  );
}
