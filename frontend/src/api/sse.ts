// Server-sent events over fetch: EventSource cannot send an Authorization header, so the stream
// is read with a ReadableStream reader, with the bearer token (and one refresh on 401).
import { rawRequest } from "./http";

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Incremental SSE parser (WHATWG format): feed chunks, get complete events back. */
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private event = "";
  private id: string | undefined;

  feed(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const out: SseEvent[] = [];
    let nl: number;
    while ((nl = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      const sepLen = this.buffer.startsWith("\r\n", nl) ? 2 : 1;
      this.buffer = this.buffer.slice(nl + sepLen);
      if (line === "") {
        if (this.data.length) out.push({ event: this.event || "message", data: this.data.join("\n"), id: this.id });
        this.data = [];
        this.event = "";
        continue;
      }
      if (line.startsWith(":")) continue; // keep-alive comment
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "data") this.data.push(value);
      else if (field === "event") this.event = value;
      else if (field === "id") this.id = value;
    }
    return out;
  }
}

/** Follows the stream until `signal` aborts, reconnecting with backoff when it drops. */
export async function followStream(
  path: string,
  onEvent: (e: SseEvent) => void,
  signal: AbortSignal,
  onOpen?: () => void,
): Promise<void> {
  let delay = 1000;
  let lastId: string | undefined;
  while (!signal.aborted) {
    try {
      // On a reconnect, Last-Event-ID makes the server replay what was missed while we were away.
      const headers: Record<string, string> = { Accept: "text/event-stream" };
      if (lastId) headers["Last-Event-ID"] = lastId;
      const resp = await rawRequest("GET", path, { headers, signal });
      onOpen?.();
      delay = 1000;
      const reader = resp.body!.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const event of parser.feed(decoder.decode(value, { stream: true }))) {
          if (event.id) lastId = event.id;
          onEvent(event);
        }
      }
    } catch (err) {
      if (signal.aborted) return;
      const status = (err as { status?: number }).status;
      if (status === 401 || status === 403) return; // logged out: the session effect restarts it
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 30000);
  }
}
