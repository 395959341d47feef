"""Load an export bundle (``DATA_CONTRACT.md``) into typed pandas frames.

Every file is read as text first and parsed column by column against
:mod:`features.bundle.contract`, so a bad cell becomes a located :class:`Problem`
rather than a silent NaN. All problems of a bundle are collected before
:class:`BundleError` is raised, so a firm fixes its export in one pass.

Types after loading: ids and texts ``str``; dates ``datetime64[ns]`` at
midnight; timestamps ``datetime64[ns, UTC]``; numbers ``float64``; integers
``Int64``; booleans ``bool``. Unknown extra columns are kept as they were read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from features.bundle.checks import check_bundle
from features.bundle.contract import (
    FILES,
    FileSpec,
)
from features.bundle.parse import GERMAN_EXPORT, STRING, parse_frame
from features.bundle.validation import BundleError, Problem, ProblemLog


@dataclass(frozen=True)
class Bundle:
    """One export bundle: a typed frame per contract file.

    ``files`` maps each contract file to the file name it was read from
    (``"progress.parquet"``), or to ``""`` where an optional file was absent;
    ``absent_columns`` names the optional columns a file's header lacked (they
    are in the frame, empty, so code can rely on every contract column).
    """

    clients: pd.DataFrame
    projects: pd.DataFrame
    progress: pd.DataFrame
    time_entries: pd.DataFrame
    invoices: pd.DataFrame
    messages: pd.DataFrame
    churn: pd.DataFrame
    # Optional reference data for mail import; a bundle built in code may leave it out.
    contacts: pd.DataFrame = field(default_factory=lambda: _header_only(FILES["contacts"]))
    files: Mapping[str, str] = field(default_factory=dict)
    path: Path | None = None
    absent_columns: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The files holding rows in the whole firm, when this bundle holds only part of it
    # (one client's rows for an invoice check): whether a source is there is the
    # firm's fact, not the part's. A client with no messages yet has had no messages
    # (zero), which a missing source (unknown) is not.
    present: frozenset[str] | None = None

    def holds(self, name: str) -> bool:
        """Whether the firm's file ``name`` holds rows (see ``present``)."""
        return name in self.present if self.present is not None else len(self.frame(name)) > 0

    def frame(self, name: str) -> pd.DataFrame:
        """The frame of contract file ``name`` (``"invoices"``)."""
        if name not in FILES:
            raise KeyError(f"no contract file named {name!r}")
        frame: pd.DataFrame = getattr(self, name)
        return frame

    def frames(self) -> Iterator[tuple[str, pd.DataFrame]]:
        for name in FILES:
            yield name, self.frame(name)

    @property
    def sources(self) -> dict[str, bool]:
        """Whether each source of signals holds rows: a header-only file is a missing
        source. Reference data (contacts) is not a source."""
        return {name: self.holds(name) for name in FILES if FILES[name].source}

    def has(self, requirement: str) -> bool:
        """Whether the data behind ``"invoices"`` or ``"invoices.paid_at"`` is there:
        the file holds rows and, for a column, its header had it."""
        name, _, column = requirement.partition(".")
        if not self.holds(name):
            return False
        return not column or column not in self.absent_columns.get(name, frozenset())


def load_bundle(path: str | Path) -> Bundle:
    """Read and validate the bundle in folder ``path``.

    Raises
    ------
    BundleError
        Listing every problem found (up to a cap), each with file, row and column.
    """
    folder = Path(path)
    log = ProblemLog()
    if not folder.is_dir():
        raise BundleError([Problem(str(folder), "is not a folder holding an export bundle")])
    raw: dict[str, tuple[pd.DataFrame, str]] = {}
    for spec in FILES.values():
        found = _read_file(folder, spec, log)
        if found is not None:
            raw[spec.name] = found
    frames: dict[str, pd.DataFrame] = {}
    labels: dict[str, str] = {}
    absent: dict[str, frozenset[str]] = {}
    for name, (frame, label) in raw.items():
        labels[name] = label
        absent[name] = frozenset(
            c.name for c in FILES[name].columns if c.optional and c.name not in frame.columns
        )
        frames[name] = parse_frame(FILES[name], frame, label, log)
    check_bundle(frames, labels, log)
    log.raise_if_any()
    tables: dict[str, Any] = {name: frames[name] for name in FILES}
    return Bundle(
        **tables,
        files={name: label if (folder / label).exists() else "" for name, label in labels.items()},
        path=folder,
        absent_columns=absent,
    )


def _header_only(spec: FileSpec) -> pd.DataFrame:
    return pd.DataFrame({c.name: pd.Series([], dtype=STRING) for c in spec.columns})


def _read_file(folder: Path, spec: FileSpec, log: ProblemLog) -> tuple[pd.DataFrame, str] | None:
    csv_path, parquet_path = folder / f"{spec.name}.csv", folder / f"{spec.name}.parquet"
    if csv_path.exists() and parquet_path.exists():
        log.add(
            Problem(
                csv_path.name,
                f"both {csv_path.name} and {parquet_path.name} exist; keep one of them",
            )
        )
        return None
    if parquet_path.exists():
        frame = _read_parquet(parquet_path, log)
        label = parquet_path.name
    elif csv_path.exists():
        frame = _read_csv(csv_path, log)
        label = csv_path.name
    elif spec.required:
        log.add(
            Problem(
                csv_path.name,
                "file missing: the contract requires it "
                "(a header row alone is enough where the firm lacks this source)",
            )
        )
        return None
    else:
        return _header_only(spec), csv_path.name
    if frame is None:
        return None
    missing = [c for c in spec.required_columns if c not in frame.columns]
    for name in missing:
        log.add(
            Problem(
                label,
                f"required column missing (the header has: {', '.join(map(str, frame.columns))})",
                row=1,
                column=name,
            )
        )
    if spec.must_have_rows and len(frame) == 0:
        log.add(Problem(label, "has no rows: the bundle needs at least one client"))
    if missing:
        return None
    return frame, label


def _read_parquet(path: Path, log: ProblemLog) -> pd.DataFrame | None:
    try:
        frame: pd.DataFrame = pd.read_parquet(path)
    except (OSError, pa.ArrowException) as exc:
        log.add(Problem(path.name, f"could not be read as Parquet: {exc}"))
        return None
    return frame


def _read_csv(path: Path, log: ProblemLog) -> pd.DataFrame | None:
    """Fast path through Arrow's CSV reader (every column as text); where it
    fails, a slower pass with Python's csv module finds the row to blame."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError:
        _locate_csv_problems(path, log, "could not be decoded as UTF-8")
        return None
    if not header:
        log.add(Problem(path.name, "is empty: expected at least the header row"))
        return None
    if len(header) == 1 and ";" in header[0]:
        log.add(
            Problem(
                path.name,
                f"uses ';' as the separator; {GERMAN_EXPORT}. "
                "The contract wants commas: save it as 'CSV UTF-8 (comma delimited)'",
                row=1,
            )
        )
        return None
    seen: set[str] = set()
    for name in header:
        if name in seen:
            log.add(Problem(path.name, "appears twice in the header", row=1, column=name))
        seen.add(name)
    if len(seen) < len(header):
        return None
    try:
        table = pacsv.read_csv(
            path,
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as exc:
        _locate_csv_problems(path, log, str(exc))
        return None
    # One chunk per column: later filters and takes over a 10-million-row file are
    # several times faster than over the reader's many small chunks.
    frame: pd.DataFrame = table.combine_chunks().to_pandas(types_mapper={pa.string(): STRING}.get)
    return frame


def _locate_csv_problems(path: Path, log: ProblemLog, fallback: str) -> None:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    before = log.total
    undecodable = 0
    try:
        rows = csv.reader(io.StringIO(text, newline=""))
        header = next(rows, [])
        if any("\ufffd" in name for name in header):
            undecodable += 1
            log.add(_encoding_problem(path.name, 1, None))
        for number, record in enumerate(rows, start=2):
            if len(record) != len(header):
                log.add(
                    Problem(
                        path.name,
                        f"has {len(record)} fields where the header has "
                        f"{len(header)} (a comma or quote out of place?)",
                        row=number,
                    )
                )
            for name, value in zip(header, record, strict=False):
                if "\ufffd" in value:
                    undecodable += 1
                    if undecodable == 1:
                        log.add(_encoding_problem(path.name, number, name))
    except csv.Error as exc:
        log.add(Problem(path.name, f"is not valid CSV: {exc}"))
    if undecodable > 1:
        log.add(Problem(path.name, f"{undecodable} cells in all are not UTF-8"))
    if log.total == before:
        log.add(Problem(path.name, f"could not be read as CSV: {fallback}"))


def _encoding_problem(file: str, row: int, column: str | None) -> Problem:
    return Problem(
        file,
        "is not UTF-8 text; it looks like Windows-1252 (cp1252), as German spreadsheet "
        "programs save CSV. Save the file as 'CSV UTF-8'",
        row=row,
        column=column,
    )


__all__ = ["Bundle", "load_bundle"]
