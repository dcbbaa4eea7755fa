import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { WalletPage } from "./WalletPage";

afterEach(() => vi.unstubAllGlobals());

const limits = { per_transaction: "70000.00", daily: "100000.00", daily_remaining: "100000.00", monthly: "500000.00", monthly_remaining: "500000.00" };
const wallet = () => json(200, { account_id: "a1", user_id: "u1", balance: "100.00", available_balance: "100.00", currency: "EGP", status: "active", limits });
const answer = (status: number, type: "topup" | "withdrawal", txStatus: string, amount: string) =>
  json(status, {
    id: `${type}-1`,
    type,
    direction: type === "topup" ? "in" : "out",
    amount,
    currency: "EGP",
    balance_after: "100.00",
    counterparty: null,
    transfer_id: null,
    note: null,
    status: txStatus,
    created_at: "2026-11-25T10:00:00Z",
  });

function setup(routes: Parameters<typeof fakeServer>[0], lang: "en" | "ar" = "en") {
  const server = fakeServer({ "GET /api/v1/wallet": wallet, ...routes });
  vi.stubGlobal("fetch", server.fetchImpl);
  const user = userEvent.setup({ delay: null });
  renderWithProviders(<WalletPage />, { lang });
  const topup = screen.getByRole("region", { name: lang === "en" ? "Top up" : "شحن" });
  const withdraw = screen.getByRole("region", { name: lang === "en" ? "Withdraw" : "سحب" });
  return { server, user, topup, withdraw };
}

const within = (el: HTMLElement) => ({
  label: (text: string | RegExp) => {
    const found = screen.getAllByLabelText(text).filter((n) => el.contains(n));
    return found[0] as HTMLInputElement;
  },
  status: () => el.querySelector<HTMLElement>("[role=status]")!,
  alert: () => el.querySelector<HTMLElement>("[role=alert]"),
  button: (name: string) => [...el.querySelectorAll("button")].find((b) => b.textContent === name)!,
});

describe("Top up", () => {
  it("says a bank top-up is pending until the bank confirms, and empties the form", async () => {
    const { server, user, topup } = setup({ "POST /api/v1/wallet/topups": () => answer(202, "topup", "pending", "50.00") });
    const f = within(topup);
    await user.type(f.label("Amount (EGP)"), "50");
    await user.click(f.label("Bank account"));
    await user.type(f.label("Card or account reference"), "EG-ACCOUNT");
    await user.click(f.button("Top up"));
    await vi.waitFor(() => expect(f.status()).toHaveTextContent("We'll notify you when your bank confirms it"));
    expect(f.status()).toHaveTextContent("50.00");
    expect(f.status()).not.toHaveTextContent("Added");
    expect(f.label("Amount (EGP)")).toHaveValue("");
    expect(f.label("Card or account reference")).toHaveValue("");
    const post = server.calls.find((c) => c.method === "POST")!;
    expect(post.body).toEqual({ amount: "50", source: { type: "bank", reference: "EG-ACCOUNT" } });

    // Submitting again straight away sends nothing: the fields are empty, not the same values.
    await user.click(f.button("Top up"));
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(1);
    expect(f.label("Amount (EGP)")).toHaveAttribute("aria-invalid", "true");
    // ...and the last success is gone: it never stands beside the new errors.
    expect(f.status()).toHaveTextContent("");
  });

  it("confirms a card top-up as done", async () => {
    const { user, topup } = setup({ "POST /api/v1/wallet/topups": () => answer(201, "topup", "completed", "100.00") });
    const f = within(topup);
    await user.type(f.label("Amount (EGP)"), "100");
    await user.type(f.label("Card or account reference"), "4111-TEST");
    await user.click(f.button("Top up"));
    await vi.waitFor(() => expect(f.status()).toHaveTextContent("Added"));
    expect(f.status()).toHaveTextContent("100.00");
  });

  it("explains the top-up limit and keeps what was typed", async () => {
    const { user, topup } = setup({
      "POST /api/v1/wallet/topups": () => json(422, { code: "limit_exceeded", status: 422, detail: "the daily top-up limit of 50000.00 EGP would be exceeded" }),
    });
    const f = within(topup);
    await user.type(f.label("Amount (EGP)"), "50000");
    await user.type(f.label("Card or account reference"), "4111-TEST");
    await user.click(f.button("Top up"));
    await vi.waitFor(() => expect(f.alert()).toHaveTextContent("This top-up would go over your daily or monthly top-up limit"));
    expect(f.label("Amount (EGP)")).toHaveValue("50000");
    expect(f.status()).toHaveTextContent("");
  });

  it("says the same in Arabic", async () => {
    const { user, topup } = setup({ "POST /api/v1/wallet/topups": () => answer(202, "topup", "pending", "50.00") }, "ar");
    const f = within(topup);
    await user.type(f.label("المبلغ (جنيه)"), "50");
    await user.click(f.label("حساب بنكي"));
    await user.type(f.label("مرجع البطاقة أو الحساب"), "EG-ACCOUNT");
    await user.click(f.button("شحن"));
    await vi.waitFor(() => expect(f.status()).toHaveTextContent("سنُعلمك عندما يؤكد البنك العملية"));
  });
});

describe("Withdraw", () => {
  it("says the withdrawal is requested and held, not done, and empties the form", async () => {
    const { server, user, withdraw } = setup({ "POST /api/v1/wallet/withdrawals": () => answer(201, "withdrawal", "pending", "30.00") });
    const f = within(withdraw);
    await user.type(f.label("Amount (EGP)"), "30");
    await user.type(f.label("Bank account (IBAN)"), "EG380019000500000000263180002");
    await user.type(f.label("Transaction PIN"), "246810");
    await user.click(f.button("Withdraw"));
    await vi.waitFor(() => expect(f.status()).toHaveTextContent("Withdrawal of"));
    expect(f.status()).toHaveTextContent("held from your available balance until your bank confirms");
    expect(f.status()).not.toHaveTextContent("Withdrew");
    expect(f.label("Amount (EGP)")).toHaveValue("");
    expect(f.label("Bank account (IBAN)")).toHaveValue("");
    expect(f.label("Transaction PIN")).toHaveValue("");
    const posts = server.calls.filter((c) => c.method === "POST");
    expect(posts).toHaveLength(1);
    expect(posts[0].body).toEqual({ amount: "30", destination: { type: "bank", reference: "EG380019000500000000263180002" }, pin: "246810" });

    // A second withdrawal of the same amount is a new operation with its own Idempotency-Key.
    await user.type(f.label("Amount (EGP)"), "30");
    await user.type(f.label("Bank account (IBAN)"), "EG380019000500000000263180002");
    await user.type(f.label("Transaction PIN"), "246810");
    await user.click(f.button("Withdraw"));
    await vi.waitFor(() => expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(2));
    const [first, second] = server.calls.filter((c) => c.method === "POST");
    expect(second.headers["Idempotency-Key"]).not.toBe(first.headers["Idempotency-Key"]);
  });

  it("refuses what is not an IBAN, or a mistyped one, before asking the server", async () => {
    const { server, user, withdraw } = setup({ "POST /api/v1/wallet/withdrawals": () => answer(201, "withdrawal", "pending", "30.00") });
    const f = within(withdraw);
    await user.type(f.label("Amount (EGP)"), "30");
    await user.type(f.label("Bank account (IBAN)"), "not an iban");
    await user.type(f.label("Transaction PIN"), "246810");
    await user.click(f.button("Withdraw"));
    expect(f.label("Bank account (IBAN)")).toHaveAccessibleDescription(/Enter an IBAN/);
    await user.clear(f.label("Bank account (IBAN)"));
    await user.type(f.label("Bank account (IBAN)"), "EG38 0019 0005 0000 0000 2631 8000 3");
    await user.click(f.button("Withdraw"));
    expect(f.label("Bank account (IBAN)")).toHaveAccessibleDescription(/check digits do not match/);
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });

  it("a frozen wallet cannot top up or withdraw, and says how to reach support", async () => {
    const frozen = () => json(200, { account_id: "a1", balance: "100.00", available_balance: "100.00", currency: "EGP", status: "frozen", limits });
    const { topup, withdraw } = setup({ "GET /api/v1/wallet": frozen });
    expect(await screen.findByTestId("frozen-notice")).toHaveTextContent("support@instapay.local");
    expect(within(topup).button("Top up")).toBeDisabled();
    expect(within(withdraw).button("Withdraw")).toBeDisabled();
  });
});
