"""The verified-token cache the gateway turns on (instapay_common.security.tokens.VerifiedTokenCache)."""

import time

import pytest

from instapay_common.security.tokens import JwksVerifier, Principal, TokenRejected, VerifiedTokenCache
from instapay_stack.tokens import TestIssuer


def principal(expires_in: int) -> Principal:
    return Principal(
        user_id="u", session_id="s", token_id="j", scopes=frozenset(), expires_at=int(time.time()) + expires_in
    )


def test_entries_live_until_the_token_expires_and_the_oldest_go_first():
    cache = VerifiedTokenCache(2)
    cache.put("expired", principal(-1))
    assert cache.get("expired") is None
    cache.put("a", principal(60))
    cache.put("b", principal(60))
    assert cache.get("a") is not None  # a is now the most recently used
    cache.put("c", principal(60))
    assert cache.get("b") is None and cache.get("a") is not None and cache.get("c") is not None


async def test_verifier_answers_repeats_from_the_cache_and_forgets_on_key_change():
    issuer = TestIssuer()
    verifier = JwksVerifier("http://127.0.0.1:1/jwks", issuer=issuer.issuer, audience=issuer.audience, cache_size=100)
    verifier.install_keys(issuer.jwks())
    token = issuer.token()
    first = await verifier.verify(token)
    assert await verifier.verify(token) is first  # same object: no second verification
    # The key leaves the JWKS (rotation, compromise): the cached answer must not outlive it.
    other = TestIssuer()
    verifier.install_keys(other.jwks())
    with pytest.raises(TokenRejected):
        await verifier.verify(token)
    with pytest.raises(TokenRejected):
        await verifier.verify(token[:-4] + "AAAA")  # failures are never cached as successes
