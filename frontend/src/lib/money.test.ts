import { describe, expect, it } from "vitest";
import { formatMoney, subtractMoney } from "./money";

describe("formatMoney", () => {
  it("formats EGP for en-EG with two decimals", () => {
    const text = formatMoney("1250.5", "en");
    expect(text).toMatch(/EGP/);
    expect(text).toContain("1,250.50");
  });
  it("formats EGP for ar-EG with Arabic digits", () => {
    const text = formatMoney("1250.5", "ar");
    expect(text).toContain("١٬٢٥٠٫٥٠");
    expect(text).toMatch(/ج\.م/);
  });
  it("keeps the value of a decimal string exactly at 2 digits", () => {
    expect(formatMoney("70000.00", "en")).toContain("70,000.00");
    expect(formatMoney("0.01", "en")).toContain("0.01");
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
