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

const profile = {
  user_id: "u1",
  full_name: "Alice A",
  email: "a@b.co",
  phone: "+201001234567",
  handle: "alice",
  created_at: "2026-11-25T10:00:00Z",
  preferences: { language: "en", notify_email: true, notify_sms: false, notify_push: true },
};

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
    await user.type(screen.getByLabelText(/Mobile number/), "0100123456");
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

  it("registers with a local phone, verifies it with the SMS code, sets a strong PIN twice, and may skip the e-mail", async () => {
    const server = fakeServer({
      "POST /api/v1/auth/refresh": () => json(401, { code: "unauthenticated" }),
      "POST /api/v1/auth/register": () => json(201, { user_id: "u1", email: "a@b.co", phone: "+201001234567", handle: "alice" }),
      "POST /api/v1/auth/login": () => json(200, { access_token: "tok", token_type: "bearer", expires_in: 900 }),
      "GET /api/v1/users/me": () => json(200, { ...profile, phone_verified: false, email_verified: false }),
      "POST /api/v1/auth/verify/phone/send": () => new Response(null, { status: 202 }),
      "POST /api/v1/auth/verify/phone": () => new Response(null, { status: 204 }),
      "POST /api/v1/auth/verify/email/send": () => new Response(null, { status: 202 }),
      "PUT /api/v1/auth/pin": () => new Response(null, { status: 204 }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderRegister();
    expect(screen.getByText("Step 1 of 4")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Full name"), "Alice A");
    await user.type(screen.getByLabelText("Email"), "a@b.co");
    await user.type(screen.getByLabelText(/Mobile number/), "010 0123 4567");
    await user.type(screen.getByLabelText(/Payment handle/), "alice");
    await user.type(screen.getByLabelText("Password"), "Str0ng!Pass-1");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    // Step 2: the SMS code, sent to the E.164 form of what was typed.
    await screen.findByRole("heading", { name: "Verify your mobile number" });
    expect(screen.getByText("Step 2 of 4")).toBeInTheDocument();
    expect(await screen.findByText(/We sent a code to/)).toHaveTextContent("+201001234567");
    await user.type(screen.getByLabelText("6-digit code"), "314159");
    await user.click(screen.getByRole("button", { name: "Verify" }));

    // Step 3: the PIN, twice, not an easy one.
    await screen.findByRole("heading", { name: "Set your transaction PIN" });
    await user.type(screen.getByLabelText("Transaction PIN"), "123456");
    await user.type(screen.getByLabelText("Confirm PIN"), "123456");
    await user.click(screen.getByRole("button", { name: "Set PIN and continue" }));
    expect(screen.getByText(/too easy to guess/)).toBeInTheDocument();
    await user.clear(screen.getByLabelText("Transaction PIN"));
    await user.type(screen.getByLabelText("Transaction PIN"), "802413");
    await user.click(screen.getByRole("button", { name: "Set PIN and continue" }));
    expect(screen.getByText("The two PINs do not match.")).toBeInTheDocument();
    await user.clear(screen.getByLabelText("Confirm PIN"));
    await user.type(screen.getByLabelText("Confirm PIN"), "802413");
    await user.click(screen.getByRole("button", { name: "Set PIN and continue" }));

    // Step 4: the e-mail, which can wait.
    await screen.findByRole("heading", { name: "Verify your email (optional)" });
    expect(screen.getByText("Step 4 of 4")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Skip for now" }));

    const reg = server.calls.find((c) => c.url.endsWith("/register"))!;
    expect((reg.body as { phone: string }).phone).toBe("+201001234567");
    expect(reg.headers.Authorization).toBeUndefined();
    expect(server.calls.find((c) => c.url.endsWith("/verify/phone"))!.body).toEqual({ code: "314159" });
    const pinCalls = server.calls.filter((c) => c.method === "PUT");
    expect(pinCalls.map((c) => c.body)).toEqual([{ pin: "802413", password: "Str0ng!Pass-1" }]);
    expect(pinCalls[0].headers.Authorization).toBe("Bearer tok");
    expect(server.calls.some((c) => c.url.endsWith("/verify/email"))).toBe(false);
  });

  it("shows the server's weak_pin refusal", async () => {
    const server = fakeServer({
      "POST /api/v1/auth/refresh": () => json(401, { code: "unauthenticated" }),
      "POST /api/v1/auth/register": () => json(201, { user_id: "u1", email: "a@b.co", phone: "+201001234567", handle: "alice" }),
      "POST /api/v1/auth/login": () => json(200, { access_token: "tok", token_type: "bearer", expires_in: 900 }),
      // A server that does not report verification: the code steps are skipped.
      "GET /api/v1/users/me": () => json(200, profile),
      "PUT /api/v1/auth/pin": () => json(422, { code: "weak_pin", detail: "PIN too easy to guess" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderRegister();
    await user.type(screen.getByLabelText("Full name"), "Alice A");
    await user.type(screen.getByLabelText("Email"), "a@b.co");
    await user.type(screen.getByLabelText(/Mobile number/), "+201001234567");
    await user.type(screen.getByLabelText("Password"), "Str0ng!Pass-1");
    await user.click(screen.getByRole("button", { name: "Create account" }));
    await screen.findByRole("heading", { name: "Set your transaction PIN" });
    expect(screen.getByText("Step 2 of 2")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Transaction PIN"), "802413");
    await user.type(screen.getByLabelText("Confirm PIN"), "802413");
    await user.click(screen.getByRole("button", { name: "Set PIN and continue" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("This PIN is too easy to guess");
  });
});
