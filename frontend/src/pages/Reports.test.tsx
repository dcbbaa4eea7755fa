import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Summary } from "../api/models";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { Reports } from "./Reports";

afterEach(() => vi.unstubAllGlobals());

// jsdom has no layout: the chart's ResponsiveContainer measures its box with ResizeObserver.
class FixedSize {
  constructor(private cb: ResizeObserverCallback) {}
  observe(el: Element) {
    this.cb([{ target: el, contentRect: { width: 600, height: 280 } } as unknown as ResizeObserverEntry], this as unknown as ResizeObserver);
  }
  unobserve() {}
  disconnect() {}
}

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
    vi.stubGlobal("ResizeObserver", FixedSize);
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

describe("Reports periods and chart", () => {
  it("asks for this month by days, a year by months, and splits received from people and top-ups", async () => {
    const server = fakeServer({
      "GET /api/v1/reports/summary": (call) => {
        const g = new URL(call.url, "http://x").searchParams.get("granularity") as Summary["granularity"];
        return json(200, summary(g));
      },
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    vi.stubGlobal("ResizeObserver", FixedSize);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Reports />, { lang: "ar" });
    expect(await screen.findByTestId("received-people")).toHaveTextContent("20.50 ج.م.");
    expect(screen.getByTestId("topped-up")).toHaveTextContent("300.00 ج.م.");
    let q = new URL(server.calls.at(-1)!.url, "http://x").searchParams;
    expect(q.get("granularity")).toBe("day");
    expect(q.get("from")!.endsWith("-01")).toBe(true);
    expect(screen.getByRole("button", { name: "هذا الشهر" })).toHaveAttribute("aria-pressed", "true");

    await user.click(screen.getByRole("button", { name: "هذا العام" }));
    await vi.waitFor(() => {
      q = new URL(server.calls.at(-1)!.url, "http://x").searchParams;
      expect(q.get("granularity")).toBe("month");
    });
    expect(q.get("from")!.endsWith("-01-01") && q.get("to")!.endsWith("-12-31")).toBe(true);
    // The table (for screen readers, or shown with the toggle) names the month, not "11".
    const table = await screen.findByTestId("report-table");
    expect(table.querySelector("tbody th")!.textContent).toBe("نوفمبر 2026");
    expect(table.textContent).not.toMatch(/[\u0660-\u0669]/);
    expect(screen.getByRole("img", { name: "المرسل والمستلم لكل فترة" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "عرض كجدول" }));
    expect(screen.queryByRole("img", { name: "المرسل والمستلم لكل فترة" })).toBeNull();
    expect(screen.getByTestId("report-table").closest(".sr-only")).toBeNull();

    await user.click(screen.getByRole("button", { name: "فترة مخصصة" }));
    await user.clear(screen.getByLabelText("من"));
    await user.type(screen.getByLabelText("من"), "2026-12-05");
    await user.clear(screen.getByLabelText("إلى"));
    await user.type(screen.getByLabelText("إلى"), "2026-12-04");
    expect(await screen.findByRole("alert")).toBeInTheDocument();
  });
});
