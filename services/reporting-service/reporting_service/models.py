"""ORM models of the reporting service; every table lives in the "reporting" schema."""

from instapay_common.db import make_base
from instapay_common.inbox import inbox_table

Base = make_base("reporting")

# Ids of events already applied: this subscriber dedupes on them.
processed_events = inbox_table(Base.metadata)
