import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
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
});
