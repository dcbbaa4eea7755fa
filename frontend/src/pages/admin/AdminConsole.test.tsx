import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setAccessToken } from "../../api/http";
import { makeQueryClient } from "../../App";
import { I18nProvider, type Lang } from "../../i18n/I18nProvider";
import { SessionProvider } from "../../session/SessionProvider";
import { fakeServer, json } from "../../test/render";
import { AdminLayout } from "./AdminLayout";
import { Overview } from "./Overview";
import { UserDetail } from "./UserDetail";
import { Users } from "./Users";

afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
});

/** An access token whose payload holds `roles` (the signature is the server's business). */
function tokenWith(roles: string[]): string {
  const payload = btoa(JSON.stringify({ sub: "u-admin", roles })).replace(/=+$/, "");
  return `h.${payload}.s`;
}

function renderConsole(route: string, { roles = ["admin"], lang = "en" as Lang } = {}) {
  setAccessToken(tokenWith(roles));
  const client = makeQueryClient();
  client.setDefaultOptions({ queries: { retry: false }, mutations: { retry: false } });
  return render(
    <QueryClientProvider client={client}>
      <I18nProvider lang={lang}>
        <SessionProvider>
          <MemoryRouter initialEntries={[route]}>
            <Routes>
              <Route path="/admin" element={<AdminLayout />}>
                <Route index element={<Overview />} />
                <Route path="users" element={<Users />} />
                <Route path="users/:userId" element={<UserDetail />} />
              </Route>
            </Routes>
          </MemoryRouter>
        </SessionProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

const MONA = {
  user_id: "11111111-1111-4111-8111-111111111111",
  full_name: "Mona Hassan",
  email: "mona@example.com",
  phone: "+201001234567",
  handle: "mona.h",
  created_at: "2026-11-01T10:00:00Z",
  preferences: { language: "ar", notify_email: true, notify_sms: false, notify_push: true },
  phone_verified: true,
  email_verified: false,
};
const wallet = (status: "active" | "frozen", reason: string | null = null) => ({
  account_id: "a1",
  user_id: MONA.user_id,
  balance: "250.00",
  available_balance: "250.00",
  currency: "EGP",
  status,
  limits: {},
  frozen_reason: reason,
  frozen_at: reason ? "2026-12-03T09:00:00Z" : null,
});

describe("Admin console", () => {
  it("tells a user without the admin role that the console is not for them, and asks the server nothing", async () => {
    const server = fakeServer({});
    vi.stubGlobal("fetch", server.fetchImpl);
    renderConsole("/admin", { roles: [] });
    expect(screen.getByRole("heading", { level: 1, name: "Not allowed" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Back to your dashboard" })).toHaveAttribute("href", "/");
    expect(screen.queryByRole("navigation", { name: "Administration sections" })).toBeNull();
    expect(server.calls).toHaveLength(0);
  });

  it("shows the overview's totals, and every day's numbers in a table", async () => {
    const server = fakeServer({
      "GET /api/v1/admin/reports/overview": () =>
        json(200, {
          from: "2026-11-04",
          to: "2026-12-03",
          currency: "EGP",
          users: { total: 120, new: 7, active: 31 },
          volume: { transfer: "15250.50", topup: "20000.00", withdrawal: "1200.00" },
          counts: { transfer: 88, topup: 40, withdrawal: 3 },
          per_day: [
            { date: "2026-12-02", active_users: 12, new_users: 2, transfer_volume: "250.25", transfer_count: 4, topup_volume: "0.00", topup_count: 0, withdrawal_volume: "0.00", withdrawal_count: 0 },
            { date: "2026-12-03", active_users: 9, new_users: 1, transfer_volume: "1000.00", transfer_count: 2, topup_volume: "500.00", topup_count: 1, withdrawal_volume: "0.00", withdrawal_count: 0 },
          ],
        }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup();
    renderConsole("/admin");
    const nav = screen.getByRole("navigation", { name: "Administration sections" });
    expect(within(nav).getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
    const stats = await screen.findByTestId("admin-stats");
    expect(stats).toHaveTextContent("120");
    expect(stats).toHaveTextContent("7 new in this period");
    expect(stats).toHaveTextContent("15,250.50");
    expect(stats).toHaveTextContent("88 operations");
    await user.click(screen.getByText("Show the numbers as a table"));
    const table = screen.getByRole("table", { name: "Platform activity per day" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent("Dec 2");
    expect(rows[1]).toHaveTextContent("250.25");
    // Another period asks for its own dates.
    await user.click(screen.getByRole("button", { name: "Last 7 days" }));
    expect(screen.getByRole("button", { name: "Last 7 days" })).toHaveAttribute("aria-pressed", "true");
    const asked = server.calls.map((c) => new URL(c.url, "http://x").searchParams.get("from"));
    expect(new Set(asked).size).toBe(2);
  });

  it("finds a user and opens their page", async () => {
    const server = fakeServer({
      "GET /api/v1/admin/users": (call) => {
        const q = new URL(call.url, "http://x").searchParams.get("q");
        return json(200, { items: q === "mona" ? [MONA] : [], next_cursor: null });
      },
      [`GET /api/v1/admin/users/${MONA.user_id}`]: () => json(200, MONA),
      [`GET /api/v1/admin/wallets/${MONA.user_id}`]: () => json(200, wallet("active")),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup();
    renderConsole("/admin/users");
    await user.type(screen.getByLabelText("Handle, e-mail, phone or name"), "nobody{Enter}");
    expect(await screen.findByText("No user matches “nobody”.")).toBeInTheDocument();
    const box = screen.getByLabelText("Handle, e-mail, phone or name");
    await user.clear(box);
    await user.type(box, "mona{Enter}");
    const results = await screen.findByTestId("admin-user-results");
    expect(results).toHaveTextContent("Mona Hassan");
    expect(results).toHaveTextContent("Phone: verified");
    await user.click(within(results).getByRole("link"));
    expect(await screen.findByRole("heading", { level: 2, name: "Mona Hassan" })).toBeInTheDocument();
    expect(screen.getByTestId("admin-profile")).toHaveTextContent("E-mail: not verified");
    expect(await screen.findByTestId("admin-wallet-status")).toHaveTextContent("Active");
    expect(screen.getByRole("link", { name: "Back to the search" })).toHaveAttribute("href", "/admin/users?q=mona");
  });

  it("proposes a freeze only with a reason and after a confirmation, and says a second admin approves it", async () => {
    const server = fakeServer({
      [`GET /api/v1/admin/users/${MONA.user_id}`]: () => json(200, MONA),
      [`GET /api/v1/admin/wallets/${MONA.user_id}`]: () => json(200, wallet("active")),
      // Two-person control: the call proposes (202); the wallet changes once another admin approves.
      [`POST /api/v1/admin/wallets/${MONA.user_id}/freeze`]: () =>
        json(202, {
          approval_id: "a1",
          action: "wallet.freeze",
          subject: MONA.user_id,
          status: "pending",
          proposed_by: "admin-1",
          proposed_at: "2026-12-01T10:00:00.000Z",
          expires_at: "2026-12-02T10:00:00.000Z",
        }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup();
    renderConsole(`/admin/users/${MONA.user_id}`);
    await screen.findByTestId("admin-wallet-status");
    await user.click(screen.getByRole("button", { name: "Freeze…" }));
    expect(screen.getByText("Write the reason first.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Reason (the user is told this)"), "Card reported stolen");
    await user.click(screen.getByRole("button", { name: "Freeze…" }));
    const confirm = screen.getByRole("group");
    expect(confirm).toHaveTextContent("Freeze the wallet of");
    expect(confirm).toHaveTextContent("Card reported stolen");
    expect(server.calls.some((c) => c.method === "POST")).toBe(false); // nothing before the confirmation
    await user.click(screen.getByRole("button", { name: "Yes, freeze the wallet" }));
    expect(await screen.findByText(/is proposed: it takes effect when another admin approves it/)).toBeInTheDocument();
    expect(screen.getByTestId("admin-wallet-status")).toHaveTextContent("Active");
    expect(server.calls.filter((c) => c.method === "POST").map((c) => c.body)).toEqual([{ reason: "Card reported stolen" }]);
  });

  it("reads in Arabic", async () => {
    vi.stubGlobal("fetch", fakeServer({}).fetchImpl);
    renderConsole("/admin", { roles: [], lang: "ar" });
    expect(screen.getByRole("heading", { level: 1, name: "غير مسموح" })).toBeInTheDocument();
  });
});

describe("Admin console: spending limits (ops21)", () => {
  const limited = {
    ...wallet("active"),
    limits: { per_transaction: "70000.00", daily: "50.00", daily_used: "0.00", daily_remaining: "50.00", monthly: "400000.00", monthly_used: "0.00", monthly_remaining: "400000.00" },
    limit_overrides: { per_transaction: null, daily: "50.00", monthly: null },
  };

  it("proposes new limits with a reason, sends only the ones entered, and says a second admin approves it", async () => {
    const server = fakeServer({
      [`GET /api/v1/admin/users/${MONA.user_id}`]: () => json(200, MONA),
      [`GET /api/v1/admin/wallets/${MONA.user_id}`]: () => json(200, limited),
      [`POST /api/v1/admin/wallets/${MONA.user_id}/limits`]: () =>
        json(202, {
          approval_id: "a2",
          action: "wallet.limits",
          subject: MONA.user_id,
          status: "pending",
          proposed_by: "admin-1",
          proposed_at: "2026-12-01T10:00:00.000Z",
          expires_at: "2026-12-02T10:00:00.000Z",
        }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup();
    renderConsole(`/admin/users/${MONA.user_id}`);
    const panel = await screen.findByTestId("limits-panel");
    expect(panel).toHaveTextContent("(set for this wallet)");
    expect(panel).toHaveTextContent("(the default)");
    const submit = within(panel).getByRole("button", { name: "Propose the new limits" });

    await user.click(submit);
    expect(within(panel).getByRole("alert")).toHaveTextContent("Enter at least one new limit.");
    await user.type(within(panel).getByLabelText("Per day (EGP)"), "1.001");
    await user.click(submit);
    expect(within(panel).getByRole("alert")).toHaveTextContent("Enter an amount above zero with at most 2 decimals.");
    await user.clear(within(panel).getByLabelText("Per day (EGP)"));
    await user.type(within(panel).getByLabelText("Per day (EGP)"), "150000.00");
    await user.click(submit);
    expect(within(panel).getByRole("alert")).toHaveTextContent("Write the reason first.");
    expect(server.calls.some((c) => c.method === "POST")).toBe(false);

    await user.type(within(panel).getByLabelText("Reason (for the audit log)"), "Business account");
    await user.click(submit);
    expect(await screen.findByText(/Changing the limits of .* is proposed: it takes effect when another admin approves it/)).toBeInTheDocument();
    expect(server.calls.filter((c) => c.method === "POST").map((c) => c.body)).toEqual([{ daily: "150000.00", reason: "Business account" }]);
  });

  it("reads in Arabic", async () => {
    vi.stubGlobal(
      "fetch",
      fakeServer({
        [`GET /api/v1/admin/users/${MONA.user_id}`]: () => json(200, MONA),
        [`GET /api/v1/admin/wallets/${MONA.user_id}`]: () => json(200, limited),
      }).fetchImpl,
    );
    renderConsole(`/admin/users/${MONA.user_id}`, { lang: "ar" });
    const panel = await screen.findByTestId("limits-panel");
    expect(within(panel).getByRole("heading", { name: "حدود الإنفاق" })).toBeInTheDocument();
    expect(within(panel).getByRole("button", { name: "اقترح الحدود الجديدة" })).toBeInTheDocument();
  });
});
