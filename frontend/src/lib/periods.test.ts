import { describe, expect, it } from "vitest";
import { granularityFor, presetRange } from "./periods";

const today = new Date(2026, 11, 3); // 3 Dec 2026, the user's calendar day

describe("report periods", () => {
  it("turns the quick choices into whole calendar ranges", () => {
    expect(presetRange("this_month", today)).toEqual({ from: "2026-12-01", to: "2026-12-31" });
    expect(presetRange("last_month", today)).toEqual({ from: "2026-11-01", to: "2026-11-30" });
    expect(presetRange("last_3_months", today)).toEqual({ from: "2026-10-01", to: "2026-12-31" });
    expect(presetRange("this_year", today)).toEqual({ from: "2026-01-01", to: "2026-12-31" });
    expect(presetRange("last_month", new Date(2027, 0, 15))).toEqual({ from: "2026-12-01", to: "2026-12-31" });
  });

  it("sizes the buckets by the period: a month in days, a quarter in weeks, a year in months", () => {
    expect(granularityFor(presetRange("this_month", today))).toBe("day");
    expect(granularityFor(presetRange("last_3_months", today))).toBe("week");
    expect(granularityFor(presetRange("this_year", today))).toBe("month");
  });
});
