import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../i18n/I18nProvider";
import { SessionProvider } from "../session/SessionProvider";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { Login } from "./Login";

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe("Login language switch", () => {
  it("switches the page to Arabic and keeps the choice for the next visit", async () => {
    const server = fakeServer({ "POST /api/v1/auth/refresh": () => json(401, { status: 401, code: "unauthenticated" }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    // Not forced to a language: the provider starts from the stored preference, like the app.
    const { unmount } = renderWithProviders(
      <I18nProvider>
        <SessionProvider>
          <Login />
        </SessionProvider>
      </I18nProvider>,
    );
    expect(await screen.findByRole("heading", { level: 1 })).toHaveTextContent("Log in");
    await user.click(screen.getByRole("button", { name: "العربية" }));
    expect(screen.getByRole("button", { name: "العربية" })).toHaveAttribute("aria-pressed", "true");
    expect(document.documentElement).toHaveAttribute("dir", "rtl");
    expect(localStorage.getItem("instapay.lang")).toBe("ar");
    unmount();
    renderWithProviders(
      <I18nProvider>
        <SessionProvider>
          <Login />
        </SessionProvider>
      </I18nProvider>,
    );
    expect(screen.getByRole("button", { name: "العربية" })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "false");
  });
});
