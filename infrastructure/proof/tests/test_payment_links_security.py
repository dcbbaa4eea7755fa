"""Payment links, receive codes, transaction details and favourites through the gateway: object-level
authorization (another user's link, transaction or favourite is a 404), tampered and forged tokens
(refused, nothing moves), mass assignment, a single-use link paid in parallel (once), and link
resolution spending the same recipient budget as /users/lookup (no faster way to names)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from proof_support.answers import is_problem, not_found

from instapay_stack.e2e import register_user

RESOLVE = "/api/v1/payment-links/resolve"
LOOKUP = "/api/v1/users/lookup"


def _key() -> dict[str, str]:
    return {"Idempotency-Key": secrets.token_hex(12)}


def _balance(gw, user) -> Decimal:
    resp = gw.get("/api/v1/wallet", headers=user.auth_headers())
    assert resp.status_code == 200, resp.text
    return Decimal(resp.json()["balance"])


def _topup(gw, user, amount: str = "500.00") -> None:
    resp = gw.post(
        "/api/v1/wallet/topups",
        headers=user.auth_headers(**_key()),
        json={"amount": amount, "source": {"type": "card", "reference": "card-4242"}},
    )
    assert resp.status_code == 201, resp.text


def _link(gw, owner, **body) -> dict:
    resp = gw.post("/api/v1/payment-links", headers=owner.auth_headers(), json=body)
    assert resp.status_code == 201, resp.text
    return resp.json()


def _pay(gw, payer, token: str, amount: str):
    return gw.post(
        "/api/v1/transfers",
        headers=payer.auth_headers(**_key()),
        json={"payment_link": token, "amount": amount, "pin": payer.pin},
    )


def _raw(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.fixture(scope="module")
def funded(gw, alice, bob, mallory):
    for user in (alice, bob, mallory):
        _topup(gw, user)


def test_resolve_shows_the_masked_name_and_nothing_personal(gw, alice, mallory, funded):
    link = _link(gw, alice, amount="12.00", reference="Invoice 7")
    raw = _raw(link["token"])
    for personal in (alice.email, alice.phone, alice.full_name, alice.user_id):
        assert personal.encode() not in raw and personal not in link["url"]
    resp = gw.get(RESOLVE, params={"token": link["token"]}, headers=mallory.auth_headers())
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["handle"], body["amount"], body["reference"]) == (alice.handle, "12.00", "Invoice 7")
    assert body["display_name"] and body["display_name"] != alice.full_name
    for personal in (alice.email, alice.phone, alice.full_name):
        assert personal not in resp.text
    code = gw.get("/api/v1/users/me/receive", headers=alice.auth_headers())
    assert code.status_code == 200 and code.json()["handle"] == alice.handle, code.text
    assert code.json()["qr_svg"].startswith("<svg")


def test_every_changed_byte_and_a_forged_signature_are_refused_and_move_nothing(gw, alice, mallory, funded):
    link = _link(gw, alice, amount="40.00", single_use=True)
    raw = _raw(link["token"])
    before = (_balance(gw, alice), _balance(gw, mallory))
    for index in range(len(raw)):
        changed = bytearray(raw)
        changed[index] ^= 0x20
        not_found(gw.get(RESOLVE, params={"token": _encode(bytes(changed))}, headers=mallory.auth_headers()))
    # A cheaper link of the attacker's making for the same link id and handle, signed with a guess
    # at the key: the platform's key is not guessable from the outside, so it does not verify.
    body = raw[:-16]
    for guess in (b"", b"secret", b"dev-payment-link-secret", secrets.token_bytes(32)):
        forged = _encode(body + hmac.new(guess, body, hashlib.sha256).digest()[:16])
        is_problem(gw.get(RESOLVE, params={"token": forged}, headers=mallory.auth_headers()), 404)
        is_problem(_pay(gw, mallory, forged, "40.00"), 404)
    # The handle swapped for the attacker's own under the real signature: refused.
    swapped = _encode(raw[: -16 - len(alice.handle)] + mallory.handle.encode() + raw[-16:])
    is_problem(_pay(gw, mallory, swapped, "40.00"), 404)
    # The amount is in the link's row, not the token: paying less is refused.
    assert is_problem(_pay(gw, mallory, link["token"], "4.00"), 422)["code"] == "validation_error"
    assert (_balance(gw, alice), _balance(gw, mallory)) == before


def test_links_details_and_favourites_of_others_are_invisible(gw, alice, bob, mallory, funded):
    link = _link(gw, alice)
    listed = gw.get("/api/v1/payment-links", headers=mallory.auth_headers()).json()["items"]
    assert link["id"] not in {item["id"] for item in listed}
    foreign = not_found(gw.delete(f"/api/v1/payment-links/{link['id']}", headers=mallory.auth_headers()))
    assert foreign == not_found(gw.delete(f"/api/v1/payment-links/{uuid.uuid4()}", headers=mallory.auth_headers()))
    assert gw.get(RESOLVE, params={"token": link["token"]}, headers=bob.auth_headers()).status_code == 200

    paid = _pay(gw, bob, link["token"], "3.00")
    assert paid.status_code == 201, paid.text
    for owner in (alice, bob):
        detail = gw.get(f"/api/v1/transactions/{paid.json()['id']}", headers=owner.auth_headers())
        assert detail.status_code == 200 and detail.json()["reference"] == paid.json()["reference"], detail.text
    foreign = not_found(gw.get(f"/api/v1/transactions/{paid.json()['id']}", headers=mallory.auth_headers()))
    assert foreign == not_found(gw.get(f"/api/v1/transactions/{uuid.uuid4()}", headers=mallory.auth_headers()))
    is_problem(gw.get("/api/v1/transactions/1%20OR%201=1", headers=mallory.auth_headers()), 422)

    fav = gw.post("/api/v1/favourites", headers=alice.auth_headers(), json={"recipient": bob.handle})
    assert fav.status_code == 201, fav.text
    assert gw.get("/api/v1/favourites", headers=mallory.auth_headers()).json()["items"] == []
    not_found(gw.delete(f"/api/v1/favourites/{fav.json()['id']}", headers=mallory.auth_headers()))
    assert [f["id"] for f in gw.get("/api/v1/favourites", headers=alice.auth_headers()).json()["items"]] == [
        fav.json()["id"]
    ]
    recent = gw.get("/api/v1/recipients/recent", headers=bob.auth_headers()).json()["items"]
    assert recent[0]["recipient"]["handle"] == alice.handle
    assert alice.full_name not in str(recent)


def test_mass_assignment_on_link_and_favourite_bodies_is_refused(gw, alice, mallory):
    for body in ({"user_id": mallory.user_id}, {"status": "used"}, {"handle": mallory.handle}, {"token": "x"}):
        assert is_problem(gw.post("/api/v1/payment-links", headers=alice.auth_headers(), json=body), 422)
    body = {"recipient": mallory.handle, "user_id": alice.user_id}
    is_problem(gw.post("/api/v1/favourites", headers=mallory.auth_headers(), json=body), 422)


def test_a_single_use_link_paid_twice_at_once_moves_money_once(proof_stack, gw, funded):
    shop = register_user(proof_stack.gateway_url)
    buyers = [register_user(proof_stack.gateway_url) for _ in range(2)]
    for buyer in buyers:
        _topup(gw, buyer, "100.00")
    link = _link(gw, shop, amount="60.00", single_use=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda b: _pay(gw, b, link["token"], "60.00"), buyers))
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    assert is_problem(next(a for a in answers if a.status_code == 409), 409)["code"] == "payment_link_used"
    assert _balance(gw, shop) == Decimal("60.00")
    assert sorted(_balance(gw, b) for b in buyers) == [Decimal("40.00"), Decimal("100.00")]


def test_resolving_links_spends_the_recipient_lookup_budget(proof_stack, gw):
    """30 new recipients a minute per user (user service): lookups and link resolutions together."""
    url = proof_stack.gateway_url
    owners = [register_user(url) for _ in range(2)]
    tokens = [_link(gw, owner)["token"] for owner in owners]
    prober = register_user(url)
    for _ in range(29):
        phone = "+2012" + "".join(secrets.choice("0123456789") for _ in range(8))
        assert gw.get(LOOKUP, params={"q": phone}, headers=prober.auth_headers()).status_code == 404
    assert gw.get(RESOLVE, params={"token": tokens[0]}, headers=prober.auth_headers()).status_code == 200
    over = gw.get(RESOLVE, params={"token": tokens[1]}, headers=prober.auth_headers())
    assert is_problem(over, 429)["code"] == "rate_limited" and int(over.headers["retry-after"]) > 0
    # a recipient already resolved today costs nothing again: paying a known shop keeps working
    assert gw.get(RESOLVE, params={"token": tokens[0]}, headers=prober.auth_headers()).status_code == 200
