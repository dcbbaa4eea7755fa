import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppRoutes, makeQueryClient } from "./App";
import { I18nProvider } from "./i18n/I18nProvider";
import { SessionProvider } from "./session/SessionProvider";
import { fakeServer, json } from "./test/render";

afterEach(() => vi.unstubAllGlobals());

describe("Opening a payment link signed out", () => {
  it("logs in first, then comes back to the link", async () => {
    const server = fakeServer({
      "POST /api/v1/auth/refresh": () => json(401, { code: "unauthorized", detail: "no session" }),
      "POST /api/v1/auth/login": () => json(200, { access_token: "a.b.c", token_type: "bearer", expires_in: 900 }),
      "GET /api/v1/users/me": () =>
        json(200, { user_id: "u1", handle: "bob", full_name: "Bob B", email: "b@x.eg", phone: "+201001234568", phone_verified: true, created_at: "2026-01-01T00:00:00Z", preferences: { language: "en" } }),
      "GET /api/v1/payment-links/resolve": () =>
        json(200, { link_id: "l1", user_id: "u2", handle: "alice.a", display_name: "Alice A.", amount: "150.00", reference: null, expires_at: null, single_use: false }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    render(
      <QueryClientProvider client={makeQueryClient()}>
        <I18nProvider lang="en">
          <SessionProvider>
            <MemoryRouter initialEntries={["/pay/tok1"]}>
              <AppRoutes />
            </MemoryRouter>
          </SessionProvider>
        </I18nProvider>
      </QueryClientProvider>,
    );
    await user.type(await screen.findByLabelText("Email, phone or handle"), "bob");
    await user.type(screen.getByLabelText("Password"), "secret-password");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByTestId("recipient-name")).toHaveTextContent("Alice A.");
    expect(server.calls.find((c) => c.url.startsWith("/api/v1/payment-links/resolve"))!.url).toContain("token=tok1");
  });
});
