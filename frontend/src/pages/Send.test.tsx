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

async function fillUntilConfirm(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText(/Recipient/), "bob.s");
  await user.click(screen.getByRole("button", { name: "Find recipient" }));
  expect(await screen.findByTestId("recipient-name")).toHaveTextContent("Bob S.");
  await user.type(screen.getByLabelText("Amount (EGP)"), "125.50");
  await user.type(screen.getByLabelText("Transaction PIN"), "123456");
}

describe("Send money", () => {
  it("shows the masked name before confirming, then sends with an Idempotency-Key", async () => {
    const server = fakeServer({ "GET /api/v1/users/lookup": lookup, "POST /api/v1/transfers": transfer });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    await fillUntilConfirm(user);
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Bob S.");
    const post = server.calls.find((c) => c.method === "POST")!;
    expect(post.body).toEqual({ recipient: "bob.s", amount: "125.50", pin: "123456" });
    expect(post.headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("blocks invalid amounts client-side and sends nothing", async () => {
    const server = fakeServer({ "GET /api/v1/users/lookup": lookup });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    await user.type(screen.getByLabelText(/Recipient/), "bob.s");
    await user.click(screen.getByRole("button", { name: "Find recipient" }));
    await screen.findByTestId("recipient-name");
    await user.type(screen.getByLabelText("Amount (EGP)"), "70000.01");
    await user.type(screen.getByLabelText("Transaction PIN"), "12");
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    expect(screen.getByText(/maximum per transaction/)).toBeInTheDocument();
    expect(screen.getByText(/exactly 6 digits/)).toBeInTheDocument();
    expect(screen.getByLabelText("Amount (EGP)")).toHaveAttribute("aria-invalid", "true");
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });

  it("reuses the key when retrying after a network failure, and uses a new one after a decline", async () => {
    const server = fakeServer({
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
    const server = fakeServer({
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
    const server = fakeServer({ "GET /api/v1/users/lookup": lookup, "POST /api/v1/transfers": () => json(status, { code }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    await fillUntilConfirm(user);
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(text);
  });

  it("says how many PIN tries are left, and on a lock how long and how to get out of it", async () => {
    const server = fakeServer({
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
    const server = fakeServer({
      "GET /api/v1/users/lookup": lookup,
      "POST /api/v1/transfers": () => json(403, { code: "phone_not_verified", detail: "verify your phone" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    await user.type(screen.getByLabelText(/Recipient/), "011 0123 4567");
    await user.click(screen.getByRole("button", { name: "Find recipient" }));
    await screen.findByTestId("recipient-name");
    expect(server.calls[0].url).toBe("/api/v1/users/lookup?q=%2B201101234567");
    await user.type(screen.getByLabelText("Amount (EGP)"), "10");
    await user.type(screen.getByLabelText("Transaction PIN"), "802413");
    await user.click(screen.getByRole("button", { name: "Confirm and send" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Verify your mobile number before moving money.");
    expect(screen.getByRole("link", { name: "Verify now" })).toHaveAttribute("href", "/verify");
  });

  it("shows recipient_not_found from the lookup", async () => {
    const server = fakeServer({ "GET /api/v1/users/lookup": () => json(404, { code: "recipient_not_found" }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    await user.type(screen.getByLabelText(/Recipient/), "nobody.here");
    await user.click(screen.getByRole("button", { name: "Find recipient" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("No user found");
  });

  it("moves focus to the first invalid field after a refused submit, and to the error or PIN after a refusal", async () => {
    const server = fakeServer({
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
    await user.type(screen.getByLabelText("Amount (EGP)"), "10{Enter}"); // no PIN yet
    expect(screen.getByLabelText("Transaction PIN")).toHaveFocus();
    expect(screen.getByLabelText("Transaction PIN")).toHaveAccessibleDescription(/exactly 6 digits/);
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.type(screen.getByLabelText("Transaction PIN"), "000000{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong PIN");
    await waitFor(() => expect(screen.getByLabelText("Transaction PIN")).toHaveFocus());
    await user.type(screen.getByLabelText("Transaction PIN"), "123456{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("Insufficient funds");
    await waitFor(() => expect(screen.getByRole("alert")).toHaveFocus());
    await user.type(screen.getByLabelText("Transaction PIN"), "123456{Enter}");
    await waitFor(() => expect(screen.getByRole("status")).toHaveFocus());
    expect(screen.getByRole("status")).toHaveTextContent("Bob S.");
    await user.click(screen.getByRole("button", { name: "Send another" }));
    expect(screen.getByLabelText(/Recipient/)).toHaveFocus();
  });
});
