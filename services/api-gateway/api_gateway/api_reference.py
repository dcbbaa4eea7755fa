"""Renders docs/API_REFERENCE.md from the merged OpenAPI of all services (offline, no server).

python -m api_gateway.api_reference > docs/API_REFERENCE.md      (make api-reference)
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

from api_gateway.config import GatewaySettings
from api_gateway.gateway_app import build_gateway
from api_gateway.openapi_merge import HTTP_METHODS, merge_specs
from api_gateway.routing import RouteTable

SERVICE_MODULES = {
    "auth": "auth_service.main",
    "user": "user_service.main",
    "transaction": "transaction_service.main",
    "reporting": "reporting_service.main",
    "notification": "notification_service.main",
}


def merged_spec() -> dict[str, Any]:
    settings = GatewaySettings()
    gateway = build_gateway(settings)
    specs = {name: importlib.import_module(mod).app.openapi() for name, mod in SERVICE_MODULES.items()}
    return merge_specs(gateway.openapi(), specs, RouteTable(settings.routes, settings.upstream_urls()))


def _schema_name(schema: dict[str, Any] | None) -> str:
    if not schema:
        return ""
    if "$ref" in schema:
        return "`" + str(schema["$ref"]).rsplit("/", 1)[-1] + "`"
    if schema.get("type") == "array":
        return f"array of {_schema_name(schema.get('items'))}"
    if "anyOf" in schema:
        return " or ".join(_schema_name(s) for s in schema["anyOf"])
    return "`" + str(schema.get("type", "object")) + "`"


def _body_schema(content: dict[str, Any] | None) -> str:
    if not content:
        return ""
    media, spec = next(iter(content.items()))
    return f"{_schema_name(spec.get('schema'))} ({media})"


def render(spec: dict[str, Any]) -> str:
    out = [
        "# Mini-InstaPay API reference",
        "",
        "Generated from the gateway's merged OpenAPI by `make api-reference`; do not edit by hand",
        "(a test fails when this file is stale). The contract behind it is `API_CONTRACT.md`; the",
        "live version is at `GET /docs` and `GET /openapi.json` on the gateway.",
        "",
        "Conventions: JSON in and out; `Authorization: Bearer <access token>` unless marked public;",
        "errors are RFC 9457 `application/problem+json` with a machine-readable `code`",
        "(see the `Problem` schema); every response carries `X-Request-ID`.",
        "",
        "## Endpoints",
        "",
    ]
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            out.append(f"### `{method.upper()} {path}`")
            out.append("")
            if op.get("summary"):
                out.append(op["summary"])
                out.append("")
            if op.get("description"):
                out.append(op["description"].strip())
                out.append("")
            params = op.get("parameters", [])
            if params:
                out.append("| parameter | in | required | type | description |")
                out.append("|---|---|---|---|---|")
                for p in params:
                    desc = (p.get("description") or "").replace("\n", " ")
                    out.append(
                        f"| `{p['name']}` | {p['in']} | {'yes' if p.get('required') else 'no'} | "
                        f"{_schema_name(p.get('schema'))} | {desc} |"
                    )
                out.append("")
            body = op.get("requestBody", {}).get("content")
            if body:
                out.append(f"Request body: {_body_schema(body)}")
                out.append("")
            out.append("| status | meaning | body |")
            out.append("|---|---|---|")
            for status, resp in op.get("responses", {}).items():
                out.append(f"| {status} | {resp.get('description', '')} | {_body_schema(resp.get('content'))} |")
            out.append("")
    out += _webhooks(spec)
    out += [PYTHON_SDK]
    out += ["## Schemas", ""]
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        out.append(f"### `{name}`")
        out.append("")
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        if props:
            out.append("| field | type | required | description |")
            out.append("|---|---|---|---|")
            for field, fs in props.items():
                desc = (fs.get("description") or "").replace("\n", " ")
                out.append(f"| `{field}` | {_schema_name(fs)} | {'yes' if field in required else 'no'} | {desc} |")
        elif "enum" in schema:
            out.append("One of: " + ", ".join(f"`{v}`" for v in schema["enum"]))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


VERIFY_SIGNATURES = """\
### Verifying a signature

Verify the raw body (the bytes as received, before any JSON parsing) with the endpoint's
`whsec_...` secret and the three headers; during a secret rotation `webhook-signature` carries
two signatures and either verifies. Keep `webhook-id`s you have handled to drop repeats: delivery
is at least once, and a retry or replay carries the same id and body.

Python (`pip install standardwebhooks`):

```python
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

wh = Webhook(secret)  # "whsec_..."
try:
    event = wh.verify(raw_body, {k: v for k, v in request.headers.items()})
except WebhookVerificationError:
    return 400
# event["type"], event["data"]
```

Node (`npm install standardwebhooks`):

```js
import { Webhook } from "standardwebhooks";

const wh = new Webhook(secret); // "whsec_..."
const event = wh.verify(rawBody, {
  "webhook-id": req.headers["webhook-id"],
  "webhook-timestamp": req.headers["webhook-timestamp"],
  "webhook-signature": req.headers["webhook-signature"],
}); // throws if the signature or timestamp is wrong
```
"""


PYTHON_SDK = """\
## Python SDK

`sdk/python` in this repository is the `instapay-sdk` package (Python 3.11+): a client generated
from this OpenAPI by openapi-python-client (`instapay_sdk.generated`, one module per operation
under `generated.api.<tag>`, each with `sync`, `sync_detailed`, `asyncio`, `asyncio_detailed`),
plus two hand-written helpers. Install it from a checkout: `pip install ./sdk/python`.

A token for an API client (client credentials), fetched on the first call and replaced before it
expires; a documented error comes back as the `Problem` model, refused credentials raise
`TokenError`:

```python
import uuid

from instapay_sdk import connect
from instapay_sdk.generated.api.transfers import create_transfer_api_v1_transfers_post as create_transfer
from instapay_sdk.generated.models import Problem, TransferIn

client = connect("https://api.instapay.example", client_id, client_secret)
key = str(uuid.uuid4())  # keep it: a retry with the same key moves the money once
transfer = create_transfer.sync(
    client=client, body=TransferIn(recipient="bob.handle", amount="125.50"), idempotency_key=key
)
if isinstance(transfer, Problem):
    print(transfer.code, transfer.detail)
```

A webhook, verified (the `standardwebhooks` library) and parsed into its event model:

```python
from instapay_sdk import WebhookVerificationError, verify
from instapay_sdk.generated.models import TransferSentWebhook

try:
    event = verify(raw_body, request.headers, endpoint_secret)  # "whsec_..."
except WebhookVerificationError:
    return 400
if isinstance(event, TransferSentWebhook):
    print(event.data.transfer_id, event.data.amount)
```
"""


def _webhooks(spec: dict[str, Any]) -> list[str]:
    """The OpenAPI `webhooks` section: what we POST to third parties' endpoints."""
    hooks = spec.get("webhooks") or {}
    if not hooks:
        return []
    out = [
        "## Webhooks",
        "",
        "Requests Mini-InstaPay sends to the endpoints registered under `/api/v1/webhooks/endpoints`",
        "(Standard Webhooks 1.0; the body of each is `{type, timestamp, data}`).",
        "",
        "| event | body |",
        "|---|---|",
    ]
    for name, item in hooks.items():
        body = item.get("post", {}).get("requestBody", {}).get("content")
        out.append(f"| `{name}` | {_body_schema(body)} |")
    out += ["", VERIFY_SIGNATURES]
    return out


if __name__ == "__main__":
    sys.stdout.write(render(merged_spec()))
