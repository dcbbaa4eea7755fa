"""Every documented error of every service's API has the content type the services really send,
application/problem+json (not FastAPI's default application/json), so clients and schemathesis
expect it."""

from __future__ import annotations

import importlib

import pytest

SERVICES = ["auth_service", "user_service", "transaction_service", "reporting_service", "notification_service"]


@pytest.mark.parametrize("package", SERVICES)
def test_documented_errors_are_problem_json(package: str) -> None:
    spec = importlib.import_module(f"{package}.main").build_app().openapi()
    checked = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                if status.startswith(("4", "5")) and "content" in response:
                    assert "application/problem+json" in response["content"], (method, path, status)
                    checked += 1
    assert checked > 0
