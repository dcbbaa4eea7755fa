"""Free text in auth bodies that PostgreSQL or hashing cannot take is a 422, never a 500 or a 503:
a client name with NUL (the outbox insert), a lone surrogate as refresh token (its SHA-256 digest on
refresh and logout), a full name with NUL (the user service's insert, after which registration
would compensate)."""

import base64
import json

import pytest
from sqlalchemy import func, select

from auth_service.models import Credential

PASSWORD = "Gr8-Secret-Words"
BAD = {"nul": "a\u0000b", "surrogate": "\ud800", "escape": "a\u001bb"}


def _json(body: dict) -> dict:
    # escaped JSON: a lone surrogate has no UTF-8 form, so the client could not send it otherwise
    return {"content": json.dumps(body), "headers": {"Content-Type": "application/json"}}


def _validation_error(r, field: str) -> None:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "validation_error"
    assert [e["field"] for e in r.json()["errors"]] == [field], r.json()


@pytest.mark.parametrize("bad", list(BAD), ids=str)
async def test_text_fields_refuse_what_cannot_be_stored(app_client, active_user, bad):
    value = BAD[bad]
    tokens = (
        await app_client.post("/api/v1/auth/login", json={"username": active_user["email"], "password": PASSWORD})
    ).json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}

    kw = _json({"name": value, "scopes": ["wallet:read"], "password": PASSWORD})
    _validation_error(
        await app_client.post("/api/v1/auth/clients", content=kw["content"], headers={**kw["headers"], **auth}), "name"
    )
    listed = await app_client.get("/api/v1/auth/clients", headers=auth)
    assert listed.status_code == 200 and listed.json()["items"] == []

    _validation_error(await app_client.post("/api/v1/auth/refresh", **_json({"refresh_token": value})), "refresh_token")
    kw = _json({"refresh_token": value})
    _validation_error(
        await app_client.post("/api/v1/auth/logout", content=kw["content"], headers={**kw["headers"], **auth}),
        "refresh_token",
    )
    # the session is still alive (a refused logout revoked nothing), its refresh token still rotates
    assert (await app_client.get("/api/v1/auth/sessions", headers=auth)).status_code == 200
    assert (
        await app_client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    ).status_code == 200

    async with app_client.app.state.db.sessionmaker() as db:
        before = (await db.execute(select(func.count()).select_from(Credential))).scalar_one()
    _validation_error(
        await app_client.post(
            "/api/v1/auth/register",
            **_json(
                {
                    "email": f"t.{bad}@example.com",
                    "phone": "+201009876543",
                    "password": "Very-Str0ng-Pass!",
                    "full_name": value,
                }
            ),
        ),
        "full_name",
    )
    async with app_client.app.state.db.sessionmaker() as db:
        assert (await db.execute(select(func.count()).select_from(Credential))).scalar_one() == before


async def test_a_client_id_with_nul_is_an_unknown_client(app_client, active_user):
    """A client id holding NUL (`DELETE /auth/clients/a%00b`, a client-credentials grant by form or
    Basic) is an unknown client: it never reaches PostgreSQL, which refuses NUL in text."""
    tokens = (
        await app_client.post("/api/v1/auth/login", json={"username": active_user["email"], "password": PASSWORD})
    ).json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    r = await app_client.delete("/api/v1/auth/clients/a%00b", headers=auth)
    assert r.status_code == 404 and r.json()["code"] == "client_not_found", r.text
    r = await app_client.post(
        "/api/v1/auth/token", data={"grant_type": "client_credentials", "client_id": "a\u0000b", "client_secret": "x"}
    )
    assert r.status_code == 401 and r.json()["code"] == "invalid_client", r.text
    basic = base64.b64encode(b"ipc_\x00:secret").decode()
    r = await app_client.post(
        "/api/v1/auth/token", data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
    )
    assert r.status_code == 401 and r.json()["code"] == "invalid_client", r.text
