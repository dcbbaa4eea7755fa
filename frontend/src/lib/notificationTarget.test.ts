import { describe, expect, it } from "vitest";
import { notificationTarget } from "./notificationTarget";

describe("notificationTarget", () => {
  it("opens the transfer, the top-up or withdrawal, in its detail view", () => {
    expect(notificationTarget({ type: "transfer.received", data: { transfer_id: "t1" } })).toBe("/transactions/t1");
    expect(notificationTarget({ type: "withdrawal.failed", data: { transaction_id: "x9" } })).toBe("/transactions/x9");
  });
  it("opens a request in Requests, on the right side, and a paid one as its transfer", () => {
    expect(notificationTarget({ type: "payment_request.received", data: { request_id: "r1" } })).toBe("/requests?tab=incoming&request=r1");
    expect(notificationTarget({ type: "payment_request.declined", data: { request_id: "r1" } })).toBe("/requests?request=r1");
    expect(notificationTarget({ type: "payment_request.accepted", data: { request_id: "r1", transfer_id: "t2" } })).toBe("/transactions/t2");
  });
  it("opens Security for security notices, and nothing for a notice about nothing", () => {
    expect(notificationTarget({ type: "security.login", data: {} })).toBe("/security");
    expect(notificationTarget({ type: "transfer.received", data: null })).toBeNull();
  });
});
