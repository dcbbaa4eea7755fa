"""Fixtures of the proof suites: the shared stack with its outbox relays running, a gateway client,
and a few users (the victim `alice`, her counterparty `bob`, the attacker `mallory`)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from proof_support.relays import start_relays

from instapay_stack.e2e import TestUser, register_user
from instapay_stack.stack import Stack


@pytest.fixture(scope="session")
def proof_stack(stack: Stack) -> Stack:
    """The shared stack, plus the outbox relays (events reach notifications and reporting)."""
    start_relays(stack)
    return stack


@pytest.fixture(scope="session")
def gw(proof_stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=proof_stack.gateway_url, timeout=20) as client:
        yield client


@pytest.fixture(scope="module")
def alice(proof_stack: Stack) -> TestUser:
    return register_user(proof_stack.gateway_url)


@pytest.fixture(scope="module")
def bob(proof_stack: Stack) -> TestUser:
    return register_user(proof_stack.gateway_url)


@pytest.fixture(scope="module")
def mallory(proof_stack: Stack) -> TestUser:
    return register_user(proof_stack.gateway_url)
