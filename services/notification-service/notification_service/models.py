"""ORM models of the notification service; every table lives in the "notifications" schema."""

from instapay_common.db import make_base
from instapay_common.inbox import inbox_table

Base = make_base("notifications")

# Ids of events already applied: this subscriber dedupes on them.
processed_events = inbox_table(Base.metadata)
