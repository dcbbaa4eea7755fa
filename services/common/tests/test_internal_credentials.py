"""Internal calls: each caller its own secret, each route its allow-list (401 without a valid
credential, 403 for a caller the route does not allow), and the client address believed only
from the gateway. Secrets outside development: at least 32 bytes, no placeholders."""

import secrets
from pathlib import Path
from typing import Annotated, ClassVar

import pytest
import yaml
from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from instapay_common.security.internal import client_address, internal_callers
from instapay_common.settings import ServiceSettings
from instapay_common.web.app import create_service_app
from instapay_common.web.fast_routes import internal_endpoint
from instapay_stack.testing import internal_headers, running_app

REPO = Path(__file__).resolve().parents[3]


class UsersLikeSettings(ServiceSettings):
    """A service shaped like the user service: accepts auth, transaction and notification."""

    internal_peers: ClassVar[tuple[str, ...]] = ("auth", "transaction", "notification", "gateway")


router = APIRouter()


async def parties(_request: Request) -> Response:
    return JSONResponse({"ok": True})


# Before /internal/users/{user_id}, which would match it.
router.add_route("/internal/users/parties", internal_endpoint(parties, allow=("transaction",)), methods=["GET"])


@router.delete("/internal/users/{user_id}")
async def remove(user_id: str, caller: Annotated[str, internal_callers("auth")]) -> dict[str, str]:
    return {"removed": user_id, "by": caller}


@router.get("/internal/users/{user_id}")
async def get(user_id: str, caller: Annotated[str, internal_callers("auth", "notification")]) -> dict[str, str]:
    return {"user_id": user_id, "by": caller}


@router.get("/whoami")
async def whoami(request: Request) -> dict[str, str | None]:
    return {"address": client_address(request)}


@pytest.fixture
async def client():
    app = create_service_app(UsersLikeSettings(environment="test"), title="t", routers=[router])
    async with running_app(app) as http:
        yield http


async def test_each_route_admits_only_its_callers(client):
    ok = await client.delete("/internal/users/u1", headers=internal_headers("auth"))
    assert ok.status_code == 200 and ok.json() == {"removed": "u1", "by": "auth"}
    # The notification service holds a valid credential (it reads profiles) but may not delete one.
    refused = await client.delete("/internal/users/u1", headers=internal_headers("notification"))
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "forbidden" and "notification" in refused.json()["detail"]
    assert (await client.get("/internal/users/u1", headers=internal_headers("notification"))).status_code == 200
    # Plain Starlette routes apply the same rule.
    assert (await client.get("/internal/users/parties", headers=internal_headers("transaction"))).status_code == 200
    assert (await client.get("/internal/users/parties", headers=internal_headers("auth"))).status_code == 403


async def test_missing_wrong_or_unknown_credentials_are_401(client):
    auth = internal_headers("auth")
    cases = [
        {},  # none
        {"X-Internal-Token": auth["X-Internal-Token"]},  # no caller named
        {**auth, "X-Internal-Token": auth["X-Internal-Token"] + "x"},  # wrong secret
        {**auth, "X-Internal-Token": internal_headers("notification")["X-Internal-Token"]},  # someone else's
        internal_headers("relay"),  # a caller this service holds no secret for
        {**auth, "X-Internal-Caller": "root"},
    ]
    for headers in cases:
        for r in (
            await client.delete("/internal/users/u1", headers=headers),
            await client.get("/internal/users/parties", headers=headers),
        ):
            assert r.status_code == 401, headers
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.json()["code"] == "unauthenticated"


async def test_client_address_is_believed_from_the_gateway_only(client):
    claim = {"X-Client-Address": "198.51.100.7"}
    gateway = await client.get("/whoami", headers={**claim, **internal_headers("gateway")})
    assert gateway.json() == {"address": "198.51.100.7"}
    for headers in (claim, {**claim, **internal_headers("auth")}, {**claim, "X-Forwarded-For": "198.51.100.7"}):
        r = await client.get("/whoami", headers=headers)
        assert r.json()["address"] != "198.51.100.7", headers


def _secret() -> str:
    return "k" + secrets.token_urlsafe(32)


def _production(**secrets_by_caller: str) -> UsersLikeSettings:
    peers = {f"internal_secret_{c}": _secret() for c in UsersLikeSettings.internal_peers}
    return UsersLikeSettings(environment="production", **{**peers, **secrets_by_caller})


def _example_secret_values() -> list[str]:
    """The example Secret's values: what an operator who copies it unchanged would deploy."""
    docs = yaml.safe_load_all((REPO / "infrastructure/k8s/secret.example.yaml").read_text())
    (doc,) = [d for d in docs if d and d["metadata"]["name"] == "instapay-secrets"]
    return [v for k, v in doc["stringData"].items() if k.startswith("INTERNAL_SECRET_") or k == "PIN_PEPPER"]


def test_secrets_outside_development_are_long_random_and_not_placeholders():
    _production()  # real secrets: starts
    examples = _example_secret_values()
    assert examples, "the example Secret lists the internal secrets"
    for value in [*examples, "dev-internal-auth-secret-not-for-production", "changeme" * 5]:
        with pytest.raises(ValueError, match="INTERNAL_SECRET_AUTH holds a placeholder"):
            _production(internal_secret_auth=value)
    with pytest.raises(ValueError, match="INTERNAL_SECRET_AUTH must be at least 32 bytes"):
        _production(internal_secret_auth=secrets.token_urlsafe(16))
    with pytest.raises(ValueError, match="INTERNAL_SECRET_AUTH is not random enough"):
        _production(internal_secret_auth="ab" * 20)
    with pytest.raises(ValueError, match="INTERNAL_SECRET_NOTIFICATION is required"):
        UsersLikeSettings(
            environment="staging", **{f"internal_secret_{c}": _secret() for c in ("auth", "transaction", "gateway")}
        )
    # Development and test run on the built-in secrets.
    assert (
        UsersLikeSettings(environment="development")
        .internal_credentials()
        .verify("auth", internal_headers("auth")["X-Internal-Token"])
    )
