import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { api } from "../api/endpoints";
import { ApiError } from "../api/http";
import type { Transaction } from "../api/models";
import { BalanceSummary } from "../components/BalanceSummary";
import { ErrorBanner, SuccessBanner, type ErrorMessages } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { PinField } from "../components/PinField";
import type { MessageId } from "../i18n/en";
import { useI18n } from "../i18n/I18nProvider";
import { useAttemptKeys } from "../lib/useAttemptKeys";
import { normaliseAmount, validateAmount, validatePin, validateRequired } from "../lib/validation";
import { useWallet } from "./useProfile";
import { focusFirstInvalid } from "../lib/focus";
import { normaliseIban, validateIban } from "../lib/iban";
import { FrozenNotice, useFrozen } from "../components/FrozenNotice";

export function WalletPage() {
  const { t } = useI18n();
  const wallet = useWallet();
  return (
    <div className="grid">
      <section className="card span-2">
        <h1 className="h3">{t("nav.wallet")}</h1>
        {wallet.data && <BalanceSummary wallet={wallet.data} />}
        <FrozenNotice />
      </section>
      <TopUp />
      <Withdraw />
    </div>
  );
}

/** What the server's answer means for the user: done, waiting on the bank, or refused. */
const OUTCOME: Record<"topup" | "withdrawal", Record<string, MessageId>> = {
  topup: { completed: "wallet.topped_up", pending: "wallet.topup_pending", failed: "wallet.topup_failed" },
  withdrawal: { completed: "wallet.withdrawn", pending: "wallet.withdraw_pending", failed: "wallet.withdraw_failed" },
};

// A top-up limit is its own limit (not the transfer limits shown on the dashboard): say which.
const TOPUP_ERRORS: ErrorMessages = { limit_exceeded: "wallet.topup_limit" };

function Outcome({ kind, tx }: { kind: "topup" | "withdrawal"; tx: Transaction | undefined }) {
  const { t, money } = useI18n();
  const id = tx ? (OUTCOME[kind][tx.status] ?? OUTCOME[kind].completed) : null;
  const text = tx && id ? t(id, { amount: money(tx.amount, tx.currency) }) : null;
  return <SuccessBanner>{text}</SuccessBanner>;
}

function useMoneyMutation<V>(fn: (key: string, v: V) => Promise<Transaction>, keys: ReturnType<typeof useAttemptKeys>, onDone: () => void) {
  const qc = useQueryClient();
  const inFlight = useRef(false);
  const m = useMutation({
    mutationFn: (v: { key: string; body: V }) => fn(v.key, v.body),
    onSuccess: () => {
      keys.settle(false);
      // Empty the form: the same values submitted again by accident would be a second payment.
      onDone();
      void qc.invalidateQueries({ queryKey: ["wallet"] });
      void qc.invalidateQueries({ queryKey: ["transactions"] });
    },
    onError: (err) => keys.settle(err instanceof ApiError && err.outcomeUnknown),
    onSettled: () => {
      inFlight.current = false;
    },
  });
  return { m, inFlight };
}

function TopUp() {
  const { t } = useI18n();
  const keys = useAttemptKeys();
  const [amount, setAmount] = useState("");
  const [type, setType] = useState<"card" | "bank">("card");
  const [reference, setReference] = useState("");
  const [touched, setTouched] = useState(false);
  const { m, inFlight } = useMoneyMutation(api.topup, keys, () => {
    setAmount("");
    setReference("");
    setTouched(false);
  });
  const frozen = useFrozen();
  const amountValue = normaliseAmount(amount);
  const errs = { amount: validateAmount(amountValue), reference: validateRequired(reference) };
  // One status at a time: editing after a result, or trying again, clears the last one.
  const edit = (set: (v: string) => void) => (e: React.ChangeEvent<HTMLInputElement>) => {
    set(e.target.value);
    if (!m.isPending && (m.isSuccess || m.isError)) m.reset();
  };

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!m.isPending) m.reset();
    if (errs.amount || errs.reference) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (inFlight.current || frozen) return;
    inFlight.current = true;
    const body = { amount: amountValue, source: { type, reference: reference.trim() } };
    m.mutate({ key: keys.keyFor(body), body });
  }

  return (
    <section className="card" aria-labelledby="topup-h">
      <h2 id="topup-h" className="h3">
        {t("wallet.topup")}
      </h2>
      <form onSubmit={submit} noValidate>
        <ErrorBanner error={m.error} messages={TOPUP_ERRORS} />
        <Outcome kind="topup" tx={m.isSuccess ? m.data : undefined} />
        <Field label={t("common.amount")} name="topup-amount" inputMode="decimal" value={amount} onChange={edit(setAmount)} error={touched && errs.amount ? t(errs.amount) : null} />
        <fieldset className="field">
          <legend>{t("wallet.source")}</legend>
          <label className="inline">
            <input type="radio" name="source" checked={type === "card"} onChange={() => setType("card")} /> {t("wallet.card")}
          </label>
          <label className="inline">
            <input type="radio" name="source" checked={type === "bank"} onChange={() => setType("bank")} /> {t("wallet.bank")}
          </label>
        </fieldset>
        <Field label={t("wallet.reference")} name="topup-reference" dir="ltr" value={reference} onChange={edit(setReference)} error={touched && errs.reference ? t(errs.reference) : null} />
        <button className="btn btn-primary" type="submit" disabled={m.isPending || frozen}>
          {t("wallet.topup")}
        </button>
      </form>
    </section>
  );
}

function Withdraw() {
  const { t } = useI18n();
  const keys = useAttemptKeys();
  const [amount, setAmount] = useState("");
  const [reference, setReference] = useState("");
  const [pin, setPin] = useState("");
  const [touched, setTouched] = useState(false);
  const { m, inFlight } = useMoneyMutation(api.withdraw, keys, () => {
    setAmount("");
    setReference("");
    setTouched(false);
  });
  const frozen = useFrozen();
  const amountValue = normaliseAmount(amount);
  // The payout goes to an IBAN: its length and check digits are checked before it is requested.
  const errs = { amount: validateAmount(amountValue), reference: validateIban(reference), pin: validatePin(pin) };
  const edit = (set: (v: string) => void) => (e: React.ChangeEvent<HTMLInputElement>) => {
    set(e.target.value);
    if (!m.isPending && (m.isSuccess || m.isError)) m.reset();
  };

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!m.isPending) m.reset();
    if (errs.amount || errs.reference || errs.pin) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (inFlight.current || frozen) return;
    inFlight.current = true;
    const body = { amount: amountValue, destination: { type: "bank" as const, reference: normaliseIban(reference) } };
    m.mutate({ key: keys.keyFor(body), body: { ...body, pin } });
    setPin("");
  }

  return (
    <section className="card" aria-labelledby="wd-h">
      <h2 id="wd-h" className="h3">
        {t("wallet.withdraw")}
      </h2>
      <form onSubmit={submit} noValidate>
        <ErrorBanner error={m.error} />
        <Outcome kind="withdrawal" tx={m.isSuccess ? m.data : undefined} />
        <Field label={t("common.amount")} name="withdraw-amount" inputMode="decimal" value={amount} onChange={edit(setAmount)} error={touched && errs.amount ? t(errs.amount) : null} />
        <Field label={t("wallet.bank_reference")} name="withdraw-reference" dir="ltr" autoComplete="off" value={reference} onChange={edit(setReference)} error={touched && errs.reference ? t(errs.reference) : null} />
        <PinField
          name="withdraw-pin"
          value={pin}
          onChange={(v) => {
            setPin(v);
            if (!m.isPending && (m.isSuccess || m.isError)) m.reset();
          }}
          error={errs.pin}
          touched={touched}
        />
        <button className="btn btn-primary" type="submit" disabled={m.isPending || frozen}>
          {t("wallet.withdraw")}
        </button>
      </form>
    </section>
  );
}
