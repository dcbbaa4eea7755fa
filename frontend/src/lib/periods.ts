// Report periods people ask for ("this month", "last month"...) as inclusive YYYY-MM-DD ranges,
// and the bucket size that suits a range: days for a month, weeks for a quarter, months beyond,
// so a month is ~30 bars across the chart, not one or two thin bars at its left edge.

import type { Granularity } from "./money";

export type Preset = "this_month" | "last_month" | "last_3_months" | "this_year" | "custom";
export const PRESETS: Preset[] = ["this_month", "last_month", "last_3_months", "this_year", "custom"];

export interface DayRange {
  from: string;
  to: string;
}

/** A calendar day as YYYY-MM-DD (the date parts given, no time zone shift). */
function ymd(year: number, month0: number, day: number): string {
  const d = new Date(Date.UTC(year, month0, day));
  return d.toISOString().slice(0, 10);
}

/** The range of a preset around `today` (the user's calendar day); whole months, whole year. */
export function presetRange(preset: Exclude<Preset, "custom">, today: Date): DayRange {
  const y = today.getFullYear();
  const m = today.getMonth();
  switch (preset) {
    case "this_month":
      return { from: ymd(y, m, 1), to: ymd(y, m + 1, 0) };
    case "last_month":
      return { from: ymd(y, m - 1, 1), to: ymd(y, m, 0) };
    case "last_3_months":
      return { from: ymd(y, m - 2, 1), to: ymd(y, m + 1, 0) };
    case "this_year":
      return { from: ymd(y, 0, 1), to: ymd(y, 11, 31) };
  }
}

/** Days in the inclusive range (0 if `to` is before `from`). */
export function daysIn(range: DayRange): number {
  const ms = Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`);
  return Number.isFinite(ms) && ms >= 0 ? ms / 86_400_000 + 1 : 0;
}

/** Up to a month: days; up to a quarter: weeks; beyond: months (at most ~31 bars). */
export function granularityFor(range: DayRange): Granularity {
  const n = daysIn(range);
  if (n <= 31) return "day";
  if (n <= 93) return "week";
  return "month";
}
