"""Which account a public auth request targets (the key of the per-account quotas)."""

import base64
import json

from api_gateway.guard.account_key import account_of

LOGIN, TOKEN, REGISTER = "/api/v1/auth/login", "/api/v1/auth/token", "/api/v1/auth/register"


def test_same_account_however_written_and_never_in_clear():
    a = account_of(LOGIN, json.dumps({"username": "Ahmed@Example.com", "password": "x"}).encode(), None)
    b = account_of(LOGIN, json.dumps({"username": "  ahmed@example.com ", "password": "y"}).encode(), None)
    assert a == b and a is not None
    assert "ahmed" not in a  # hashed: counters (e.g. in Redis) hold no e-mail addresses
    assert account_of(REGISTER, json.dumps({"email": "ahmed@example.com"}).encode(), None) == a


def test_token_endpoint_accounts():
    password = account_of(TOKEN, b"grant_type=password&username=ahmed%40example.com&password=x", None)
    assert password == account_of(LOGIN, b'{"username": "ahmed@example.com"}', None)
    in_form = account_of(TOKEN, b"grant_type=client_credentials&client_id=cl_1&client_secret=s", None)
    basic = b"Basic " + base64.b64encode(b"cl_1:secret")
    assert account_of(TOKEN, b"grant_type=client_credentials", basic) == in_form is not None
    assert account_of(TOKEN, b"grant_type=refresh_token&refresh_token=abc", None) is None


def test_unreadable_bodies_have_no_account():
    assert account_of(LOGIN, b"\xff\xfe", None) is None
    assert account_of(LOGIN, b"[1, 2]", None) is None
    assert account_of(LOGIN, b'{"username": 5}', None) is None
    assert account_of(LOGIN, b'{"username": "   "}', None) is None
    assert account_of(TOKEN, b"grant_type=client_credentials", b"Basic !!!") is None


def test_password_recovery_counts_on_the_username_it_names():
    login = account_of(LOGIN, b'{"username": "ahmed@example.com"}', None)
    for path in ("/api/v1/auth/password/forgot", "/api/v1/auth/password/reset"):
        assert account_of(path, b'{"username": "Ahmed@Example.com", "code": "123456"}', None) == login
