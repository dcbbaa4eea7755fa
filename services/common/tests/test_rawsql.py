"""Raw asyncpg transactions (instapay_common.db.rawsql): `:name` -> `$n` conversion, one transaction
per block with savepoints inside, autocommit reads, a lost connection as a 503-class error, and
the raw outbox emit writing the same row and NOTIFY as the SQLAlchemy one."""

import asyncio
import secrets
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal

import asyncpg
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import MetaData, text

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.metrics import instrument_engine
from instapay_common.db.rawsql import DatabaseConnectionLost, Sql, to_positional
from instapay_common.db.urls import asyncpg_dsn
from instapay_common.events.outbox import emit_event, emit_event_raw, outbox_table
from instapay_common.events.wakeup import wakeup_channel

TXID = Sql("SELECT txid_current()")
PID = Sql("SELECT pg_backend_pid()")


def test_named_parameters_become_numbered_and_a_repeated_name_keeps_its_number():
    sql, names = to_positional("SELECT * FROM t WHERE a = :u OR b = :v OR c = :u LIMIT :lim")
    assert sql == "SELECT * FROM t WHERE a = $1 OR b = $2 OR c = $1 LIMIT $3"
    assert names == ("u", "v", "lim")


def test_casts_literals_identifiers_and_comments_are_not_parameters():
    sql, names = to_positional(
        "SELECT :a::int, CAST(:b AS jsonb), 'at 12:30 :x', 'it''s :y', \"col:z\", now()::date -- :c\n"
        "/* :d\n:e */ FROM t WHERE k = :k"
    )
    assert names == ("a", "b", "k")
    assert sql == (
        "SELECT $1::int, CAST($2 AS jsonb), 'at 12:30 :x', 'it''s :y', \"col:z\", now()::date -- :c\n"
        "/* :d\n:e */ FROM t WHERE k = $3"
    )


def test_values_are_ordered_by_number_and_a_wrong_name_is_refused():
    stmt = Sql("UPDATE t SET a = :a, b = :b WHERE id = :id AND a <> :a")
    assert stmt.args({"id": 7, "b": "x", "a": Decimal("1.00")}) == [Decimal("1.00"), "x", 7]
    with pytest.raises(TypeError):
        stmt.args({"a": 1, "b": 2})  # id forgotten
    with pytest.raises(TypeError):
        stmt.args({"a": 1, "b": 2, "id": 3, "c": 4})  # c is not in the statement
    with pytest.raises(KeyError):
        stmt.args({"a": 1, "b": 2, "idd": 3})  # misspelt


@pytest.fixture
async def db(database_url) -> AsyncIterator[Database]:
    database = Database(database_url, pool_size=2, max_overflow=0)
    yield database
    await database.dispose()


@pytest.fixture
async def scratch(db) -> AsyncIterator[str]:
    """A schema of its own with the outbox tables and a small table of values."""
    schema = f"rawsql_{secrets.token_hex(4)}"
    async with db.engine.begin() as conn:
        await conn.execute(text(f"CREATE SCHEMA {schema}"))
        await conn.execute(text(f"CREATE TABLE {schema}.items (id int PRIMARY KEY, amount numeric(20, 2))"))
        await conn.run_sync(outbox_table(MetaData(schema=schema)).metadata.create_all)
    yield schema
    async with db.engine.begin() as conn:
        await conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


async def _count(db: Database, schema: str) -> int:
    async with rawsql.connection(db) as conn:
        return await conn.raw.fetchval(f"SELECT count(*) FROM {schema}.items")


async def test_a_transaction_commits_its_statements_together_and_a_savepoint_undoes_only_its_own(db, scratch):
    insert = Sql(f"INSERT INTO {scratch}.items (id, amount) VALUES (:id, :amount)")
    async with rawsql.transaction(db) as conn:
        txid = await conn.fetchval(TXID)
        await conn.execute(insert, id=1, amount=Decimal("10.50"))
        with pytest.raises(ValueError):
            async with conn.savepoint():
                await conn.execute(insert, id=2, amount=Decimal("1.00"))
                raise ValueError("declined")
        assert await conn.fetchval(TXID) == txid
    async with rawsql.connection(db) as conn:
        rows = await conn.raw.fetch(f"SELECT id, amount FROM {scratch}.items")
    assert [(r["id"], r["amount"]) for r in rows] == [(1, Decimal("10.50"))]

    with pytest.raises(ZeroDivisionError):
        async with rawsql.transaction(db) as conn:
            await conn.execute(insert, id=3, amount=Decimal("2.00"))
            raise ZeroDivisionError
    assert await _count(db, scratch) == 1


async def test_a_connection_block_runs_each_statement_in_its_own_transaction(db):
    async with rawsql.connection(db) as conn:
        first = await conn.fetchval(TXID)
        second = await conn.fetchval(TXID)
        assert first != second
        assert not conn.raw.is_in_transaction()


async def test_a_connection_lost_mid_transaction_is_a_connection_error_and_is_not_pooled_again(db, database_url):
    async with rawsql.connection(db) as conn:
        pid_before = await conn.fetchval(PID)
    killer = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        with pytest.raises(DatabaseConnectionLost) as caught:
            async with rawsql.transaction(db) as conn:
                assert await conn.fetchval(PID) == pid_before  # the pooled one
                await killer.execute("SELECT pg_terminate_backend($1)", pid_before)
                await asyncio.sleep(0.2)
                await conn.fetchval(Sql("SELECT 1"))
    finally:
        await killer.close()
    assert isinstance(caught.value, ConnectionError)  # what the shared error handler answers 503 for
    async with rawsql.transaction(db) as conn:
        assert await conn.fetchval(PID) != pid_before


async def test_a_block_cancelled_mid_statement_leaves_no_open_transaction_in_the_pool(db):
    """A request cancelled while its statement runs (client gone, shutdown): the transaction is
    rolled back and every pooled connection is idle and usable afterwards."""

    async def slow() -> None:
        async with rawsql.transaction(db) as conn:
            await conn.execute(Sql("SELECT pg_sleep(:s)"), s=5)

    task = asyncio.create_task(slow())
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for _ in range(2):  # every connection the pool holds
        async with rawsql.connection(db) as conn:
            assert not conn.raw.is_in_transaction()
            assert await conn.fetchval(Sql("SELECT 1")) == 1


async def test_the_raw_emit_writes_the_row_and_the_notify_of_the_sqlalchemy_one(db, scratch, database_url):
    table = outbox_table(MetaData(schema=scratch))
    data = {"amount": "12.50", "note": 'شكرا "quoted"', "party": {"handle": "mona"}, "n": 3}
    listener = await asyncpg.connect(asyncpg_dsn(database_url))
    woken: asyncio.Queue[str] = asyncio.Queue()
    await listener.add_listener(
        wakeup_channel(scratch), lambda _conn, _pid, channel, _payload: woken.put_nowait(channel)
    )
    try:
        async with rawsql.transaction(db) as conn:
            raw_id = await emit_event_raw(conn, table, "transfer.completed", data)
            await asyncio.sleep(0.2)
            assert woken.empty(), "NOTIFY is delivered on commit, not before"
        assert await asyncio.wait_for(woken.get(), 5) == wakeup_channel(scratch)

        async with db.sessionmaker() as session, session.begin():
            sa_id = await emit_event(session, table, "transfer.completed", data)
        assert await asyncio.wait_for(woken.get(), 5) == wakeup_channel(scratch)
    finally:
        await listener.close()

    async with rawsql.connection(db) as conn:
        rows = {
            r["id"]: r
            for r in await conn.raw.fetch(
                f"SELECT id, event_type, payload, occurred_at, dispatched_at FROM {scratch}.outbox_events"
            )
        }
    assert set(rows) == {raw_id, sa_id}
    assert isinstance(raw_id, uuid.UUID)
    for row in rows.values():
        assert (row["event_type"], row["payload"], row["dispatched_at"]) == ("transfer.completed", data, None)
    assert rows[raw_id]["occurred_at"] < rows[sa_id]["occurred_at"]


async def test_statements_are_timed_into_the_query_time_histogram_of_the_engine(database_url):
    """They fire none of the SQLAlchemy cursor events db_metrics listens to, so they time themselves."""
    db = Database(database_url, pool_size=1, max_overflow=0)
    instrument_engine(db.engine, service="rawsql-test", capacity=1)
    labels = {"service": "rawsql-test"}
    try:
        before = REGISTRY.get_sample_value("db_query_duration_seconds_count", labels)
        async with rawsql.transaction(db) as conn:
            await conn.fetchval(TXID)
            await conn.execute(Sql("SELECT pg_sleep(:s)"), s=0.01)
        async with rawsql.connection(db) as conn:
            await conn.fetchrow(PID)
        assert REGISTRY.get_sample_value("db_query_duration_seconds_count", labels) == before + 3
        assert REGISTRY.get_sample_value("db_query_duration_seconds_sum", labels) >= 0.01
    finally:
        await db.dispose()
