"""Structured logs: one JSON object per line, never a message text or a key.

Only the fields passed in ``extra={"fields": {...}}`` are added to a line, so
what a log line carries is decided where it is written, not by whatever an
exception or a request happened to hold.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_info and record.exc_info[0] is not None:
            # The type only: an exception's text can quote request data.
            line["error"] = record.exc_info[0].__name__
        return json.dumps(line, default=str, ensure_ascii=False)


def configure(level: int = logging.INFO) -> None:
    """Send the service's logs (``billing_risk.*``) to stderr as JSON lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("billing_risk")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
