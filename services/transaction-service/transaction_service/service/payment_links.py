"""Payment links and receive codes: create, list, cancel, resolve, and the checks of paying one.

The transaction service owns them so a single-use link is consumed in the database transaction
that moves the money (`consume`, under the link's row lock): paid exactly once, whatever runs in
parallel. The receive code is the user's one `static` link (no amount, no expiry, reusable).
"""

import io
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import segno

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection
from instapay_common.errors import RateLimited, ValidationFailed
from instapay_common.security.tokens import Principal
from transaction_service import payment_tokens
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import (
    PaymentLinkExpired,
    PaymentLinkNotFound,
    PaymentLinkUsed,
    RecipientNotFound,
)
from transaction_service.money import fmt
from transaction_service.parties import PartyRef
from transaction_service.peers import Peers
from transaction_service.repository import accounts
from transaction_service.repository import payment_links as links
from transaction_service.repository.payment_links import PaymentLink
from transaction_service.schemas import JsonObject, PaymentLinkIn, page_body, rfc3339
from transaction_service.service import page_cursor
from transaction_service.service.checks import check_amount, ensure_active, require_verified_sender

_DAY = 24 * 3600
MAX_LIFETIME = timedelta(days=366)


def _secrets(settings: TransactionSettings) -> list[bytes]:
    return [s.get_secret_value().encode() for s in settings.payment_link_secrets]


def token_of(link: PaymentLink, settings: TransactionSettings) -> str:
    token = payment_tokens.LinkToken(link.id, link.expires_at, link.handle)
    return payment_tokens.sign(_secrets(settings)[0], token)


def qr_svg(url: str) -> str:
    """The link as a QR code (segno: pure Python, no image library; error correction M survives a
    smudged print; a quiet zone of 4 modules, the standard's, so phone cameras find it)."""
    out = io.BytesIO()
    segno.make(url, error="m", boost_error=False).save(out, kind="svg", scale=4, border=4, xmldecl=False)
    return out.getvalue().decode()


def effective_status(link: PaymentLink, now: datetime | None = None) -> str:
    if link.status == "active" and link.expires_at is not None and link.expires_at <= (now or datetime.now(UTC)):
        return "expired"
    return link.status


def link_body(link: PaymentLink, settings: TransactionSettings) -> JsonObject:
    """`PaymentLink`."""
    token = token_of(link, settings)
    url = f"{settings.public_base_url.rstrip('/')}/pay/{token}"
    return {
        "id": str(link.id),
        "token": token,
        "url": url,
        "qr_svg": qr_svg(url),
        "amount": fmt(link.amount) if link.amount is not None else None,
        "reference": link.reference,
        "expires_at": rfc3339(link.expires_at) if link.expires_at else None,
        "single_use": link.single_use,
        "status": effective_status(link),
        "paid_transfer_id": str(link.paid_transfer_id) if link.paid_transfer_id else None,
        "created_at": rfc3339(link.created_at),
    }


async def _own_handle(peers: Peers, user_id: str) -> str:
    handle = (await peers.profile(user_id))["handle"]
    if not handle:  # every profile has one; a wallet without a profile cannot be paid by handle
        raise RecipientNotFound("your profile has no handle to be paid by")
    return handle


def _check_link_input(body: PaymentLinkIn, settings: TransactionSettings) -> datetime | None:
    if body.amount is not None:
        check_amount(body.amount, settings)
    if body.expires_at is None:
        return None
    expires = body.expires_at if body.expires_at.tzinfo else body.expires_at.replace(tzinfo=UTC)
    try:
        expires = expires.astimezone(UTC).replace(microsecond=0)  # the token carries whole seconds
    except OverflowError:  # year 1 or 9999 with an offset: outside any range we accept anyway
        expires = datetime.min.replace(tzinfo=UTC)
    now = datetime.now(UTC)
    if not now < expires <= now + MAX_LIFETIME:
        raise ValidationFailed(
            "expires_at must be in the future and at most a year away",
            errors=[{"field": "expires_at", "message": "must be in the future, within 366 days"}],
        )
    return expires


async def _check_daily_cap(conn: RawConnection, user_id: uuid.UUID, settings: TransactionSettings) -> None:
    """At most `payment_links_per_day` in any 24 hours: 429 `rate_limited` with Retry-After until
    the oldest leaves the window (a quota, like the payment requests' cap)."""
    cap = settings.payment_links_per_day
    made, oldest = await links.recent_of_user(conn, user_id, window_seconds=_DAY)
    if made < cap:
        return
    frees_at = (oldest or datetime.now(UTC)) + timedelta(seconds=_DAY)
    retry = max(1, int((frees_at - datetime.now(UTC)).total_seconds()) + 1)
    raise RateLimited(
        f"at most {cap} payment links in 24 hours; try again in {retry} seconds", headers={"Retry-After": str(retry)}
    )


async def create(
    db: Database, *, peers: Peers, settings: TransactionSettings, principal: Principal, body: PaymentLinkIn
) -> JsonObject:
    expires = _check_link_input(body, settings)
    user_id = uuid.UUID(principal.user_id)
    await require_verified_sender(db, user_id)  # a link nobody can pay is refused up front
    handle = await _own_handle(peers, principal.user_id)
    async with rawsql.transaction(db) as conn:
        await _check_daily_cap(conn, user_id, settings)
        link = await links.insert(
            conn,
            user_id=user_id,
            handle=handle,
            amount=body.amount,
            reference=body.reference.strip() if body.reference and body.reference.strip() else None,
            single_use=body.single_use,
            expires_at=expires,
        )
    return link_body(link, settings)


async def list_links(
    db: Database, *, settings: TransactionSettings, principal: Principal, limit: int, cursor: str | None
) -> JsonObject:
    async with rawsql.connection(db) as conn:
        rows = await links.page(
            conn, uuid.UUID(principal.user_id), before=page_cursor.decode(cursor) if cursor else None, limit=limit + 1
        )
    page = rows[:limit]
    return page_body(
        [link_body(r, settings) for r in page],
        page_cursor.encode(page[-1].created_at, page[-1].id) if len(rows) > limit else None,
    )


async def cancel(db: Database, *, principal: Principal, link_id: uuid.UUID) -> None:
    """Idempotent for the owner (204 again); another user's link or an unknown one: 404."""
    async with rawsql.transaction(db) as conn:
        if not await links.cancel(conn, link_id, uuid.UUID(principal.user_id)):
            raise PaymentLinkNotFound("no such payment link")


def _refuse_unpayable(link: PaymentLink | None, *, now: datetime | None = None) -> PaymentLink:
    if link is None or link.status == "cancelled":
        raise PaymentLinkNotFound("no such payment link")
    if link.status == "used":
        raise PaymentLinkUsed("this payment link was already paid")
    if effective_status(link, now) == "expired":
        raise PaymentLinkExpired("this payment link has expired")
    return link


async def payable_link(db: Database, settings: TransactionSettings, token: str) -> PaymentLink:
    """The link a token names if it can be paid now: 404 (tampered, unknown, cancelled), 409
    (a single-use link already paid), 410 (expired)."""
    verified = payment_tokens.verify(_secrets(settings), token.strip())
    if verified is None:
        raise PaymentLinkNotFound("no such payment link")
    async with rawsql.connection(db) as conn:
        link = await links.get(conn, verified.link_id)
    if link is not None and link.handle != verified.handle:
        link = None  # signed for another handle: an old static code after a handle change
    return _refuse_unpayable(link)


def check_link_amount(link: PaymentLink, amount: Decimal) -> None:
    if link.amount is not None and amount != link.amount:
        raise ValidationFailed(
            f"this payment link asks for exactly {fmt(link.amount)}",
            errors=[{"field": "amount", "message": f"must equal the link's amount, {fmt(link.amount)}"}],
        )


def ensure_link_recipient(link: PaymentLink, recipient: PartyRef) -> None:
    """The handle the link was made for must still be its owner's (a handle given up and taken by
    someone else must not redirect an old code's money)."""
    if recipient["user_id"] != str(link.user_id):
        raise PaymentLinkNotFound("no such payment link")


async def consume(conn: RawConnection, link_id: uuid.UUID, amount: Decimal) -> PaymentLink:
    """Inside the paying transfer's transaction: the link row-locked and checked again, so of two
    parallel payments of a single-use link the second waits here and finds it used."""
    link = _refuse_unpayable(await links.lock(conn, link_id))
    check_link_amount(link, amount)
    return link


async def mark_paid(conn: RawConnection, link: PaymentLink, transfer_id: uuid.UUID) -> None:
    if link.single_use:
        await links.mark_used(conn, link.id, transfer_id)


async def resolve(
    db: Database, *, peers: Peers, settings: TransactionSettings, principal: Principal, token: str
) -> JsonObject:
    """Who a link pays and what it asks, before the payer enters a PIN. The handle is resolved
    as a recipient on the caller's lookup budget (user service), so links are no faster way to
    turn handles into names than /users/lookup; a recipient a transfer would refuse is refused."""
    link = await payable_link(db, settings, token)
    recipient = await peers.resolve(link.handle, acting_user_id=principal.user_id)
    ensure_link_recipient(link, recipient)
    async with rawsql.connection(db) as conn:
        wallet = await accounts.get(conn, link.user_id)
    if wallet is None or not wallet.phone_verified:
        raise RecipientNotFound("no user with that handle, phone or e-mail")
    ensure_active(wallet, "recipient")
    return {
        "link_id": str(link.id),
        "user_id": recipient["user_id"],
        "handle": recipient["handle"],
        "display_name": recipient["display_name"],
        "amount": fmt(link.amount) if link.amount is not None else None,
        "reference": link.reference,
        "expires_at": rfc3339(link.expires_at) if link.expires_at else None,
        "single_use": link.single_use,
    }


async def receive_code(
    db: Database, *, peers: Peers, settings: TransactionSettings, principal: Principal
) -> JsonObject:
    """The user's static receive code: `{handle, url, qr_svg}` (made on first call)."""
    handle = await _own_handle(peers, principal.user_id)
    async with rawsql.transaction(db) as conn:
        link = await links.static_link(conn, user_id=uuid.UUID(principal.user_id), handle=handle)
    body = link_body(link, settings)
    return {"handle": handle, "token": body["token"], "url": body["url"], "qr_svg": body["qr_svg"]}
