import { describe, expect, it } from "vitest";
import { SseParser } from "./sse";

describe("SseParser", () => {
  it("assembles events split across chunks and skips comments", () => {
    const p = new SseParser();
    expect(p.feed(": keep-alive\n\nevent: notification\nid: 7\nda")).toEqual([]);
    expect(p.feed('ta: {"id":"n1"}\n\n')).toEqual([{ event: "notification", id: "7", data: '{"id":"n1"}' }]);
  });
  it("joins multi-line data and handles CRLF", () => {
    const p = new SseParser();
    expect(p.feed("data: a\r\ndata: b\r\n\r\n")).toEqual([{ event: "message", data: "a\nb", id: undefined }]);
  });
});

describe("followStream", () => {
  it("sends the bearer token and resumes with Last-Event-ID after a drop", async () => {
    const { followStream } = await import("./sse");
    const { setAccessToken } = await import("./http");
    const { vi } = await import("vitest");
    const seen: { headers: Record<string, string> }[] = [];
    const stream = (text: string) =>
      new Response(text, { status: 200, headers: { "Content-Type": "text/event-stream" } });
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      seen.push({ headers: init.headers as Record<string, string> });
      return stream(seen.length === 1 ? 'id: 5\nevent: notification\ndata: {"id":"a"}\n\n' : ": keep-alive\n\n");
    });
    setAccessToken("tok");
    const ctrl = new AbortController();
    const events: string[] = [];
    const done = followStream("/api/v1/notifications/stream", (e) => events.push(e.data), ctrl.signal);
    await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(2), { timeout: 4000 });
    ctrl.abort();
    await done;
    vi.unstubAllGlobals();
    setAccessToken(null);
    expect(events).toEqual(['{"id":"a"}']);
    expect(seen[0].headers.Authorization).toBe("Bearer tok");
    expect(seen[0].headers["Last-Event-ID"]).toBeUndefined();
    expect(seen[1].headers["Last-Event-ID"]).toBe("5");
  });
});
