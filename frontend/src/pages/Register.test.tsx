import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { makeQueryClient } from "../App";
import { I18nProvider } from "../i18n/I18nProvider";
import { SessionProvider } from "../session/SessionProvider";
import { fakeServer, json } from "../test/render";
import { Register } from "./Register";

afterEach(() => vi.unstubAllGlobals());

function renderRegister() {
  return render(
    <QueryClientProvider client={makeQueryClient()}>
      <I18nProvider lang="en">
        <SessionProvider>
          <MemoryRouter>
            <Register />
          </MemoryRouter>
        </SessionProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

describe("Register", () => {
  it("validates like the API and sends nothing when invalid", async () => {
    const server = fakeServer({ "POST /api/v1/auth/refresh": () => json(401, { code: "unauthenticated" }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderRegister();
    await user.type(screen.getByLabelText("Email"), "not-an-email");
    await user.type(screen.getByLabelText(/Mobile number/), "01001234567");
    await user.type(screen.getByLabelText(/Payment handle/), "No");
    await user.type(screen.getByLabelText("Password"), "short");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    expect(screen.getByText("This field is required.")).toBeInTheDocument();
    expect(screen.getByText(/valid email/)).toBeInTheDocument();
    expect(screen.getByText(/international format/)).toBeInTheDocument();
    expect(screen.getByText(/lowercase letters/)).toBeInTheDocument();
    expect(screen.getByText(/10 to 128/)).toBeInTheDocument();
    expect(server.calls.filter((c) => c.url.includes("register"))).toHaveLength(0);
  });

  it("registers, logs in, then sets the PIN", async () => {
    const server = fakeServer({
      "POST /api/v1/auth/refresh": () => json(401, { code: "unauthenticated" }),
      "POST /api/v1/auth/register": () => json(201, { user_id: "u1", email: "a@b.co", phone: "+201001234567", handle: "alice" }),
      "POST /api/v1/auth/login": () => json(200, { access_token: "tok", token_type: "bearer", expires_in: 900 }),
      "PUT /api/v1/auth/pin": () => new Response(null, { status: 204 }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderRegister();
    await user.type(screen.getByLabelText("Full name"), "Alice A");
    await user.type(screen.getByLabelText("Email"), "a@b.co");
    await user.type(screen.getByLabelText(/Mobile number/), "+201001234567");
    await user.type(screen.getByLabelText(/Payment handle/), "alice");
    await user.type(screen.getByLabelText("Password"), "Str0ng!Pass-1");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    await screen.findByRole("heading", { name: "Set your transaction PIN" });
    await user.type(screen.getByLabelText("Transaction PIN"), "123456");
    await user.type(screen.getByLabelText("Confirm PIN"), "654321");
    await user.click(screen.getByRole("button", { name: "Set PIN and continue" }));
    expect(screen.getByText("The two PINs do not match.")).toBeInTheDocument();
    await user.clear(screen.getByLabelText("Confirm PIN"));
    await user.type(screen.getByLabelText("Confirm PIN"), "123456");
    await user.click(screen.getByRole("button", { name: "Set PIN and continue" }));
    await vi.waitFor(() => expect(server.calls.some((c) => c.method === "PUT")).toBe(true));
    const pinCall = server.calls.find((c) => c.method === "PUT")!;
    expect(pinCall.body).toEqual({ pin: "123456", password: "Str0ng!Pass-1" });
    expect(pinCall.headers.Authorization).toBe("Bearer tok");
    const reg = server.calls.find((c) => c.url.endsWith("/register"))!;
    expect(reg.headers.Authorization).toBeUndefined();
  });
});
