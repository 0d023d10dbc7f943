"""Structured JSON logs. Records carry ids, routes and timings, never answers or learners."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

# The only extra fields a record may carry into the log: an allow-list, so that nothing a
# learner wrote, and no learner id, can reach a log line by accident.
ALLOWED_FIELDS = (
    "method", "route", "status", "duration_ms", "tenant", "batch_id", "count", "error", "event",
)  # fmt: skip


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as JSON, with the allowed extra fields only."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ALLOWED_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
        return json.dumps(entry, default=str)


def configure_logging(level: int = logging.INFO) -> None:
    """Send assess's and uvicorn's logs to stderr as JSON (called by `assess serve` only)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("assess", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(level)
        logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True  # our own access log replaces it
