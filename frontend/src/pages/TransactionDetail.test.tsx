import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { TransactionDetail } from "./TransactionDetail";

afterEach(() => vi.unstubAllGlobals());

const detail = (over: Record<string, unknown> = {}) => () =>
  json(200, {
    id: "t9",
    type: "transfer",
    direction: "out",
    amount: "150.00",
    currency: "EGP",
    fee: "0.00",
    balance_after: "350.00",
    status: "completed",
    reference: "IP7K3Q9X2M",
    note: "Lunch",
    created_at: "2026-11-25T10:00:00Z",
    counterparty: { user_id: "u2", handle: "alice.a", display_name: "Alice A." },
    parties: { sender: { user_id: "u1", handle: "bob", display_name: "Bob B." }, recipient: { user_id: "u2", handle: "alice.a", display_name: "Alice A." } },
    timeline: [{ status: "completed", at: "2026-11-25T10:00:00Z" }],
    transfer_id: "t9",
    payment_request_id: "r5",
    payment_link_id: null,
    refund_of: null,
    dispute_id: null,
    schedule_id: null,
    ...over,
  });

function open(lang: "en" | "ar" = "en") {
  return renderWithProviders(
    <Routes>
      <Route path="/transactions/:id" element={<TransactionDetail />} />
    </Routes>,
    { route: "/transactions/t9", lang },
  );
}

describe("Transaction detail", () => {
  it("shows the reference, amount, both parties, note, status steps and the related request", async () => {
    const server = fakeServer({ "GET /api/v1/transactions/t9": detail() });
    vi.stubGlobal("fetch", server.fetchImpl);
    open();
    expect(await screen.findByTestId("detail-reference")).toHaveTextContent("IP7K3Q9X2M");
    expect(screen.getByRole("button", { name: "Copy the reference" })).toBeInTheDocument();
    expect(screen.getByTestId("detail-amount")).toHaveTextContent("−");
    expect(screen.getByTestId("detail-amount")).toHaveTextContent("150.00");
    expect(screen.getByTestId("detail-sender")).toHaveTextContent("Bob B. @bob");
    expect(screen.getByTestId("detail-recipient")).toHaveTextContent("Alice A. @alice.a");
    expect(screen.getByText("Lunch")).toBeInTheDocument();
    expect(screen.getByTestId("timeline")).toHaveTextContent("Completed");
    expect(screen.getByRole("link", { name: "Paid request" })).toHaveAttribute("href", "/requests?request=r5");
  });

  it("saves the other person as a favourite with a nickname", async () => {
    const server = fakeServer({
      "GET /api/v1/transactions/t9": detail(),
      "POST /api/v1/favourites": () => json(201, { id: "f1", nickname: "Aunt", recipient: { user_id: "u2", handle: "alice.a", display_name: "Alice A." }, created_at: "2026-11-25T10:00:00Z" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    open();
    await user.click(await screen.findByRole("button", { name: "Save as favourite" }));
    await user.type(screen.getByLabelText("Nickname (optional)"), "Aunt");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByTestId("favourite-saved")).toHaveTextContent("Saved to your favourites.");
    expect(server.calls.find((c) => c.method === "POST")!.body).toEqual({ recipient: "alice.a", nickname: "Aunt" });
  });

  it("says when the person is already a favourite", async () => {
    const server = fakeServer({
      "GET /api/v1/transactions/t9": detail({ direction: "in" }),
      "POST /api/v1/favourites": () => json(409, { code: "favourite_exists", detail: "exists" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    open();
    await user.click(await screen.findByRole("button", { name: "Save as favourite" }));
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("already in your favourites");
    // Received money: the favourite is the sender.
    expect(server.calls.find((c) => c.method === "POST")!.body).toEqual({ recipient: "bob" });
  });

  it("answers another's or an unknown transaction with not found, in Arabic too", async () => {
    const server = fakeServer({ "GET /api/v1/transactions/t9": () => json(404, { code: "not_found", detail: "Not found" }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    open("ar");
    await waitFor(() => expect(screen.getByRole("alert")).toBeInTheDocument());
    expect(screen.queryByTestId("detail-reference")).not.toBeInTheDocument();
  });
});
