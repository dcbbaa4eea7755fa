import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Transaction } from "../api/models";
import { renderWithProviders } from "../test/render";
import { TransactionRow } from "./TransactionRow";

const tx = (status: Transaction["status"], over: Partial<Transaction> = {}): Transaction => ({
  id: `tx-${status}`,
  type: "withdrawal",
  direction: "out",
  amount: "30.00",
  currency: "EGP",
  balance_after: "70.00",
  counterparty: null,
  transfer_id: null,
  note: null,
  status,
  created_at: "2026-11-25T10:00:00Z",
  reference: "IP7K3Q9X2M",
  payment_request_id: null,
  ...over,
});

function row(t: Transaction, lang: "en" | "ar" = "en") {
  renderWithProviders(
    <ul>
      <TransactionRow tx={t} />
    </ul>,
    { lang },
  );
  return screen.getByRole("listitem");
}

describe("TransactionRow", () => {
  it("shows no status label on a completed row, and the signed amount", () => {
    const li = row(tx("completed"));
    expect(screen.queryByTestId("tx-status")).toBeNull();
    expect(li).toHaveTextContent("−");
    expect(li.querySelector(".amount")).not.toHaveClass("pending");
  });

  it("labels a pending withdrawal and dims its amount", () => {
    const li = row(tx("pending"));
    expect(screen.getByTestId("tx-status")).toHaveTextContent("Pending");
    expect(li).toHaveAttribute("data-status", "pending");
    expect(li.querySelector(".amount")).toHaveClass("pending");
    expect(li).toHaveTextContent("−");
  });

  it("labels a failed top-up and never shows its amount as money moved", () => {
    const li = row(tx("failed", { type: "topup", direction: "in" }));
    expect(screen.getByTestId("tx-status")).toHaveTextContent("Failed");
    const amount = li.querySelector(".amount")!;
    expect(amount).toHaveClass("not-moved");
    expect(amount).toHaveTextContent("30.00");
    expect(amount.textContent).not.toMatch(/[+−]/);
  });

  it("labels the states in Arabic", () => {
    row(tx("pending"), "ar");
    expect(screen.getByTestId("tx-status")).toHaveTextContent("قيد التنفيذ");
  });

  it("labels a failed withdrawal in Arabic", () => {
    row(tx("failed"), "ar");
    expect(screen.getByTestId("tx-status")).toHaveTextContent("فشلت");
  });
});

describe("TransactionRow says what the row is about", () => {
  it("isolates a Latin name in Arabic so its full stop stays at its end", () => {
    const li = row(
      tx("completed", {
        type: "transfer",
        direction: "in",
        counterparty: { user_id: "u2", handle: "bassem", display_name: "Bassem Y." },
        transfer_id: "t1",
      }),
      "ar",
    );
    const name = screen.getByTestId("tx-who").querySelector("bdi")!;
    expect(name).toHaveAttribute("dir", "auto");
    expect(name.textContent).toBe("Bassem Y.");
    const amount = screen.getByTestId("tx-amount");
    expect(amount.tagName).toBe("BDI");
    expect(amount.textContent).toMatch(/^\+\u200f?30\.00\s?ج\.م\./);
    expect(li.textContent).not.toMatch(/[\u0660-\u0669]/);
  });

  it("names a top-up's card and a withdrawal's bank account instead of repeating the type", () => {
    row(tx("completed", { type: "topup", direction: "in", funding_source: { type: "card", last4: "1234" } }));
    expect(screen.getByTestId("tx-who")).toHaveTextContent("Top-up from card ••1234");
    expect(screen.getByTestId("tx-who").querySelector("bdi")).toHaveAttribute("dir", "ltr");
    expect(screen.getByRole("listitem").querySelector("small")!.textContent).not.toContain("Top-up");
  });

  it("shows a transfer that paid a request as a paid request", () => {
    row(
      tx("completed", {
        type: "transfer",
        counterparty: { user_id: "u2", handle: "bob", display_name: "Bob S." },
        transfer_id: "t1",
        payment_request_id: "r1",
      }),
    );
    expect(screen.getByRole("listitem")).toHaveTextContent("Paid request ·");
  });
});
