"""The sandbox's SMS gateway: POST /v1/sms (the notification service's `SMS_PROVIDER=http`)."""

from fastapi import APIRouter, Depends

from provider_simulator.api.deps import SmsInboxDep, sms_client
from provider_simulator.schemas import Sms, SmsRequest

router = APIRouter(prefix="/v1/sms", tags=["sms"], dependencies=[Depends(sms_client)])


@router.post("", response_model=Sms, status_code=202)
async def send_sms(body: SmsRequest, inbox: SmsInboxDep) -> Sms:
    """Accepted and kept for GET /_sim/sms; never delivered to a phone."""
    return inbox.receive(body)
