import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { makeQueryClient } from "../App";
import { I18nProvider } from "../i18n/I18nProvider";
import { SessionProvider } from "../session/SessionProvider";
import { fakeServer, json } from "../test/render";
import { ForgotPassword } from "./ForgotPassword";
import { Login } from "./Login";

afterEach(() => vi.unstubAllGlobals());

const accepted = () => new Response(null, { status: 202 });

function renderFrom(route: string) {
  return render(
    <QueryClientProvider client={makeQueryClient()}>
      <I18nProvider lang="en">
        <SessionProvider>
          <MemoryRouter initialEntries={[route]}>
            <Routes>
              <Route path="/login" element={<Login />} />
              <Route path="/forgot-password" element={<ForgotPassword />} />
            </Routes>
          </MemoryRouter>
        </SessionProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

describe("Forgot / reset password", () => {
  it("goes from the login page to a code and a new password, then back to log in with a confirmation", async () => {
    const server = fakeServer({
      "POST /api/v1/auth/refresh": () => json(401, { code: "unauthenticated" }),
      "POST /api/v1/auth/password/forgot": accepted,
      "POST /api/v1/auth/password/reset": [
        () => json(422, { code: "invalid_code", detail: "wrong code" }),
        () => new Response(null, { status: 204 }),
      ],
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderFrom("/login");
    await user.click(await screen.findByRole("link", { name: "Forgot your password?" }));

    await screen.findByRole("heading", { name: "Reset your password" });
    expect(screen.getByText(/If an account matches, we send a 6-digit code/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Send code" }));
    expect(screen.getByLabelText("Email, phone or handle")).toHaveFocus(); // nothing typed yet
    await user.type(screen.getByLabelText("Email, phone or handle"), "0100 123 4567");
    await user.click(screen.getByRole("button", { name: "Send code" }));

    // The same words whether or not the account exists.
    expect(await screen.findByText(/If an account matches .*\+201001234567.*, a code is on its way/)).toBeInTheDocument();
    const code = screen.getByLabelText("6-digit code");
    expect(code).toHaveFocus();
    expect(screen.getByRole("timer")).toHaveTextContent("You can ask for a new code in");
    await user.type(code, "111111");
    await user.type(screen.getByLabelText("New password"), "N3w!Password-9");
    await user.type(screen.getByLabelText("Confirm new password"), "N3w!Password-8");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(screen.getByText("The two passwords do not match.")).toBeInTheDocument();
    expect(screen.getByLabelText("Confirm new password")).toHaveFocus();
    await user.clear(screen.getByLabelText("Confirm new password"));
    await user.type(screen.getByLabelText("Confirm new password"), "N3w!Password-9");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("That code is not right");
    expect(code).toHaveFocus();
    await user.clear(code);
    await user.type(code, "222222");
    await user.click(screen.getByRole("button", { name: "Set new password" }));

    await screen.findByRole("heading", { name: "Log in to Mini-InstaPay" });
    expect(screen.getByRole("status")).toHaveTextContent("Your password was changed");
    expect(server.calls.find((c) => c.url.endsWith("/forgot"))!.body).toEqual({ username: "+201001234567" });
    const resets = server.calls.filter((c) => c.url.endsWith("/reset"));
    expect(resets.map((c) => c.body)).toEqual([
      { username: "+201001234567", code: "111111", new_password: "N3w!Password-9" },
      { username: "+201001234567", code: "222222", new_password: "N3w!Password-9" },
    ]);
    expect(resets.every((c) => c.headers.Authorization === undefined)).toBe(true);
  });

  it("explains an expired code and a weak password, and refuses a too-early resend", async () => {
    const server = fakeServer({
      "POST /api/v1/auth/refresh": () => json(401, { code: "unauthenticated" }),
      "POST /api/v1/auth/password/forgot": accepted,
      "POST /api/v1/auth/password/reset": [
        () => json(422, { code: "code_expired", detail: "expired" }),
        () => json(422, { code: "weak_password", detail: "too common" }),
      ],
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderFrom("/forgot-password");
    await user.type(await screen.findByLabelText("Email, phone or handle"), "alice");
    await user.click(screen.getByRole("button", { name: "Send code" }));
    await user.type(await screen.findByLabelText("6-digit code"), "123456");
    await user.type(screen.getByLabelText("New password"), "Passw0rd!123");
    await user.type(screen.getByLabelText("Confirm new password"), "Passw0rd!123");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("This code has expired");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("too weak or too common"));
    await user.click(screen.getByRole("button", { name: "Send a new code" }));
    expect(server.calls.filter((c) => c.url.endsWith("/forgot"))).toHaveLength(1); // still counting down
    expect(server.calls.find((c) => c.url.endsWith("/forgot"))!.body).toEqual({ username: "alice" });
  });
});
