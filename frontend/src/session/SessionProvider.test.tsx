import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { request, setAccessToken } from "../api/http";
import { fakeServer, json } from "../test/render";
import { SESSION_HINT_COOKIE, clearSessionHint } from "./hint";
import { SessionProvider, useSession } from "./SessionProvider";

function Status() {
  const { status, endedBy } = useSession();
  return (
    <p>
      {status}
      {endedBy ? ` (${endedBy})` : ""}
    </p>
  );
}

function renderSession() {
  return render(
    <QueryClientProvider client={new QueryClient()}>
      <SessionProvider>
        <Status />
      </SessionProvider>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  clearSessionHint();
  setAccessToken(null);
});

describe("SessionProvider on page load", () => {
  it("asks for no refresh on a first visit (no session hint), so nothing fails in the console", async () => {
    const server = fakeServer({ "POST /api/v1/auth/refresh": () => json(401, { code: "invalid_refresh_token" }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    renderSession();
    expect(await screen.findByText("signed-out")).toBeInTheDocument();
    expect(server.calls).toHaveLength(0);
  });

  it("restores the session through the httpOnly cookie when the hint says one exists", async () => {
    document.cookie = `${SESSION_HINT_COOKIE}=1; Path=/`;
    const server = fakeServer({
      "POST /api/v1/auth/refresh": () => json(200, { access_token: "restored", token_type: "bearer", expires_in: 900 }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    renderSession();
    expect(await screen.findByText("signed-in")).toBeInTheDocument();
    expect(server.calls.map((c) => `${c.method} ${c.url}`)).toEqual(["POST /api/v1/auth/refresh"]);
    // The refresh token is asked for in the cookie only, never in the body.
    expect(server.calls[0].headers["X-Refresh-Transport"]).toBe("cookie");
  });

  it("forgets the hint when the refresh is refused", async () => {
    document.cookie = `${SESSION_HINT_COOKIE}=1; Path=/`;
    const server = fakeServer({ "POST /api/v1/auth/refresh": () => json(401, { code: "invalid_refresh_token" }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    renderSession();
    expect(await screen.findByText("signed-out")).toBeInTheDocument();
    await waitFor(() => expect(document.cookie).not.toContain(`${SESSION_HINT_COOKIE}=`));
  });
});

describe("SessionProvider when the server ends the session", () => {
  it("signs out at once and says the session was revoked, when a refresh is refused mid-session", async () => {
    document.cookie = `${SESSION_HINT_COOKIE}=1; Path=/`;
    const server = fakeServer({
      "POST /api/v1/auth/refresh": [
        () => json(200, { access_token: "first", token_type: "bearer", expires_in: 900 }),
        () => json(401, { code: "invalid_refresh_token" }),
      ],
      "GET /api/v1/wallet": () => json(401, { code: "session_revoked" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    renderSession();
    expect(await screen.findByText("signed-in")).toBeInTheDocument();
    await request("GET", "/api/v1/wallet").catch(() => undefined); // revoked elsewhere: 401, refresh refused
    expect(await screen.findByText("signed-out (revoked)")).toBeInTheDocument();
  });
});

