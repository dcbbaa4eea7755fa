"""An access token living longer than the contract's 15 minutes is refused even when correctly
signed (OWASP API2)."""

import pytest
from fastapi import APIRouter

from instapay_common.security.tokens import CurrentPrincipal
from instapay_common.settings import ServiceSettings
from instapay_common.web.app import create_service_app
from instapay_stack.testing import running_app
from instapay_stack.tokens import TestIssuer

router = APIRouter()


@router.get("/me")
async def me(principal: CurrentPrincipal) -> dict:
    return {"user_id": principal.user_id}


@pytest.fixture
async def client_and_issuer():
    settings = ServiceSettings(service_name="lifetime-test", jwks_url="http://127.0.0.1:9/none")
    app = create_service_app(settings, title="t", routers=[router])
    issuer = TestIssuer(settings)
    async with running_app(app) as client:
        issuer.install(app)
        yield client, issuer


@pytest.mark.parametrize(("ttl", "status"), [(900, 200), (60, 200), (3600, 401), (86400 * 365, 401)])
async def test_lifetime_is_capped_at_15_minutes(client_and_issuer, ttl, status):
    client, issuer = client_and_issuer
    r = await client.get("/me", headers={"Authorization": f"Bearer {issuer.token('u1', ttl=ttl)}"})
    assert r.status_code == status, r.text


async def test_non_integer_times_are_refused(client_and_issuer):
    client, issuer = client_and_issuer
    token = issuer.token("u1", iat=1.5e9, exp=4.1e9)
    assert (await client.get("/me", headers={"Authorization": f"Bearer {token}"})).status_code == 401
