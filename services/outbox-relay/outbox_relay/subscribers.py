"""Delivery of envelopes to one subscriber over HTTP, with one outcome per envelope.

A subscriber takes batches at `POST <url>/internal/events/batch` (`{"events": [...]}`, answered
with `{"results": [{"id", "outcome", "error"?}, ...]}`); one that answers the batch route with
404/405 gets one `POST <url>/internal/events` per event from then on. Outcomes:
`delivered` (applied or skipped as a duplicate), `rejected` (a 4xx answer or a `rejected`
outcome: the event is wrong for the subscriber) and `failed` (5xx, unreachable, timeout, an
event missing from the batch answer): both of the last two are retried later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

import aiohttp
import orjson

from instapay_common.security.internal import InternalCredentials

OutcomeName = Literal["delivered", "rejected", "failed"]


class Outcome(NamedTuple):
    outcome: OutcomeName
    error: str | None = None


DELIVERED = Outcome("delivered")


def _by_status(status: int, detail: str) -> Outcome:
    return Outcome("rejected" if 400 <= status < 500 else "failed", f"HTTP {status}: {detail}")


def _failure(exc: BaseException) -> Outcome:
    return Outcome("failed", f"{type(exc).__name__}: {exc}"[:300])


class SubscriberClient:
    """Posts envelopes to the subscribers in `urls` (name -> base URL)."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        urls: Mapping[str, str],
        *,
        credentials: InternalCredentials,
        request_timeout: float,
        batch_timeout: float,
        post_batch_size: int,
    ) -> None:
        self.http = http
        self.urls = urls
        self.request_timeout = request_timeout
        self.batch_timeout = batch_timeout
        self.post_batch_size = max(1, post_batch_size)
        self._headers = {"Content-Type": "application/json", **credentials.headers()}
        self._no_batch_route: set[str] = set()  # subscribers that answered 404/405 to the batch route

    async def deliver(self, sub: str, envelopes: Sequence[dict[str, Any]]) -> list[Outcome]:
        """Outcomes for `envelopes` (in outbox order): batches one after the other, so the
        subscriber applies them in order and never runs two of ours against each other."""
        results: list[Outcome] = []
        for start in range(0, len(envelopes), self.post_batch_size):
            chunk = envelopes[start : start + self.post_batch_size]
            answer = None if sub in self._no_batch_route else await self._post_batch(sub, chunk)
            if answer is None:
                self._no_batch_route.add(sub)
                answer = list(await asyncio.gather(*(self._post(sub, orjson.dumps(e)) for e in chunk)))
            results.extend(answer)
        return results

    async def _post(self, sub: str, body: bytes) -> Outcome:
        url = self.urls[sub].rstrip("/") + "/internal/events"
        try:
            async with self.http.post(
                url,
                data=body,
                headers=self._headers,
                timeout=aiohttp.ClientTimeout(total=self.request_timeout),
            ) as resp:
                text = await resp.text()
                if 200 <= resp.status < 300:
                    return DELIVERED
                return _by_status(resp.status, text[:300])
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return _failure(exc)

    async def _post_batch(self, sub: str, envelopes: Sequence[dict[str, Any]]) -> list[Outcome] | None:
        """One outcome per envelope, or None when the subscriber has no batch route."""
        url = self.urls[sub].rstrip("/") + "/internal/events/batch"
        try:
            async with self.http.post(
                url,
                data=orjson.dumps({"events": envelopes}),
                headers=self._headers,
                timeout=aiohttp.ClientTimeout(total=self.batch_timeout),
            ) as resp:
                body = await resp.read()
                if resp.status in (404, 405):
                    return None
                if resp.status != 200:
                    return [_by_status(resp.status, body[:300].decode(errors="replace"))] * len(envelopes)
                answers: list[dict[str, Any]] = orjson.loads(body).get("results", [])
                by_id = {str(a.get("id")): a for a in answers}
        except (TimeoutError, aiohttp.ClientError, OSError, orjson.JSONDecodeError, AttributeError) as exc:
            return [_failure(exc)] * len(envelopes)
        return [_batch_outcome(by_id.get(env["id"])) for env in envelopes]


def _batch_outcome(answer: Mapping[str, Any] | None) -> Outcome:
    """The outcome of one event in a batch answer (`None`: the subscriber skipped it)."""
    if answer is None:
        return Outcome("failed", "no outcome for this event in the batch answer")
    if answer.get("outcome") in ("applied", "skipped"):
        return DELIVERED
    outcome: OutcomeName = "rejected" if answer.get("outcome") == "rejected" else "failed"
    return Outcome(outcome, str(answer.get("error") or answer.get("outcome"))[:300])
