"""Every documented error of the public API has the content type the service really sends,
application/problem+json (not FastAPI's default application/json), so clients and schemathesis
expect it."""

from notification_service.main import build_app


def test_documented_errors_are_problem_json():
    spec = build_app().openapi()
    checked = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                if status.startswith(("4", "5")) and "content" in response:
                    assert "application/problem+json" in response["content"], (method, path, status)
                    checked += 1
    assert checked > 0
