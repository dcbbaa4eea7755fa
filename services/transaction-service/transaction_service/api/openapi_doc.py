"""What the OpenAPI says about the Idempotency-Key header.

The header is read as optional on purpose: a missing or oversized key must answer the contract's
400 `idempotency_key_required`, not FastAPI's 422 for a missing required header. The document,
though, is what third-party clients and generated SDKs read, so it states the contract: required,
1-255 characters. A route whose request moves no money at once (creating a scheduled transfer)
takes the key optionally: its header is declared with the description `OPTIONAL_KEY`, which marks it here
and stays its documented text.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

_RULES = (
    "Scoped to the caller and kept at least 24 h: the same key with the same body "
    "replays the first answer (`Idempotent-Replayed: true`); with another body, 422 "
    "`idempotency_key_reused`; while the first is running, 409 `idempotency_in_progress`."
)
DESCRIPTION = f"Required. {_RULES}"
OPTIONAL_KEY = f"Optional; without it every request creates a new one. {_RULES}"


def document_idempotency_key(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        spec = generate()
        for operation in (op for path in spec.get("paths", {}).values() for op in path.values()):
            for param in operation.get("parameters", []):
                if param.get("in") == "header" and param.get("name", "").lower() == "idempotency-key":
                    optional = param.get("description") == OPTIONAL_KEY
                    param.update(
                        required=not optional,
                        description=OPTIONAL_KEY if optional else DESCRIPTION,
                        schema={"type": "string", "minLength": 1, "maxLength": 255, "title": "Idempotency-Key"},
                    )
        return spec

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend its schema
