import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { Receive } from "./Receive";

afterEach(() => vi.unstubAllGlobals());

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>';
const link = (over: Record<string, unknown> = {}) => ({
  id: "l1",
  token: "tok1",
  url: "https://pay.example/pay/tok1",
  qr_svg: SVG,
  amount: "150.00",
  reference: "Order 7",
  expires_at: null,
  single_use: true,
  status: "active",
  created_at: "2026-11-25T10:00:00Z",
  paid_transfer_id: null,
  ...over,
});
const receive = () => json(200, { handle: "alice", url: "https://pay.example/pay/me1", qr_svg: SVG, token: "me1" });

describe("Receive", () => {
  it("shows the own QR code as an image (never as markup), the link and Copy", async () => {
    const server = fakeServer({ "GET /api/v1/users/me/receive": receive, "GET /api/v1/payment-links": () => json(200, { items: [], next_cursor: null }) });
    vi.stubGlobal("fetch", server.fetchImpl);
    const { container } = renderWithProviders(<Receive />);
    const img = await screen.findByRole("img", { name: "QR code to pay @alice" });
    expect(img.getAttribute("src")).toMatch(/^data:image\/svg\+xml;charset=utf-8,/);
    expect(container.querySelector("script")).toBeNull(); // the SVG's content is not in the page
    expect(within(screen.getByTestId("my-code")).getByTestId("link-url")).toHaveTextContent("https://pay.example/pay/me1");
    expect(screen.getAllByRole("button", { name: "Copy the payment link" }).length).toBeGreaterThan(0);
    expect(await screen.findByText("No payment links yet.")).toBeInTheDocument();
  });

  it("creates a single-use link with an amount, reference and expiry, and shows its code", async () => {
    const server = fakeServer({
      "GET /api/v1/users/me/receive": receive,
      "GET /api/v1/payment-links": [() => json(200, { items: [], next_cursor: null }), () => json(200, { items: [link()], next_cursor: null })],
      "POST /api/v1/payment-links": () => json(201, link()),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Receive />);
    await user.type(screen.getByLabelText("Amount (EGP, optional)"), "0");
    await user.click(screen.getByRole("button", { name: "Create link" }));
    expect(screen.getByLabelText("Amount (EGP, optional)")).toHaveAttribute("aria-invalid", "true");
    expect(server.calls.some((c) => c.method === "POST")).toBe(false);
    await user.clear(screen.getByLabelText("Amount (EGP, optional)"));
    await user.type(screen.getByLabelText("Amount (EGP, optional)"), "150");
    await user.type(screen.getByLabelText(/^Reference/), "Order 7");
    await user.selectOptions(screen.getByLabelText("Expires"), "day");
    await user.click(screen.getByLabelText("Can be paid only once"));
    await user.click(screen.getByRole("button", { name: "Create link" }));
    expect(await screen.findByTestId("new-link")).toHaveTextContent("Your payment link is ready.");
    const post = server.calls.find((c) => c.method === "POST")!;
    const body = post.body as Record<string, unknown>;
    expect(body).toMatchObject({ amount: "150", reference: "Order 7", single_use: true });
    const hours = (Date.parse(String(body.expires_at)) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    expect(await screen.findByTestId("link-status")).toHaveTextContent("Active");
  });

  it("lists links with their status and deletes one after asking", async () => {
    const server = fakeServer({
      "GET /api/v1/users/me/receive": receive,
      "GET /api/v1/payment-links": [
        () => json(200, { items: [link(), link({ id: "l2", status: "used", amount: null, reference: null })], next_cursor: null }),
        () => json(200, { items: [link({ status: "cancelled" }), link({ id: "l2", status: "used", amount: null, reference: null })], next_cursor: null }),
      ],
      "DELETE /api/v1/payment-links/l1": () => new Response(null, { status: 204 }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Receive />);
    const list = await screen.findByTestId("my-links");
    await waitFor(() => expect(within(list).getAllByTestId("link-status").map((s) => s.textContent)).toEqual(["Active", "Paid"]));
    expect(within(list).getByText("Any amount")).toBeInTheDocument();
    await user.click(within(list).getByRole("button", { name: "Delete" }));
    expect(server.calls.some((c) => c.method === "DELETE")).toBe(false);
    await user.click(within(list).getByRole("button", { name: "Yes, delete" }));
    await waitFor(() => expect(within(list).getAllByTestId("link-status").map((s) => s.textContent)).toEqual(["Deleted", "Paid"]));
    expect(server.calls.filter((c) => c.method === "DELETE").map((c) => c.url)).toEqual(["/api/v1/payment-links/l1"]);
  });
});
