import { describe, expect, it } from "vitest";
import { formatDateTime, formatMoney, formatNumber, formatNumberCompact, formatPeriod, subtractMoney } from "./money";

const ARABIC_INDIC = /[\u0660-\u0669\u06f0-\u06f9]/;

describe("formatMoney", () => {
  it("formats EGP for en-EG with two decimals, the code before the number", () => {
    expect(formatMoney("1250.5", "en")).toBe("EGP\u00a01,250.50");
  });
  it("formats EGP for Arabic with the Arabic symbol after the number and Latin digits", () => {
    const text = formatMoney("1250.5", "ar");
    expect(text).toContain("1,250.50");
    expect(text).toMatch(/1,250\.50\s?ج\.م\./);
    expect(text).not.toMatch(ARABIC_INDIC);
    expect(text).not.toContain("EGP");
  });
  it("keeps the value of a decimal string exactly, even beyond a double's precision", () => {
    expect(formatMoney("70000.00", "en")).toContain("70,000.00");
    expect(formatMoney("0.01", "en")).toContain("0.01");
    expect(formatMoney("9007199254740993.01", "en")).toContain("9,007,199,254,740,993.01");
    expect(formatMoney("not money", "en")).toBe("not money");
  });
});

describe("one digit system per page in Arabic", () => {
  it("writes dates, counts and periods with Latin digits and Arabic month names", () => {
    const when = formatDateTime("2026-12-03T10:00:00Z", "ar");
    expect(when).not.toMatch(ARABIC_INDIC);
    expect(when).toMatch(/2026/);
    expect(formatNumber(1234, "ar")).toBe("1,234");
    // Chart ticks too (the admin overview's axis once read "١ ٢ ٣" beside Latin amounts).
    expect(formatNumberCompact(3, "ar")).toBe("3");
    expect(formatNumberCompact(12_000, "ar")).not.toMatch(ARABIC_INDIC);
    expect(formatPeriod("2026-12-01", "month", "ar")).toBe("ديسمبر 2026");
    expect(formatPeriod("2026-12-01", "month", "en")).toBe("Dec 2026");
    expect(formatPeriod("2026-11-30", "week", "en")).toBe("Nov 30");
    expect(formatPeriod("2026-11-30", "day", "ar", true)).not.toMatch(ARABIC_INDIC);
  });
});

describe("subtractMoney", () => {
  it("subtracts decimal strings exactly, in cents", () => {
    expect(subtractMoney("354.50", "350.00")).toBe("4.50");
    expect(subtractMoney("0.3", "0.1")).toBe("0.20");
    expect(subtractMoney("100", "100.00")).toBe("0.00");
    expect(subtractMoney("1.05", "2")).toBe("-0.95");
    expect(subtractMoney("9007199254740993.01", "0.01")).toBe("9007199254740993.00");
  });
});
