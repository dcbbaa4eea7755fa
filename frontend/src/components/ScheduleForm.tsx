import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiError } from "../api/http";
import { localInputToIso, schedulesApi, toLocalInput, type Repeat, type Schedule, type ScheduleIn } from "../api/schedules";
import { useI18n } from "../i18n/I18nProvider";
import { focusFirstInvalid } from "../lib/focus";
import { useAttemptKeys } from "../lib/useAttemptKeys";
import { normaliseRecipient } from "../lib/phone";
import { normaliseAmount, validateAmount, validatePin, validateRecipient } from "../lib/validation";
import { Bdi } from "./Bdi";
import { ErrorBanner } from "./ErrorBanner";
import { Field } from "./Field";
import { PinField } from "./PinField";

const REPEATS: readonly Repeat[] = ["none", "weekly", "monthly"];
const MAX_OCCURRENCES = 1000;

/** What the form checks before asking the server (which checks it all again). */
export function scheduleErrors(v: { recipient: string; amount: string; startAt: string; occurrences: string; pin: string; repeat: Repeat }, now = new Date()) {
  const start = localInputToIso(v.startAt);
  const n = v.occurrences.trim();
  return {
    recipient: validateRecipient(v.recipient),
    amount: validateAmount(v.amount),
    startAt: !start ? "sched.v_start" : new Date(start) <= now ? "sched.v_start_future" : null,
    occurrences:
      v.repeat === "none" || !n ? null : /^\d+$/.test(n) && Number(n) >= 1 && Number(n) <= MAX_OCCURRENCES ? null : "sched.v_occurrences",
    pin: validatePin(v.pin),
  };
}

/**
 * A new scheduled transfer: to whom, how much, once / weekly / monthly from a start date and time
 * (the device's local time, sent as UTC), how many times, authorised with the PIN. The server
 * resolves the recipient like a transfer and answers the masked name, shown on the result. Each
 * attempt carries its own Idempotency-Key (lib/idempotency.ts, as Send): a retry after a lost
 * answer gets the schedule already made instead of a second one.
 */
export function ScheduleForm({ to = "", amount: initialAmount = "", onCreated }: { to?: string; amount?: string; onCreated?: (s: Schedule) => void }) {
  const { t, money, dateTime } = useI18n();
  const qc = useQueryClient();
  const [recipient, setRecipient] = useState(to);
  const [amount, setAmount] = useState(initialAmount);
  const [note, setNote] = useState("");
  const [repeat, setRepeat] = useState<Repeat>("monthly");
  const [startAt, setStartAt] = useState(() => toLocalInput(new Date(Date.now() + 24 * 3600 * 1000)));
  const [occurrences, setOccurrences] = useState("");
  const [pin, setPin] = useState("");
  const [touched, setTouched] = useState(false);
  const keys = useAttemptKeys();
  const create = useMutation({
    mutationFn: (v: { key: string; body: ScheduleIn }) => schedulesApi.create(v.key, v.body),
    onSuccess: (s) => {
      keys.settle(false);
      setPin("");
      void qc.invalidateQueries({ queryKey: ["scheduled-transfers"] });
      onCreated?.(s);
    },
    onError: (err) => {
      keys.settle(err instanceof ApiError && err.outcomeUnknown);
      setPin("");
    },
  });
  const amountValue = normaliseAmount(amount);
  const errs = scheduleErrors({ recipient, amount: amountValue, startAt, occurrences, pin, repeat });

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (Object.values(errs).some(Boolean)) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    if (create.isPending) return;
    const n = occurrences.trim();
    const asked = {
      recipient: normaliseRecipient(recipient.trim()),
      amount: amountValue,
      note: note.trim() || undefined,
      start_at: localInputToIso(startAt) ?? "",
      repeat,
      end_after: repeat !== "none" && n ? Number(n) : undefined,
    };
    // The key follows what is asked, not the PIN (the server leaves the PIN out of its comparison).
    create.mutate({ key: keys.keyFor(asked), body: { ...asked, pin } });
  }

  const err = (key: string | null) => (touched && key ? t(key) : null);
  const made = create.data;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="sched-new-h" data-testid="schedule-form">
      <h2 id="sched-new-h" className="h3">
        {t("sched.new")}
      </h2>
      {made && (
        <div role="status" className="banner banner-ok" data-testid="schedule-created">
          {t("sched.created", { amount: money(made.amount, made.currency) })} <Bdi>{made.recipient.display_name || `@${made.recipient.handle}`}</Bdi>
          {made.next_run_at && (
            <>
              {" "}
              · {t("sched.next_run")}: <Bdi>{dateTime(made.next_run_at)}</Bdi>
            </>
          )}
        </div>
      )}
      <ErrorBanner error={create.error} />
      <Field label={t("send.recipient")} name="sched-recipient" dir="ltr" autoComplete="off" value={recipient} onChange={(e) => setRecipient(e.target.value)} error={err(errs.recipient)} />
      <Field label={t("common.amount")} name="sched-amount" inputMode="decimal" autoComplete="off" value={amount} onChange={(e) => setAmount(e.target.value)} error={err(errs.amount)} />
      <Field label={t("common.note")} name="sched-note" maxLength={140} value={note} onChange={(e) => setNote(e.target.value)} />
      <fieldset className="field">
        <legend>{t("sched.repeat")}</legend>
        {REPEATS.map((r) => (
          <label className="inline" key={r}>
            <input type="radio" name="sched-repeat" value={r} checked={repeat === r} onChange={() => setRepeat(r)} /> {t(`sched.repeat_${r}`)}
          </label>
        ))}
      </fieldset>
      <Field label={t("sched.start")} name="sched-start" type="datetime-local" value={startAt} onChange={(e) => setStartAt(e.target.value)} error={err(errs.startAt)} hint={t("sched.start_hint")} />
      {repeat !== "none" && (
        <Field
          label={t("sched.occurrences")}
          name="sched-occurrences"
          inputMode="numeric"
          value={occurrences}
          onChange={(e) => setOccurrences(e.target.value)}
          error={err(errs.occurrences)}
          hint={t("sched.occurrences_hint")}
        />
      )}
      <PinField name="sched-pin" value={pin} onChange={setPin} error={errs.pin} touched={touched} />
      <button className="btn btn-primary" type="submit" disabled={create.isPending}>
        {create.isPending ? t("common.loading") : t("sched.create")}
      </button>
    </form>
  );
}
