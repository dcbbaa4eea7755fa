"""The OpenAPI documents each public route's real success body (the response models in schemas.py),
as documentation only: real answers validate against the models with unknown fields forbidden at
every level (a field a body builder adds and the model lacks fails here), the routes' OpenAPI references the
models, and no route validates or filters its answer at run time."""

import types
import typing
import uuid
from typing import Annotated, Any, Literal, get_args, get_origin

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from instapay_stack.e2e import DEFAULT_PIN
from transaction_service import schemas as rm

DOCUMENTED = {
    ("get", "/api/v1/wallet", "200"): "Wallet",
    ("post", "/api/v1/wallet/topups", "201"): "Transaction",
    ("post", "/api/v1/wallet/topups", "202"): "Transaction",
    ("post", "/api/v1/wallet/withdrawals", "201"): "Transaction",
    ("post", "/api/v1/transfers", "201"): "Transfer",
    ("get", "/api/v1/transfers/{transfer_id}", "200"): "Transfer",
    ("get", "/api/v1/transactions", "200"): "TransactionPage",
    ("post", "/api/v1/payment-requests", "201"): "PaymentRequest",
    ("get", "/api/v1/payment-requests", "200"): "PaymentRequestPage",
    ("post", "/api/v1/payment-requests/{request_id}/accept", "201"): "Transfer",
    ("post", "/api/v1/payment-requests/{request_id}/decline", "200"): "PaymentRequest",
    ("post", "/api/v1/payment-requests/{request_id}/cancel", "200"): "PaymentRequest",
    ("get", "/api/v1/admin/wallets/{user_id}", "200"): "AdminWallet",
    ("post", "/api/v1/admin/wallets/{user_id}/freeze", "202"): "Approval",
    ("post", "/api/v1/admin/wallets/{user_id}/unfreeze", "202"): "Approval",
    ("post", "/api/v1/admin/wallets/{user_id}/limits", "202"): "Approval",
    ("post", "/api/v1/admin/disputes/{dispute_id}/resolve", "202"): "Approval",
    ("get", "/api/v1/admin/approvals", "200"): "ApprovalPage",
    ("post", "/api/v1/admin/approvals/{approval_id}/approve", "200"): "Approval",
    ("post", "/api/v1/admin/approvals/{approval_id}/reject", "200"): "Approval",
    ("post", "/api/v1/funding/webhooks/{provider}", "200"): "CallbackAnswer",
    ("get", "/api/v1/admin/reconciliation", "200"): "Reconciliation",
    ("get", "/api/v1/transactions/{transaction_id}", "200"): "TransactionDetail",
    ("post", "/api/v1/payment-links", "201"): "PaymentLink",
    ("get", "/api/v1/payment-links", "200"): "PaymentLinkPage",
    ("get", "/api/v1/payment-links/resolve", "200"): "ResolvedPaymentLink",
    ("get", "/api/v1/users/me/receive", "200"): "ReceiveCode",
    ("get", "/api/v1/favourites", "200"): "FavouriteList",
    ("post", "/api/v1/favourites", "201"): "Favourite",
    ("get", "/api/v1/recipients/recent", "200"): "RecentRecipients",
    ("post", "/api/v1/transfers/{transfer_id}/refunds", "201"): "Transfer",
    ("post", "/api/v1/transfers/{transfer_id}/disputes", "201"): "Dispute",
    ("get", "/api/v1/disputes", "200"): "DisputePage",
    ("get", "/api/v1/admin/disputes", "200"): "DisputePage",
    ("post", "/api/v1/scheduled-transfers", "201"): "ScheduledTransfer",
    ("get", "/api/v1/scheduled-transfers", "200"): "ScheduledTransferPage",
    ("patch", "/api/v1/scheduled-transfers/{schedule_id}", "200"): "ScheduledTransfer",
}
# Routes that answer 204 without a body.
NO_BODY = {
    ("delete", "/api/v1/payment-links/{link_id}"),
    ("delete", "/api/v1/favourites/{favourite_id}"),
    ("delete", "/api/v1/scheduled-transfers/{schedule_id}"),
}
# Routes that answer a file, documented by its media type.
FILES = {("get", "/api/v1/transactions/{transaction_id}/receipt.pdf"): "application/pdf"}

_strict: dict[type[BaseModel], type[BaseModel]] = {}


def _strict_type(annotation: Any) -> Any:
    """`annotation` with every model in it replaced by its extra-forbidding copy."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return forbidding(annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        return typing.Union[tuple(_strict_type(a) for a in args)]  # noqa: UP007 - built from a tuple
    if origin is list:
        return list[_strict_type(args[0])]
    if origin in (Literal, Annotated, dict) or origin is None:  # a dict is free-form JSON
        return annotation
    raise TypeError(f"add {annotation!r} to _strict_type")


def forbidding(model: type[BaseModel]) -> type[BaseModel]:
    """A copy of `model` (and of the models in its fields) that refuses unknown fields."""
    if model not in _strict:
        fields = {name: (_strict_type(info.annotation), info) for name, info in model.model_fields.items()}
        _strict[model] = create_model(f"Strict{model.__name__}", __config__=ConfigDict(extra="forbid"), **fields)
    return _strict[model]


def conforms(model: type[BaseModel], body: Any) -> Any:
    forbidding(model).model_validate(body)
    return body


def _api_routes(routes: list[Any]) -> list[APIRoute]:
    """The app's routes, through the included routers (FastAPI wraps each in one)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += _api_routes(route.original_router.routes)
    return found


def k() -> str:
    return uuid.uuid4().hex


def test_the_strict_copies_refuse_an_unknown_field_at_any_depth_and_keep_the_field_rules():
    transfer = {
        "id": str(uuid.uuid4()),
        "status": "completed",
        "amount": "1.00",
        "currency": "EGP",
        "sender": {"user_id": str(uuid.uuid4()), "handle": "a"},
        "recipient": {"user_id": str(uuid.uuid4()), "handle": "b", "display_name": "B."},
        "note": None,
        "created_at": "2026-11-25T10:00:00.000Z",
        "payment_request_id": None,
        "payment_link_id": None,
        "reference": "IP7K3Q9X2M",
    }
    conforms(rm.Transfer, transfer)
    for bad in (
        {**transfer, "fee": "0.00"},
        {**transfer, "sender": {**transfer["sender"], "email": "a@x"}},
        {**transfer, "amount": 1.0},
        {**transfer, "amount": "1.5"},
        {**transfer, "created_at": 0},
        {**transfer, "status": "pending"},
        {**transfer, "id": "42"},
        {**transfer, "reference": "IP7K3Q9X2I"},  # I is not in the alphabet (reads as 1)
    ):
        with pytest.raises(ValidationError):
            conforms(rm.Transfer, bad)
    page = {
        "items": [
            {
                "id": str(uuid.uuid4()),
                "type": "topup",
                "direction": "in",
                "amount": "1.00",
                "currency": "EGP",
                "balance_after": "1.00",
                "counterparty": None,
                "transfer_id": None,
                "note": None,
                "status": "completed",
                "created_at": "2026-11-25T10:00:00Z",
                "x": 1,
            }
        ],
        "next_cursor": None,
    }
    with pytest.raises(ValidationError):
        conforms(rm.TransactionPage, page)


def test_the_openapi_documents_the_models_and_no_route_validates_or_filters_its_answer(ctx):
    spec = ctx.app.openapi()
    for (method, path, status), name in DOCUMENTED.items():
        response = spec["paths"][path][method]["responses"][status]
        assert response["content"]["application/json"]["schema"] == {"$ref": f"#/components/schemas/{name}"}, (
            method,
            path,
            response,
        )
        assert response["description"] and response["description"] != "Successful Response"
    schemas = spec["components"]["schemas"]
    assert schemas["Transfer"]["properties"]["amount"]["type"] == "string"
    assert schemas["Wallet"]["properties"]["status"]["enum"] == ["active", "frozen"]
    public = [r for r in _api_routes(ctx.app.routes) if r.path.startswith("/api/v1/")]
    assert {(m.lower(), r.path) for r in public for m in r.methods} == {
        (m, p) for m, p, _ in DOCUMENTED
    } | NO_BODY | set(FILES)
    for (method, path), media_type in FILES.items():
        response = spec["paths"][path][method]["responses"]["200"]
        assert list(response["content"]) == [media_type] and response["description"] != "Successful Response"
    for route in public:  # documentation only: the answer is what the view built, as it built it
        assert route.response_model is None and route.response_field is None, route.path


async def test_real_answers_conform_to_their_documented_models(ctx):
    alice = await ctx.user(balance="500.00")
    bob = await ctx.user()
    ha, hb = ctx.auth(alice["user_id"]), ctx.auth(bob["user_id"])
    c = ctx.client

    r = await c.post(
        "/api/v1/wallet/topups",
        headers={**ha, "Idempotency-Key": k()},
        json={"amount": "25.50", "source": {"type": "bank", "reference": "iban-1"}},
    )
    assert r.status_code == 202, r.text
    assert conforms(rm.Transaction, r.json())["status"] == "pending"
    wallet_topup_id = r.json()["id"]
    r = await c.post(
        "/api/v1/wallet/withdrawals",
        headers={**ha, "Idempotency-Key": k()},
        json={"amount": "10", "destination": {"type": "bank", "reference": "iban-1"}, "pin": DEFAULT_PIN},
    )
    assert r.status_code == 201, r.text
    assert conforms(rm.Transaction, r.json())["status"] == "pending"

    key = k()
    body = {"recipient": bob["handle"], "amount": "40.00", "note": "rent", "pin": DEFAULT_PIN}
    r = await c.post("/api/v1/transfers", headers={**ha, "Idempotency-Key": key}, json=body)
    assert r.status_code == 201, r.text
    transfer = conforms(rm.Transfer, r.json())
    replay = await c.post("/api/v1/transfers", headers={**ha, "Idempotency-Key": key}, json=body)
    assert replay.headers["Idempotent-Replayed"] == "true" and replay.content == r.content
    for h in (ha, hb):
        r = await c.get(f"/api/v1/transfers/{transfer['id']}", headers=h)
        assert r.status_code == 200 and conforms(rm.Transfer, r.json()) == transfer

    for h in (ha, hb):
        r = await c.get("/api/v1/transactions", headers=h, params={"limit": 2})
        assert r.status_code == 200, r.text
        page = conforms(rm.TransactionPage, r.json())
        assert page["items"][0]["transfer_id"] == transfer["id"] and page["items"][0]["counterparty"] is not None
    assert conforms(rm.TransactionPage, (await c.get("/api/v1/transactions", headers=ha)).json())["next_cursor"] is None
    r = await c.get("/api/v1/transactions", headers=ha, params={"limit": 1})
    assert conforms(rm.TransactionPage, r.json())["next_cursor"]
    r = await c.get("/api/v1/wallet", headers=ha)
    wallet = conforms(rm.Wallet, r.json())
    assert (wallet["balance"], wallet["available_balance"]) == ("460.00", "450.00")  # 25.50 and 10 pending

    requests = []
    for amount in ("5.00", "6.00", "7.00"):
        r = await c.post("/api/v1/payment-requests", headers=hb, json={"payer": alice["handle"], "amount": amount})
        assert r.status_code == 201, r.text
        requests.append(conforms(rm.PaymentRequest, r.json()))
    r = await c.post(
        f"/api/v1/payment-requests/{requests[0]['id']}/accept",
        headers={**ha, "Idempotency-Key": k()},
        json={"pin": DEFAULT_PIN},
    )
    assert r.status_code == 201, r.text
    assert conforms(rm.Transfer, r.json())["payment_request_id"] == requests[0]["id"]
    r = await c.post(f"/api/v1/payment-requests/{requests[1]['id']}/decline", headers=ha)
    assert r.status_code == 200 and conforms(rm.PaymentRequest, r.json())["status"] == "declined"
    r = await c.post(f"/api/v1/payment-requests/{requests[2]['id']}/cancel", headers=hb)
    assert r.status_code == 200 and conforms(rm.PaymentRequest, r.json())["status"] == "cancelled"
    for h, role in ((ha, "incoming"), (hb, "outgoing")):
        r = await c.get("/api/v1/payment-requests", headers=h, params={"role": role, "limit": 2})
        assert r.status_code == 200, r.text
        page = conforms(rm.PaymentRequestPage, r.json())
        assert len(page["items"]) == 2 and page["next_cursor"]
    r = await c.get("/api/v1/payment-requests", headers=ha, params={"status": "accepted"})
    assert conforms(rm.PaymentRequestPage, r.json())["items"][0]["transfer_id"]

    admin, second = ctx.admin(), ctx.admin()
    r = await c.post(f"/api/v1/admin/wallets/{bob['user_id']}/freeze", headers=admin, json={"reason": "review"})
    assert r.status_code == 202 and conforms(rm.Approval, r.json())["status"] == "pending"
    r = await c.post(f"/api/v1/admin/approvals/{r.json()['approval_id']}/approve", headers=second)
    assert r.status_code == 200 and conforms(rm.Approval, r.json())["result"]["status"] == "frozen"
    conforms(rm.Wallet, r.json()["result"])
    r = await c.get(f"/api/v1/admin/wallets/{bob['user_id']}", headers=admin)
    assert r.status_code == 200 and conforms(rm.AdminWallet, r.json())["frozen_reason"] == "review"
    r = await c.post(f"/api/v1/admin/wallets/{bob['user_id']}/unfreeze", headers=admin)
    assert r.status_code == 202 and conforms(rm.Approval, r.json())["action"] == "wallet.unfreeze"
    r = await c.post(f"/api/v1/admin/approvals/{r.json()['approval_id']}/reject", headers=second)
    assert r.status_code == 200 and conforms(rm.Approval, r.json())["status"] == "rejected"
    r = await c.get("/api/v1/admin/approvals", headers=admin, params={"limit": 1})
    assert r.status_code == 200 and conforms(rm.ApprovalPage, r.json())["next_cursor"]
    r = await c.get("/api/v1/admin/reconciliation", headers=admin, params={"date": "2026-01-01"})
    assert r.status_code == 200 and conforms(rm.Reconciliation, r.json())["matched"] == 0
    headers, body = ctx.app.state.funding.settle(uuid.UUID(wallet_topup_id), "charge.succeeded")
    r = await c.post("/api/v1/funding/webhooks/in_process", headers=headers, content=body)
    assert r.status_code == 200 and conforms(rm.CallbackAnswer, r.json())["status"] == "applied"


async def test_link_favourite_and_detail_answers_conform_to_their_documented_models(ctx):
    shop = await ctx.user()
    buyer = await ctx.user(balance="100.00")
    hs, hb = ctx.auth(shop["user_id"]), ctx.auth(buyer["user_id"])
    c = ctx.client
    r = await c.post(
        "/api/v1/payment-links", headers=hs, json={"amount": "9.99", "reference": "o-1", "single_use": True}
    )
    assert r.status_code == 201, r.text
    link = conforms(rm.PaymentLink, r.json())
    assert conforms(rm.PaymentLinkPage, (await c.get("/api/v1/payment-links", headers=hs)).json())["items"] == [link]
    r = await c.get("/api/v1/payment-links/resolve", headers=hb, params={"token": link["token"]})
    assert conforms(rm.ResolvedPaymentLink, r.json())["amount"] == "9.99"
    assert conforms(rm.ReceiveCode, (await c.get("/api/v1/users/me/receive", headers=hs)).json())["handle"]
    r = await c.post(
        "/api/v1/transfers",
        headers={**hb, "Idempotency-Key": k()},
        json={"payment_link": link["token"], "amount": "9.99", "pin": DEFAULT_PIN},
    )
    transfer = conforms(rm.Transfer, r.json())
    used = conforms(rm.PaymentLinkPage, (await c.get("/api/v1/payment-links", headers=hs)).json())["items"][0]
    assert (used["status"], used["paid_transfer_id"]) == ("used", transfer["id"])
    for h in (hs, hb):
        r = await c.get(f"/api/v1/transactions/{transfer['id']}", headers=h)
        assert conforms(rm.TransactionDetail, r.json())["payment_link_id"] == link["id"]
    topup = (await c.get("/api/v1/transactions", headers=hb)).json()["items"][-1]
    r = await c.get(f"/api/v1/transactions/{topup['id']}", headers=hb)
    assert conforms(rm.TransactionDetail, r.json())["parties"]["sender"] is None
    r = await c.post("/api/v1/favourites", headers=hb, json={"recipient": shop["handle"], "nickname": "corner shop"})
    favourite = conforms(rm.Favourite, r.json())
    assert conforms(rm.FavouriteList, (await c.get("/api/v1/favourites", headers=hb)).json())["items"] == [favourite]
    recent = conforms(rm.RecentRecipients, (await c.get("/api/v1/recipients/recent", headers=hb)).json())
    assert recent["items"][0]["recipient"]["user_id"] == shop["user_id"]


async def test_refund_and_dispute_answers_conform_to_their_documented_models(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    ha, hb = ctx.auth(alice["user_id"]), ctx.auth(bob["user_id"])
    c = ctx.client
    body = {"recipient": bob["handle"], "amount": "40.00", "pin": DEFAULT_PIN}
    transfer = (await c.post("/api/v1/transfers", headers={**ha, "Idempotency-Key": k()}, json=body)).json()
    r = await c.post(
        f"/api/v1/transfers/{transfer['id']}/refunds",
        headers={**hb, "Idempotency-Key": k()},
        json={"amount": "10.00", "pin": DEFAULT_PIN},
    )
    assert r.status_code == 201, r.text
    refund = conforms(rm.Transfer, r.json())
    r = await c.post(f"/api/v1/transfers/{transfer['id']}/disputes", headers=ha, json={"reason": "other"})
    assert r.status_code == 201, r.text
    conforms(rm.Dispute, r.json())
    for h in (ha, hb):
        conforms(rm.DisputePage, (await c.get("/api/v1/disputes", headers=h)).json())
        for tid in (transfer["id"], refund["id"]):
            detail = conforms(rm.TransactionDetail, (await c.get(f"/api/v1/transactions/{tid}", headers=h)).json())
            assert detail["id"] == tid
        page = conforms(rm.TransactionPage, (await c.get("/api/v1/transactions", headers=h)).json())
        assert page["items"][0]["refund_of"] == transfer["id"]
    admin = ctx.auth(str(uuid.uuid4()), roles=["admin"])
    conforms(rm.DisputePage, (await c.get("/api/v1/admin/disputes", headers=admin)).json())


async def test_scheduled_transfer_answers_conform_to_their_documented_models(ctx):
    from datetime import UTC, datetime, timedelta

    me, friend = await ctx.user(), await ctx.user()
    start = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    body = {"recipient": friend["handle"], "amount": "5", "pin": DEFAULT_PIN, "start_at": start, "repeat": "monthly"}
    r = await ctx.client.post("/api/v1/scheduled-transfers", headers=ctx.auth(me["user_id"]), json=body)
    assert r.status_code == 201, r.text
    conforms(rm.ScheduledTransfer, r.json())
    r = await ctx.client.patch(
        f"/api/v1/scheduled-transfers/{r.json()['id']}", headers=ctx.auth(me["user_id"]), json={"status": "paused"}
    )
    conforms(rm.ScheduledTransfer, r.json())
    r = await ctx.client.get("/api/v1/scheduled-transfers", headers=ctx.auth(me["user_id"]))
    conforms(rm.ScheduledTransferPage, r.json())
