"""New rows for one contract file, from the API: validated like a bundle, all or nothing.

A batch is typed by the same parser as a file and checked by the same rules
(``features.bundle.check_bundle``) against what the database already holds:
the files it references (clients, projects, invoices) are read back and the
batch's rows take the place of stored rows with the same id. Every problem
names its row in the batch (0-based, as in the request) and its field. Then
the batch is upserted in one transaction: a row sent twice is the same row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from features.bundle.checks import check_bundle
from features.bundle.contract import FILES
from features.bundle.parse import parse_frame
from features.bundle.validation import SHOWN_LENGTH, ProblemLog, shown
from risk.store.arrivals import note_arrival
from risk.store.load import read_table, upsert
from risk.store.tables import KEYS
from risk.store.versions import bump

#: At most this many rows per request: bigger imports go through ``risk load``.
MAX_ROWS = 10_000


@dataclass(frozen=True)
class RowProblem:
    """One problem of a batch: ``row`` is the index in the request's ``rows``."""

    row: int | None
    field: str | None
    message: str


class IngestError(ValueError):
    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


@dataclass(frozen=True)
class IngestReport:
    file: str
    added: int
    changed: int
    unchanged: int


def ingest(engine: Engine, file: str, rows: list[dict[str, Any]]) -> IngestReport:
    """Validate ``rows`` of contract ``file`` and upsert them; ``IngestError`` lists problems."""
    if file not in FILES:
        raise IngestError([RowProblem(None, "file", f"{shown(file)} is not a contract file")])
    if not rows:
        raise IngestError([RowProblem(None, "rows", "no rows to ingest")])
    if len(rows) > MAX_ROWS:
        raise IngestError(
            [RowProblem(None, "rows", f"{len(rows):,} rows; at most {MAX_ROWS:,} per request")]
        )
    spec = FILES[file]
    known = {c.name for c in spec.columns}
    problems: list[RowProblem] = []
    for index, row in enumerate(rows):
        for name in sorted(set(row) - known):
            # The field is named in the problem's location too: cut it there as well.
            field = name[:SHOWN_LENGTH]
            problems.append(RowProblem(index, field, f"{shown(name)} is not a column of {file}"))
        for column in spec.columns:
            if not column.optional and column.name not in row:
                problems.append(RowProblem(index, column.name, "is required"))
            elif (reason := _not_a_cell(row.get(column.name), column.kind)) is not None:
                problems.append(RowProblem(index, column.name, reason))
    if problems:
        raise IngestError(problems[:200])
    raw = pd.DataFrame(
        {c.name: pd.Series([row.get(c.name) for row in rows], dtype=object) for c in spec.columns}
    )
    log = ProblemLog()
    # A Parquet-like label: problems are numbered by record (1-based), mapped back below.
    label = f"{file}.parquet"
    batch = parse_frame(spec, raw, label, log)
    with engine.begin() as connection:
        frames = {file: batch}
        labels = {file: label}
        for target in {t for _, t in spec.references} | (
            {"projects"} if file != "projects" else set()
        ):
            if target == file or target not in FILES:
                continue
            frames[target] = read_table(connection, target)
            labels[target] = f"{target} (stored)"
        if file in ("clients", "projects", "invoices"):
            # Stored rows with other ids still count for uniqueness and references.
            stored = read_table(connection, file)
            others = stored[~stored[KEYS[file][0]].isin(batch[KEYS[file][0]])]
            frames[file] = pd.concat([batch, others], ignore_index=True)
        check_bundle(frames, labels, log, batch_rows={file: len(batch)})
        found = [
            RowProblem(None if p.row is None else p.row - 1, p.column, p.message)
            for p in log.problems
            if p.file == label and (p.row is None or p.row - 1 < len(batch))
        ]
        if found:
            raise IngestError(found)
        sent = {name for row in rows for name in row}
        left_out = frozenset(c.name for c in spec.columns if c.name not in sent)
        added, changed, unchanged = upsert(connection, file, batch, left_out)
        note_arrival(connection, "ingest", added + changed)
        bump(connection)
    return IngestReport(file=file, added=added, changed=changed, unchanged=unchanged)


def _not_a_cell(value: Any, kind: str) -> str | None:
    """Why a JSON value cannot be a cell of a ``kind`` column (None when it can be one):
    a file's cell is never a list or an object, a NUL cannot be stored (and SQL text
    cannot carry one), and a date is text (pandas reads a number as nanoseconds)."""
    if isinstance(value, list | dict):
        return "is a list or an object; a single value is expected"
    if isinstance(value, str) and "\x00" in value:
        return "contains a NUL character"
    if kind in ("date", "timestamp") and value is not None and not isinstance(value, str):
        return f"is not a {kind} (expected ISO 8601 text, e.g. 2026-03-01)"
    return None
