"""Public and internal routes of the notification service."""

from fastapi import APIRouter

router = APIRouter()
