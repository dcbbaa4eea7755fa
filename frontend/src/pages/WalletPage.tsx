import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { api } from "../api/endpoints";
import { ApiError } from "../api/http";
import { ErrorBanner, SuccessBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { PinField } from "../components/PinField";
import { useI18n } from "../i18n/I18nProvider";
import { useAttemptKeys } from "../lib/useAttemptKeys";
import { normaliseAmount, validateAmount, validatePin, validateRequired } from "../lib/validation";
import { useWallet } from "./useProfile";
import { focusFirstInvalid } from "../lib/focus";

export function WalletPage() {
  const { t, money } = useI18n();
  const wallet = useWallet();
  return (
    <div className="grid">
      <section className="card span-2">
        <h1 className="h3">{t("nav.wallet")}</h1>
        {wallet.data && (
          <p className="balance" data-testid="balance">
            <bdi>{money(wallet.data.balance, wallet.data.currency)}</bdi>
          </p>
        )}
      </section>
      <TopUp />
      <Withdraw />
    </div>
  );
}

function useMoneyMutation<V>(fn: (key: string, v: V) => Promise<unknown>, keys: ReturnType<typeof useAttemptKeys>) {
  const qc = useQueryClient();
  const inFlight = useRef(false);
  const m = useMutation({
    mutationFn: (v: { key: string; body: V }) => fn(v.key, v.body),
    onSuccess: () => {
      keys.settle(false);
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
  const { t, money } = useI18n();
  const keys = useAttemptKeys();
  const [amount, setAmount] = useState("");
  const [type, setType] = useState<"card" | "bank">("card");
  const [reference, setReference] = useState("");
  const [touched, setTouched] = useState(false);
  const { m, inFlight } = useMoneyMutation(api.topup, keys);
  const amountValue = normaliseAmount(amount);
  const errs = { amount: validateAmount(amountValue), reference: validateRequired(reference) };

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errs.amount || errs.reference) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (inFlight.current) return;
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
        <ErrorBanner error={m.error} />
        <SuccessBanner>{m.isSuccess ? t("wallet.topped_up", { amount: money(amountValue) }) : null}</SuccessBanner>
        <Field label={t("common.amount")} name="topup-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} error={touched && errs.amount ? t(errs.amount) : null} />
        <fieldset className="field">
          <legend>{t("wallet.source")}</legend>
          <label className="inline">
            <input type="radio" name="source" checked={type === "card"} onChange={() => setType("card")} /> {t("wallet.card")}
          </label>
          <label className="inline">
            <input type="radio" name="source" checked={type === "bank"} onChange={() => setType("bank")} /> {t("wallet.bank")}
          </label>
        </fieldset>
        <Field label={t("wallet.reference")} name="topup-reference" dir="ltr" value={reference} onChange={(e) => setReference(e.target.value)} error={touched && errs.reference ? t(errs.reference) : null} />
        <button className="btn btn-primary" type="submit" disabled={m.isPending}>
          {t("wallet.topup")}
        </button>
      </form>
    </section>
  );
}

function Withdraw() {
  const { t, money } = useI18n();
  const keys = useAttemptKeys();
  const [amount, setAmount] = useState("");
  const [reference, setReference] = useState("");
  const [pin, setPin] = useState("");
  const [touched, setTouched] = useState(false);
  const { m, inFlight } = useMoneyMutation(api.withdraw, keys);
  const amountValue = normaliseAmount(amount);
  const errs = { amount: validateAmount(amountValue), reference: validateRequired(reference), pin: validatePin(pin) };

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errs.amount || errs.reference || errs.pin) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    setTouched(true);
    if (inFlight.current) return;
    inFlight.current = true;
    const body = { amount: amountValue, destination: { type: "bank" as const, reference: reference.trim() } };
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
        <SuccessBanner>{m.isSuccess ? t("wallet.withdrawn", { amount: money(amountValue) }) : null}</SuccessBanner>
        <Field label={t("common.amount")} name="withdraw-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} error={touched && errs.amount ? t(errs.amount) : null} />
        <Field label={t("wallet.bank_reference")} name="withdraw-reference" dir="ltr" value={reference} onChange={(e) => setReference(e.target.value)} error={touched && errs.reference ? t(errs.reference) : null} />
        <PinField name="withdraw-pin" value={pin} onChange={setPin} error={errs.pin} touched={touched} />
        <button className="btn btn-primary" type="submit" disabled={m.isPending}>
          {t("wallet.withdraw")}
        </button>
      </form>
    </section>
  );
}
