import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { TransactionFocus } from "./TransactionFocus";

afterEach(() => vi.unstubAllGlobals());

describe("TransactionFocus", () => {
  it("shows the transfer a notification was about: amount, both sides, note", async () => {
    const server = fakeServer({
      "GET /api/v1/transfers/t-42": () =>
        json(200, {
          id: "t-42",
          status: "completed",
          amount: "125.50",
          currency: "EGP",
          sender: { user_id: "u1", handle: "alice", display_name: "Alice A." },
          recipient: { user_id: "u2", handle: "bassem", display_name: "Bassem Y." },
          note: "lunch",
          created_at: "2026-11-25T10:00:00Z",
        }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    renderWithProviders(<TransactionFocus />, { route: "/history?transfer=t-42" });
    const card = await screen.findByTestId("transaction-focus");
    expect(await screen.findByTestId("focus-amount")).toHaveTextContent("125.50");
    expect(card).toHaveTextContent("Alice A.");
    expect(card).toHaveTextContent("Bassem Y.");
    expect(card).toHaveTextContent("lunch");
  });

  it("finds a top-up among the latest rows, and shows nothing without an id", async () => {
    const row = { id: "x9", type: "topup", direction: "in", amount: "300.00", currency: "EGP", balance_after: "300.00", counterparty: null, transfer_id: null, note: null, status: "completed", created_at: "2026-11-25T10:00:00Z" };
    vi.stubGlobal("fetch", fakeServer({ "GET /api/v1/transactions": () => json(200, { items: [row], next_cursor: null }) }).fetchImpl);
    renderWithProviders(<TransactionFocus />, { route: "/history?transaction=x9" });
    expect(await screen.findByTestId("focus-amount")).toHaveTextContent("300.00");
    expect(screen.getByTestId("transaction-focus")).toHaveTextContent("Top-up");
  });
});
