import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, networkError, renderWithProviders } from "../test/render";
import { Send } from "./Send";

afterEach(() => vi.unstubAllGlobals());

const lookup = () => json(200, { user_id: "u2", handle: "bob.s", display_name: "Bob S." });
const transfer = () =>
  json(201, {
    id: "t1",
    status: "completed",
    amount: "125.50",
    currency: "EGP",
    sender: { user_id: "u1", handle: "alice" },
    recipient: { user_id: "u2", handle: "bob.s", display_name: "Bob S." },
    note: null,
    created_at: "2026-11-25T10:00:00Z",
  });

const me = () => json(200, { user_id: "u1", handle: "alice", full_name: "Alice A", email: "a@x.eg", phone: "+201001234567", created_at: "2026-01-01T00:00:00Z", preferences: { language: "en" } });
const wallet = (status = "active", available = "500.00") => () =>
  json(200, {
    account_id: "w1",
    balance: available,
    available_balance: available,
    currency: "EGP",
    status,
    limits: { per_transaction: "70000.00", daily: "100000.00", daily_remaining: "100000.00", monthly: "500000.00", monthly_remaining: "500000.00" },
  });
const base = { "GET /api/v1/users/me": me, "GET /api/v1/wallet": wallet() };

/** Recipient, amount, Review: the review screen, with the PIN typed. */
async function fillUntilConfirm(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText(/Recipient/), "bob.s");
  await user.click(screen.getByRole("button", { name: "Find recipient" }));
  expect(await screen.findByTestId("recipient-name")).toHaveTextContent("Bob S.");
  await user.type(screen.getByLabelText("Amount (EGP)"), "125.50");
  await user.click(screen.getByRole("button", { name: "Review" }));
  await user.type(await screen.findByLabelText("Transaction PIN"), "123456");
}

describe("Send money", () => {
  it("shows the masked name before confirming, then sends with an Idempotency-Key", async () => {
    const server = fakeServer({ ...base, "GET /api/v1/users/lookup": lookup, "POST /api/v1/transfers": transfer });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    await fillUntilConfirm(user);
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    expect(await screen.findByTestId("send-success")).toHaveTextContent("Bob S.");
    const post = server.calls.find((c) => c.method === "POST")!;
    expect(post.body).toEqual({ recipient: "bob.s", amount: "125.50", pin: "123456" });
    expect(post.headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("blocks invalid amounts client-side and sends nothing", async () => {
    const server = fakeServer({ ...base, "GET /api/v1/users/lookup": lookup });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    await user.type(screen.getByLabelText(/Recipient/), "bob.s");
    await user.click(screen.getByRole("button", { name: "Find recipient" }));
    await screen.findByTestId("recipient-name");
    await user.type(screen.getByLabelText("Amount (EGP)"), "70000.01");
    await user.click(screen.getByRole("button", { name: "Review" }));
    expect(screen.getByText(/maximum per transaction/)).toBeInTheDocument();
    expect(screen.getByLabelText("Amount (EGP)")).toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByLabelText("Transaction PIN")).not.toBeInTheDocument(); // still not on the review
    await user.clear(screen.getByLabelText("Amount (EGP)"));
    await user.type(screen.getByLabelText("Amount (EGP)"), "10");
    await user.click(screen.getByRole("button", { name: "Review" }));
    await user.type(await screen.findByLabelText("Transaction PIN"), "12");
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    expect(screen.getByText(/exactly 6 digits/)).toBeInTheDocument();
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });

  it("reuses the key when retrying after a network failure, and uses a new one after a decline", async () => {
    const server = fakeServer({ ...base,
      "GET /api/v1/users/lookup": lookup,
      "POST /api/v1/transfers": [
        () => networkError(),
        () => json(422, { code: "insufficient_funds", detail: "Insufficient funds" }),
        transfer,
      ],
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    await fillUntilConfirm(user);
    const confirm = screen.getByRole("button", { name: "Confirm and send" });

    await user.click(confirm);
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not reach the server");
    await user.click(confirm);
    expect(await screen.findByRole("alert")).toHaveTextContent("Insufficient funds");
    await user.type(screen.getByLabelText("Transaction PIN"), "123456");
    await user.click(confirm);
    await screen.findByText(/Sent/);

    const keys = server.calls.filter((c) => c.method === "POST").map((c) => c.headers["Idempotency-Key"]);
    expect(keys).toHaveLength(3);
    expect(keys[1]).toBe(keys[0]); // same attempt, outcome unknown: same key
    expect(keys[2]).not.toBe(keys[1]); // the decline ended that attempt
  });

  it("a double click sends one request", async () => {
    let release: () => void = () => {};
    const server = fakeServer({ ...base,
      "GET /api/v1/users/lookup": lookup,
      "POST /api/v1/transfers": () => new Promise<Response>((r) => (release = () => r(transfer()))),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    await fillUntilConfirm(user);
    await user.dblClick(screen.getByRole("button", { name: "Confirm and send" }));
    await waitFor(() => expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(1));
    release();
    await screen.findByText(/Sent/);
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(1);
  });

  it.each([
    ["pin_locked", 423, /locked/],
    ["limit_exceeded", 422, /daily or monthly limit/],
    ["invalid_pin", 403, /Wrong PIN/],
  ])("explains %s", async (code, status, text) => {
    const server = fakeServer({ ...base, "GET /api/v1/users/lookup": lookup, "POST /api/v1/transfers": () => json(status, { code }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    await fillUntilConfirm(user);
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(text);
  });

  it("says how many PIN tries are left, and on a lock how long and how to get out of it", async () => {
    const server = fakeServer({ ...base,
      "GET /api/v1/users/lookup": lookup,
      "POST /api/v1/transfers": [
        () => json(403, { code: "invalid_pin", detail: "Wrong PIN; 2 attempt(s) left before the PIN is locked" }),
        () => json(403, { code: "invalid_pin", detail: "Wrong PIN; the PIN is now locked for 15 minutes" }),
        () => json(423, { code: "pin_locked", detail: "PIN locked; try again in 900 seconds" }),
      ],
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    await fillUntilConfirm(user);
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong PIN. Tries left before the PIN locks for 15 minutes: 2.");
    await user.type(screen.getByLabelText("Transaction PIN"), "123456");
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("Your PIN is now locked for 15 minutes"));
    await user.type(screen.getByLabelText("Transaction PIN"), "123456");
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("set a new PIN with your password on the Security page"));
    expect(screen.getByRole("link", { name: "Change transaction PIN" })).toHaveAttribute("href", "/security");
  });

  it("looks a local phone up in E.164, and sends an unverified sender to verify", async () => {
    const server = fakeServer({ ...base,
      "GET /api/v1/users/lookup": lookup,
      "POST /api/v1/transfers": () => json(403, { code: "phone_not_verified", detail: "verify your phone" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    await user.type(screen.getByLabelText(/Recipient/), "011 0123 4567");
    await user.click(screen.getByRole("button", { name: "Find recipient" }));
    await screen.findByTestId("recipient-name");
    expect(server.calls.find((c) => c.url.includes("lookup"))!.url).toBe("/api/v1/users/lookup?q=%2B201101234567");
    await user.type(screen.getByLabelText("Amount (EGP)"), "10");
    await user.click(screen.getByRole("button", { name: "Review" }));
    await user.type(await screen.findByLabelText("Transaction PIN"), "802413");
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Verify your mobile number before moving money.");
    expect(screen.getByRole("link", { name: "Verify now" })).toHaveAttribute("href", "/verify");
  });

  it("shows recipient_not_found from the lookup", async () => {
    const server = fakeServer({ ...base, "GET /api/v1/users/lookup": () => json(404, { code: "recipient_not_found" }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    await user.type(screen.getByLabelText(/Recipient/), "nobody.here");
    await user.click(screen.getByRole("button", { name: "Find recipient" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("No user found");
  });

  it("moves focus to the first invalid field after a refused submit, and to the error or PIN after a refusal", async () => {
    const server = fakeServer({ ...base,
      "GET /api/v1/users/lookup": lookup,
      "POST /api/v1/transfers": [() => json(403, { code: "invalid_pin" }), () => json(422, { code: "insufficient_funds" }), transfer],
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    await user.click(screen.getByRole("button", { name: "Find recipient" }));
    expect(screen.getByLabelText(/Recipient/)).toHaveFocus();
    await user.type(screen.getByLabelText(/Recipient/), "bob.s{Enter}");
    await screen.findByTestId("recipient-name");
    expect(screen.getByLabelText("Amount (EGP)")).toHaveFocus();
    await user.type(screen.getByLabelText("Amount (EGP)"), "10{Enter}"); // Enter goes to the review, never sends
    expect(await screen.findByTestId("send-review")).toHaveTextContent("Bob S.");
    expect(screen.getByLabelText("Transaction PIN")).toHaveFocus();
    await user.keyboard("{Enter}"); // no PIN yet
    expect(screen.getByLabelText("Transaction PIN")).toHaveAccessibleDescription(/exactly 6 digits/);
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.type(screen.getByLabelText("Transaction PIN"), "000000{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong PIN");
    await waitFor(() => expect(screen.getByLabelText("Transaction PIN")).toHaveFocus());
    // The PIN field was emptied: nothing typed yet, so no format error beside the server's.
    expect(screen.queryByText(/exactly 6 digits/)).not.toBeInTheDocument();
    expect(screen.getAllByRole("alert")).toHaveLength(1);
    await user.type(screen.getByLabelText("Transaction PIN"), "123456{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("Insufficient funds");
    await waitFor(() => expect(screen.getByRole("alert")).toHaveFocus());
    await user.type(screen.getByLabelText("Transaction PIN"), "123456{Enter}");
    // The result is announced (role=status) and focused; the receipt's own status region stays empty.
    await waitFor(() => expect(screen.getByTestId("send-success")).toHaveFocus());
    expect(screen.getByTestId("send-success")).toHaveAttribute("role", "status");
    expect(screen.getByTestId("send-success")).toHaveTextContent("Bob S.");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument(); // no old error beside the success
    await user.click(screen.getByRole("button", { name: "Send again" }));
    expect(screen.getByLabelText("Amount (EGP)")).toHaveFocus();
    expect(screen.getByTestId("recipient-name")).toHaveTextContent("Bob S.");
  });

  it("reviews recipient, amount and note before the PIN; the success says what happened, once", async () => {
    const server = fakeServer({
      ...base,
      "GET /api/v1/users/lookup": () => json(200, { user_id: "u2", handle: "bassem", display_name: "Bassem Y." }),
      "GET /api/v1/wallet": [wallet(), wallet("active", "374.50")],
      "POST /api/v1/transfers": () =>
        json(201, {
          id: "t1",
          reference: "IP7K3Q9X2M",
          status: "completed",
          amount: "125.50",
          currency: "EGP",
          sender: { user_id: "u1", handle: "alice" },
          recipient: { user_id: "u2", handle: "bassem", display_name: "Bassem Y." },
          note: "lunch",
          created_at: "2026-11-25T10:00:00Z",
        }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    expect(await screen.findByTestId("send-available")).toHaveTextContent("500.00");
    await user.type(screen.getByLabelText(/Recipient/), "bassem{Enter}");
    await user.type(await screen.findByLabelText("Amount (EGP)"), "125.50");
    await user.type(screen.getByLabelText("Note (optional)"), "lunch{Enter}");
    const review = await screen.findByTestId("send-review");
    expect(review).toHaveTextContent("Bassem Y.");
    expect(review).toHaveTextContent("125.50");
    expect(review).toHaveTextContent("lunch");
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(0);
    await user.type(screen.getByLabelText("Transaction PIN"), "123456{Enter}");
    const done = await screen.findByTestId("send-success");
    expect(done).toHaveTextContent("125.50");
    expect(screen.getByTestId("sent-to")).toHaveTextContent(/^Bassem Y\.$/);
    expect(done.textContent).not.toContain(".."); // no full stop added after a name that has one
    expect(await screen.findByTestId("new-balance")).toHaveTextContent("374.50");
    expect(screen.getByTestId("paid-reference")).toHaveTextContent("IP7K3Q9X2M");
    // The form is gone: nothing left to submit a second time.
    expect(screen.queryByRole("button", { name: "Confirm and send" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Done" })).toBeInTheDocument();
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(1);
  });

  it("refuses sending to oneself as soon as the recipient is found, before any PIN", async () => {
    const server = fakeServer({ ...base, "GET /api/v1/users/lookup": () => json(200, { user_id: "u1", handle: "alice", display_name: "Alice A." }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    await screen.findByTestId("send-available"); // the profile and wallet are in
    await user.type(screen.getByLabelText(/Recipient/), "alice{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("You cannot send money to yourself.");
    expect(screen.queryByLabelText("Amount (EGP)")).not.toBeInTheDocument();
    expect(screen.queryByLabelText("Transaction PIN")).not.toBeInTheDocument();
  });

  it("a frozen wallet cannot start a transfer, and says how to reach support", async () => {
    const server = fakeServer({ ...base, "GET /api/v1/wallet": wallet("frozen"), "GET /api/v1/users/lookup": lookup });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    const notice = await screen.findByTestId("frozen-notice");
    expect(notice).toHaveTextContent("Your wallet is frozen.");
    expect(screen.getByRole("link", { name: "support@instapay.local" })).toHaveAttribute("href", "mailto:support@instapay.local");
    await user.type(screen.getByLabelText(/Recipient/), "bob.s{Enter}");
    await user.type(await screen.findByLabelText("Amount (EGP)"), "10");
    expect(screen.getByRole("button", { name: "Review" })).toBeDisabled();
  });
});
