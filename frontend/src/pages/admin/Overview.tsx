import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { adminApi, type Overview as OverviewData, type OverviewDay } from "../../api/admin";
import { ErrorBanner } from "../../components/ErrorBanner";
import { Loading } from "../../components/States";
import { useI18n } from "../../i18n/I18nProvider";
import { formatNumberCompact, isoDate, localeFor } from "../../lib/money";

const PERIODS = [7, 30, 90] as const;
type Period = (typeof PERIODS)[number];

/** The last `days` UTC days, today included (the overview's days are UTC dates). */
function range(days: Period): { from: string; to: string } {
  const today = new Date();
  return { from: isoDate(new Date(today.getTime() - (days - 1) * 24 * 3600 * 1000)), to: isoDate(today) };
}

/** Platform totals of a period and their day-by-day charts, with the same numbers as a table. */
export function Overview() {
  const { t } = useI18n();
  const [days, setDays] = useState<Period>(30);
  const period = range(days);
  const overview = useQuery({ queryKey: ["admin", "overview", period], queryFn: () => adminApi.overview(period) });
  return (
    <section className="card" aria-labelledby="adm-overview-h">
      <h2 id="adm-overview-h">{t("adm.overview.title")}</h2>
      <div className="admin-period" role="group" aria-label={t("adm.period")}>
        {PERIODS.map((d) => (
          <button key={d} type="button" className="btn" aria-pressed={d === days} onClick={() => setDays(d)}>
            {t("adm.period.days", { n: d })}
          </button>
        ))}
      </div>
      {overview.isPending && <Loading />}
      <ErrorBanner error={overview.error} />
      {overview.data && <OverviewBody data={overview.data} />}
    </section>
  );
}

function OverviewBody({ data }: { data: OverviewData }) {
  const { t, money } = useI18n();
  const number = useNumber();
  return (
    <>
      <dl className="admin-stats" data-testid="admin-stats">
        <Stat label={t("adm.stat.users")} value={number(data.users.total)} sub={t("adm.stat.new", { n: number(data.users.new) })} />
        <Stat label={t("adm.stat.active")} value={number(data.users.active)} />
        {(["transfer", "topup", "withdrawal"] as const).map((kind) => (
          <Stat
            key={kind}
            label={t(`adm.kind.${kind}`)}
            value={money(data.volume[kind], data.currency)}
            sub={t("adm.stat.count", { n: number(data.counts[kind]) })}
          />
        ))}
      </dl>
      <VolumeChart days={data.per_day} currency={data.currency} />
      <UsersChart days={data.per_day} />
      <OverviewTable days={data.per_day} currency={data.currency} />
    </>
  );
}

function Stat({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        <bdi>{value}</bdi>
        {sub && <span className="sub">{sub}</span>}
      </dd>
    </div>
  );
}

function useNumber(): (n: number) => string {
  const { lang } = useI18n();
  const fmt = new Intl.NumberFormat(localeFor(lang));
  return (n) => fmt.format(n);
}

/** A day label in the user's locale ("3 Dec", "٣ ديسمبر"); the dates are UTC days. */
function useDayLabel(): (date: string) => string {
  const { lang } = useI18n();
  const fmt = new Intl.DateTimeFormat(localeFor(lang), { day: "numeric", month: "short", timeZone: "UTC" });
  return (date) => fmt.format(new Date(`${date}T00:00:00Z`));
}

// Chart colours: distinguishable with the common colour-vision deficiencies, and each series is
// also named in the legend, the tooltip and the table.
const COLOURS = { transfer: "#0a4fa0", topup: "#1b7f3b", withdrawal: "#b45309", active: "#0a4fa0", new: "#b45309" };

function VolumeChart({ days, currency }: { days: OverviewDay[]; currency: string }) {
  const { t, money, dir } = useI18n();
  const label = useDayLabel();
  // Bars need numbers; the exact decimal strings stay in `exact` for the tooltip and the table.
  const rows = days.map((d) => ({
    date: d.date,
    transfer: Number(d.transfer_volume),
    topup: Number(d.topup_volume),
    withdrawal: Number(d.withdrawal_volume),
    exact: { transfer: d.transfer_volume, topup: d.topup_volume, withdrawal: d.withdrawal_volume },
  }));
  const rtl = dir === "rtl";
  return (
    <figure className="admin-figure">
      <figcaption className="h3">{t("adm.chart.volume")}</figcaption>
      {/* The chart is a picture of the table below; screen readers read the table. Recharts'
          keyboard layer is off: focus inside an aria-hidden element would be a stop with no name. */}
      <div className="admin-chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart accessibilityLayer={false} data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="date" tickFormatter={label} reversed={rtl} minTickGap={12} />
            <YAxis orientation={rtl ? "right" : "left"} width={56} tickFormatter={(v: number) => compact(v, dir)} />
            <Tooltip
              labelFormatter={(d) => label(String(d))}
              formatter={(_value, name, item) => {
                const kind = String(item.dataKey) as keyof (typeof rows)[number]["exact"];
                return [money((item.payload as (typeof rows)[number]).exact[kind], currency), String(name)];
              }}
            />
            <Legend />
            <Bar dataKey="transfer" name={t("adm.kind.transfer")} fill={COLOURS.transfer} />
            <Bar dataKey="topup" name={t("adm.kind.topup")} fill={COLOURS.topup} />
            <Bar dataKey="withdrawal" name={t("adm.kind.withdrawal")} fill={COLOURS.withdrawal} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

function UsersChart({ days }: { days: OverviewDay[] }) {
  const { t, dir } = useI18n();
  const label = useDayLabel();
  const number = useNumber();
  const rtl = dir === "rtl";
  return (
    <figure className="admin-figure">
      <figcaption className="h3">{t("adm.chart.users")}</figcaption>
      <div className="admin-chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart accessibilityLayer={false} data={days} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="date" tickFormatter={label} reversed={rtl} minTickGap={12} />
            <YAxis orientation={rtl ? "right" : "left"} width={40} allowDecimals={false} tickFormatter={(v: number) => compact(v, dir)} />
            <Tooltip labelFormatter={(d) => label(String(d))} formatter={(value, name) => [number(Number(value)), String(name)]} />
            <Legend />
            <Line type="monotone" dataKey="active_users" name={t("adm.table.active")} stroke={COLOURS.active} strokeWidth={2} dot={false} />
            <Line type="monotone" dataKey="new_users" name={t("adm.table.new")} stroke={COLOURS.new} strokeWidth={2} dot={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Axis ticks: short ("12K") in the page's digits (lib/money.ts: Latin in Arabic too); the exact
 * amounts are in the tooltip and table. */
function compact(value: number, dir: "ltr" | "rtl"): string {
  return formatNumberCompact(value, dir === "rtl" ? "ar" : "en");
}

function OverviewTable({ days, currency }: { days: OverviewDay[]; currency: string }) {
  const { t, money } = useI18n();
  const label = useDayLabel();
  const number = useNumber();
  if (days.length === 0) return <p className="empty">{t("adm.empty")}</p>;
  return (
    <details className="admin-details">
      <summary>{t("adm.table.show")}</summary>
      <div className="admin-table-wrap" tabIndex={0} role="region" aria-label={t("adm.table.caption")}>
        <table className="admin-table" data-testid="overview-table">
          <caption className="sr-only">{t("adm.table.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("adm.table.date")}</th>
              <th scope="col">{t("adm.table.active")}</th>
              <th scope="col">{t("adm.table.new")}</th>
              <th scope="col">{t("adm.kind.transfer")}</th>
              <th scope="col">{t("adm.kind.topup")}</th>
              <th scope="col">{t("adm.kind.withdrawal")}</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.date}>
                <th scope="row">{label(d.date)}</th>
                <td className="num">{number(d.active_users)}</td>
                <td className="num">{number(d.new_users)}</td>
                <td className="num">
                  <bdi>{money(d.transfer_volume, currency)}</bdi> ({number(d.transfer_count)})
                </td>
                <td className="num">
                  <bdi>{money(d.topup_volume, currency)}</bdi> ({number(d.topup_count)})
                </td>
                <td className="num">
                  <bdi>{money(d.withdrawal_volume, currency)}</bdi> ({number(d.withdrawal_count)})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
