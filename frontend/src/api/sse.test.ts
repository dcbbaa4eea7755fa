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
