"""`Annotated` dependency aliases of the simulator's routes, and the checks every /v1 call passes
(API key, the `down` fault; the SMS key for /v1/sms) and every control call passes (control token)."""

from __future__ import annotations

import hmac
import uuid
from typing import Annotated

from fastapi import Depends, Header, Request
from pydantic import SecretStr

from instapay_common.web.deps import DbDep as DbDep  # re-exported: routes take every alias from here
from provider_simulator.config import SimulatorSettings
from provider_simulator.exceptions import IdempotencyKeyRequired, ProviderUnavailable, Unauthenticated
from provider_simulator.service.delivery import DeliveryWorker
from provider_simulator.service.faults import FaultSwitch
from provider_simulator.service.sms_inbox import SmsInbox


async def get_settings(request: Request) -> SimulatorSettings:
    settings: SimulatorSettings = request.app.state.settings
    return settings


async def get_faults(request: Request) -> FaultSwitch:
    faults: FaultSwitch = request.app.state.faults
    return faults


async def get_worker(request: Request) -> DeliveryWorker:
    worker: DeliveryWorker = request.app.state.worker
    return worker


async def get_sms_inbox(request: Request) -> SmsInbox:
    inbox: SmsInbox = request.app.state.sms_inbox
    return inbox


SettingsDep = Annotated[SimulatorSettings, Depends(get_settings)]
FaultsDep = Annotated[FaultSwitch, Depends(get_faults)]
WorkerDep = Annotated[DeliveryWorker, Depends(get_worker)]
SmsInboxDep = Annotated[SmsInbox, Depends(get_sms_inbox)]


def _bearer_matches(authorization: str | None, secret: SecretStr) -> bool:
    scheme, _, token = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        token.strip().encode(), secret.get_secret_value().encode()
    )


async def api_client(
    settings: SettingsDep, faults: FaultsDep, authorization: Annotated[str | None, Header()] = None
) -> None:
    """Every /v1 route: the API key, then the `down` fault (a provider that is down answers 503)."""
    if not _bearer_matches(authorization, settings.simulator_api_key):
        raise Unauthenticated("send Authorization: Bearer <SIMULATOR_API_KEY>")
    if faults.current.down:
        raise ProviderUnavailable("the provider is down")


async def sms_client(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None) -> None:
    """/v1/sms: the SMS key (not the payment API key; the provider's faults do not apply)."""
    if not settings.simulator_sms_api_key.get_secret_value():
        raise Unauthenticated("the SMS gateway is off (SIMULATOR_SMS_API_KEY is not set)")
    if not _bearer_matches(authorization, settings.simulator_sms_api_key):
        raise Unauthenticated("send Authorization: Bearer <SIMULATOR_SMS_API_KEY>")


async def controller(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None) -> None:
    if not _bearer_matches(authorization, settings.simulator_control_token):
        raise Unauthenticated("send Authorization: Bearer <SIMULATOR_CONTROL_TOKEN>")


async def idempotency_key(idempotency_key: Annotated[str | None, Header()] = None) -> str:
    """Our operation id, a UUID, in its canonical spelling (so by-key lookups find it)."""
    try:
        return str(uuid.UUID(idempotency_key or ""))
    except ValueError:
        raise IdempotencyKeyRequired("send an Idempotency-Key header holding a UUID") from None


def canonical_key(key: str) -> str | None:
    try:
        return str(uuid.UUID(key))
    except ValueError:
        return None


IdempotencyKeyDep = Annotated[str, Depends(idempotency_key)]
