import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { Disputes } from "./Disputes";

afterEach(() => vi.unstubAllGlobals());

const party = (id: string, handle: string, name: string) => ({ user_id: id, handle, display_name: name });
const item = (over: Record<string, unknown>) => ({
  id: "d1",
  reference: "DP4M7QK2ZT",
  status: "open",
  reason: "wrong_recipient",
  note: "typo in the number",
  role: "sender",
  transaction_id: "t9",
  transaction_reference: "IP7K3Q9X2M",
  amount: "150.00",
  currency: "EGP",
  sender: party("u1", "bob", "Bob B."),
  recipient: party("u2", "alice.a", "Alice A."),
  resolution_note: null,
  reversal_id: null,
  created_at: "2026-11-27T10:00:00Z",
  resolved_at: null,
  ...over,
});

describe("Disputes", () => {
  it("lists the cases of either side, each linked to its transfer", async () => {
    const server = fakeServer({
      "GET /api/v1/disputes": () =>
        json(200, {
          items: [
            item({}),
            item({ id: "d2", reference: "DP0000000B", role: "recipient", note: null, status: "resolved_reversed", resolution_note: "confirmed", transaction_id: "t8" }),
          ],
          next_cursor: null,
        }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    renderWithProviders(<Disputes />);
    const rows = await screen.findAllByTestId("dispute");
    expect(rows[0]).toHaveTextContent("You reported a transfer to Alice A.");
    expect(rows[0]).toHaveTextContent("typo in the number");
    expect(rows[0]).toHaveTextContent("Open");
    expect(rows[1]).toHaveTextContent("A transfer you received from Bob B.");
    expect(rows[1]).toHaveTextContent("Money returned");
    expect(screen.getByRole("link", { name: "You reported a transfer to Alice A." })).toHaveAttribute("href", "/transactions/t9");
  });

  it("says when there is nothing, in Arabic", async () => {
    vi.stubGlobal("fetch", fakeServer({ "GET /api/v1/disputes": () => json(200, { items: [], next_cursor: null }) }).fetchImpl);
    renderWithProviders(<Disputes />, { lang: "ar" });
    expect(await screen.findByText("لا توجد مشكلات مُبلغ عنها.")).toBeInTheDocument();
  });
});
