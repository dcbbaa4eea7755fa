"""ASGI entry point: `uvicorn api_gateway.main:app`."""

from api_gateway.config import get_settings
from api_gateway.gateway_app import build_gateway

app = build_gateway(get_settings())
