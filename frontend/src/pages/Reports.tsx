import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../api/endpoints";
import { BarChart } from "../components/BarChart";
import { ErrorBanner } from "../components/ErrorBanner";
import { Empty, Loading } from "../components/States";
import { useI18n } from "../i18n/I18nProvider";
import { isoDate } from "../lib/money";

type Granularity = "day" | "week" | "month";

function defaultRange(): { from: string; to: string } {
  const to = new Date();
  const from = new Date(to.getTime() - 29 * 24 * 3600 * 1000);
  return { from: isoDate(from), to: isoDate(to) };
}

async function downloadStatement(from: string, to: string): Promise<void> {
  const resp = await api.statementCsv({ from, to });
  const blob = await resp.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  // The server names the file (Content-Disposition); ours is only a fallback.
  const named = /filename="?([^";]+)"?/.exec(resp.headers.get("Content-Disposition") ?? "");
  a.download = named?.[1] ?? `instapay-statement-${from}-to-${to}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function Reports() {
  const { t, money } = useI18n();
  const [range, setRange] = useState(defaultRange);
  const [granularity, setGranularity] = useState<Granularity>("day");
  const summary = useQuery({
    queryKey: ["reports", "summary", range, granularity],
    queryFn: () => api.summary({ ...range, granularity }),
    enabled: Boolean(range.from && range.to),
  });
  const download = useMutation({ mutationFn: () => downloadStatement(range.from, range.to) });
  const s = summary.data;

  return (
    <div className="grid">
      <section className="card span-2">
        <h1>{t("rep.title")}</h1>
        <div className="filters">
          <div className="field">
            <label htmlFor="r-from">{t("common.from")}</label>
            <input id="r-from" type="date" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="r-to">{t("common.to")}</label>
            <input id="r-to" type="date" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="r-g">{t("rep.granularity")}</label>
            <select id="r-g" value={granularity} onChange={(e) => setGranularity(e.target.value as Granularity)}>
              <option value="day">{t("rep.day")}</option>
              <option value="week">{t("rep.week")}</option>
              <option value="month">{t("rep.month")}</option>
            </select>
          </div>
          <button type="button" className="btn" onClick={() => download.mutate()} disabled={download.isPending}>
            {download.isPending ? t("rep.downloading") : t("rep.download")}
          </button>
        </div>
        <ErrorBanner error={download.error} />
        {summary.isPending && <Loading />}
        <ErrorBanner error={summary.error} />
        {s && (
          <>
            <dl className="stats">
              <div>
                <dt>{t("rep.sent")}</dt>
                <dd data-testid="total-sent">
                  <bdi>{money(s.total_sent, s.currency)}</bdi>
                </dd>
              </div>
              <div>
                <dt>{t("rep.received")}</dt>
                <dd data-testid="total-received">
                  <bdi>{money(s.total_received, s.currency)}</bdi>
                </dd>
              </div>
              <div>
                <dt>{t("rep.net")}</dt>
                <dd>
                  <bdi>{money(s.net, s.currency)}</bdi>
                </dd>
              </div>
            </dl>
            <p className="muted">{t("rep.count", { sent: s.count_sent, received: s.count_received })}</p>
            {s.series.length ? <BarChart series={s.series} /> : <Empty />}
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
                  <strong>{c.display_name}</strong>
                  <bdi className="muted">@{c.handle}</bdi>
                </div>
                <div className="tx-main end">
                  <small>
                    {t("rep.sent")}: <bdi>{money(c.sent)}</bdi>
                  </small>
                  <small>
                    {t("rep.received")}: <bdi>{money(c.received)}</bdi>
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
