import { describe, expect, it } from "vitest";
import { normaliseIban, validateIban } from "./iban";

describe("validateIban", () => {
  it("accepts a valid Egyptian IBAN, typed with spaces or lower case", () => {
    expect(validateIban("EG380019000500000000263180002")).toBeNull();
    expect(validateIban("eg38 0019 0005 0000 0000 2631 8000 2")).toBeNull();
    expect(normaliseIban("eg38 0019-0005")).toBe("EG3800190005");
  });
  it("refuses what is not an IBAN, a wrong length for the country, and a typo", () => {
    expect(validateIban("")).toBe("v.required");
    expect(validateIban("not an iban")).toBe("v.iban");
    expect(validateIban("EG38001900050000000026318000")).toBe("v.iban_length");
    expect(validateIban("EG380019000500000000263180003")).toBe("v.iban_check");
  });
  it("checks other countries by mod-97 too", () => {
    expect(validateIban("GB82 WEST 1234 5698 7654 32")).toBeNull();
    expect(validateIban("GB82 WEST 1234 5698 7654 33")).toBe("v.iban_check");
  });
});
