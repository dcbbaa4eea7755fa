"""Fixtures of the user service's in-process tests: the app on a migrated database with a token
issuer, and profile bodies (fixtures: test modules cannot import conftest by name)."""

import uuid
from collections.abc import Callable

import pytest

from instapay_stack.testing import running_app
from instapay_stack.tokens import TestIssuer
from user_service.config import UserSettings
from user_service.main import build_app


@pytest.fixture
async def ctx(database_url):
    """(client, issuer, app): the app's lifespan runs for the test."""
    settings = UserSettings(database_url=database_url, environment="test")
    app = build_app(settings)
    issuer = TestIssuer(settings)
    async with running_app(app) as client:
        issuer.install(app)
        yield client, issuer, app


def _new_profile(**overrides: str) -> dict[str, str]:
    tag = uuid.uuid4().hex[:8]
    body = {
        "user_id": str(uuid.uuid4()),
        "email": f"p{tag}@example.com",
        "phone": "+2012" + str(uuid.uuid4().int)[:8],
        "full_name": "Ahmed Mohamed Ali",
        "handle": f"ahmed.{tag}",
    }
    body.update(overrides)
    return body


@pytest.fixture
def new_profile() -> Callable[..., dict[str, str]]:
    """A builder of internal-create bodies with fresh unique e-mail, phone and handle."""
    return _new_profile
