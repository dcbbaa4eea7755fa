import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { Requests } from "./Requests";

afterEach(() => vi.unstubAllGlobals());

const me = () => json(200, { user_id: "u1", handle: "alice", full_name: "Alice A", email: "a@x.eg", phone: "+201001234567", created_at: "2026-01-01T00:00:00Z", preferences: { language: "en" } });
const limits = { per_transaction: "70000.00", daily: "1.00", daily_remaining: "1.00", monthly: "1.00", monthly_remaining: "1.00" };
const wallet = (status = "active") => () => json(200, { account_id: "w1", balance: "100.00", available_balance: "100.00", currency: "EGP", status, limits });
const req = (id: string, status: string, note: string) => ({
  id,
  status,
  amount: "20.00",
  currency: "EGP",
  note,
  requester: { user_id: "u2", handle: "bassem", display_name: "Bassem Y." },
  payer: { user_id: "u1", handle: "alice", display_name: "Alice A." },
  created_at: "2026-11-25T10:00:00Z",
});
const incoming = () => json(200, { items: [req("r1", "pending", "coffee"), req("r2", "accepted", "taxi")], next_cursor: null });
const base = { "GET /api/v1/users/me": me, "GET /api/v1/wallet": wallet(), "GET /api/v1/payment-requests": incoming };

function setup(routes: Parameters<typeof fakeServer>[0]) {
  const server = fakeServer({ ...base, ...routes });
  vi.stubGlobal("fetch", server.fetchImpl);
  renderWithProviders(<Requests />);
  return { server, user: userEvent.setup({ delay: null }) };
}

describe("Requests", () => {
  it("shows the payer's masked name before the request goes out", async () => {
    const { server, user } = setup({
      "GET /api/v1/users/lookup": () => json(200, { user_id: "u2", handle: "bassem", display_name: "Bassem Y." }),
      "POST /api/v1/payment-requests": () => json(201, req("r9", "pending", "")),
    });
    await user.type(screen.getByLabelText(/Who pays/), "bassem");
    await user.click(screen.getByRole("button", { name: "Find who pays" }));
    expect(await screen.findByTestId("payer-name")).toHaveTextContent("Bassem Y.");
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(0);
    await user.type(screen.getByLabelText("Amount (EGP)"), "20");
    await user.click(screen.getByRole("button", { name: "Send request" }));
    await waitFor(() => expect(screen.getByText("Request sent.")).toBeInTheDocument());
    expect(server.calls.find((c) => c.method === "POST")!.body).toEqual({ payer: "bassem", amount: "20" });
  });

  it("says a person cannot request money from themselves", async () => {
    const { server, user } = setup({ "GET /api/v1/users/lookup": () => json(200, { user_id: "u1", handle: "alice", display_name: "Alice A." }) });
    await screen.findAllByTestId("payment-request"); // the profile is in by now
    await user.type(screen.getByLabelText(/Who pays/), "alice{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("You cannot request money from yourself.");
    expect(screen.queryByRole("alert")).not.toHaveTextContent("send");
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });

  it("lists waiting and finished requests apart, asks before declining, and says when a request is paid", async () => {
    const { server, user } = setup({
      "POST /api/v1/payment-requests/r1/decline": () => json(200, req("r1", "declined", "coffee")),
      "POST /api/v1/payment-requests/r1/accept": () => json(201, { id: "t1", status: "completed", amount: "20.00", currency: "EGP", sender: { user_id: "u1", handle: "alice" }, recipient: { user_id: "u2", handle: "bassem" }, note: null, created_at: "2026-11-25T10:00:00Z" }),
    });
    const waiting = await screen.findByTestId("requests-pending");
    expect(within(waiting).getByText(/coffee/)).toBeInTheDocument();
    expect(within(screen.getByTestId("requests-finished")).getByText(/taxi/)).toBeInTheDocument();

    await user.click(within(waiting).getByRole("button", { name: "Decline" }));
    expect(screen.getByRole("alert")).toHaveTextContent("Decline this request? Bassem Y. will be told.");
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Keep it" })); // changed their mind: nothing sent
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.click(within(waiting).getByRole("button", { name: "Accept and pay" }));
    await user.type(within(waiting).getByLabelText("Transaction PIN"), "246810");
    await user.click(within(waiting).getByRole("button", { name: "Accept and pay" }));
    await waitFor(() => expect(screen.getByText(/Paid EGP/)).toBeInTheDocument());
    expect(screen.getByText(/Paid EGP/)).toHaveTextContent("Bassem Y.");
  });

  it("declines only once confirmed", async () => {
    const { server, user } = setup({ "POST /api/v1/payment-requests/r1/decline": () => json(200, req("r1", "declined", "coffee")) });
    const waiting = await screen.findByTestId("requests-pending");
    await user.click(within(waiting).getByRole("button", { name: "Decline" }));
    await user.click(screen.getByRole("button", { name: "Yes, decline" }));
    await waitFor(() => expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(1));
    expect(server.calls.find((c) => c.method === "POST")!.url).toBe("/api/v1/payment-requests/r1/decline");
  });

  it("a frozen wallet cannot pay a request", async () => {
    setup({ "GET /api/v1/wallet": wallet("frozen") });
    expect(await screen.findByTestId("frozen-notice")).toBeInTheDocument();
    const waiting = await screen.findByTestId("requests-pending");
    await waitFor(() => expect(within(waiting).getByRole("button", { name: "Accept and pay" })).toBeDisabled());
  });
});
