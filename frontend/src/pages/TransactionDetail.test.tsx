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

  describe("refunds, reports and receipts", () => {
    const received = detail({
      direction: "in",
      payment_request_id: null,
      refunds: [{ id: "rf0", type: "refund", amount: "50.00", reference: "IP0000RF01", created_at: "2026-11-26T10:00:00Z" }],
      refunded_amount: "50.00",
      refundable_amount: "100.00",
      dispute: null,
    });

    it("refunds the rest by default with the PIN and shows the refund's reference", async () => {
      const server = fakeServer({
        "GET /api/v1/transactions/t9": received,
        "POST /api/v1/transfers/t9/refunds": () =>
          json(201, {
            id: "rf1",
            status: "completed",
            amount: "100.00",
            currency: "EGP",
            sender: { user_id: "u2", handle: "alice.a" },
            recipient: { user_id: "u1", handle: "bob", display_name: "Bob B." },
            note: "sorry",
            created_at: "2026-11-27T10:00:00Z",
            payment_request_id: null,
            payment_link_id: null,
            reference: "IP0000RF02",
            refund_of: "t9",
          }),
      });
      vi.stubGlobal("fetch", server.fetchImpl);
      const user = userEvent.setup({ delay: null });
      open();
      expect(await screen.findByTestId("detail-refunds")).toHaveTextContent("IP0000RF01");
      await user.click(screen.getByRole("button", { name: "Refund" }));
      expect(screen.getByLabelText("Amount (EGP)")).toHaveValue("100.00");
      // More than is left is refused before anything is sent.
      await user.clear(screen.getByLabelText("Amount (EGP)"));
      await user.type(screen.getByLabelText("Amount (EGP)"), "100.01");
      await user.type(screen.getByLabelText("Transaction PIN"), "135790");
      await user.click(screen.getByRole("button", { name: "Refund now" }));
      expect(await screen.findByText(/You can refund at most/)).toBeInTheDocument();
      expect(server.calls.some((c) => c.method === "POST")).toBe(false);
      await user.clear(screen.getByLabelText("Amount (EGP)"));
      await user.type(screen.getByLabelText("Amount (EGP)"), "100.00");
      await user.type(screen.getByLabelText("Note (optional)"), "sorry");
      await user.click(screen.getByRole("button", { name: "Refund now" }));
      expect(await screen.findByTestId("refund-reference")).toHaveTextContent("IP0000RF02");
      const post = server.calls.find((c) => c.method === "POST")!;
      expect(post.body).toEqual({ amount: "100.00", pin: "135790", note: "sorry" });
      expect(post.headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("says when the refund would exceed what was received", async () => {
      const server = fakeServer({
        "GET /api/v1/transactions/t9": received,
        "POST /api/v1/transfers/t9/refunds": () => json(422, { code: "refund_exceeds_transfer", detail: "x", refundable_amount: "0.00" }),
      });
      vi.stubGlobal("fetch", server.fetchImpl);
      const user = userEvent.setup({ delay: null });
      open();
      await user.click(await screen.findByRole("button", { name: "Refund" }));
      await user.type(screen.getByLabelText("Transaction PIN"), "135790");
      await user.click(screen.getByRole("button", { name: "Refund now" }));
      expect(await screen.findByRole("alert")).toHaveTextContent("That is more than is left to refund of this transfer.");
    });

    it("offers no refund to the sender, nor on a refund; the sender reports a problem instead", async () => {
      const server = fakeServer({
        "GET /api/v1/transactions/t9": detail({ payment_request_id: null, refundable_amount: null, dispute: null }),
        "POST /api/v1/transfers/t9/disputes": () =>
          json(201, {
            id: "d1",
            reference: "DP4M7QK2ZT",
            status: "open",
            reason: "fraud",
            note: "scam",
            role: "sender",
            transaction_id: "t9",
            transaction_reference: "IP7K3Q9X2M",
            amount: "150.00",
            currency: "EGP",
            sender: { user_id: "u1", handle: "bob", display_name: "Bob B." },
            recipient: { user_id: "u2", handle: "alice.a", display_name: "Alice A." },
            resolution_note: null,
            reversal_id: null,
            created_at: "2026-11-27T10:00:00Z",
            resolved_at: null,
          }),
      });
      vi.stubGlobal("fetch", server.fetchImpl);
      const user = userEvent.setup({ delay: null });
      open();
      await user.click(await screen.findByRole("button", { name: "Report a problem" }));
      expect(screen.queryByRole("button", { name: "Refund" })).toBeNull();
      await user.selectOptions(screen.getByLabelText("What went wrong?"), "fraud");
      await user.type(screen.getByLabelText("Note (optional)"), "scam");
      await user.click(screen.getByRole("button", { name: "Send report" }));
      expect(await screen.findByTestId("dispute-reference")).toHaveTextContent("DP4M7QK2ZT");
      expect(screen.getByTestId("dispute-status")).toHaveTextContent("Open");
      expect(server.calls.find((c) => c.method === "POST")!.body).toEqual({ reason: "fraud", note: "scam" });
    });

    it("shows an open case instead of the report button, in Arabic too", async () => {
      const server = fakeServer({
        "GET /api/v1/transactions/t9": detail({
          refund_of: "t1",
          dispute: { id: "d1", reference: "DP4M7QK2ZT", status: "open", reason: "fraud", created_at: "2026-11-27T10:00:00Z" },
        }),
      });
      vi.stubGlobal("fetch", server.fetchImpl);
      open("ar");
      expect(await screen.findByTestId("detail-dispute")).toHaveTextContent("قيد المراجعة");
      expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("استرداد");
      expect(screen.getByTestId("detail-original")).toHaveAttribute("href", "/transactions/t1");
      expect(screen.queryByRole("button", { name: "الإبلاغ عن مشكلة" })).toBeNull();
    });

    it("downloads the PDF receipt with the session's request and saves it as a file", async () => {
      const server = fakeServer({
        "GET /api/v1/transactions/t9": detail(),
        "GET /api/v1/transactions/t9/receipt.pdf": () =>
          new Response("%PDF-1.7", {
            status: 200,
            headers: { "Content-Type": "application/pdf", "Content-Disposition": 'inline; filename="instapay-receipt-IP7K3Q9X2M.pdf"' },
          }),
      });
      vi.stubGlobal("fetch", server.fetchImpl);
      const created = vi.fn(() => "blob:receipt");
      vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
      const clicked: string[] = [];
      const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
        clicked.push(this.download);
      });
      const user = userEvent.setup({ delay: null });
      open("ar");
      await user.click(await screen.findByRole("button", { name: "تنزيل الإيصال" }));
      await waitFor(() => expect(clicked).toEqual(["instapay-receipt-IP7K3Q9X2M.pdf"]));
      const call = server.calls.find((c) => c.url.includes("receipt.pdf"))!;
      expect(call.url).toContain("lang=ar");
      click.mockRestore();
    });

    it("shares the receipt text with the share sheet, else copies it", async () => {
      const server = fakeServer({ "GET /api/v1/transactions/t9": detail() });
      vi.stubGlobal("fetch", server.fetchImpl);
      const share = vi.fn(() => Promise.resolve());
      Object.defineProperty(navigator, "share", { value: share, configurable: true });
      const user = userEvent.setup({ delay: null });
      const view = open();
      await user.click(await screen.findByRole("button", { name: "Share receipt" }));
      expect(share).toHaveBeenCalledWith({ title: "Mini-InstaPay receipt", text: expect.stringContaining("IP7K3Q9X2M") });
      view.unmount();

      Object.defineProperty(navigator, "share", { value: undefined, configurable: true });
      const writeText = vi.fn(() => Promise.resolve());
      Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
      open();
      await user.click(await screen.findByRole("button", { name: "Share receipt" }));
      expect(await screen.findByText("Receipt copied. Paste it wherever you want to share it.")).toBeInTheDocument();
      expect(writeText).toHaveBeenCalledWith(expect.stringContaining("150.00"));
    });
  });
});
