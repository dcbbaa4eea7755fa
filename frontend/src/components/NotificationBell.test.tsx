import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Route, Routes, useLocation } from "react-router-dom";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { NotificationBell } from "./NotificationBell";

afterEach(() => vi.unstubAllGlobals());

const note = { id: "n1", type: "transfer.received", title: "Money received", body: "You received EGP 125.50", data: {}, created_at: "2026-11-25T10:00:00Z", read_at: null };

describe("NotificationBell", () => {
  it("updates the unread count live when the stream announces a notification", async () => {
    let push: (text: string) => void = () => {};
    const server = fakeServer({
      "GET /api/v1/notifications": [() => json(200, { items: [], next_cursor: null }), () => json(200, { items: [note], next_cursor: null })],
      "GET /api/v1/notifications/stream": () => {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            push = (text) => controller.enqueue(new TextEncoder().encode(text));
          },
        });
        return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
      },
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<NotificationBell />);
    expect(await screen.findByRole("button", { name: "Notifications: 0 unread" })).toBeInTheDocument();
    await vi.waitFor(() => expect(server.calls.some((c) => c.url.endsWith("/stream"))).toBe(true));
    expect(screen.queryByTestId("unread-count")).toBeNull();

    push(`id: 1\nevent: notification\ndata: ${JSON.stringify(note)}\n\n`);
    expect(await screen.findByTestId("unread-count")).toHaveTextContent("1");
    expect(screen.getByRole("button", { name: "Notifications: 1 unread" })).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: /Notifications/ }));
    expect(await screen.findByRole("dialog", { name: "Notifications" })).toHaveTextContent("You received EGP 125.50");
    const stream = server.calls.find((c) => c.url.endsWith("/stream"))!;
    expect(stream.headers.Accept).toBe("text/event-stream");
  });

  it("shows the funding outcomes the server sends, marking a failure", async () => {
    const notes = [
      { ...note, id: "n3", type: "topup.failed", title: "Top-up failed", body: "Your bank declined the top-up of EGP 50.00", read_at: null },
      { ...note, id: "n2", type: "withdrawal.failed", title: "Withdrawal failed", body: "EGP 30.00 is back in your available balance", read_at: null },
      { ...note, id: "n1", type: "withdrawal.completed", title: "Withdrawal completed", body: "EGP 30.00 was paid to your bank", read_at: null },
    ];
    const server = fakeServer({
      "GET /api/v1/notifications": () => json(200, { items: notes, next_cursor: null }),
      "GET /api/v1/notifications/stream": () => new Response(new ReadableStream(), { status: 200, headers: { "Content-Type": "text/event-stream" } }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<NotificationBell />);
    expect(await screen.findByRole("button", { name: "Notifications: 3 unread" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: /Notifications/ }));
    const dialog = await screen.findByRole("dialog", { name: "Notifications" });
    await vi.waitFor(() => expect(dialog.querySelectorAll("li")).toHaveLength(3));
    const [topupFailed, withdrawalFailed, completed] = [...dialog.querySelectorAll("li")];
    expect(topupFailed).toHaveTextContent("Top-up failed");
    expect(topupFailed).toHaveClass("notif-failed");
    expect(withdrawalFailed).toHaveTextContent("EGP 30.00 is back in your available balance");
    expect(withdrawalFailed).toHaveClass("notif-failed");
    expect(completed).toHaveTextContent("Withdrawal completed");
    expect(completed).not.toHaveClass("notif-failed");
  });

  it("tapping a notification marks it read and opens what it is about", async () => {
    const server = fakeServer({
      "GET /api/v1/notifications": () => json(200, { items: [{ ...note, data: { transfer_id: "t-42" } }], next_cursor: null }),
      "POST /api/v1/notifications/n1/read": () => new Response(null, { status: 204 }),
      "GET /api/v1/notifications/stream": () => new Response(new ReadableStream(), { status: 200, headers: { "Content-Type": "text/event-stream" } }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    function Where() {
      const loc = useLocation();
      return <p data-testid="where">{loc.pathname + loc.search}</p>;
    }
    renderWithProviders(
      <>
        <NotificationBell />
        <Routes>
          <Route path="*" element={<Where />} />
        </Routes>
      </>,
    );
    await user.click(await screen.findByRole("button", { name: "Notifications: 1 unread" }));
    const dialog = await screen.findByRole("dialog", { name: "Notifications" });
    await user.click(await within(dialog).findByRole("button", { name: /Money received/ }));
    expect(screen.getByTestId("where")).toHaveTextContent("/transactions/t-42");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument(); // the sheet closes on the new screen
    await vi.waitFor(() => expect(server.calls.some((c) => c.method === "POST" && c.url.endsWith("/n1/read"))).toBe(true));
  });
});

