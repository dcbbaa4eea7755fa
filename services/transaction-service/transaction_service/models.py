"""ORM models of the transaction service; every table lives in the "ledger" schema."""

from sqlalchemy.orm import DeclarativeBase

from instapay_common.db.database import schema_metadata
from instapay_common.events.outbox import outbox_table


class Base(DeclarativeBase):
    metadata = schema_metadata("ledger")


# Events this service emits, written in the same transaction as the change they describe.
outbox = outbox_table(Base.metadata)
