"""A minimal SMTP sink with Mailpit's liveness and message-list endpoints (dev stand-in only)."""

import asyncio
import json

MESSAGES: list[dict[str, object]] = []


async def smtp(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    def send(line: str) -> None:
        writer.write(f"{line}\r\n".encode())

    send("220 mail-sink ESMTP")
    sender, recipients = "", []
    while line := (await reader.readline()).decode(errors="replace").rstrip("\r\n"):
        verb = line[:4].upper()
        if verb in ("EHLO", "HELO"):
            send("250 mail-sink")
        elif verb == "MAIL":
            sender, recipients = line[10:].strip(" <>"), []
            send("250 OK")
        elif verb == "RCPT":
            recipients.append(line[8:].strip(" <>"))
            send("250 OK")
        elif verb == "DATA":
            send("354 end with <CR><LF>.<CR><LF>")
            await writer.drain()
            body = []
            while (data := (await reader.readline()).decode(errors="replace")).rstrip("\r\n") != ".":
                body.append(data)
            MESSAGES.append({"From": sender, "To": recipients, "Raw": "".join(body)})
            send("250 OK queued")
        elif verb == "QUIT":
            send("221 bye")
            break
        else:
            send("250 OK")
        await writer.drain()
    await writer.drain()
    writer.close()


async def http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    request = (await reader.readline()).decode(errors="replace").split()
    while (await reader.readline()).strip():
        pass
    path = request[1] if len(request) > 1 else "/"
    body = b"ok" if path == "/livez" else json.dumps({"total": len(MESSAGES), "messages": MESSAGES}).encode()
    writer.write(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    await writer.drain()
    writer.close()


async def main() -> None:
    await asyncio.start_server(smtp, "0.0.0.0", 1025)
    server = await asyncio.start_server(http, "0.0.0.0", 8025)
    await server.serve_forever()


asyncio.run(main())
