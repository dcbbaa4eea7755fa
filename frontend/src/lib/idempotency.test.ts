import { describe, expect, it } from "vitest";
import { AttemptKeys } from "./idempotency";

describe("AttemptKeys", () => {
  it("reuses the key while the outcome is unknown (retry of the same attempt)", () => {
    const keys = new AttemptKeys();
    const body = { recipient: "bob", amount: "10.00" };
    const first = keys.keyFor(body);
    keys.settle(true);
    expect(keys.keyFor({ ...body })).toBe(first);
  });
  it("starts a new attempt after a definite answer", () => {
    const keys = new AttemptKeys();
    const body = { recipient: "bob", amount: "10.00" };
    const first = keys.keyFor(body);
    keys.settle(false);
    expect(keys.keyFor(body)).not.toBe(first);
  });
  it("starts a new attempt when the values change", () => {
    const keys = new AttemptKeys();
    const first = keys.keyFor({ recipient: "bob", amount: "10.00" });
    keys.settle(true);
    expect(keys.keyFor({ recipient: "bob", amount: "11.00" })).not.toBe(first);
  });
  it("keys are unique and within the 1-255 char contract", () => {
    const seen = new Set(Array.from({ length: 50 }, () => new AttemptKeys().keyFor({})));
    expect(seen.size).toBe(50);
    for (const k of seen) expect(k.length).toBeGreaterThan(0);
  });
});
