"""ORM models of the transaction service; every table lives in the "ledger" schema."""

from instapay_common.db.database import make_base
from instapay_common.events.outbox import outbox_table

Base = make_base("ledger")

# Events this service emits, written in the same transaction as the change they describe.
outbox = outbox_table(Base.metadata)
