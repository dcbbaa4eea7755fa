"""Public and internal routes of the transaction service."""

from fastapi import APIRouter

router = APIRouter()
