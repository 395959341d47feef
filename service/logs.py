"""Structured logs: one JSON object per line on stderr, never a message text or a key.

Only the fields passed in ``extra={"fields": {...}}`` are added to a line, so
what a log line carries is decided where it is written, not by whatever an
exception or a request happened to hold. An exception is logged by its type,
the types it was raised from and its stack (file, line, function): never its
text, which can quote a statement's values (a message's text, an address). The
engine hides statement values too (``risk.store.db.make_engine``), so even an error
printed by a library holds none. Every logger of the process (ours, uvicorn's,
warnings, the libraries') writes through the same formatter.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from types import TracebackType

# Loggers that come with their own handlers unless told otherwise.
_SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


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
        if record.exc_info and record.exc_info[1] is not None:
            line.update(describe(record.exc_info[1], record.exc_info[2]))
        return json.dumps(line, default=str, ensure_ascii=False)


def describe(error: BaseException, trace: TracebackType | None) -> dict[str, object]:
    """What a log may say of an exception: its type, the chain of types it came from,
    and where it was raised. Never its text: that may quote data."""
    chain: list[str] = []
    cause = error.__cause__ or error.__context__
    while cause is not None and len(chain) < 5:
        chain.append(_type_name(cause))
        cause = cause.__cause__ or cause.__context__
    frames = [f"{f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(trace)]
    out: dict[str, object] = {"error": _type_name(error), "traceback": frames[-20:]}
    if chain:
        out["caused_by"] = chain
    statement = getattr(error, "statement", None)
    if isinstance(statement, str):
        # SQLAlchemy's failing statement: SQL with placeholders, never the values.
        out["statement"] = " ".join(statement.split())[:300]
    return out


def _type_name(error: BaseException) -> str:
    kind = type(error)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"


def configure(level: int = logging.INFO, *, whole_process: bool = False) -> None:
    """Send the service's logs (``billing_risk.*``) to stderr as JSON lines; with
    ``whole_process`` (``risk serve``) the server's and the libraries' too, from WARNING,
    so nothing reaches stderr in another shape."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    ours = logging.getLogger("billing_risk")
    ours.handlers[:] = [handler]
    ours.setLevel(level)
    ours.propagate = False
    if not whole_process:
        return
    for name in _SERVER_LOGGERS:
        server = logging.getLogger(name)
        server.handlers[:] = [handler]
        server.setLevel(logging.WARNING)
        server.propagate = False
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.captureWarnings(True)
