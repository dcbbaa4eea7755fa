import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Wallet } from "../api/models";
import { renderWithProviders } from "../test/render";
import { BalanceSummary } from "./BalanceSummary";

const limits = { per_transaction: "70000.00", daily: "100000.00", daily_remaining: "100000.00", monthly: "500000.00", monthly_remaining: "500000.00" };
const wallet = (balance: string, available_balance: string): Wallet =>
  ({ account_id: "a1", user_id: "u1", balance, available_balance, currency: "EGP", status: "active", limits }) as Wallet;

describe("BalanceSummary", () => {
  it("shows only the available balance when nothing is held", () => {
    renderWithProviders(<BalanceSummary wallet={wallet("100.00", "100.00")} />);
    expect(screen.getByText("Available")).toBeInTheDocument();
    expect(screen.getByTestId("balance")).toHaveTextContent("100.00");
    expect(screen.getByTestId("balance")).toHaveAccessibleDescription("Available");
    expect(screen.queryByTestId("balance-split")).toBeNull();
    expect(screen.queryByText("Held for pending withdrawals")).toBeNull();
  });

  it("puts the available balance first and explains the difference when a withdrawal is held", () => {
    renderWithProviders(<BalanceSummary wallet={wallet("354.50", "350.00")} />);
    expect(screen.getByTestId("balance")).toHaveTextContent("350.00");
    expect(screen.getByTestId("ledger-balance")).toHaveTextContent("354.50");
    expect(screen.getByTestId("held-amount")).toHaveTextContent("4.50");
    expect(screen.getByText("Total balance")).toBeInTheDocument();
    expect(screen.getByText("Held for pending withdrawals")).toBeInTheDocument();
  });

  it("says the same in Arabic, with Latin digits and the Arabic currency symbol", () => {
    renderWithProviders(<BalanceSummary wallet={wallet("100.00", "70.00")} />, { lang: "ar" });
    expect(screen.getByText("المتاح")).toBeInTheDocument();
    expect(screen.getByTestId("balance")).toHaveTextContent("70.00 ج.م.");
    expect(screen.getByText("محجوز لعمليات سحب قيد التنفيذ")).toBeInTheDocument();
    expect(screen.getByTestId("held-amount")).toHaveTextContent("30.00 ج.م.");
    expect(document.documentElement.dir).toBe("rtl");
  });
});
