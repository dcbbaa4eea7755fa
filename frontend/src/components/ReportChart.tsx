import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SummaryPoint } from "../api/models";
import { useI18n } from "../i18n/I18nProvider";
import { formatMoneyCompact, formatPeriod, type Granularity } from "../lib/money";
import { Bdi } from "./Bdi";

// Recharts (SVG, React components, ~no setup) draws the axes, ticks, legend and tooltips; the
// colours are the app's (styles.css --sent / --received) with a lighter shade for top-ups.
const COLOURS = { sent: "#b5422d", people: "#1d7a3c", topups: "#6aa884" };

interface Row {
  label: string;
  start: string;
  sent: number;
  people: number;
  topups: number;
  exact: { sent: string; people: string; topups: string };
}

function rows(series: SummaryPoint[], granularity: Granularity, lang: string): Row[] {
  return series.map((p) => {
    // An older server without the split: all money in counts as received from people.
    const people = p.received_from_people ?? p.received;
    const topups = p.topped_up ?? "0.00";
    return {
      label: formatPeriod(p.start, granularity, lang),
      start: p.start,
      // Bar heights only; every amount a person reads is the exact string (exact).
      sent: Number(p.sent),
      people: Number(people),
      topups: Number(topups),
      exact: { sent: p.sent, people, topups },
    };
  });
}

/**
 * Money out and in per period: sent, and received split into money from people and top-ups
 * (stacked, so the column is all money in). Dates are the locale's (day and month names), the time
 * axis runs with the text (right to left in Arabic). The same numbers are in a table: hidden
 * visually for screen readers, or shown instead of the chart with the "table view" toggle.
 */
export function ReportChart({
  series,
  granularity,
  currency,
  tableView,
}: {
  series: SummaryPoint[];
  granularity: Granularity;
  currency: string;
  tableView: boolean;
}) {
  const { t, money, lang, dir } = useI18n();
  const data = rows(series, granularity, lang);
  const names = { sent: t("rep.sent"), people: t("rep.received_people"), topups: t("rep.topped_up") };
  const rtl = dir === "rtl";
  return (
    <figure className="report-chart">
      {!tableView && (
        <div role="img" aria-label={t("rep.chart")} className="report-chart-area" dir="ltr">
          <ResponsiveContainer width="100%" height={280}>
            <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }} accessibilityLayer={false} barCategoryGap="10%" barGap={0}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" reversed={rtl} interval="preserveStartEnd" minTickGap={12} tick={{ fontSize: 12 }} />
              <YAxis
                orientation={rtl ? "right" : "left"}
                width={72}
                tick={{ fontSize: 12 }}
                tickFormatter={(v: number) => formatMoneyCompact(v, lang, currency)}
              />
              <Tooltip
                wrapperStyle={{ direction: dir }}
                labelFormatter={(_, payload) => {
                  const start = (payload?.[0]?.payload as Row | undefined)?.start;
                  return start ? formatPeriod(start, granularity, lang, true) : "";
                }}
                formatter={(_value, name, item) => {
                  const row = item.payload as Row;
                  const key = (Object.keys(names) as (keyof typeof names)[]).find((k) => names[k] === name) ?? "sent";
                  return [money(row.exact[key], currency), name];
                }}
              />
              {/* In the bars' order (sent, then money in), not sorted by name. */}
              <Legend wrapperStyle={{ direction: dir }} itemSorter={null} />
              {/* No grow-in animation: the numbers are there at once (and nothing moves for people who
                  prefer reduced motion). */}
              <Bar dataKey="sent" name={names.sent} fill={COLOURS.sent} isAnimationActive={false} />
              <Bar dataKey="people" name={names.people} stackId="in" fill={COLOURS.people} isAnimationActive={false} />
              <Bar dataKey="topups" name={names.topups} stackId="in" fill={COLOURS.topups} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <div className={tableView ? "table-scroll" : "sr-only"}>
        <table className="report-table" data-testid="report-table">
          <caption>{t("rep.chart")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("rep.period")}</th>
              <th scope="col">{names.sent}</th>
              <th scope="col">{names.people}</th>
              <th scope="col">{names.topups}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((r) => (
              <tr key={r.start}>
                <th scope="row">{formatPeriod(r.start, granularity, lang, true)}</th>
                <td>
                  <Bdi>{money(r.exact.sent, currency)}</Bdi>
                </td>
                <td>
                  <Bdi>{money(r.exact.people, currency)}</Bdi>
                </td>
                <td>
                  <Bdi>{money(r.exact.topups, currency)}</Bdi>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
