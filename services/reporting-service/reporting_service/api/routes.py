"""Public and internal routes of the reporting service."""

from fastapi import APIRouter

router = APIRouter()
