"""Favourites and recent recipients (real PostgreSQL)."""

import asyncio
import uuid

from instapay_stack.e2e import DEFAULT_PIN as PIN


async def _add(ctx, owner, recipient, nickname=None):
    body = {"recipient": recipient} if nickname is None else {"recipient": recipient, "nickname": nickname}
    return await ctx.client.post("/api/v1/favourites", headers=ctx.auth(owner["user_id"]), json=body)


async def _list(ctx, owner):
    r = await ctx.client.get("/api/v1/favourites", headers=ctx.auth(owner["user_id"]))
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def test_favourites_are_saved_listed_and_removed_per_user(ctx):
    me, friend, other = await ctx.user(), await ctx.user(), await ctx.user()
    r = await _add(ctx, me, "@" + friend["handle"], "  Mum  ")
    assert r.status_code == 201, r.text
    fav = r.json()
    assert fav["recipient"] == {
        "user_id": friend["user_id"],
        "handle": friend["handle"],
        "display_name": friend["display_name"],
    }
    assert fav["nickname"] == "Mum"
    assert await _list(ctx, me) == [fav]
    assert await _list(ctx, other) == []
    dup = await _add(ctx, me, friend["email"])  # the same person by another address
    assert dup.status_code == 409 and dup.json()["code"] == "favourite_exists"
    # another user's favourite is not theirs to remove
    r = await ctx.client.delete(f"/api/v1/favourites/{fav['id']}", headers=ctx.auth(other["user_id"]))
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = await ctx.client.delete(f"/api/v1/favourites/{fav['id']}", headers=ctx.auth(me["user_id"]))
    assert r.status_code == 204
    assert await _list(ctx, me) == []
    r = await ctx.client.delete(f"/api/v1/favourites/{fav['id']}", headers=ctx.auth(me["user_id"]))
    assert r.status_code == 404


async def test_bad_favourites_are_refused(ctx):
    me, friend = await ctx.user(), await ctx.user()
    for body, status, code in (
        ({"recipient": friend["handle"], "nickname": "x" * 41}, 422, "validation_error"),
        ({"recipient": friend["handle"], "nickname": "a\x07b"}, 422, "validation_error"),
        ({"recipient": ""}, 422, "validation_error"),
        ({"recipient": friend["handle"], "user_id": me["user_id"]}, 422, "validation_error"),
        ({"recipient": "nobody-" + uuid.uuid4().hex[:8]}, 404, "recipient_not_found"),
        ({"recipient": me["handle"]}, 422, "self_transfer"),
    ):
        r = await ctx.client.post("/api/v1/favourites", headers=ctx.auth(me["user_id"]), json=body)
        assert r.status_code == status and r.json()["code"] == code, (body, r.text)
    assert await _list(ctx, me) == []


async def test_favourites_are_capped_even_in_a_parallel_burst(ctx_factory):
    async with ctx_factory(favourites_max=3) as ctx:
        me = await ctx.user()
        friends = [await ctx.user() for _ in range(5)]
        answers = await asyncio.gather(*(_add(ctx, me, f["handle"]) for f in friends))
        assert sorted(a.status_code for a in answers) == [201, 201, 201, 409, 409]
        assert {a.json()["code"] for a in answers if a.status_code == 409} == {"favourites_full"}
        assert len(await _list(ctx, me)) == 3


async def test_recent_recipients_are_the_last_ten_distinct_people_paid_newest_first(ctx):
    me = await ctx.user(balance="500.00")
    people = [await ctx.user() for _ in range(12)]
    for person in [*people, people[0]]:  # people[0] paid again last: first, once
        r = await ctx.client.post(
            "/api/v1/transfers",
            headers={**ctx.auth(me["user_id"]), "Idempotency-Key": uuid.uuid4().hex},
            json={"recipient": person["handle"], "amount": "1.00", "pin": PIN},
        )
        assert r.status_code == 201, r.text
    r = await ctx.client.get("/api/v1/recipients/recent", headers=ctx.auth(me["user_id"]))
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    expected = [people[0], *reversed(people[3:])]  # 12 paid, the newest 10 distinct
    assert [i["recipient"]["user_id"] for i in items] == [p["user_id"] for p in expected]
    assert items[0]["recipient"]["display_name"] == people[0]["display_name"]
    # money received is not "paid": the recipients have no recent recipients
    r = await ctx.client.get("/api/v1/recipients/recent", headers=ctx.auth(people[0]["user_id"]))
    assert r.json()["items"] == []
