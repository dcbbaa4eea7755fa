"""ORM models of the auth service; every table lives in the "auth" schema."""

from instapay_common.db import make_base
from instapay_common.outbox import outbox_table

Base = make_base("auth")

# Events this service emits, written in the same transaction as the change they describe.
outbox = outbox_table(Base.metadata)
