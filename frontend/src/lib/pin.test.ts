import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { COMMON_PINS, isWeakPin } from "./pin";

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
  it("refuses runs with any fixed step, wrapping past 9", () => {
    for (const pin of ["135791", "890123", "975319", "024680"]) expect(isWeakPin(pin), pin).toBe(true);
  });
  it("refuses doubled digits in a run", () => {
    for (const pin of ["112233", "998877", "778899"]) expect(isWeakPin(pin), pin).toBe(true);
  });
  it("refuses the common ones, the auth service's list exactly", () => {
    const served = readFileSync(resolve(__dirname, "../../../services/auth-service/auth_service/data/common_pins.txt"), "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"));
    expect([...COMMON_PINS].sort()).toEqual([...served].sort());
    for (const pin of served) expect(isWeakPin(pin), pin).toBe(true);
  });
  it("accepts ordinary PINs", () => {
    for (const pin of ["246810", "802413", "135790", "390517", "123457"]) expect(isWeakPin(pin), pin).toBe(false);
  });
});
