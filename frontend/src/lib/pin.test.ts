import { describe, expect, it } from "vitest";
import { isWeakPin } from "./pin";

describe("isWeakPin (the auth service's weak_pin rule)", () => {
  it("refuses one digit repeated", () => {
    for (const d of "0123456789") expect(isWeakPin(d.repeat(6)), d.repeat(6)).toBe(true);
  });
  it("refuses a repeated pair or triple", () => {
    for (const pin of ["121212", "909090", "123123", "770770"]) expect(isWeakPin(pin), pin).toBe(true);
  });
  it("refuses ascending and descending runs", () => {
    for (const pin of ["012345", "123456", "456789", "987654", "543210", "654321"]) expect(isWeakPin(pin), pin).toBe(true);
  });
  it("refuses the common ones", () => {
    for (const pin of ["112233", "123321", "111222", "159753", "147258", "102030"]) expect(isWeakPin(pin), pin).toBe(true);
  });
  it("accepts ordinary PINs", () => {
    for (const pin of ["246810", "802413", "135790", "390517", "123457"]) expect(isWeakPin(pin), pin).toBe(false);
  });
});
