"""The gateway's merged OpenAPI carries the 3.1 `webhooks` section: every contract event type,
each body a schema the document defines (so generated clients get the payload types)."""

from api_gateway.api_reference import merged_spec

EVENTS = {
    "transfer.received",
    "transfer.sent",
    "topup.completed",
    "withdrawal.completed",
    "withdrawal.failed",
    "payment_request.created",
    "payment_request.paid",
    "refund.created",
}


def test_merged_spec_documents_every_webhook_payload() -> None:
    spec = merged_spec()
    assert spec["openapi"].startswith("3.1")
    assert set(spec["webhooks"]) == EVENTS
    schemas = spec["components"]["schemas"]
    for name, item in spec["webhooks"].items():
        op = item["post"]
        ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        body = schemas[ref.rsplit("/", 1)[-1]]
        assert set(body["required"]) == {"type", "timestamp", "data"}
        assert body["properties"]["type"]["const"] == name
        assert {p["name"] for p in op["parameters"]} == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert "/api/v1/webhooks/endpoints" in spec["paths"]
    assert "/api/v1/webhooks/deliveries/{delivery_id}/replay" in spec["paths"]
