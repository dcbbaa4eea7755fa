import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setAccessToken } from "../api/http";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { ReceiptActions } from "./ReceiptActions";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  setAccessToken(null);
  Reflect.deleteProperty(navigator, "share");
});

const props = { transactionId: "t1", amount: "125.50", currency: "EGP", counterparty: "Bassem Y.", reference: "IP7K3Q9X2M", at: "2026-11-25T10:00:00Z" };

describe("Receipt actions", () => {
  it("shares a short text (amount, masked name, reference, time) through the share sheet", async () => {
    const share = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "share", { value: share, configurable: true });
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ReceiptActions {...props} />);
    await user.click(screen.getByRole("button", { name: "Share receipt" }));
    expect(share).toHaveBeenCalledTimes(1);
    const { title, text } = share.mock.calls[0][0] as { title: string; text: string };
    expect(title).toBe("Mini-InstaPay receipt");
    const plain = text.replace(/[\u2068\u2069]/g, "");
    expect(plain).toMatch(/EGP\s125\.50/);
    expect(plain).toContain("To: Bassem Y.");
    expect(plain).toContain("Reference: IP7K3Q9X2M");
    expect(plain).toMatch(/Time: .*2026/);
    expect(screen.getByTestId("receipt-status")).toHaveTextContent(""); // the sheet says enough
  });

  it("copies the text where the browser cannot share, and says so (in Arabic too)", async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ReceiptActions {...props} />, { lang: "ar" });
    await user.click(screen.getByRole("button", { name: "مشاركة الإيصال" }));
    expect(await screen.findByTestId("receipt-status")).toHaveTextContent("تم نسخ الإيصال");
    const copied = await navigator.clipboard.readText();
    expect(copied).toContain("IP7K3Q9X2M");
    expect(copied).toContain("\u2068Bassem Y.\u2069"); // isolated inside the Arabic line
  });

  it("downloads the PDF with the session's bearer token and saves it under the server's name", async () => {
    const server = fakeServer({
      "GET /api/v1/transactions/t1/receipt.pdf": () =>
        new Response("%PDF-1.7", {
          status: 200,
          headers: { "Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="receipt-IP7K3Q9X2M.pdf"' },
        }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const created = vi.fn().mockReturnValue("blob:receipt");
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    setAccessToken("tok-1");
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ReceiptActions {...props} />);
    await user.click(screen.getByRole("button", { name: "Download receipt" }));
    await waitFor(() => expect(clicked).toEqual(["receipt-IP7K3Q9X2M.pdf"]));
    expect(server.calls[0].headers.Authorization).toBe("Bearer tok-1");
    expect(server.calls[0].headers.Accept).toBe("application/pdf");
    expect(created).toHaveBeenCalledTimes(1);
  });

  it("says why a download failed", async () => {
    vi.stubGlobal("fetch", fakeServer({ "GET /api/v1/transactions/t1/receipt.pdf": () => json(404, { code: "not_found", detail: "no" }) }).fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ReceiptActions {...props} />);
    await user.click(screen.getByRole("button", { name: "Download receipt" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Not found.");
  });
});
