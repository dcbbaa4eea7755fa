import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../api/endpoints";
import { Bdi } from "../components/Bdi";
import { ErrorBanner } from "../components/ErrorBanner";
import { ReportChart } from "../components/ReportChart";
import { Empty, Loading } from "../components/States";
import { useI18n } from "../i18n/I18nProvider";
import type { Granularity } from "../lib/money";
import { saveResponse } from "../lib/download";
import { PRESETS, granularityFor, presetRange, type DayRange, type Preset } from "../lib/periods";

async function downloadStatement(from: string, to: string): Promise<void> {
  // The server names the file (Content-Disposition); ours is only a fallback.
  await saveResponse(await api.statementCsv({ from, to }), `instapay-statement-${from}-to-${to}.csv`);
}

export function Reports() {
  const { t, money } = useI18n();
  const [preset, setPreset] = useState<Preset>("this_month");
  const [custom, setCustom] = useState<DayRange>(() => presetRange("this_month", new Date()));
  // null: the bucket size follows the period; a choice in "Group by" overrides it until the period changes.
  const [picked, setPicked] = useState<Granularity | null>(null);
  const [tableView, setTableView] = useState(false);
  const range = preset === "custom" ? custom : presetRange(preset, new Date());
  const badRange = Boolean(range.from && range.to && range.from > range.to);
  const granularity = picked ?? granularityFor(range);
  const summary = useQuery({
    queryKey: ["reports", "summary", range, granularity],
    queryFn: () => api.summary({ ...range, granularity }),
    enabled: Boolean(range.from && range.to) && !badRange,
  });
  const download = useMutation({ mutationFn: () => downloadStatement(range.from, range.to) });
  const s = badRange ? undefined : summary.data;

  function choose(next: Preset) {
    if (next === "custom") setCustom(range); // start from what is shown
    setPreset(next);
    setPicked(null);
  }

  return (
    <div className="grid">
      <section className="card span-2">
        <h1>{t("rep.title")}</h1>
        <div className="period-choices" role="group" aria-label={t("rep.period")}>
          {PRESETS.map((p) => (
            <button key={p} type="button" className={`btn${p === preset ? " btn-primary" : ""}`} aria-pressed={p === preset} onClick={() => choose(p)}>
              {t(`rep.preset.${p}`)}
            </button>
          ))}
        </div>
        <div className="filters">
          {preset === "custom" && (
            <>
              <div className="field">
                <label htmlFor="r-from">{t("common.from")}</label>
                <input
                  id="r-from"
                  type="date"
                  value={custom.from}
                  onChange={(e) => {
                    setCustom({ ...custom, from: e.target.value });
                    setPicked(null);
                  }}
                  aria-invalid={badRange || undefined}
                  aria-describedby={badRange ? "r-range-error" : undefined}
                />
              </div>
              <div className="field">
                <label htmlFor="r-to">{t("common.to")}</label>
                <input
                  id="r-to"
                  type="date"
                  value={custom.to}
                  onChange={(e) => {
                    setCustom({ ...custom, to: e.target.value });
                    setPicked(null);
                  }}
                />
              </div>
            </>
          )}
          <div className="field">
            <label htmlFor="r-g">{t("rep.granularity")}</label>
            <select id="r-g" value={granularity} onChange={(e) => setPicked(e.target.value as Granularity)}>
              <option value="day">{t("rep.day")}</option>
              <option value="week">{t("rep.week")}</option>
              <option value="month">{t("rep.month")}</option>
            </select>
          </div>
          <button type="button" className="btn" onClick={() => download.mutate()} disabled={download.isPending || badRange}>
            {download.isPending ? t("rep.downloading") : t("rep.download")}
          </button>
        </div>
        {badRange && (
          <p className="banner banner-error" role="alert" id="r-range-error">
            {t("hist.range_invalid")}
          </p>
        )}
        <ErrorBanner error={download.error} />
        {summary.isPending && !badRange && <Loading />}
        <ErrorBanner error={summary.error} />
        {s && (
          <>
            <dl className="stats stats-4">
              <div>
                <dt>{t("rep.sent")}</dt>
                <dd data-testid="total-sent">
                  <Bdi>{money(s.total_sent, s.currency)}</Bdi>
                </dd>
              </div>
              <div>
                <dt>{t("rep.received_people")}</dt>
                <dd data-testid="received-people">
                  <Bdi>{money(s.received_from_people ?? s.total_received, s.currency)}</Bdi>
                </dd>
              </div>
              <div>
                <dt>{t("rep.topped_up")}</dt>
                <dd data-testid="topped-up">
                  <Bdi>{money(s.topped_up ?? "0.00", s.currency)}</Bdi>
                </dd>
              </div>
              <div>
                <dt>{t("rep.net")}</dt>
                <dd data-testid="net">
                  <Bdi>{money(s.net, s.currency)}</Bdi>
                </dd>
              </div>
            </dl>
            <p className="muted">
              {t("rep.received_total")}{" "}
              <Bdi testId="total-received">{money(s.total_received, s.currency)}</Bdi> ·{" "}
              {t("rep.count", { sent: s.count_sent, received: s.count_received })}
            </p>
            <button type="button" className="btn" aria-pressed={tableView} onClick={() => setTableView(!tableView)}>
              {t("rep.table_view")}
            </button>
            {s.series.length ? <ReportChart series={s.series} granularity={s.granularity} currency={s.currency} tableView={tableView} /> : <Empty />}
          </>
        )}
      </section>
      {s && (
        <section className="card span-2" aria-labelledby="top-h">
          <h2 id="top-h" className="h3">
            {t("rep.top")}
          </h2>
          {s.top_counterparties.length === 0 && <Empty />}
          <ul className="list">
            {s.top_counterparties.map((c) => (
              <li key={c.user_id} className="tx">
                <div className="tx-main">
                  <strong>{c.display_name ? <Bdi>{c.display_name}</Bdi> : null}</strong>
                  {c.handle && (
                    <Bdi ltr className="muted">
                      @{c.handle}
                    </Bdi>
                  )}
                </div>
                <div className="tx-main end">
                  <small>
                    {t("rep.sent")}: <Bdi>{money(c.sent)}</Bdi>
                  </small>
                  <small>
                    {t("rep.received")}: <Bdi>{money(c.received)}</Bdi>
                  </small>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
