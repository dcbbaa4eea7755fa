"""All SQL of the transaction service, one module per aggregate, on the raw asyncpg layer
(`instapay_common.db.rawsql`). Each module spells its column lists once and returns typed rows
(NamedTuples with Decimal money, UUIDs and aware datetimes); callers own the transaction."""
