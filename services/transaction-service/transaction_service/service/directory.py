"""The recipient directory: a transfer's parties resolved from a local, versioned copy of the
user service's profiles instead of a call (docs/ARCHITECTURE.md, "Recipient directory").

Fed by `user.profile_changed` (delivered by the user service's outbox relay to subscriber
`directory`), by what a fallback call read (only when newer) and by a rebuild from the user
service's export. It answers only when it has no doubt:
- the recipient's entry matches the identifier under the user service's rule (verified phone;
  by e-mail a verified e-mail too) and is active, and the sender's entry is known and active;
- the acting user's lookup budget counted this identifier less than a day ago (as the user
  service would, a repeat is then free): a new identifier always goes to the user service, which
  counts it, so the directory is no way around the budget that bounds phone-number enumeration.
Anything else (a miss, a deleted profile, an identifier another entry took, an unparsable
query) asks the user service, as before. A released handle, phone or e-mail is quarantined for
30 days, so an entry a second (or an hour) behind can only name the account that held the
identifier last: never someone else.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.events.envelope import EventEnvelope
from instapay_common.identifiers import lookup_target, recipient_key
from instapay_common.logging import get_logger
from transaction_service.metrics import DIRECTORY_EVENTS, DIRECTORY_RESOLUTIONS
from transaction_service.parties import PartyRef
from transaction_service.repository import directory as repo
from transaction_service.repository.directory import Entry

PROFILE_CHANGED = "user.profile_changed"
# The user service counts an identifier once a day per user; the directory answers for it a
# minute less than that, so a clock a little apart never lets it answer one the budget would count.
COUNTED_FOR = timedelta(days=1) - timedelta(minutes=1)
log = get_logger("directory")


class EntryIn(BaseModel):
    """A directory entry as the user service answers it (resolutions, the export)."""

    model_config = ConfigDict(extra="ignore")

    user_id: uuid.UUID
    handle: str | None
    phone: str | None
    email: str | None
    display_name: str
    status: Literal["active", "deleted"]
    version: int

    def entry(self) -> Entry:
        return Entry(self.user_id, self.handle, self.phone, self.email, self.display_name, self.status, self.version)


class ProfileChanged(BaseModel):
    """The data of `user.profile_changed` (docs/EVENTS.md) that the directory keeps."""

    model_config = ConfigDict(extra="ignore")

    user_id: uuid.UUID
    handle: str
    email: str
    phone: str
    display_name: str
    status: Literal["active", "deleted"]
    version: int
    # Absent from events written before the user service sent them: such an event is not
    # applied (the entry would not know who can be found by what); a fallback or a rebuild fills it.
    phone_verified: bool | None = None
    email_verified: bool | None = None

    def entry(self) -> Entry | None:
        if self.phone_verified is None or self.email_verified is None:
            return None
        live = self.status == "active"
        return Entry(
            self.user_id,
            self.handle if live else None,
            self.phone if live and self.phone_verified else None,
            self.email if live and self.email_verified else None,
            self.display_name,
            self.status,
            self.version,
        )


def entries_of(items: object) -> list[Entry]:
    """The entries of a user service answer; anything malformed is left out (never trusted)."""
    if not isinstance(items, list):
        return []
    entries = []
    for item in items:
        try:
            entries.append(EntryIn.model_validate(item).entry())
        except ValidationError:
            continue
    return entries


def _party(entry: Entry) -> PartyRef:
    return {"user_id": str(entry.user_id), "handle": entry.handle, "display_name": entry.display_name or entry.handle}


def _usable(entry: Entry | None) -> bool:
    return entry is not None and entry.status == "active" and entry.handle is not None


class Directory:
    """Reads answer None for "ask the user service"; writes never fail the caller's request."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def parties(self, query: str, sender_id: str) -> tuple[PartyRef, PartyRef] | None:
        """(recipient, sender) of a transfer, or None when the directory has any doubt."""
        found = await self._find(query, sender_id)
        if found is None:
            return None
        if not _usable(found.sender):
            return self._miss("no_entry")
        assert found.recipient is not None and found.sender is not None  # checked by _find, _usable
        DIRECTORY_RESOLUTIONS.labels(outcome="hit").inc()
        return _party(found.recipient), _party(found.sender)

    async def resolve(self, query: str, acting_user_id: str) -> PartyRef | None:
        """The recipient `query` names for `acting_user_id`, or None when in doubt."""
        found = await self._find(query, acting_user_id)
        if found is None or found.recipient is None:
            return None
        DIRECTORY_RESOLUTIONS.labels(outcome="hit").inc()
        return _party(found.recipient)

    async def profile(self, user_id: str) -> PartyRef | None:
        """A user's party by id (no budget: an id names one account and reveals nothing new)."""
        async with rawsql.connection(self.db) as conn:
            entry = await repo.by_id(conn, uuid.UUID(user_id))
        if not _usable(entry):
            return self._miss("no_entry")
        assert entry is not None
        DIRECTORY_RESOLUTIONS.labels(outcome="hit").inc()
        return _party(entry)

    async def _find(self, query: str, acting_user_id: str) -> repo.Found | None:
        key = recipient_key(query)
        if key is None:
            return self._miss("unparsable")  # the user service answers what is wrong with it
        column, value = key
        async with rawsql.connection(self.db) as conn:
            found = await repo.find(
                conn,
                column=column,
                value=value,
                sender_id=uuid.UUID(acting_user_id),
                target=lookup_target(column, value),
                since=datetime.now(UTC) - COUNTED_FOR,
            )
        if not _usable(found.recipient):
            return self._miss("no_entry")
        if not found.counted:
            return self._miss("not_counted")
        return found

    @staticmethod
    def _miss(reason: str) -> None:
        DIRECTORY_RESOLUTIONS.labels(outcome=reason).inc()
        return None

    async def learn(
        self, entries: Iterable[Entry], *, acting_user_id: str | None, query: str | None, counted_at: object
    ) -> None:
        """What a call to the user service read: entries newer than those held, and when the
        acting user's budget counted the identifier. A failure is logged, never raised: the
        transfer has its answer, and the directory only misses again next time."""
        try:
            at = datetime.fromisoformat(counted_at) if isinstance(counted_at, str) else None
            key = recipient_key(query) if query is not None else None
            async with rawsql.transaction(self.db) as conn:
                if at is not None and key is not None and acting_user_id is not None:
                    target = lookup_target(*key)
                    await repo.record_counted(conn, user_id=uuid.UUID(acting_user_id), target=target, at=at)
                await apply_entries(conn, entries)
        except Exception as exc:  # the directory is an optimisation of this request, never its failure
            log.warning("directory_learn_failed", error_type=type(exc).__name__)

    async def apply_event(self, event: EventEnvelope) -> bool:
        """`user.profile_changed`: applied once per event id and only if newer than the entry
        held (a redelivery or an older event arriving late changes nothing). True if applied now."""
        if event.type != PROFILE_CHANGED:
            return False
        entry = ProfileChanged.model_validate(event.data).entry()
        if entry is None:
            return False
        async with rawsql.transaction(self.db) as conn:
            applied = await repo.claim(conn, event.id, event.type)
            if applied:
                await repo.lock(conn)
                applied = await repo.apply(conn, entry)
        DIRECTORY_EVENTS.labels(outcome="applied" if applied else "skipped").inc()
        return applied


async def apply_entries(conn: rawsql.RawConnection, entries: Iterable[Entry]) -> int:
    """Applies entries newer than those held, under the writers' lock; returns how many."""
    pending = list(entries)
    if not pending:
        return 0
    await repo.lock(conn)
    applied = 0
    for entry in pending:
        applied += await repo.apply(conn, entry)
    return applied


async def rebuild(db: Database, pages: AsyncIterator[list[Entry]]) -> int:
    """Empties the directory, then applies every page of the user service's export. Emptied first
    and in its own transaction, so every page is read after it: an event applied before the
    truncation is in the export, one applied after it is kept by version (the export's older
    copy loses). While it runs, lookups miss and ask the user service. Returns entries applied."""
    async with rawsql.transaction(db) as conn:
        await repo.lock(conn)
        await repo.truncate(conn)
    applied = 0
    async for page in pages:
        async with rawsql.transaction(db) as conn:
            applied += await apply_entries(conn, page)
    return applied


async def forget_old_counts(db: Database) -> int:
    """Budget times older than the directory may use are of no more use (periodic job)."""
    async with rawsql.connection(db) as conn:
        return await repo.forget_counted(conn, before=datetime.now(UTC) - COUNTED_FOR)


def parties_answer(body: Mapping[str, Any]) -> tuple[list[Entry], object]:
    """(entries, counted_at) of a user service resolution answer (`/parties`: `entries`;
    `/resolve`: `entry`); both absent from an older user service: nothing to learn."""
    entries = entries_of(body.get("entries")) if "entries" in body else entries_of([body.get("entry")])
    return entries, body.get("counted_at")
