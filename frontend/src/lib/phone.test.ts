import { describe, expect, it } from "vitest";
import { isLocalPhone, normalisePhone, normaliseRecipient, westernDigits } from "./phone";

describe("normalisePhone", () => {
  it("turns the local Egyptian form into E.164", () => {
    expect(normalisePhone("01001234567")).toBe("+201001234567");
    expect(normalisePhone("01112345678")).toBe("+201112345678");
    expect(normalisePhone(" 0155 123-4567 ")).toBe("+201551234567");
    expect(normalisePhone("(010) 0123 4567")).toBe("+201001234567");
  });
  it("reads Arabic-Indic and Eastern Arabic-Indic digits", () => {
    expect(normalisePhone("٠١٠٠١٢٣٤٥٦٧")).toBe("+201001234567");
    expect(normalisePhone("۰۱۰۰۱۲۳۴۵۶۷")).toBe("+201001234567");
    expect(westernDigits("٩٨")).toBe("98");
  });
  it("keeps E.164 and turns a 00 prefix into +", () => {
    expect(normalisePhone("+201001234567")).toBe("+201001234567");
    expect(normalisePhone("+20 100 123 4567")).toBe("+201001234567");
    expect(normalisePhone("00201001234567")).toBe("+201001234567");
    expect(normalisePhone("+447700900123")).toBe("+447700900123");
  });
  it("leaves what is not a phone as typed (trimmed), for validation to refuse", () => {
    expect(normalisePhone("0100123456")).toBe("0100123456"); // 10 digits
    expect(normalisePhone("010012345678")).toBe("010012345678"); // 12 digits
    expect(normalisePhone("02123456789")).toBe("02123456789"); // not a mobile
    expect(normalisePhone(" abc ")).toBe("abc");
  });
  it("tells the local form apart", () => {
    expect(isLocalPhone("010 0123 4567")).toBe(true);
    expect(isLocalPhone("+201001234567")).toBe(false);
  });
});

describe("normaliseRecipient", () => {
  it("rewrites only what looks like a phone", () => {
    expect(normaliseRecipient("01101234567")).toBe("+201101234567");
    expect(normaliseRecipient("+201101234567")).toBe("+201101234567");
    expect(normaliseRecipient("@ahmed.m")).toBe("ahmed.m");
    expect(normaliseRecipient(" ahmed.m ")).toBe("ahmed.m");
    expect(normaliseRecipient("a.b@example.com")).toBe("a.b@example.com");
    // a handle made of digits and dots stays a handle unless it is a whole phone number
    expect(normaliseRecipient("user.2010")).toBe("user.2010");
    expect(normaliseRecipient("12345")).toBe("12345");
  });
});
