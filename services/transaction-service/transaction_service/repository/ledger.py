"""The double-entry ledger: journal entries, their postings, and each wallet's history.

`post_entry` is the only code that changes balances. Wallet legs are locked by the caller
(`accounts.lock`) before it runs; system (funding) accounts are only touched by its single
statement, after every wallet lock, so those hot rows are never held while waiting for anything
else. The database refuses an unbalanced entry (deferred trigger) and any UPDATE/DELETE of
entries and postings.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

import orjson

from instapay_common.db.rawsql import RawConnection, Sql
from transaction_service import references
from transaction_service.parties import PartyRef


@dataclass(frozen=True, slots=True)
class Leg:
    account_id: uuid.UUID
    amount: Decimal  # signed: + credits the account, - debits it
    counterparty_user_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class SpentCounters:
    """A wallet's money sent out after an outgoing movement, for the period starting on each date."""

    day: Decimal
    day_date: date
    month: Decimal
    month_start: date


class Posted(NamedTuple):
    entry_id: uuid.UUID
    created_at: datetime
    balances: dict[uuid.UUID, Decimal]  # balance after the entry, per account of a leg
    reference: str | None  # the reference registered with the entry (None: it had one already)


class TransferEntry(NamedTuple):
    id: uuid.UUID
    amount: Decimal
    currency: str
    note: str | None
    sender: PartyRef
    recipient: PartyRef
    payment_request_id: uuid.UUID | None
    created_at: datetime
    payment_link_id: uuid.UUID | None
    reference: str | None
    refund_of: uuid.UUID | None = None  # the transfer this one refunds


class HistoryRow(NamedTuple):
    """One posting of a wallet with its journal entry; `amount` is signed for that wallet."""

    posting_id: int
    amount: Decimal
    balance_after: Decimal
    type: str
    created_at: datetime
    entry_id: uuid.UUID
    currency: str
    note: str | None
    sender: PartyRef | None
    recipient: PartyRef | None
    reference: str | None
    payment_request_id: uuid.UUID | None
    funding_method: str | None  # card | bank, for a top-up or withdrawal
    funding_reference: str | None  # the user's card or account reference
    refund_of: uuid.UUID | None  # a refund: the transfer it gives money back for
    reversal_of: uuid.UUID | None  # a reversal: the transfer it reverses
    reversed: bool  # a transfer that a reversal undid (its status reads `reversed`)
    schedule_id: uuid.UUID | None  # the scheduled transfer that made it


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    account_id: uuid.UUID
    before: tuple[datetime, int] | None = None  # keyset: (created_at, posting id) of the last row seen
    direction: str | None = None  # "in" | "out"
    entry_type: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    counterparty: uuid.UUID | None = None
    # A LIKE pattern (wildcards in the user's text escaped) matched case-insensitively against the
    # other party's display name or handle, as the entry's snapshot holds them.
    counterparty_like: str | None = None


def like_pattern(text: str) -> str:
    """`%text%` with LIKE's own wildcards and escape character in `text` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# One statement (one round trip while the wallet locks are held): the entry, every balance
# change, and the postings carrying each account's balance_after.
_ENTRY_VALUES = "(:id, :t, :a, :n, CAST(:s AS jsonb), CAST(:r AS jsonb), :pr, :ft, :fr, :pl, :rf, :rv)"
_POST_TEMPLATE = """
WITH {ref}entry AS (
    INSERT INTO ledger.journal_entries (id, type, amount, note, sender, recipient, payment_request_id,
                                        funding_type, funding_reference, payment_link_id, refund_of, reversal_of)
    {values}
    RETURNING id, created_at
), legs AS (
    SELECT * FROM jsonb_to_recordset(CAST(:legs AS jsonb))
        AS l(ord int, account_id uuid, amount numeric(20, 2), counterparty uuid)
), moved AS (
    UPDATE ledger.accounts a
    SET balance = a.balance + legs.amount, updated_at = now(),
        spent_day = CASE WHEN a.id = :spender THEN :sd ELSE a.spent_day END,
        spent_day_date = CASE WHEN a.id = :spender THEN :sdd ELSE a.spent_day_date END,
        spent_month = CASE WHEN a.id = :spender THEN :sm ELSE a.spent_month END,
        spent_month_start = CASE WHEN a.id = :spender THEN :sms ELSE a.spent_month_start END
    FROM legs CROSS JOIN entry WHERE a.id = legs.account_id
    RETURNING a.id, a.balance
), posted AS (
    INSERT INTO ledger.postings (entry_id, account_id, amount, balance_after, type, counterparty_user_id, created_at)
    SELECT entry.id, legs.account_id, legs.amount, moved.balance, :t, legs.counterparty, entry.created_at
    FROM legs JOIN moved ON moved.id = legs.account_id CROSS JOIN entry
    ORDER BY legs.ord
    RETURNING account_id, balance_after, created_at
)
SELECT account_id, balance_after, created_at FROM posted
"""
_POST = Sql(_POST_TEMPLATE.format(ref="", values=f"VALUES {_ENTRY_VALUES}"))
# A new transaction registers its reference in the same statement; a reference already taken
# inserts nothing, so nothing else is written either (every step joins `entry`) and the caller
# draws again.
_POST_WITH_REFERENCE = Sql(
    _POST_TEMPLATE.format(
        ref="ref AS (\n    INSERT INTO ledger.transaction_references (transaction_id, reference)\n"
        "    VALUES (:id, :ref) ON CONFLICT DO NOTHING RETURNING reference\n), ",
        values=f"SELECT {_ENTRY_VALUES[1:-1]} FROM ref",  # noqa: S608 - fixed text
    )
)

_TRANSFER_COLUMNS = ", ".join("tr.reference" if f == "reference" else f"e.{f}" for f in TransferEntry._fields)
_TRANSFER = Sql(
    f"SELECT {_TRANSFER_COLUMNS} FROM ledger.journal_entries e "  # noqa: S608 - fixed column list
    "LEFT JOIN ledger.transaction_references tr ON tr.transaction_id = e.id "
    "WHERE e.id = :id AND e.type = 'transfer' AND (e.sender->>'user_id' = :u OR e.recipient->>'user_id' = :u)"
)

# Prepared statements would switch to a generic plan sized for an average wallet (a few hundred
# rows: "fetch all, sort"), which is slow for a wallet with 100k postings; plan per call instead.
_CUSTOM_PLANS = Sql("SET LOCAL plan_cache_mode = force_custom_plan")
# A top-up's or withdrawal's entry has its funding operation's id: the join (a primary-key probe
# per row of the page) brings the card or account the money came from or went to.
_HISTORY_SELECT = (
    "SELECT p.id AS posting_id, p.amount, p.balance_after, p.type, p.created_at, e.id AS entry_id, e.currency, "
    "e.note, e.sender, e.recipient, tr.reference, e.payment_request_id, f.method AS funding_method, "
    "f.reference AS funding_reference, e.refund_of, e.reversal_of, "
    # A probe of the unique partial index per row of the page (only transfers can be reversed).
    "(e.type = 'transfer' AND EXISTS (SELECT 1 FROM ledger.journal_entries rv WHERE rv.reversal_of = e.id)) "
    "AS reversed, sr.schedule_id "
    "FROM ledger.postings p JOIN ledger.journal_entries e ON e.id = p.entry_id "
    "LEFT JOIN ledger.funding_operations f ON f.id = e.id AND e.type IN ('topup', 'withdrawal') "
    "LEFT JOIN ledger.transaction_references tr ON tr.transaction_id = e.id "
    # A transfer a schedule made: its occurrence's row (a unique-index probe per row of the page).
    "LEFT JOIN ledger.scheduled_transfer_runs sr ON sr.transfer_id = e.id AND e.type = 'transfer' "
)
# The other party of the posting's transfer: the sender of money in, the recipient of money out.
_OTHER_PARTY = "(CASE WHEN p.amount > 0 THEN e.sender ELSE e.recipient END)"
# Each filter is a fixed fragment; every value is a bound parameter.
_HISTORY_CONDITIONS = {
    "before": "(p.created_at, p.id) < (:cur_t, :cur_id)",
    "in": "p.amount > 0",
    "out": "p.amount < 0",
    "entry_type": "p.type = :t",
    "start": "p.created_at >= :start",
    "end": "p.created_at < :end",
    "counterparty": "p.counterparty_user_id = :cp",
    # Filtered on the rows of the wallet's own range scan (no index on names: a wallet's history is
    # the only set searched, and a global trigram index could not be limited to one wallet).
    "counterparty_like": (
        f"p.type IN ('transfer', 'reversal') AND ({_OTHER_PARTY}->>'display_name' ILIKE :cp_like ESCAPE '\\' "
        f"OR {_OTHER_PARTY}->>'handle' ILIKE :cp_like ESCAPE '\\')"
    ),
}
_history_sql: dict[tuple[str, ...], Sql] = {}


def _json(value: object) -> str:
    return orjson.dumps(value).decode()


async def post_entry(
    conn: RawConnection,
    *,
    entry_type: str,
    amount: Decimal,
    legs: list[Leg],
    note: str | None = None,
    sender: PartyRef | None = None,
    recipient: PartyRef | None = None,
    payment_request_id: uuid.UUID | None = None,
    payment_link_id: uuid.UUID | None = None,
    funding_type: str | None = None,
    funding_reference: str | None = None,
    spent: SpentCounters | None = None,
    spent_account: uuid.UUID | None = None,
    entry_id: uuid.UUID | None = None,
    new_reference: bool = True,
    refund_of: uuid.UUID | None = None,
    reversal_of: uuid.UUID | None = None,
) -> Posted:
    """Writes one balanced journal entry and sets `spent_account`'s counters to `spent`. A funding
    operation passes its own id as `entry_id`, so the transaction keeps one id from pending on, and
    `new_reference=False`: it registered its reference when it was created. Otherwise the entry
    registers a new reference (drawn again on the rare collision)."""
    legs_json = [
        {
            "ord": i,
            "account_id": str(leg.account_id),
            "amount": str(leg.amount),
            "counterparty": str(leg.counterparty_user_id) if leg.counterparty_user_id else None,
        }
        for i, leg in enumerate(legs)
    ]
    entry_id = entry_id or uuid.uuid4()
    for _ in range(references.ATTEMPTS):
        reference = references.new_reference() if new_reference else None
        rows = await conn.fetch(
            _POST_WITH_REFERENCE if reference else _POST,
            **({"ref": reference} if reference else {}),
            id=entry_id,
            t=entry_type,
            a=amount,
            n=note,
            s=_json(sender) if sender else None,
            r=_json(recipient) if recipient else None,
            pr=payment_request_id,
            pl=payment_link_id,
            rf=refund_of,
            rv=reversal_of,
            ft=funding_type,
            fr=funding_reference,
            legs=_json(legs_json),
            spender=spent_account,
            sd=spent.day if spent else None,
            sdd=spent.day_date if spent else None,
            sm=spent.month if spent else None,
            sms=spent.month_start if spent else None,
        )
        if rows or not reference:
            break
    if len(rows) != len(legs):  # an account vanished between lock and write: refuse (rolls back)
        raise RuntimeError("journal entry legs do not match the accounts written")
    return Posted(entry_id, rows[0]["created_at"], {r["account_id"]: r["balance_after"] for r in rows}, reference)


class DetailRow(NamedTuple):
    """A history row of one transaction for one wallet, with what its detail view adds."""

    row: HistoryRow
    payment_link_id: uuid.UUID | None


_DETAIL = Sql(
    f"{_HISTORY_SELECT.replace('SELECT ', 'SELECT e.payment_link_id, ', 1)}WHERE p.entry_id = :id AND p.account_id = :a"
)


async def detail_for_account(conn: RawConnection, entry_id: uuid.UUID, account_id: uuid.UUID) -> DetailRow | None:
    """The account's posting of the entry (None: the entry is not this wallet's, or unknown)."""
    row = await conn.fetchrow(_DETAIL, id=entry_id, a=account_id)
    if row is None:
        return None
    return DetailRow(HistoryRow(*list(row)[1:]), row["payment_link_id"])


async def transfer_for_party(conn: RawConnection, transfer_id: uuid.UUID, user_id: str) -> TransferEntry | None:
    """The transfer if `user_id` is its sender or recipient, else None."""
    row = await conn.fetchrow(_TRANSFER, id=transfer_id, u=user_id)
    return None if row is None else TransferEntry(*row)


def _history_statement(keys: tuple[str, ...]) -> Sql:
    sql = _history_sql.get(keys)
    if sql is None:
        where = " AND ".join(["p.account_id = :a", *(_HISTORY_CONDITIONS[k] for k in keys)])
        sql = _history_sql[keys] = Sql(
            f"{_HISTORY_SELECT}WHERE {where} ORDER BY p.created_at DESC, p.id DESC LIMIT :lim"
        )
    return sql


async def history(conn: RawConnection, query: HistoryFilter, *, limit: int) -> list[HistoryRow]:
    """Up to `limit` postings of the account, newest first: one range scan on
    (account_id, created_at DESC, id DESC) whatever the filters. Runs inside a transaction."""
    keys: list[str] = []
    params: dict[str, object] = {"a": query.account_id, "lim": limit}
    if query.before:
        keys.append("before")
        params["cur_t"], params["cur_id"] = query.before
    if query.direction:
        keys.append(query.direction)
    if query.entry_type:
        keys.append("entry_type")
        params["t"] = query.entry_type
    if query.start:
        keys.append("start")
        params["start"] = query.start
    if query.end:
        keys.append("end")
        params["end"] = query.end
    if query.counterparty:
        keys.append("counterparty")
        params["cp"] = query.counterparty
    if query.counterparty_like:
        keys.append("counterparty_like")
        params["cp_like"] = query.counterparty_like
    await conn.execute(_CUSTOM_PLANS)
    rows = await conn.fetch(_history_statement(tuple(keys)), **params)
    return [HistoryRow(*r) for r in rows]
