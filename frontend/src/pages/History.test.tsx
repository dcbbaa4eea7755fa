import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { History } from "./History";

afterEach(() => vi.unstubAllGlobals());

const tx = (id: string, amount: string, direction: "in" | "out") => ({
  id,
  type: "transfer",
  direction,
  amount,
  currency: "EGP",
  balance_after: "100.00",
  counterparty: { user_id: "u2", handle: "bob.s", display_name: "Bob S." },
  transfer_id: `t-${id}`,
  note: null,
  status: "completed",
  created_at: "2026-11-25T10:00:00Z",
});

describe("History", () => {
  it("pages on with the cursor and sends the filters", async () => {
    const server = fakeServer({
      "GET /api/v1/transactions": (call) => {
        const q = new URL(call.url, "http://x").searchParams;
        if (q.get("cursor") === "c2") return json(200, { items: [tx("3", "3.00", "in")], next_cursor: null });
        if (q.get("direction") === "out") return json(200, { items: [tx("9", "9.00", "out")], next_cursor: null });
        return json(200, { items: [tx("1", "1.00", "in"), tx("2", "2.00", "out")], next_cursor: "c2" });
      },
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<History />);
    const list = await screen.findByTestId("history-list");
    await vi.waitFor(() => expect(list.querySelectorAll("li")).toHaveLength(2));
    const count = screen.getByTestId("history-count");
    expect(count).toHaveAttribute("role", "status");
    expect(count).toHaveTextContent("Transactions shown: 2; more load as you scroll.");
    await user.click(screen.getByRole("button", { name: "Load more" }));
    await vi.waitFor(() => expect(list.querySelectorAll("li")).toHaveLength(3));
    expect(await screen.findByText("You have reached the end.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();

    await user.selectOptions(screen.getByLabelText("Direction"), "out");
    await vi.waitFor(() => expect(screen.getByTestId("history-list").querySelectorAll("li")).toHaveLength(1));
    expect(screen.getByTestId("history-count")).toHaveTextContent("Transactions shown: 1.");
    const last = new URL(server.calls.at(-1)!.url, "http://x").searchParams;
    expect(last.get("direction")).toBe("out");
    expect(last.get("limit")).toBe("20");
    expect(last.get("cursor")).toBeNull();
  });
});

describe("History filters", () => {
  it("searches by part of a name, refuses a From after To, and clears the filters", async () => {
    const server = fakeServer({
      "GET /api/v1/transactions": () => json(200, { items: [tx("1", "1.00", "in")], next_cursor: null }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<History />);
    await vi.waitFor(() => expect(screen.getByTestId("history-list").querySelectorAll("li")).toHaveLength(1));
    expect(screen.queryByRole("button", { name: "Clear filters" })).toBeNull();

    await user.type(screen.getByLabelText("Counterparty"), "Bassem");
    await vi.waitFor(() => expect(new URL(server.calls.at(-1)!.url, "http://x").searchParams.get("counterparty")).toBe("Bassem"));

    const before = server.calls.length;
    await user.type(screen.getByLabelText("From"), "2026-12-05");
    await user.type(screen.getByLabelText("To"), "2026-12-04");
    expect(await screen.findByRole("alert")).toHaveTextContent("“From” must be on or before “To”.");
    expect(screen.getByLabelText("From")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByTestId("history-list").querySelectorAll("li")).toHaveLength(0);
    expect(server.calls.slice(before).every((c) => !new URL(c.url, "http://x").searchParams.get("to"))).toBe(true);

    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByLabelText("Counterparty")).toHaveValue("");
    await vi.waitFor(() => expect(screen.getByTestId("history-list").querySelectorAll("li")).toHaveLength(1));
    const last = new URL(server.calls.at(-1)!.url, "http://x").searchParams;
    expect([last.get("counterparty"), last.get("from"), last.get("to")]).toEqual([null, null, null]);
  });
});
