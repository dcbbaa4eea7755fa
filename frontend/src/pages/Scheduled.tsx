import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { schedulesApi, type Schedule } from "../api/schedules";
import { Bdi } from "../components/Bdi";
import { ConfirmAction } from "../components/ConfirmAction";
import { ErrorBanner } from "../components/ErrorBanner";
import { Field } from "../components/Field";
import { PinField } from "../components/PinField";
import { ScheduleForm } from "../components/ScheduleForm";
import { Empty, Loading } from "../components/States";
import { useI18n } from "../i18n/I18nProvider";
import { focusFirstInvalid } from "../lib/focus";
import { normaliseAmount, validateAmount, validatePin } from "../lib/validation";

const LIST_KEY = ["scheduled-transfers"];

/** A new amount for the coming occurrences, with the PIN (more money may leave). */
function EditAmount({ schedule, onDone }: { schedule: Schedule; onDone: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [amount, setAmount] = useState(schedule.amount);
  const [pin, setPin] = useState("");
  const [touched, setTouched] = useState(false);
  const change = useMutation({
    mutationFn: (v: { amount: string; pin: string }) => schedulesApi.change(schedule.id, v),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: LIST_KEY });
      onDone();
    },
    onError: () => setPin(""),
  });
  const value = normaliseAmount(amount);
  const errs = { amount: validateAmount(value), pin: validatePin(pin) };
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (errs.amount || errs.pin) return focusFirstInvalid(e.currentTarget, () => setTouched(true));
    change.mutate({ amount: value, pin });
  }
  return (
    <form onSubmit={submit} noValidate data-testid="edit-amount">
      <ErrorBanner error={change.error} />
      <Field label={t("sched.new_amount")} name={`amount-${schedule.id}`} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} error={touched && errs.amount ? t(errs.amount) : null} hint={t("sched.amount_hint")} />
      <PinField name={`pin-${schedule.id}`} value={pin} onChange={setPin} error={errs.pin} touched={touched} />
      <div className="row wrap">
        <button className="btn btn-primary" type="submit" disabled={change.isPending}>
          {t("common.save")}
        </button>
        <button className="btn btn-ghost" type="button" onClick={onDone}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

function ScheduleItem({ s }: { s: Schedule }) {
  const { t, money, dateTime } = useI18n();
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const done = () => void qc.invalidateQueries({ queryKey: LIST_KEY });
  const pause = useMutation({ mutationFn: (status: "active" | "paused") => schedulesApi.change(s.id, { status }), onSuccess: done });
  const cancel = useMutation({ mutationFn: () => schedulesApi.cancel(s.id), onSuccess: done });
  const live = s.status === "active" || s.status === "paused";
  const name = s.recipient.display_name || `@${s.recipient.handle}`;
  return (
    <li className="req" data-testid="schedule-item" data-status={s.status}>
      <div className="row between wrap">
        <strong>
          <Bdi>{name}</Bdi>
        </strong>
        <Bdi className="amount">{money(s.amount, s.currency)}</Bdi>
      </div>
      <dl className="facts">
        <dt>{t("sched.repeat")}</dt>
        <dd>
          {t(`sched.repeat_${s.repeat}`)}
          {s.end_after && s.repeat !== "none" ? ` · ${t("sched.runs_of", { runs: String(s.runs), total: String(s.end_after) })}` : ""}
        </dd>
        <dt>{t("sched.status")}</dt>
        <dd data-testid="schedule-status">{t(`sched.status_${s.status}`)}</dd>
        {s.next_run_at && (
          <>
            <dt>{t("sched.next_run")}</dt>
            <dd data-testid="schedule-next">
              <Bdi>{dateTime(s.next_run_at)}</Bdi>
            </dd>
          </>
        )}
        {s.last_outcome && s.last_run_at && (
          <>
            <dt>{t("sched.last_run")}</dt>
            <dd>
              <Bdi>{dateTime(s.last_run_at)}</Bdi> · {s.last_outcome === "completed" ? t("sched.last_ok") : t("sched.last_failed")}
            </dd>
          </>
        )}
      </dl>
      <ErrorBanner error={pause.error ?? cancel.error} />
      {live && !editing && (
        <div className="row wrap">
          <button type="button" className="btn" disabled={pause.isPending} onClick={() => pause.mutate(s.status === "active" ? "paused" : "active")}>
            {s.status === "active" ? t("sched.pause") : t("sched.resume")}
          </button>
          <button type="button" className="btn" onClick={() => setEditing(true)}>
            {t("sched.edit_amount")}
          </button>
          <ConfirmAction
            label={t("sched.cancel")}
            question={t("sched.cancel_q", { name })}
            confirm={t("sched.cancel_yes")}
            cancel={t("sched.cancel_no")}
            onConfirm={() => cancel.mutate()}
            disabled={cancel.isPending}
          />
        </div>
      )}
      {live && editing && <EditAmount schedule={s} onDone={() => setEditing(false)} />}
    </li>
  );
}

/** The user's scheduled and recurring transfers: next run, pause/resume, amount, cancel; and a new one. */
export function Scheduled() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const [adding, setAdding] = useState(params.get("new") === "1");
  const list = useQuery({ queryKey: LIST_KEY, queryFn: schedulesApi.list });
  const items = list.data?.items ?? [];
  return (
    <section className="card">
      <h1>{t("sched.title")}</h1>
      <p className="muted">{t("sched.intro")}</p>
      {adding ? (
        <ScheduleForm to={params.get("to") ?? ""} amount={params.get("amount") ?? ""} />
      ) : (
        <p>
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
            {t("sched.new")}
          </button>
        </p>
      )}
      <h2 className="h3">{t("sched.list")}</h2>
      {list.isLoading ? <Loading /> : <ErrorBanner error={list.error} />}
      {list.isSuccess && items.length === 0 && <Empty text={t("sched.empty")} />}
      <ul className="list" data-testid="schedule-list">
        {items.map((s) => (
          <ScheduleItem key={s.id} s={s} />
        ))}
      </ul>
    </section>
  );
}
