"""The subscription catalogue is the table of docs/EVENTS.md, and the environment configures the
relay as documented (overrides, subscriber URLs, the emitter's schema)."""

from __future__ import annotations

import re

import pytest

from instapay_stack.paths import REPO_ROOT
from outbox_relay.catalogue import DEFAULT_SUBSCRIPTIONS
from outbox_relay.config import config_from_env, subscriber_urls_from_env
from outbox_relay.repository import OutboxRepository
from outbox_relay.subscribers import _batch_outcome


def _documented() -> dict[str, set[str]]:
    rows = re.findall(r"^\| `([a-z_.]+)` \| \w+ \| .* \| ([^|]+) \|$", (REPO_ROOT / "docs/EVENTS.md").read_text(), re.M)
    return {event: set(re.findall(r"\b(reporting|notification|payouts|directory)\b", subs)) for event, subs in rows}


def test_catalogue_is_the_table_of_events_md():
    assert {event: set(subs) for event, subs in DEFAULT_SUBSCRIPTIONS.items()} == _documented()


def test_config_from_env_merges_overrides_and_keeps_only_subscribers_with_a_url():
    env = {
        "NOTIFICATION_URL": "http://n:8005",
        "AUDIT_URL": "http://a:9000",
        "OUTBOX_SUBSCRIPTIONS": '{"transfer.completed": ["audit"]}',
        "OUTBOX_BATCH_SIZE": "50",
    }
    config = config_from_env("transaction", env)
    assert config.schema == "ledger"
    assert config.source == "transaction-service"
    assert config.batch_size == 50
    assert config.subscriptions["transfer.completed"] == ["audit"]
    assert config.subscriptions["topup.completed"] == ("reporting", "notification")
    assert config.subscriber_urls == {"notification": "http://n:8005", "audit": "http://a:9000"}
    assert subscriber_urls_from_env({"REPORTING_URL": "http://r"}) == {"reporting": "http://r"}
    assert config_from_env("user", {}).schema == "users"
    assert config_from_env("user", {"OUTBOX_SCHEMA": "other"}).schema == "other"


@pytest.mark.parametrize("schema", ['ledger"; DROP', "Ledger", "", "1abc", "a" * 64])
def test_a_schema_name_that_is_not_a_plain_identifier_is_refused(schema):
    with pytest.raises(ValueError, match="invalid schema name"):
        OutboxRepository(schema)


def test_batch_answers_map_to_delivery_outcomes():
    assert _batch_outcome({"outcome": "applied"}).outcome == "delivered"
    assert _batch_outcome({"outcome": "skipped"}).outcome == "delivered"
    assert _batch_outcome({"outcome": "rejected", "error": "bad"}) == ("rejected", "bad")
    assert _batch_outcome({"outcome": "failed"}) == ("failed", "failed")
    assert _batch_outcome(None).outcome == "failed"  # missing from the answer: tried again later
