import { describe, expect, it } from "vitest";
import {
  normaliseAmount,
  validateAmount,
  validateHandle,
  validatePassword,
  validatePhone,
  validatePin,
  validateNewPin,
  validateCode,
  normaliseCode,
  validateRecipient,
} from "./validation";

describe("amount", () => {
  it.each(["1", "0.01", "125.5", "125.50", "70000", "70000.00"])("accepts %s", (v) => {
    expect(validateAmount(v)).toBeNull();
  });
  it.each([
    ["", "v.amount_required"],
    ["0", "v.amount_positive"],
    ["0.00", "v.amount_positive"],
    ["-5", "v.amount_format"],
    ["1.234", "v.amount_format"],
    ["abc", "v.amount_format"],
    ["NaN", "v.amount_format"],
    ["Infinity", "v.amount_format"],
    ["1e3", "v.amount_format"],
    ["70000.01", "v.amount_max"],
    ["999999", "v.amount_max"],
  ])("refuses %s with %s", (v, key) => {
    expect(validateAmount(v)).toBe(key);
  });
  it("strips thousands separators", () => {
    expect(normaliseAmount(" 1,250.50 ")).toBe("1250.50");
  });
});

describe("identity fields", () => {
  it("phone is E.164 or the local Egyptian form", () => {
    expect(validatePhone("+201001234567")).toBeNull();
    expect(validatePhone("01001234567")).toBeNull();
    expect(validatePhone("0100 123 4567")).toBeNull();
    expect(validatePhone("0100123456")).toBe("v.phone");
    expect(validatePhone("+0123")).toBe("v.phone");
  });
  it("handle is 3-30 of a-z0-9._", () => {
    expect(validateHandle("ahmed.m_1")).toBeNull();
    expect(validateHandle("ab")).toBe("v.handle");
    expect(validateHandle("Ahmed")).toBe("v.handle");
    expect(validateHandle("a".repeat(31))).toBe("v.handle");
    expect(validateHandle("", true)).toBeNull();
  });
  it("PIN is exactly 6 digits", () => {
    expect(validatePin("123456")).toBeNull();
    expect(validatePin("12345")).toBe("v.pin");
    expect(validatePin("12345a")).toBe("v.pin");
  });
  it("a new PIN is also not an easy one (entering an existing PIN checks the format only)", () => {
    expect(validateNewPin("246810")).toBeNull();
    expect(validateNewPin("123456")).toBe("v.pin_weak");
    expect(validateNewPin("000000")).toBe("v.pin_weak");
    expect(validateNewPin("12345")).toBe("v.pin");
    expect(validatePin("000000")).toBeNull();
  });
  it("a one-time code is 6 digits, Arabic-Indic digits too", () => {
    expect(validateCode("042917")).toBeNull();
    expect(validateCode("٠٤٢٩١٧")).toBeNull();
    expect(normaliseCode("٠٤٢ ٩١٧")).toBe("042917");
    expect(validateCode("04291")).toBe("v.code");
    expect(validateCode("04291a")).toBe("v.code");
  });
  it("password needs length and a mix", () => {
    expect(validatePassword("short1")).toBe("v.password_length");
    expect(validatePassword("onlyletterslong")).toBe("v.password_mix");
    expect(validatePassword("lowerand12345")).toBe("v.password_mix");
    expect(validatePassword("Lowerand12345")).toBeNull();
    expect(validatePassword("Str0ng!Pass-1")).toBeNull();
  });
  it("recipient is a handle, phone or email", () => {
    expect(validateRecipient("@ahmed.m")).toBeNull();
    expect(validateRecipient("+201001234567")).toBeNull();
    expect(validateRecipient("01101234567")).toBeNull();
    expect(validateRecipient("a@b.co")).toBeNull();
    expect(validateRecipient("no spaces")).toBe("v.recipient");
    expect(validateRecipient(" ")).toBe("v.recipient_required");
  });
});
