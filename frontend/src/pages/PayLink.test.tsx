import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { PayLink } from "./PayLink";

afterEach(() => vi.unstubAllGlobals());

const me = () => json(200, { user_id: "u1", handle: "bob", full_name: "Bob B", email: "b@x.eg", phone: "+201001234568", created_at: "2026-01-01T00:00:00Z", preferences: { language: "en" } });
const wallet = () =>
  json(200, {
    account_id: "w1",
    balance: "500.00",
    available_balance: "500.00",
    currency: "EGP",
    status: "active",
    limits: { per_transaction: "70000.00", daily: "100000.00", daily_remaining: "100000.00", monthly: "500000.00", monthly_remaining: "500000.00" },
  });
const resolved = (over: Record<string, unknown> = {}) => () =>
  json(200, { link_id: "l1", user_id: "u2", handle: "alice.a", display_name: "Alice A.", amount: "150.00", reference: "Order 7", expires_at: null, single_use: true, ...over });
const paid = () =>
  json(201, {
    id: "t9",
    status: "completed",
    amount: "150.00",
    currency: "EGP",
    sender: { user_id: "u1", handle: "bob" },
    recipient: { user_id: "u2", handle: "alice.a", display_name: "Alice A." },
    note: null,
    reference: "IP7K3Q9X2M",
    payment_link_id: "l1",
    payment_request_id: null,
    created_at: "2026-11-25T10:00:00Z",
  });
const base = { "GET /api/v1/users/me": me, "GET /api/v1/wallet": wallet };

function open(lang: "en" | "ar" = "en") {
  return renderWithProviders(
    <Routes>
      <Route path="/pay/:token" element={<PayLink />} />
    </Routes>,
    { route: "/pay/tok.abc", lang },
  );
}

describe("Pay by link", () => {
  it("shows whom and how much, then pays the link (not a recipient) with the PIN", async () => {
    const server = fakeServer({ ...base, "GET /api/v1/payment-links/resolve": resolved(), "POST /api/v1/transfers": paid });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    open();
    expect(await screen.findByTestId("recipient-name")).toHaveTextContent("Alice A.");
    expect(screen.getByTestId("review-amount")).toHaveTextContent("150.00");
    expect(screen.getByTestId("link-reference")).toHaveTextContent("Order 7");
    expect(screen.queryByLabelText("Amount (EGP)")).not.toBeInTheDocument(); // the link fixes it
    expect(server.calls.find((c) => c.url.startsWith("/api/v1/payment-links/resolve"))!.url).toContain("token=tok.abc");
    await user.type(screen.getByLabelText("Transaction PIN"), "123456");
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    expect(await screen.findByTestId("send-success")).toHaveTextContent("Alice A.");
    expect(screen.getByTestId("paid-reference")).toHaveTextContent("IP7K3Q9X2M");
    expect(screen.getByTestId("see-details")).toHaveAttribute("href", "/transactions/t9");
    // The same success screen as Send: the new balance, and the receipt to share or download.
    expect(await screen.findByTestId("new-balance")).toHaveTextContent("500.00");
    expect(screen.getByRole("button", { name: "Share receipt" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Download receipt" })).toBeInTheDocument();
    const post = server.calls.find((c) => c.method === "POST")!;
    expect(post.body).toEqual({ payment_link: "tok.abc", amount: "150.00", pin: "123456" });
    expect(post.headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("asks for the amount when the link leaves it to the payer", async () => {
    const server = fakeServer({ ...base, "GET /api/v1/payment-links/resolve": resolved({ amount: null, reference: null }), "POST /api/v1/transfers": paid });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    open();
    await user.type(await screen.findByLabelText("Amount (EGP)"), "75.5");
    await user.click(screen.getByRole("button", { name: "Review" }));
    expect(screen.getByTestId("review-amount")).toHaveTextContent("75.5");
    await user.type(screen.getByLabelText("Transaction PIN"), "123456");
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    await screen.findByTestId("send-success");
    expect(server.calls.find((c) => c.method === "POST")!.body).toMatchObject({ payment_link: "tok.abc", amount: "75.5" });
  });

  it.each([
    [410, "payment_link_expired", "This payment link has expired"],
    [404, "payment_link_not_found", "This payment link is not valid"],
    [409, "payment_link_used", "already been paid"],
  ])("says in plain words why a link cannot be paid (%i %s)", async (status, code, words) => {
    const server = fakeServer({ ...base, "GET /api/v1/payment-links/resolve": () => json(status, { code, detail: "x" }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    open();
    expect(await screen.findByRole("alert")).toHaveTextContent(words);
    expect(screen.queryByLabelText("Transaction PIN")).not.toBeInTheDocument();
  });

  it("refuses a second payment of a single-use link with the used message, in Arabic too", async () => {
    const server = fakeServer({
      ...base,
      "GET /api/v1/payment-links/resolve": resolved(),
      "POST /api/v1/transfers": () => json(409, { code: "payment_link_used", detail: "used" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    open("ar");
    await screen.findByTestId("recipient-name");
    await user.type(screen.getByLabelText("الرقم السري للمعاملات"), "123456");
    await user.click(screen.getByRole("button", { name: /تأكيد/ }));
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("تم دفع رابط الدفع هذا بالفعل"));
    expect(screen.getByRole("alert")).toHaveFocus(); // the form's button is not where attention should stay
  });

  it("refuses paying one's own link before any PIN", async () => {
    const server = fakeServer({ ...base, "GET /api/v1/payment-links/resolve": resolved({ user_id: "u1" }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    open();
    expect(await screen.findByRole("alert")).toHaveAttribute("data-code", "self_transfer");
    expect(screen.queryByLabelText("Transaction PIN")).not.toBeInTheDocument();
  });
});
