import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, renderWithProviders } from "../../test/render";
import { Reconciliation } from "./Reconciliation";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const clean = (date: string) => json(200, { date, matched: 12, missing_in_ledger: [], missing_at_provider: [], amount_mismatch: [], ran_at: "2026-12-03T01:00:00Z" });
const op = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

describe("Admin console: reconciliation", () => {
  it("opens on yesterday (UTC) and shows the matched count and a clean day", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-03T00:30:00Z") });
    const server = fakeServer({ "GET /api/v1/admin/reconciliation": (call) => clean(new URL(call.url, "http://x").searchParams.get("date")!) });
    vi.stubGlobal("fetch", server.fetchImpl);
    renderWithProviders(<Reconciliation />);
    expect(screen.getByRole("heading", { level: 2, name: "Reconciliation" })).toBeInTheDocument();
    expect(screen.getByLabelText("Day (UTC)")).toHaveValue("2026-12-02");
    expect(await screen.findByTestId("rec-matched")).toHaveTextContent("12");
    expect(screen.getByTestId("rec-clean")).toHaveTextContent("No discrepancies");
    expect(new URL(server.calls[0].url, "http://x").searchParams.get("date")).toBe("2026-12-02");
  });

  it("lists every discrepancy under its kind, and asks again for another day", async () => {
    const server = fakeServer({
      "GET /api/v1/admin/reconciliation": (call) => {
        const date = new URL(call.url, "http://x").searchParams.get("date")!;
        if (date === "2026-11-30") return clean(date);
        return json(200, {
          date,
          matched: 3,
          missing_in_ledger: [{ operation_id: op(1), kind: "charge", amount: "50.00", provider_id: "ch_1", settled_at: "2026-12-01T09:00:00Z" }],
          missing_at_provider: [{ operation_id: op(2), kind: "withdrawal", amount: "30.00", completed_at: "2026-12-01T10:00:00Z" }],
          amount_mismatch: [{ operation_id: op(3), kind: "payout", amount: "20.00", ledger_amount: "25.00", provider_id: "po_3" }],
          ran_at: "2026-12-02T01:00:00Z",
        });
      },
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Reconciliation />);
    const day = screen.getByLabelText("Day (UTC)");
    await user.clear(day);
    await user.type(day, "2026-12-01");
    const inLedger = await screen.findByRole("region", { name: "At the provider, missing in the ledger (1)" });
    expect(within(inLedger).getByText(op(1))).toBeInTheDocument();
    expect(inLedger).toHaveTextContent("Charge");
    expect(inLedger).toHaveTextContent("ch_1");
    expect(inLedger).toHaveTextContent("50.00");
    const atProvider = screen.getByRole("region", { name: "In the ledger, missing at the provider (1)" });
    expect(atProvider).toHaveTextContent("Withdrawal");
    expect(atProvider).toHaveTextContent("30.00");
    const mismatch = screen.getByRole("region", { name: "Amounts that differ (1)" });
    expect(mismatch).toHaveTextContent("Provider amount");
    expect(mismatch).toHaveTextContent("20.00");
    expect(mismatch).toHaveTextContent("Ledger amount");
    expect(mismatch).toHaveTextContent("25.00");
    expect(screen.getByText("3 discrepancies")).toBeInTheDocument();
    expect(screen.getByTestId("rec-matched")).toHaveTextContent("3");
    expect(screen.queryByTestId("rec-clean")).toBeNull();

    await user.clear(day);
    await user.type(day, "2026-11-30");
    expect(await screen.findByTestId("rec-clean")).toHaveTextContent("No discrepancies");
  });

  it("tells a user without the admin role that this is not for them", async () => {
    const server = fakeServer({ "GET /api/v1/admin/reconciliation": () => json(403, { code: "forbidden", status: 403, detail: "admin role required" }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    renderWithProviders(<Reconciliation />);
    expect(await screen.findByRole("alert")).toHaveTextContent("You are not allowed to do this.");
  });

  it("reads in Arabic", async () => {
    const server = fakeServer({ "GET /api/v1/admin/reconciliation": (call) => clean(new URL(call.url, "http://x").searchParams.get("date")!) });
    vi.stubGlobal("fetch", server.fetchImpl);
    renderWithProviders(<Reconciliation />, { lang: "ar" });
    expect(await screen.findByTestId("rec-clean")).toHaveTextContent("لا توجد فروقات");
    expect(screen.getByRole("heading", { level: 2, name: "المطابقة" })).toBeInTheDocument();
  });
});
