"""A minimal SMTP sink with the part of Mailpit's API the stacks use (stand-in only): /livez,
GET /api/v1/messages (summaries, newest first) and GET /api/v1/message/<ID> (with the Text part),
in Mailpit's shapes, so a client of the one reads the other."""

import asyncio
import email
import email.policy
import email.utils
import json
import os
import secrets

MAX_MESSAGES = 1000
MESSAGES: list[dict[str, object]] = []  # oldest first


def _address(value: str) -> dict[str, str]:
    name, address = email.utils.parseaddr(value)
    return {"Name": name, "Address": address}


def _store(envelope_to: list[str], raw: str) -> None:
    # SMTP ends every line with CRLF; the parts are read with plain newlines, as Mailpit shows them.
    parsed = email.message_from_string(raw.replace("\r\n", "\n"), policy=email.policy.default)
    body = parsed.get_body(preferencelist=("plain",))
    html = parsed.get_body(preferencelist=("html",))
    text = body.get_content() if body is not None else ""
    MESSAGES.append(
        {
            "ID": secrets.token_hex(8),
            "From": _address(str(parsed.get("From", ""))),
            # Every envelope recipient (Bcc included), as Mailpit lists them.
            "To": [_address(a) for a in envelope_to],
            "Subject": str(parsed.get("Subject", "")),
            "Snippet": " ".join(text.split())[:250],
            "Text": text,
            "HTML": html.get_content() if html is not None else "",
        }
    )
    del MESSAGES[:-MAX_MESSAGES]


async def smtp(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    def send(line: str) -> None:
        writer.write(f"{line}\r\n".encode())

    send("220 mail-sink ESMTP")
    recipients: list[str] = []
    while line := (await reader.readline()).decode(errors="replace").rstrip("\r\n"):
        verb = line[:4].upper()
        if verb in ("EHLO", "HELO"):
            send("250 mail-sink")
        elif verb == "MAIL":
            recipients = []
            send("250 OK")
        elif verb == "RCPT":
            recipients.append(line[8:].strip(" <>"))
            send("250 OK")
        elif verb == "DATA":
            send("354 end with <CR><LF>.<CR><LF>")
            await writer.drain()
            body = []
            while (data := (await reader.readline()).decode(errors="replace")).rstrip("\r\n") != ".":
                body.append(data[1:] if data.startswith("..") else data)  # SMTP dot-stuffing
            _store(recipients, "".join(body))
            send("250 OK queued")
        elif verb == "QUIT":
            send("221 bye")
            break
        else:
            send("250 OK")
        await writer.drain()
    await writer.drain()
    writer.close()


SUMMARY = ("ID", "From", "To", "Subject", "Snippet")


def answer(path: str) -> tuple[str, object]:
    path = path.split("?", 1)[0]
    if path == "/livez":
        return "200 OK", "ok"
    if path == "/api/v1/messages":
        listed = [{k: m[k] for k in SUMMARY} for m in reversed(MESSAGES)]
        return "200 OK", {"total": len(MESSAGES), "count": len(listed), "start": 0, "messages": listed}
    if path.startswith("/api/v1/message/"):
        wanted = path.rsplit("/", 1)[1]
        for message in MESSAGES:
            if message["ID"] == wanted:
                return "200 OK", message
    return "404 Not Found", "not found"


async def http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    request = (await reader.readline()).decode(errors="replace").split()
    while (await reader.readline()).strip():
        pass
    status, content = answer(request[1] if len(request) > 1 else "/")
    body = content.encode() if isinstance(content, str) else json.dumps(content).encode()
    kind = b"text/plain" if isinstance(content, str) else b"application/json"
    writer.write(
        b"HTTP/1.0 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s" % (status.encode(), kind, len(body), body)
    )
    await writer.drain()
    writer.close()


def _bind(variable: str, default: str) -> tuple[str, int]:
    """Mailpit's own settings for where it listens (host:port)."""
    host, _, port = os.environ.get(variable, default).rpartition(":")
    return host or "0.0.0.0", int(port)


async def main() -> None:
    await asyncio.start_server(smtp, *_bind("MP_SMTP_BIND_ADDR", "0.0.0.0:1025"))
    server = await asyncio.start_server(http, *_bind("MP_UI_BIND_ADDR", "0.0.0.0:8025"))
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
