import type { SummaryPoint } from "../api/models";
import { useI18n } from "../i18n/I18nProvider";

/** Grouped bars (sent / received per period) in plain SVG, with a table fallback for screen readers. */
export function BarChart({ series }: { series: SummaryPoint[] }) {
  const { t, money, dir } = useI18n();
  const width = 640;
  const height = 220;
  const pad = 28;
  const max = Math.max(1, ...series.flatMap((p) => [Number(p.sent), Number(p.received)]));
  const slot = (width - pad * 2) / Math.max(1, series.length);
  const bar = Math.max(2, Math.min(24, slot / 2 - 2));
  const y = (v: number) => height - pad - (v / max) * (height - pad * 2);
  // In RTL the time axis runs right to left, like the text.
  const x = (i: number) => (dir === "rtl" ? width - pad - (i + 1) * slot : pad + i * slot);

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t("rep.chart")} preserveAspectRatio="none">
        <line x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} className="axis" />
        {series.map((p, i) => (
          <g key={p.period}>
            <rect className="bar-sent" x={x(i) + slot / 2 - bar - 1} y={y(Number(p.sent))} width={bar} height={height - pad - y(Number(p.sent))}>
              <title>{`${p.period} ${t("rep.sent")}: ${money(p.sent)}`}</title>
            </rect>
            <rect className="bar-received" x={x(i) + slot / 2 + 1} y={y(Number(p.received))} width={bar} height={height - pad - y(Number(p.received))}>
              <title>{`${p.period} ${t("rep.received")}: ${money(p.received)}`}</title>
            </rect>
            {series.length <= 12 && (
              <text x={x(i) + slot / 2} y={height - 8} textAnchor="middle" className="tick">
                {p.period.slice(5, 10) || p.period}
              </text>
            )}
          </g>
        ))}
      </svg>
      <figcaption className="legend">
        <span className="key key-sent" /> {t("rep.sent")} <span className="key key-received" /> {t("rep.received")}
      </figcaption>
      <table className="sr-only">
        <caption>{t("rep.chart")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("rep.granularity")}</th>
            <th scope="col">{t("rep.sent")}</th>
            <th scope="col">{t("rep.received")}</th>
          </tr>
        </thead>
        <tbody>
          {series.map((p) => (
            <tr key={p.period}>
              <th scope="row">{p.period}</th>
              <td>{money(p.sent)}</td>
              <td>{money(p.received)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
