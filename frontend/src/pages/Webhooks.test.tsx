import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { Webhooks } from "./Webhooks";

afterEach(() => vi.unstubAllGlobals());

const endpoint = (over: Record<string, unknown> = {}) => ({
  id: "e1",
  url: "https://shop.example.com/hooks",
  events: ["transfer.received"],
  description: "shop",
  status: "enabled",
  disabled_reason: null,
  client_id: null,
  previous_secret_expires_at: null,
  created_at: "2026-11-25T10:00:00Z",
  updated_at: "2026-11-25T10:00:00Z",
  ...over,
});
const clients = () => json(200, { items: [{ client_id: "c1", name: "budget app", scopes: ["transactions:read"] }] });
const delivery = {
  id: "msg_1",
  event_type: "transfer.received",
  event_id: "00000000-0000-4000-8000-000000000001",
  status: "failed",
  next_attempt_at: null,
  last_status_code: 500,
  last_error: null,
  attempts: [
    { attempted_at: "2026-11-25T10:00:00Z", status_code: 500, latency_ms: 42, error: null },
    { attempted_at: "2026-11-25T10:00:05Z", status_code: null, latency_ms: 15000, error: "timeout" },
  ],
  created_at: "2026-11-25T10:00:00Z",
};

describe("Webhooks (Security page)", () => {
  it("adds an endpoint with its events and shows the secret once, with Copy", async () => {
    const created = { ...endpoint({ id: "e2", url: "https://hooks.example.com/x", events: ["transfer.received", "topup.completed"], description: null }), secret: "whsec_QUJD" };
    const server = fakeServer({
      "GET /api/v1/auth/clients": clients,
      "GET /api/v1/webhooks/endpoints": [() => json(200, { items: [], next_cursor: null }), () => json(200, { items: [created], next_cursor: null })],
      "POST /api/v1/webhooks/endpoints": [() => json(422, { code: "webhook_url_not_allowed", detail: "no" }), () => json(201, created)],
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Webhooks />);
    expect(await screen.findByText("No webhook endpoints yet.")).toBeInTheDocument();
    const form = screen.getByRole("form", { name: "Add endpoint" });
    await user.click(within(form).getByRole("checkbox", { name: "Money received transfer.received" })); // untick the default
    await user.click(within(form).getByRole("button", { name: "Add endpoint" }));
    expect(within(form).getByLabelText("Endpoint URL")).toHaveFocus();
    expect(within(form).getByLabelText("Endpoint URL")).toHaveAccessibleDescription(/Required|required/);
    expect(within(form).getByText("Choose at least one event.")).toBeInTheDocument();
    await user.type(within(form).getByLabelText("Endpoint URL"), "ftp://x");
    await user.click(within(form).getByRole("checkbox", { name: "Top-up completed topup.completed" }));
    await user.click(within(form).getByRole("checkbox", { name: "Money received transfer.received" }));
    await user.click(within(form).getByRole("button", { name: "Add endpoint" }));
    expect(within(form).getByLabelText("Endpoint URL")).toHaveAccessibleDescription(/starting with https:\/\//);
    expect(server.calls.filter((c) => c.method === "POST")).toHaveLength(0);

    await user.clear(within(form).getByLabelText("Endpoint URL"));
    await user.type(within(form).getByLabelText("Endpoint URL"), "https://hooks.example.com/x");
    await user.click(within(form).getByRole("button", { name: "Add endpoint" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Use a public https address.");
    await user.click(within(form).getByRole("button", { name: "Add endpoint" }));
    expect(await screen.findByTestId("webhook-secret")).toHaveTextContent("whsec_QUJD");
    expect(screen.getByTestId("webhook-secret-box")).toHaveTextContent("it is shown only once");
    // The contract's order, whatever order they were ticked in; no empty description.
    expect(server.calls.filter((c) => c.method === "POST")[1].body).toEqual({ url: "https://hooks.example.com/x", events: ["transfer.received", "topup.completed"] });
    await user.click(screen.getByRole("button", { name: "Copy the signing secret" }));
    expect(await navigator.clipboard.readText()).toBe("whsec_QUJD");
    await user.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByTestId("webhook-secret")).not.toBeInTheDocument();
    expect(await screen.findByRole("region", { name: "Your account" })).toHaveTextContent("https://hooks.example.com/x");
  });

  it("groups endpoints by API client, disables, rotates (old secret valid 24 h) and deletes after asking", async () => {
    const rotated = { ...endpoint(), previous_secret_expires_at: "2026-11-26T10:00:00Z", secret: "whsec_NEW" };
    const server = fakeServer({
      "GET /api/v1/auth/clients": clients,
      "GET /api/v1/webhooks/endpoints": () =>
        json(200, { items: [endpoint({ id: "e9", client_id: "c1", url: "https://budget.example.com/h", status: "disabled", disabled_reason: "gone" }), endpoint()], next_cursor: null }),
      "PATCH /api/v1/webhooks/endpoints/e1": () => json(200, endpoint({ status: "disabled", disabled_reason: "by_user" })),
      "POST /api/v1/webhooks/endpoints/e1/rotate-secret": () => json(200, rotated),
      "DELETE /api/v1/webhooks/endpoints/e1": () => new Response(null, { status: 204 }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Webhooks />);
    const own = await screen.findByRole("region", { name: "Your account" });
    const app = screen.getByRole("region", { name: "App: budget app" });
    expect(app).toHaveTextContent("Disabled");
    expect(app).toHaveTextContent("your server answered 410 Gone");
    expect(own).toHaveTextContent("Enabled");
    expect(own).toHaveTextContent("Money received");
    // Your account's endpoints come first.
    const regions = screen.getAllByRole("region").map((r) => r.getAttribute("aria-label"));
    expect(regions.indexOf("Your account")).toBeLessThan(regions.indexOf("App: budget app"));

    await user.click(within(own).getByRole("button", { name: "Disable" }));
    await waitFor(() => expect(server.calls.find((c) => c.method === "PATCH")?.body).toEqual({ status: "disabled" }));

    await user.click(within(own).getByRole("button", { name: "Rotate secret" }));
    expect(within(own).getByRole("alert")).toHaveTextContent("The old one stays valid for 24 hours.");
    expect(server.calls.filter((c) => c.url.endsWith("rotate-secret"))).toHaveLength(0);
    await user.click(within(own).getByRole("button", { name: "Yes, rotate" }));
    expect(await screen.findByTestId("webhook-secret")).toHaveTextContent("whsec_NEW");
    expect(screen.getByTestId("webhook-secret-box")).toHaveTextContent("The old secret stays valid for 24 hours");
    expect(screen.getByTestId("webhook-secret-box")).toHaveTextContent("The old secret keeps signing until");

    await user.click(within(own).getByRole("button", { name: "Delete" }));
    expect(within(own).getByRole("alert")).toHaveTextContent("Delete this endpoint?");
    expect(server.calls.filter((c) => c.method === "DELETE")).toHaveLength(0);
    await user.click(within(own).getByRole("button", { name: "Yes, delete" }));
    await waitFor(() => expect(server.calls.filter((c) => c.method === "DELETE")).toHaveLength(1));
  });

  it("shows the delivery log (time, status code, latency, outcome) and replays a delivery, in Arabic too", async () => {
    const server = fakeServer({
      "GET /api/v1/auth/clients": clients,
      "GET /api/v1/webhooks/endpoints": () => json(200, { items: [endpoint()], next_cursor: null }),
      "GET /api/v1/webhooks/endpoints/e1/deliveries": () => json(200, { items: [delivery], next_cursor: null }),
      "POST /api/v1/webhooks/deliveries/msg_1/replay": () => json(202, { id: "msg_1", status: "pending" }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Webhooks />, { lang: "ar" });
    const log = await screen.findByRole("button", { name: "سجل التسليم" });
    expect(log).toHaveAttribute("aria-expanded", "false");
    await user.click(log);
    expect(log).toHaveAttribute("aria-expanded", "true");
    const row = await screen.findByTestId("webhook-delivery");
    expect(within(row).getByTestId("delivery-outcome")).toHaveTextContent("فشل");
    const codes = within(row).getAllByTestId("attempt-status").map((e) => e.textContent);
    expect(codes).toEqual(["500", "لا رد"]);
    expect(row).toHaveTextContent("42 ملي ثانية");
    expect(row).toHaveTextContent("timeout");
    await user.click(within(row).getByRole("button", { name: "إعادة الإرسال" }));
    expect(await screen.findByText("أُعيد الإرسال: عاد إلى قائمة الانتظار.")).toBeInTheDocument();
    expect(server.calls.filter((c) => c.method === "POST").map((c) => c.url)).toEqual(["/api/v1/webhooks/deliveries/msg_1/replay"]);
  });
});

describe("Webhooks of a deleted API client (ops21)", () => {
  it("says why the endpoint is off for good and offers no Enable", async () => {
    const revoked = endpoint({ status: "disabled", disabled_reason: "client_revoked", client_id: "c1" });
    vi.stubGlobal(
      "fetch",
      fakeServer({
        "GET /api/v1/auth/clients": () => json(200, { items: [] }),
        "GET /api/v1/webhooks/endpoints": () => json(200, { items: [revoked], next_cursor: null }),
      }).fetchImpl,
    );
    renderWithProviders(<Webhooks />);
    const item = await screen.findByTestId("webhook-endpoint");
    expect(item).toHaveTextContent("Turned off for good: its API client was deleted or revoked.");
    expect(within(item).queryByRole("button", { name: "Enable" })).toBeNull();
    expect(within(item).getByRole("button", { name: "Delivery log" })).toBeInTheDocument();
  });
});
