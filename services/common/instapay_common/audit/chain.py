"""The audit chain of one schema: rows appended in the caller's transaction, each hashed over its
own fields and the hash of the row before it.

    hash = SHA-256(canonical JSON of [version, at, actor, actor_role, action, subject, details,
                                      ip, request_id, prev_hash])

Appends to one chain are serialised by a transaction-level advisory lock (taken before the previous
hash is read, so a waiting append sees the row committed before it: callers run at READ
COMMITTED, every service's default), and `prev_hash` is UNIQUE, so a fork is refused rather than
stored. The lock is held until the caller commits: append last, just before the commit.

Runtime roles may only INSERT and SELECT the table (instapay_common.db.roles); its owner could
still rewrite rows, which `verify` detects: an edited row no longer matches its hash, a removed,
inserted or reordered one breaks the link to its neighbour. Removing the newest rows leaves a
shorter valid chain: `verify` prints the head (count and hash) for operators to keep elsewhere.

Every statement is written once, below, and run by either world: `SessionRunner` (an
AsyncSession, as auth and notification use) or `RawRunner` (the transaction service's
`instapay_common.db.rawsql` connection), as `emit_event` / `emit_event_raw` do for the outbox.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Protocol

import orjson
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Identity,
    Index,
    MetaData,
    String,
    Table,
    TextClause,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db.rawsql import RawConnection, Sql
from instapay_common.web.request_context import current_request_id

AUDIT_TABLE = "audit_log"
# The services that keep a chain (service short name, as instapay_common.db.roles.SCHEMAS): the
# gateway's GET /api/v1/admin/audit asks each of them.
AUDITED_SERVICES: tuple[str, ...] = ("auth", "transaction", "notification")
# The link before the first row.
GENESIS = "0" * 64
# Bumped if the canonical form ever changes (old rows keep theirs: verify reads it from the row).
HASH_VERSION = 1
BIGINT_MAX = 2**63 - 1

ACTOR_SYSTEM = "system"  # background jobs, operator commands: no signed-in person


def audit_table(metadata: MetaData) -> Table:
    """The audit table in the metadata's schema (once per metadata), as migration.py creates it."""
    key = f"{metadata.schema}.{AUDIT_TABLE}" if metadata.schema else AUDIT_TABLE
    if key in metadata.tables:
        return metadata.tables[key]
    return Table(
        AUDIT_TABLE,
        metadata,
        Column("id", BigInteger, Identity(always=True), primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("actor", String(64), nullable=False),
        Column("actor_role", String(32), nullable=False),
        Column("action", String(64), nullable=False),
        Column("subject", String(128), nullable=True),
        Column("details", JSONB, nullable=False),
        Column("ip", String(64), nullable=True),
        Column("request_id", String(128), nullable=True),
        Column("prev_hash", String(64), nullable=False, unique=True),
        Column("hash", String(64), nullable=False),
        CheckConstraint("hash ~ '^[0-9a-f]{64}$'", name="hash_hex"),
        Index("ix_audit_log_at_id", "at", "id"),
        Index("ix_audit_log_actor", "actor"),
        Index("ix_audit_log_subject", "subject"),
    )


# --- the canonical form -------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Details as JSON that reads back from jsonb unchanged: strings, ints, booleans, null, lists
    and string-keyed objects. Floats (jsonb may print them differently), decimals, ids and times
    become strings; a NUL (which jsonb refuses) becomes U+FFFD."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=orjson.dumps) if isinstance(value, set | frozenset) else items
    if isinstance(value, datetime):
        return rfc3339_micro(value)
    if isinstance(value, float | Decimal | uuid.UUID | date):
        return str(value)
    raise TypeError(f"audit details cannot hold {type(value).__name__}")


def rfc3339_micro(value: datetime) -> str:
    """UTC with a `Z`, microseconds (`2026-11-25T10:00:00.123456Z`): the canonical form of `at`,
    and what the API shows (the gateway merges services' rows by it)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def entry_hash(
    *,
    at: datetime,
    actor: str,
    actor_role: str,
    action: str,
    subject: str | None,
    details: Mapping[str, Any],
    ip: str | None,
    request_id: str | None,
    prev_hash: str,
) -> str:
    body = [HASH_VERSION, rfc3339_micro(at), actor, actor_role, action, subject, details, ip, request_id, prev_hash]
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


# --- statements, written once, run by either world ---------------------------------------------


class _Statement:
    """One SQL text with `:name` parameters, prepared for both runners."""

    __slots__ = ("raw", "text")

    def __init__(self, sql: str) -> None:
        self.raw = Sql(sql)
        self.text: TextClause = text(sql)


@dataclass(frozen=True)
class _Statements:
    lock: _Statement
    head: _Statement
    insert: _Statement
    page: _Statement
    walk: _Statement


_COLUMNS = (
    "id, at, actor, actor_role, action, subject, CAST(details AS text) AS details, ip, request_id, prev_hash, hash"
)
_CACHE: dict[str, _Statements] = {}


def _statements(schema: str) -> _Statements:
    found = _CACHE.get(schema)
    if found is not None:
        return found
    t = f'"{schema}".{AUDIT_TABLE}'  # our own schema names, never input
    made = _CACHE[schema] = _Statements(
        lock=_Statement("SELECT pg_advisory_xact_lock(:key)"),
        # A statement of its own after the lock: at READ COMMITTED it sees what the holder committed.
        head=_Statement(
            f"SELECT clock_timestamp() AS at, (SELECT hash FROM {t} ORDER BY id DESC LIMIT 1) AS prev"  # noqa: S608
        ),
        insert=_Statement(
            f"INSERT INTO {t} (at, actor, actor_role, action, subject, details, ip, request_id, prev_hash, hash) "  # noqa: S608
            "VALUES (:at, :actor, :actor_role, :action, :subject, CAST(:details AS jsonb), :ip, :request_id, "
            ":prev_hash, :hash) RETURNING id"
        ),
        # Newest first, keyset (at, id); every filter optional. `action` matches itself and its
        # dotted children (`wallet.freeze` finds `wallet.freeze.proposed`).
        page=_Statement(
            f"SELECT {_COLUMNS} FROM {t} "  # noqa: S608
            "WHERE (CAST(:actor AS text) IS NULL OR actor = :actor) "
            "AND (CAST(:subject AS text) IS NULL OR subject = :subject) "
            "AND (CAST(:action AS text) IS NULL OR action = :action OR action LIKE :action_children ESCAPE '\\') "
            "AND (CAST(:start AS timestamptz) IS NULL OR at >= :start) "
            "AND (CAST(:end AS timestamptz) IS NULL OR at < :end) "
            "AND (CAST(:before_at AS timestamptz) IS NULL OR (at, id) < (:before_at, :before_id)) "
            "ORDER BY at DESC, id DESC LIMIT :limit"
        ),
        walk=_Statement(f"SELECT {_COLUMNS} FROM {t} WHERE id > :after ORDER BY id LIMIT :limit"),  # noqa: S608
    )
    return made


class Runner(Protocol):
    async def fetch(self, statement: _Statement, **params: Any) -> Sequence[Mapping[str, Any]]: ...


class SessionRunner:
    """Runs the statements in an AsyncSession's transaction."""

    __slots__ = ("session",)

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def fetch(self, statement: _Statement, **params: Any) -> Sequence[Mapping[str, Any]]:
        result = await self.session.execute(statement.text, params)
        # Every statement here answers rows (the lock's is one row of void).
        return [dict(row._mapping) for row in result]


class RawRunner:
    """Runs the statements on a raw asyncpg connection (instapay_common.db.rawsql)."""

    __slots__ = ("conn",)

    def __init__(self, conn: RawConnection) -> None:
        self.conn = conn

    async def fetch(self, statement: _Statement, **params: Any) -> Sequence[Mapping[str, Any]]:
        return [dict(r) for r in await self.conn.fetch(statement.raw, **params)]


# --- append ------------------------------------------------------------------------------------


def _lock_key(schema: str) -> int:
    """The advisory lock of one chain: a stable signed 64-bit number from its schema."""
    return int.from_bytes(hashlib.sha256(f"audit_log:{schema}".encode()).digest()[:8], "big", signed=True)


@dataclass(frozen=True)
class Actor:
    """Who did it: a user id (or ACTOR_SYSTEM) and in which capacity (`user`, `admin`,
    `api_client`, `anonymous`, `operator`, `system`)."""

    id: str
    role: str

    @classmethod
    def system(cls) -> Actor:
        return cls(ACTOR_SYSTEM, "system")


async def append(
    runner: Runner,
    schema: str,
    action: str,
    *,
    actor: Actor,
    subject: object | None = None,
    details: Mapping[str, Any] | None = None,
    ip: str | None = None,
) -> int:
    """Appends one row to `schema`'s chain in the runner's open transaction; its id. The row (and
    the chain lock) commit or roll back with the caller's change."""
    statements = _statements(schema)
    await runner.fetch(statements.lock, key=_lock_key(schema))
    head = (await runner.fetch(statements.head))[0]
    at: datetime = head["at"]
    prev_hash: str = head["prev"] or GENESIS
    plain = _plain(dict(details or {}))
    fields: dict[str, Any] = {
        "at": at,
        "actor": actor.id,
        "actor_role": actor.role,
        "action": action,
        "subject": None if subject is None else str(subject),
        "ip": ip,
        "request_id": current_request_id(),
        "prev_hash": prev_hash,
    }
    digest = entry_hash(details=plain, **fields)
    rows = await runner.fetch(statements.insert, details=orjson.dumps(plain).decode(), hash=digest, **fields)
    return int(rows[0]["id"])


async def append_in_session(session: AsyncSession, schema: str, action: str, **kwargs: Any) -> int:
    """`append` in an AsyncSession's transaction (auth, notification)."""
    return await append(SessionRunner(session), schema, action, **kwargs)


async def append_raw(conn: RawConnection, schema: str, action: str, **kwargs: Any) -> int:
    """`append` in a raw asyncpg transaction (the transaction service)."""
    return await append(RawRunner(conn), schema, action, **kwargs)


# --- read --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    actor_role: str
    action: str
    subject: str | None
    details: dict[str, Any]
    ip: str | None
    request_id: str | None
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> AuditRow:
        values = dict(row)
        values["details"] = orjson.loads(values["details"])
        return cls(**values)

    def expected_hash(self) -> str:
        return entry_hash(
            at=self.at,
            actor=self.actor,
            actor_role=self.actor_role,
            action=self.action,
            subject=self.subject,
            details=self.details,
            ip=self.ip,
            request_id=self.request_id,
            prev_hash=self.prev_hash,
        )


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    subject: str | None = None
    action: str | None = None
    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive


def _like_children(action: str) -> str:
    escaped = action.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + ".%"


async def page(
    runner: Runner,
    schema: str,
    filters: AuditFilter,
    *,
    limit: int,
    before: tuple[datetime, int] | None = None,
) -> list[AuditRow]:
    """Rows newest first (at, then id), strictly before `before` when given."""
    rows = await runner.fetch(
        _statements(schema).page,
        actor=filters.actor,
        subject=filters.subject,
        action=filters.action,
        action_children=_like_children(filters.action or ""),
        start=filters.start,
        end=filters.end,
        before_at=before[0] if before else None,
        before_id=before[1] if before else 0,
        limit=limit,
    )
    return [AuditRow.of(r) for r in rows]


# --- verify ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    schema: str
    rows: int  # rows checked (up to the first broken one)
    head: str  # hash of the last good row (GENESIS for an empty chain)
    broken_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_id is None


async def verify(runner: Runner, schema: str, *, batch: int = 1000) -> ChainReport:
    """Walks the chain in id order and stops at the first row that does not hold."""
    statements = _statements(schema)
    prev, count, after = GENESIS, 0, 0
    while True:
        rows = [AuditRow.of(r) for r in await runner.fetch(statements.walk, after=after, limit=batch)]
        for row in rows:
            if row.prev_hash != prev:
                problem = "its prev_hash is not the hash of the row before it (a row removed, inserted or reordered)"
                return ChainReport(schema, count, prev, row.id, problem)
            if row.expected_hash() != row.hash:
                return ChainReport(schema, count, prev, row.id, "its contents do not match its hash (edited)")
            prev, count, after = row.hash, count + 1, row.id
        if len(rows) < batch:
            return ChainReport(schema, count, prev)
