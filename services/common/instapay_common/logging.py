"""JSON logging through structlog, for both structlog and stdlib (uvicorn, sqlalchemy) loggers.

Every line carries `service`, `level`, `timestamp` and, inside a request, `request_id`
(bound by `RequestContextMiddleware` through structlog's contextvars).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

import orjson
import structlog
from structlog.typing import EventDict

_SHARED_PROCESSORS: list[structlog.types.Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
    structlog.processors.format_exc_info,
]


def _orjson_dumps(obj: object, default: Callable[[Any], Any] | None = None) -> str:
    return orjson.dumps(obj, default=default or str).decode()


_service_name = {"value": "unknown"}


def _add_service(_logger: object, _name: str, event_dict: EventDict) -> EventDict:
    event_dict.setdefault("service", _service_name["value"])
    event_dict.setdefault("request_id", None)  # present on every line; set inside requests
    return event_dict


def configure_logging(service: str, level: str = "INFO") -> None:
    """Route every logger through one JSON renderer that stamps the service name."""
    # A module-level name (not a closure) so cached loggers follow a reconfiguration (tests build
    # several apps in one process; production runs one service per process).
    _service_name["value"] = service
    add_service = _add_service

    processors = [*_SHARED_PROCESSORS, add_service]
    structlog.configure(
        processors=[*processors, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=processors,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.JSONRenderer(serializer=_orjson_dumps),
        ],
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn installs its own plain-text handlers; send its records through ours instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = True
    # Access lines come from RequestContextMiddleware (with request ids), not uvicorn.
    logging.getLogger("uvicorn.access").disabled = True


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)
