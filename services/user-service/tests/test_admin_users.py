"""Operators find users (GET /api/v1/admin/users?q=) and read one: role admin only."""

import uuid

from instapay_stack.testing import internal_headers

INTERNAL = internal_headers("auth")


async def _create(client, new_profile, **overrides):
    body = new_profile(**overrides)
    r = await client.post("/internal/users", json=body, headers=INTERNAL)
    assert r.status_code == 201, r.text
    return body


async def test_an_admin_finds_users_by_handle_email_phone_or_name_page_by_page(ctx, new_profile):
    client, issuer, _ = ctx
    tag = uuid.uuid4().hex[:8]
    older = await _create(client, new_profile, full_name=f"Bassem Youssef {tag}")
    newer = await _create(client, new_profile, full_name=f"Mona Youssef {tag}")
    admin = {"Authorization": "Bearer " + issuer.token(str(uuid.uuid4()), roles=["admin"])}

    async def found(q, **params):
        r = await client.get("/api/v1/admin/users", params={"q": q, **params}, headers=admin)
        assert r.status_code == 200, r.text
        return r.json()

    by_name = await found(f"youssef {tag}")
    assert [u["user_id"] for u in by_name["items"]] == [newer["user_id"], older["user_id"]]  # newest first
    assert by_name["next_cursor"] is None
    first = by_name["items"][1]
    assert first["full_name"] == f"Bassem Youssef {tag}" and first["email"] == older["email"]
    assert first["phone_verified"] is False and first["email_verified"] is False
    assert (await found(f"BASSEM YOUSSEF {tag}"))["items"][0]["user_id"] == older["user_id"]
    assert [u["user_id"] for u in (await found("@" + older["handle"]))["items"]] == [older["user_id"]]
    assert [u["user_id"] for u in (await found(older["email"].upper()))["items"]] == [older["user_id"]]
    local_phone = "0" + older["phone"].removeprefix("+20")
    assert [u["user_id"] for u in (await found(local_phone))["items"]] == [older["user_id"]]
    # A LIKE wildcard is a plain character: "%" finds nobody's name with a "%" in it.
    assert (await found("%"))["items"] == []

    page1 = await found(f"youssef {tag}", limit=1)
    assert [u["user_id"] for u in page1["items"]] == [newer["user_id"]] and page1["next_cursor"]
    page2 = await found(f"youssef {tag}", limit=1, cursor=page1["next_cursor"])
    assert [u["user_id"] for u in page2["items"]] == [older["user_id"]] and page2["next_cursor"] is None

    r = await client.get(f"/api/v1/admin/users/{older['user_id']}", headers=admin)
    assert r.status_code == 200 and r.json()["handle"] == older["handle"]
    r = await client.get(f"/api/v1/admin/users/{uuid.uuid4()}", headers=admin)
    assert r.status_code == 404 and r.json()["code"] == "user_not_found"
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_only_admins_search_and_bad_input_is_a_validation_error(ctx, new_profile):
    client, issuer, _ = ctx
    body = await _create(client, new_profile)
    user = {"Authorization": "Bearer " + issuer.token(body["user_id"])}
    client_token = {"Authorization": "Bearer " + issuer.token(body["user_id"], roles=["admin"], client_id="ipc_x")}
    admin = {"Authorization": "Bearer " + issuer.token(str(uuid.uuid4()), roles=["admin"])}
    for path in ("/api/v1/admin/users", f"/api/v1/admin/users/{body['user_id']}"):
        r = await client.get(path, params={"q": body["handle"]})
        assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
        for headers in (user, client_token):
            r = await client.get(path, params={"q": body["handle"]}, headers=headers)
            assert r.status_code == 403 and r.json()["code"] == "forbidden", path
    bad = ({"q": " "}, {"q": "@"}, {}, {"q": "x", "limit": 0}, {"q": "x", "limit": 101}, {"q": "x", "cursor": "eA"})
    for params in bad:
        r = await client.get("/api/v1/admin/users", params=params, headers=admin)
        assert r.status_code == 422 and r.json()["code"] == "validation_error", (params, r.text)
