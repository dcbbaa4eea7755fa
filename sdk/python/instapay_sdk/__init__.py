"""Python SDK of the Mini-InstaPay public API.

- `instapay_sdk.generated`: the client generated from the gateway's OpenAPI by
  openapi-python-client (`make sdk`; never edited by hand): one module per operation under
  `generated.api.<tag>`, request and response models under `generated.models`.
- `connect(...)`: that client, authenticated as an API client (client credentials, token refreshed
  before it expires).
- `verify(payload, headers, secret)`: a webhook's signature checked, its body as a typed event.
"""

from instapay_sdk.auth import ClientCredentials, TokenError, connect
from instapay_sdk.generated.client import Client
from instapay_sdk.webhooks import EVENT_TYPES, UnknownWebhookEvent, WebhookEvent, WebhookVerificationError, verify

__all__ = [
    "EVENT_TYPES",
    "Client",
    "ClientCredentials",
    "TokenError",
    "UnknownWebhookEvent",
    "WebhookEvent",
    "WebhookVerificationError",
    "connect",
    "verify",
]
