"""The OpenAPI states the Idempotency-Key contract that the routes enforce (read leniently so a
missing key is the contract's 400, not FastAPI's 422)."""

from transaction_service.main import build_app

MONEY_POSTS = {
    "/api/v1/transfers",
    "/api/v1/wallet/topups",
    "/api/v1/wallet/withdrawals",
    "/api/v1/payment-requests/{request_id}/accept",
    "/api/v1/transfers/{transfer_id}/refunds",
}


def test_money_posts_document_a_required_idempotency_key_and_a_schedule_an_optional_one():
    spec = build_app().openapi()
    documented = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                if param["in"] == "header" and param["name"].lower() == "idempotency-key":
                    documented[path] = (
                        method,
                        param["required"],
                        param["schema"]["minLength"],
                        param["schema"]["maxLength"],
                    )
    # Creating a scheduled transfer moves no money yet: its key is optional (same rules when sent).
    assert documented == {
        **{path: ("post", True, 1, 255) for path in MONEY_POSTS},
        "/api/v1/scheduled-transfers": ("post", False, 1, 255),
    }
    assert "400" in spec["paths"]["/api/v1/transfers"]["post"]["responses"]  # idempotency_key_required
