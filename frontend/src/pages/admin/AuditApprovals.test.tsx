import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setAccessToken } from "../../api/http";
import { formatMoney } from "../../lib/money";
import { fakeServer, json, renderWithProviders } from "../../test/render";
import { Approvals } from "./Approvals";
import { Audit } from "./Audit";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  setAccessToken(null);
});

const ME = "aaaaaaaa-0000-4000-8000-000000000001";
const OTHER = "bbbbbbbb-0000-4000-8000-000000000002";
/** An access token whose payload names the signed-in admin (the signature is the server's business). */
function signInAs(sub: string) {
  setAccessToken(`h.${btoa(JSON.stringify({ sub, roles: ["admin"] })).replace(/=+$/, "")}.s`);
}

const entry = (n: number, over: Record<string, unknown> = {}) => ({
  service: "transaction",
  id: n,
  at: "2026-12-01T09:00:00.000000Z",
  actor: OTHER,
  actor_role: "admin",
  action: "wallet.freeze",
  subject: "user:11111111",
  details: { reason: "fraud report", amount: "50.00" },
  ip: "10.0.0.7",
  request_id: `req-${n}`,
  prev_hash: "0".repeat(64),
  hash: "f".repeat(64),
  ...over,
});

const proposal = (id: string, over: Record<string, unknown> = {}) => ({
  approval_id: id,
  action: "wallet.freeze",
  subject: "wallet:w1",
  payload: { reason: "fraud" },
  proposed_by: OTHER,
  proposed_at: "2026-12-03T09:00:00Z",
  expires_at: "2026-12-04T09:00:00Z",
  status: "pending",
  approved_by: null,
  approved_at: null,
  rejected_by: null,
  rejected_at: null,
  result: null,
  ...over,
});

function openAudit(route = "/admin/audit", lang: "en" | "ar" = "en") {
  return renderWithProviders(
    <Routes>
      <Route path="/admin/audit" element={<Audit />} />
    </Routes>,
    { route, lang },
  );
}

describe("Admin console: audit log", () => {
  it("lists entries with actor, role, action, subject, service and details, and filters through the URL", async () => {
    const server = fakeServer({
      "GET /api/v1/admin/audit": [
        () => json(200, { items: [entry(1), entry(2, { action: "wallet.unfreeze", details: {}, service: "auth" })], next_cursor: "c2" }),
        () => json(200, { items: [entry(3, { action: "limits.change" })], next_cursor: null }),
        () => json(200, { items: [], next_cursor: null }),
      ],
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    openAudit();
    const rows = await screen.findAllByTestId("audit-row");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("wallet.freeze");
    expect(rows[0]).toHaveTextContent(OTHER);
    expect(rows[0]).toHaveTextContent("admin");
    expect(rows[0]).toHaveTextContent("user:11111111");
    expect(rows[0]).toHaveTextContent("transaction");
    expect(rows[0]).toHaveTextContent("10.0.0.7");
    expect(rows[0]).toHaveTextContent("req-1");
    expect(rows[0]).toHaveTextContent("fraud report");
    await user.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(screen.getAllByTestId("audit-row")).toHaveLength(3));
    expect(new URL(server.calls[1].url, "http://x").searchParams.get("cursor")).toBe("c2");

    await user.type(screen.getByLabelText("Actor"), ` ${OTHER} `);
    await user.type(screen.getByLabelText("Action"), "wallet.freeze");
    await user.type(screen.getByLabelText("From"), "2026-12-01");
    await user.type(screen.getByLabelText("To"), "2026-12-02");
    await user.click(screen.getByRole("button", { name: "Filter" }));
    expect(await screen.findByText("No entries match these filters.")).toBeInTheDocument();
    const q = new URL(server.calls[2].url, "http://x").searchParams;
    // The operator's own days, as timestamps: From's start, and the start of the day after To.
    expect(Object.fromEntries(q)).toEqual({
      actor: OTHER,
      action: "wallet.freeze",
      from: new Date(2026, 11, 1).toISOString(),
      to: new Date(2026, 11, 3).toISOString(),
      limit: "50",
    });
  });

  it("reads its filters from the URL, refuses a From after To, and reads in Arabic", async () => {
    const server = fakeServer({ "GET /api/v1/admin/audit": () => json(200, { items: [entry(1)], next_cursor: null }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    openAudit("/admin/audit?subject=user%3A11111111", "ar");
    expect(await screen.findByRole("heading", { name: "سجل التدقيق" })).toBeInTheDocument();
    await screen.findAllByTestId("audit-row");
    expect(new URL(server.calls[0].url, "http://x").searchParams.get("subject")).toBe("user:11111111");
    expect(screen.getByLabelText("الهدف")).toHaveValue("user:11111111");
    await user.type(screen.getByLabelText("من"), "2026-12-05");
    await user.type(screen.getByLabelText("إلى"), "2026-12-01");
    expect(screen.getByRole("alert")).toHaveTextContent("«من»");
    expect(screen.getByRole("button", { name: "تصفية" })).toBeDisabled();
  });

  it("holds the action filter to what the server accepts (lowercase, digits, _ and .)", async () => {
    const server = fakeServer({ "GET /api/v1/admin/audit": () => json(200, { items: [], next_cursor: null }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    openAudit();
    await screen.findByText("No entries match these filters.");
    await user.type(screen.getByLabelText("Action"), "Wallet Freeze");
    expect(screen.getByLabelText("Action")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("button", { name: "Filter" })).toBeDisabled();
    expect(screen.getByLabelText("Actor")).toHaveAttribute("maxLength", "64");
    expect(screen.getByLabelText("Subject")).toHaveAttribute("maxLength", "128");
  });

  it("shows a refusal for a user without the admin role", async () => {
    vi.stubGlobal("fetch", fakeServer({ "GET /api/v1/admin/audit": () => json(403, { code: "forbidden", detail: "admin role required" }) }).fetchImpl);
    openAudit();
    expect(await screen.findByRole("alert")).toHaveTextContent("You are not allowed to do this.");
  });
});

describe("Admin console: approvals", () => {
  it("lists what waits first, hides Approve on one's own proposals, shows expired ones, and approves after asking", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-03T12:00:00Z") });
    signInAs(ME);
    const server = fakeServer({
      "GET /api/v1/admin/approvals": () =>
        json(200, {
          items: [
            proposal("p-done", { status: "approved", approved_by: ME, approved_at: "2026-12-02T10:00:00Z", proposed_at: "2026-12-02T09:00:00Z" }),
            proposal("p-mine", { proposed_by: ME, action: "wallet.unfreeze" }),
            proposal("p-old", { expires_at: "2026-12-03T10:00:00Z" }), // pending on the server, past its expiry
            proposal("p-theirs", { action: "limits.change", expires_at: "2026-12-03T18:00:00Z" }),
          ],
          next_cursor: null,
        }),
      "POST /api/v1/admin/approvals/p-theirs/approve": () => json(200, { id: "p-theirs", status: "approved" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Approvals />);
    await screen.findAllByTestId("approval");
    const items = screen.getAllByTestId("approval");
    // Waiting ones first, the one expiring soonest on top; then the decided and expired ones.
    expect(items.map((i) => i.getAttribute("data-status"))).toEqual(["pending", "pending", "expired", "approved"]);
    expect(items[0]).toHaveTextContent("limits.change");
    expect(screen.getByTestId("approvals-count")).toHaveTextContent("Waiting for approval: 2");

    const mine = items[1];
    expect(within(mine).getByTestId("approval-action")).toHaveTextContent("Unfreeze a wallet");
    expect(within(mine).queryByRole("button", { name: "Approve" })).not.toBeInTheDocument();
    expect(within(mine).getByTestId("approval-own")).toHaveTextContent("another admin must approve it");
    expect(items[2]).toHaveTextContent("Expired");
    expect(within(items[2]).queryByRole("button", { name: "Approve" })).not.toBeInTheDocument();
    expect(items[3]).toHaveTextContent("Approved by");

    await user.click(within(items[0]).getByRole("button", { name: "Approve" }));
    expect(within(items[0]).getByRole("alert")).toHaveTextContent("Approve limits.change? It is carried out at once.");
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(0);
    await user.click(within(items[0]).getByRole("button", { name: "Yes, approve" }));
    expect(await screen.findByText("Approved and carried out.")).toBeInTheDocument();
    expect(server.calls.filter((c) => c.method === "POST").map((c) => c.url)).toEqual(["/api/v1/admin/approvals/p-theirs/approve"]);
  });

  it("says the server's refusal of a self-approval, and reads in Arabic", async () => {
    signInAs(ME);
    const server = fakeServer({
      "GET /api/v1/admin/approvals": () => json(200, { items: [proposal("p1", { expires_at: "2999-01-01T00:00:00Z" })], next_cursor: null }),
      "POST /api/v1/admin/approvals/p1/approve": () => json(403, { code: "forbidden", detail: "self-approval" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Approvals />, { lang: "ar" });
    expect(await screen.findByRole("heading", { name: "الموافقات" })).toBeInTheDocument();
    await user.click(await screen.findByRole("button", { name: "موافقة" }));
    await user.click(screen.getByRole("button", { name: "نعم، وافق" }));
    await waitFor(() => expect(screen.getByRole("alert")).toHaveAttribute("data-code", "forbidden"));
  });

  it("rejects another admin's proposal after asking", async () => {
    signInAs(ME);
    const server = fakeServer({
      "GET /api/v1/admin/approvals": [
        () => json(200, { items: [proposal("p1", { expires_at: "2999-01-01T00:00:00Z" })], next_cursor: null }),
        () =>
          json(200, {
            items: [proposal("p1", { status: "rejected", rejected_by: ME, rejected_at: "2026-12-03T10:00:00Z", expires_at: "2999-01-01T00:00:00Z" })],
            next_cursor: null,
          }),
      ],
      "POST /api/v1/admin/approvals/p1/reject": () => json(200, proposal("p1", { status: "rejected", rejected_by: ME })),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Approvals />);
    const item = (await screen.findAllByTestId("approval"))[0];
    await user.click(within(item).getByRole("button", { name: "Reject" }));
    expect(within(item).getByRole("alert")).toHaveTextContent('Reject "Freeze a wallet"? It will not be carried out.');
    await user.click(within(item).getByRole("button", { name: "Yes, reject" }));
    expect(await screen.findByText("Rejected: nothing was carried out.")).toBeInTheDocument();
    expect(server.calls.filter((c) => c.method === "POST").map((c) => c.url)).toEqual(["/api/v1/admin/approvals/p1/reject"]);
    await waitFor(() => expect(screen.getByTestId("approval")).toHaveAttribute("data-status", "rejected"));
    expect(screen.getByTestId("approval")).toHaveTextContent("Rejected by");
    expect(within(screen.getByTestId("approval")).queryByRole("button", { name: "Reject" })).not.toBeInTheDocument();
  });

  it("reads a dispute decision as one, shows its result, and explains a reversal the recipient cannot cover", async () => {
    signInAs(ME);
    const D1 = "dddddddd-0000-4000-8000-000000000001";
    const D2 = "dddddddd-0000-4000-8000-000000000002";
    const decision = (id: string, subject: string, over: Record<string, unknown> = {}) =>
      proposal(id, { action: "dispute.resolve", subject, payload: { outcome: "reverse", note: "Wrong number typed" }, expires_at: "2999-01-01T00:00:00Z", ...over });
    const server = fakeServer({
      "GET /api/v1/admin/approvals": () =>
        json(200, {
          items: [
            decision("p-open", D1),
            decision("p-done", D2, {
              status: "approved",
              approved_by: ME,
              approved_at: "2026-12-03T10:00:00Z",
              payload: { outcome: "reject", note: "Goods were delivered" },
              result: { id: D2, reference: "DPDONE0002", status: "rejected", reversal_id: null },
            }),
          ],
          next_cursor: null,
        }),
      "GET /api/v1/admin/disputes": () => json(200, { items: [{ id: D1, reference: "DPOPEN0001" }], next_cursor: null }),
      "POST /api/v1/admin/approvals/p-open/approve": () =>
        json(409, { code: "reversal_insufficient_funds", detail: "low", reversal_amount: "150.00", available_balance: "20.00" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Approvals />);
    await waitFor(() => expect(screen.getAllByTestId("approval-dispute")[0]).toHaveTextContent("DPOPEN0001"));
    const [open, done] = screen.getAllByTestId("approval");
    expect(open).toHaveTextContent("Reverse a disputed transfer");
    expect(within(open).getByTestId("approval-outcome")).toHaveTextContent("Reverse: money back to the sender");
    expect(within(open).getByTestId("approval-note")).toHaveTextContent("Wrong number typed");
    expect(open).not.toHaveTextContent("outcome"); // no raw payload keys
    expect(done).toHaveTextContent("Reject a dispute");
    expect(within(done).getByTestId("approval-dispute")).toHaveTextContent("DPDONE0002");
    expect(within(done).getByTestId("approval-result")).toHaveTextContent("Result: Closed");

    await user.click(within(open).getByRole("button", { name: "Approve" }));
    await user.click(within(open).getByRole("button", { name: "Yes, approve" }));
    expect(await screen.findByText(/the recipient no longer holds the disputed amount/)).toBeInTheDocument();
    expect(screen.getByTestId("approval-shortfall")).toHaveTextContent("150.00");
    expect(screen.getByTestId("approval-shortfall")).toHaveTextContent("20.00");
  });

  it("says a reversal the recipient cannot cover in Arabic", async () => {
    signInAs(ME);
    const server = fakeServer({
      "GET /api/v1/admin/approvals": () =>
        json(200, { items: [proposal("p1", { action: "dispute.resolve", subject: "d1", payload: { outcome: "reverse", note: "خطأ" }, expires_at: "2999-01-01T00:00:00Z" })], next_cursor: null }),
      "GET /api/v1/admin/disputes": () => json(200, { items: [], next_cursor: null }),
      "POST /api/v1/admin/approvals/p1/approve": () => json(409, { code: "reversal_insufficient_funds", detail: "low" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Approvals />, { lang: "ar" });
    expect(await screen.findByText("استرداد تحويل متنازع عليه")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "موافقة" }));
    await user.click(screen.getByRole("button", { name: "نعم، وافق" }));
    expect(await screen.findByText(/لم يعد المبلغ المتنازع عليه لدى المستلم/)).toBeInTheDocument();
  });

  describe("reads wallet actions and the wallet they left, like the wallet panel", () => {
    const USER = "cccccccc-0000-4000-8000-000000000003";
    const walletAfter = (status: string, perTransaction: string) => ({
      account_id: "a1",
      user_id: USER,
      balance: "1250.50",
      available_balance: "1200.00",
      currency: "EGP",
      status,
      limits: {
        per_transaction: perTransaction,
        daily: "20000.00",
        daily_used: "0.00",
        daily_remaining: "20000.00",
        monthly: "100000.00",
        monthly_used: "0.00",
        monthly_remaining: "100000.00",
      },
    });
    const decided = (id: string, action: string, at: string, payload: Record<string, unknown>, result: Record<string, unknown>) =>
      proposal(id, { action, subject: USER, payload, result, status: "approved", approved_by: ME, approved_at: at, proposed_at: at });
    const items = [
      decided("p-freeze", "wallet.freeze", "2026-12-03T09:00:00Z", { reason: "fraud report" }, walletAfter("frozen", "5000.00")),
      decided("p-unfreeze", "wallet.unfreeze", "2026-12-02T09:00:00Z", { reason: "cleared" }, walletAfter("active", "5000.00")),
      decided("p-limits", "wallet.limits", "2026-12-01T09:00:00Z", { per_transaction: "100000.00", daily: null, reason: "a business" }, walletAfter("active", "100000.00")),
    ];

    async function open(lang: "en" | "ar") {
      signInAs(OTHER);
      vi.stubGlobal("fetch", fakeServer({ "GET /api/v1/admin/approvals": () => json(200, { items, next_cursor: null }) }).fetchImpl);
      renderWithProviders(<Approvals />, { lang });
      const found = await screen.findAllByTestId("approval");
      return Object.fromEntries(found.map((el) => [el.getAttribute("data-action"), el]));
    }

    /** Each label of a result or payload list, with the value beside it. */
    const pairs = (list: HTMLElement) =>
      Object.fromEntries(Array.from(list.querySelectorAll(".details-pair")).map((p) => [p.querySelector("dt")!.textContent, p.querySelector("dd")!.textContent]));

    it("in English", async () => {
      const by = await open("en");
      const money = (amount: string) => formatMoney(amount, "en", "EGP");
      expect(within(by["wallet.freeze"]).getByTestId("approval-action")).toHaveTextContent("Freeze a wallet");
      expect(within(by["wallet.unfreeze"]).getByTestId("approval-action")).toHaveTextContent("Unfreeze a wallet");
      expect(within(by["wallet.limits"]).getByTestId("approval-action")).toHaveTextContent("Change a wallet's spending limits");
      expect(pairs(within(by["wallet.freeze"]).getByTestId("approval-wallet"))).toEqual({
        Status: "Frozen",
        Balance: money("1250.50"),
        Available: money("1200.00"),
        "Limit per transaction": money("5000.00"),
        "Limit per day": money("20000.00"),
        "Limit per month": money("100000.00"),
      });
      expect(pairs(within(by["wallet.freeze"]).getByTestId("approval-payload"))).toEqual({ Reason: "fraud report" });
      expect(within(by["wallet.unfreeze"]).getByTestId("approval-wallet")).toHaveTextContent("StatusActive");
      expect(pairs(within(by["wallet.limits"]).getByTestId("approval-payload"))).toEqual({
        "Limit per transaction": money("100000.00"),
        "Limit per day": "Back to the default",
        Reason: "a business",
      });
      expect(pairs(within(by["wallet.limits"]).getByTestId("approval-wallet"))["Limit per transaction"]).toBe(money("100000.00"));
      expect(money("100000.00")).toContain("100,000.00");
      for (const item of Object.values(by)) {
        // No stored names or JSON left: the action's own name, the keys, the braces.
        expect(item).not.toHaveTextContent(/wallet\.|available_balance|per_transaction|daily_used|[{}]/);
      }
    });

    it("in Arabic", async () => {
      const by = await open("ar");
      const money = (amount: string) => formatMoney(amount, "ar", "EGP");
      expect(within(by["wallet.freeze"]).getByTestId("approval-action")).toHaveTextContent("تجميد محفظة");
      expect(within(by["wallet.unfreeze"]).getByTestId("approval-action")).toHaveTextContent("إلغاء تجميد محفظة");
      expect(within(by["wallet.limits"]).getByTestId("approval-action")).toHaveTextContent("تغيير حدود الإنفاق لمحفظة");
      expect(pairs(within(by["wallet.freeze"]).getByTestId("approval-wallet"))).toEqual({
        الحالة: "مجمّدة",
        الرصيد: money("1250.50"),
        المتاح: money("1200.00"),
        "الحد للعملية الواحدة": money("5000.00"),
        "الحد اليومي": money("20000.00"),
        "الحد الشهري": money("100000.00"),
      });
      expect(pairs(within(by["wallet.unfreeze"]).getByTestId("approval-wallet")).الحالة).toBe("نشطة");
      expect(pairs(within(by["wallet.limits"]).getByTestId("approval-payload"))).toEqual({
        "الحد للعملية الواحدة": money("100000.00"),
        "الحد اليومي": "العودة إلى الحد الافتراضي",
        السبب: "a business",
      });
      expect(money("1200.00")).toContain("ج.م.");
      for (const item of Object.values(by)) {
        expect(item).not.toHaveTextContent(/wallet\.|available_balance|per_transaction|[{}]/);
      }
    });
  });
});
