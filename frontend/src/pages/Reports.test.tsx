import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Summary } from "../api/models";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { Reports } from "./Reports";

afterEach(() => vi.unstubAllGlobals());

// Typed with the generated `Summary`: the fixture fails to compile if the OpenAPI changes shape.
const summary = (granularity: Summary["granularity"]): Summary => ({
  from: "2026-11-01",
  to: "2026-11-30",
  currency: "EGP",
  granularity,
  total_sent: "150.00",
  total_received: "320.50",
  net: "170.50",
  count_sent: 3,
  count_received: 2,
  breakdown: {
    transfer_out: { amount: "100.00", count: 2 },
    transfer_in: { amount: "20.50", count: 1 },
    topup: { amount: "300.00", count: 1 },
    withdrawal: { amount: "50.00", count: 1 },
  },
  received_from_people: "20.50",
  topped_up: "300.00",
  series: [
    { period: "2026-11", start: "2026-11-01", sent: "150.00", received: "320.50", count: 5, received_from_people: "20.50", topped_up: "300.00" },
  ],
  top_counterparties: [
    { user_id: "u2", handle: "bob.s", display_name: "Bob S.", sent: "100.00", received: "20.50", count: 3 },
    { user_id: "u3", handle: null, display_name: null, sent: "0.00", received: "0.00", count: 1 },
  ],
});

describe("Reports", () => {
  it("shows the summary's totals and top counterparties, and asks again per granularity", async () => {
    const server = fakeServer({
      "GET /api/v1/reports/summary": (call) => {
        const g = new URL(call.url, "http://x").searchParams.get("granularity") as Summary["granularity"];
        return json(200, summary(g));
      },
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Reports />);
    expect(await screen.findByTestId("total-sent")).toHaveTextContent("150.00");
    expect(screen.getByTestId("total-received")).toHaveTextContent("320.50");
    expect(screen.getByText("Bob S.")).toBeInTheDocument();
    expect(screen.getAllByRole("listitem")).toHaveLength(2);

    await user.selectOptions(screen.getByLabelText("Group by"), "month");
    await vi.waitFor(() =>
      expect(new URL(server.calls.at(-1)!.url, "http://x").searchParams.get("granularity")).toBe("month"),
    );
  });
});
