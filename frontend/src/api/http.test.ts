import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json } from "../test/render";
import { ApiError, getAccessToken, request, setAccessToken } from "./http";

afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
});

describe("request", () => {
  it("refreshes once on 401 via the cookie and retries with the new token", async () => {
    const server = fakeServer({
      "GET /api/v1/wallet": [json(401, { code: "unauthenticated" }), json(200, { balance: "5.00" })].map((r) => () => r),
      "POST /api/v1/auth/refresh": () => json(200, { access_token: "new-token", token_type: "bearer", expires_in: 900 }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    setAccessToken("old-token");
    const wallet = await request<{ balance: string }>("GET", "/api/v1/wallet");
    expect(wallet.balance).toBe("5.00");
    expect(server.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "GET /api/v1/wallet",
      "POST /api/v1/auth/refresh",
      "GET /api/v1/wallet",
    ]);
    expect(server.calls[0].headers.Authorization).toBe("Bearer old-token");
    // Every call asks for cookie-only refresh tokens (sign-in and refresh answers omit it from the body).
    expect(server.calls.every((c) => c.headers["X-Refresh-Transport"] === "cookie")).toBe(true);
    expect(server.calls[2].headers.Authorization).toBe("Bearer new-token");
    expect(getAccessToken()).toBe("new-token");
  });

  it("gives up after one failed refresh and signs out", async () => {
    const server = fakeServer({
      "GET /api/v1/wallet": () => json(401, { code: "unauthenticated", detail: "expired" }),
      "POST /api/v1/auth/refresh": () => json(401, { code: "unauthenticated" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    setAccessToken("old-token");
    await expect(request("GET", "/api/v1/wallet")).rejects.toMatchObject({ status: 401, code: "unauthenticated" });
    expect(server.calls).toHaveLength(2);
    expect(getAccessToken()).toBeNull();
  });

  it("a wrong confirming password (401 invalid_credentials) is not an expired session: no refresh", async () => {
    const server = fakeServer({
      "POST /api/v1/auth/clients": () => json(401, { code: "invalid_credentials", detail: "wrong password" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    setAccessToken("tok");
    await expect(request("POST", "/api/v1/auth/clients", { body: {} })).rejects.toMatchObject({ status: 401, code: "invalid_credentials" });
    expect(server.calls).toHaveLength(1);
    expect(getAccessToken()).toBe("tok");
  });

  it("reads Retry-After (seconds or an HTTP date) into the error", async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    const server = fakeServer({
      "POST /api/v1/auth/verify/phone/send": [
        () => new Response(JSON.stringify({ code: "rate_limited" }), { status: 429, headers: { "Retry-After": "42" } }),
        () => new Response(JSON.stringify({ code: "rate_limited" }), { status: 429, headers: { "Retry-After": at } }),
      ],
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    await expect(request("POST", "/api/v1/auth/verify/phone/send")).rejects.toMatchObject({ retryAfter: 42 });
    const err = (await request("POST", "/api/v1/auth/verify/phone/send").catch((e: unknown) => e)) as ApiError;
    expect(err.retryAfter).toBeGreaterThan(100);
    expect(err.retryAfter).toBeLessThanOrEqual(120);
  });

  it("turns problem+json into ApiError with field errors", async () => {
    const server = fakeServer({
      "POST /api/v1/transfers": () =>
        json(422, { code: "validation_error", detail: "bad", errors: [{ field: "body.amount", message: "too many decimals" }] }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const err = await request("POST", "/api/v1/transfers", { body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).errors[0].field).toBe("body.amount");
    expect((err as ApiError).outcomeUnknown).toBe(false);
  });

  it("never stores tokens in web storage", async () => {
    setAccessToken("secret-token");
    expect(JSON.stringify({ ...localStorage })).not.toContain("secret-token");
    expect(JSON.stringify({ ...sessionStorage })).not.toContain("secret-token");
  });
});
