"""In-process tests of the auth service on a real, migrated PostgreSQL database."""

import uuid

import pytest

from auth_service.config import AuthSettings
from auth_service.main import build_app
from auth_service.models import Credential, Session
from auth_service.pins import pin_digest
from instapay_stack.testing import internal_headers as caller_headers
from instapay_stack.testing import running_app

PEPPER = "test-pepper"


@pytest.fixture
def settings(database_url):
    return AuthSettings(database_url=database_url, pin_pepper=PEPPER, environment="test")


@pytest.fixture
async def app_client(settings):
    app = build_app(settings)
    async with running_app(app) as client:
        client.app = app
        yield client


@pytest.fixture
def internal_headers():
    """The transaction service's credential: the PIN check's only caller."""
    return caller_headers("transaction")


@pytest.fixture
def gateway_headers():
    """The gateway's credential: the revocation feed's only caller."""
    return caller_headers("gateway")


@pytest.fixture
async def active_user(app_client):
    """A credential row as registration leaves it, with PIN 246810, and one live session."""
    ctx = app_client.app.state.auth
    user_id = uuid.uuid4()
    tag = uuid.uuid4().hex[:10]
    async with app_client.app.state.db.sessionmaker() as db:
        db.add(
            Credential(
                user_id=user_id,
                email=f"{tag}@example.com",
                phone="+2011" + str(uuid.uuid4().int)[:8],
                password_hash=await ctx.passwords.hash("Gr8-Secret-Words"),
                status="active",
                roles=[],
                pin_hash=pin_digest(PEPPER, str(user_id), "246810"),
            )
        )
        await db.flush()
        session = Session(id=uuid.uuid4(), user_id=user_id)
        db.add(session)
        await db.commit()
    return {"user_id": user_id, "email": f"{tag}@example.com", "session_id": session.id}
