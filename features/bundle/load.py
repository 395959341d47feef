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
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from features.bundle.contract import (
    DOMAIN_SEPARATOR,
    EMAIL_MAX_LENGTH,
    FILES,
    ID_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Column,
    FileSpec,
)
from features.bundle.validation import BundleError, Problem, ProblemLog, shown

STRING = pd.StringDtype("pyarrow", na_value=np.nan)

_GERMAN_DATE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}")
_DECIMAL_COMMA = re.compile(r"^[-+]?[\d.]*\d,\d+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})
_GERMAN_BOOL = frozenset({"wahr", "falsch", "ja", "nein"})
_GERMAN_EXPORT = "it looks like a German spreadsheet export"


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
        return {name: len(frame) > 0 for name, frame in self.frames() if FILES[name].source}

    def has(self, requirement: str) -> bool:
        """Whether the data behind ``"invoices"`` or ``"invoices.paid_at"`` is there:
        the file holds rows and, for a column, its header had it."""
        name, _, column = requirement.partition(".")
        if not len(self.frame(name)):
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
    return Bundle(
        **{name: frames[name] for name in FILES},
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
                f"uses ';' as the separator; {_GERMAN_EXPORT}. "
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


def parse_frame(
    spec: FileSpec, frame: pd.DataFrame, label: str, log: ProblemLog | None = None
) -> pd.DataFrame:
    """Type every contract column of ``frame``; bad cells go to ``log`` and become missing.

    Unknown columns are kept untouched. Rows keep their order, so a problem's
    row number is its position (+2 for a CSV header, +1 for a Parquet record).
    """
    log = log if log is not None else ProblemLog()
    parquet = label.endswith(".parquet")
    out = frame.reset_index(drop=True).copy()
    for column in spec.columns:
        if column.name in out.columns:
            out[column.name] = _parse_column(out[column.name], column, label, log, parquet)
        elif column.optional:
            out[column.name] = _parse_column(
                pd.Series([np.nan] * len(out), dtype=STRING), column, label, log, parquet
            )
    return out


def _parse_column(
    raw: pd.Series, column: Column, label: str, log: ProblemLog, parquet: bool
) -> pd.Series:
    text = _as_text(raw)
    empty = text.isna() | (text.str.strip() == "")
    if not column.nullable:
        log.add_rows(label, empty, column.name, "is empty; a value is required", parquet)
    parsed, bad = _PARSERS[column.kind](raw, text, column)
    bad = bad & ~empty
    if bad.any():
        values = text[bad]
        log.add_rows(label, bad, column.name, (_explain(v, column) for v in values), parquet)
    if column.kind in ("number", "integer"):
        _check_range(parsed, column, label, log, parquet)
    return parsed


def _as_text(raw: pd.Series) -> pd.Series:
    if isinstance(raw.dtype, pd.StringDtype):
        return raw
    if pd.api.types.is_float_dtype(raw.dtype):
        # Parquet ids written as floats: show 12 rather than 12.0.
        as_int = raw.dropna()
        if (as_int == as_int.round()).all():
            return raw.astype("Int64").astype(STRING)
    return raw.astype(STRING).where(raw.notna())


def _parse_id(raw: pd.Series, text: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    return text, (text.str.len() > ID_MAX_LENGTH).fillna(False).astype(bool)


def _parse_email(raw: pd.Series, text: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    # Lower case: an address names one person however the export spells it, and
    # keys, scoping and the PM cap compare addresses exactly.
    stripped = text.str.strip().str.lower()
    too_long = (stripped.str.len() > EMAIL_MAX_LENGTH).fillna(False).astype(bool)
    return stripped, ~stripped.str.match(_EMAIL).fillna(True).astype(bool) | too_long


def _parse_enum(raw: pd.Series, text: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    normal = text.str.strip().str.lower()
    bad = ~normal.isin(column.allowed)
    return normal.where(~bad), bad


def _parse_date(raw: pd.Series, text: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    stamps, bad = _to_utc(raw, text)
    return stamps.dt.tz_convert(None).dt.normalize().astype("datetime64[ns]"), bad


def _parse_timestamp(
    raw: pd.Series, text: pd.Series, column: Column
) -> tuple[pd.Series, pd.Series]:
    stamps, bad = _to_utc(raw, text)
    return stamps.astype("datetime64[ns, UTC]"), bad


def _to_utc(raw: pd.Series, text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Timestamps in UTC; a value without a zone is UTC already (the contract)."""
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        stamps = pd.to_datetime(raw, utc=True)
        return stamps, pd.Series(False, index=raw.index)
    if pd.api.types.is_object_dtype(raw.dtype):
        # Parquet date32 columns arrive as datetime.date objects.
        stamps = pd.to_datetime(raw, utc=True, errors="coerce")
    else:
        stamps = pd.to_datetime(text.str.strip(), format="ISO8601", utc=True, errors="coerce")
    return stamps, stamps.isna()


def _parse_number(raw: pd.Series, text: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        numbers = raw.astype("float64")
    else:
        try:  # Arrow's cast is several times faster, and most exports are clean...
            cast = pa.array(text, from_pandas=True).cast(pa.float64())
            numbers = pd.Series(cast.to_numpy(zero_copy_only=False), index=text.index)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            # ...where it fails, pandas finds the cells to blame.
            numbers = pd.to_numeric(text.str.strip(), errors="coerce").astype("float64")
    finite = pd.Series(np.isfinite(numbers.fillna(0.0).to_numpy()), index=numbers.index)
    bad = ~finite | numbers.isna()
    return numbers.where(~bad), bad


def _parse_integer(raw: pd.Series, text: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    numbers, bad = _parse_number(raw, text, column)
    fractional = numbers.notna() & (numbers != numbers.round())
    return numbers.where(~fractional).round().astype("Int64"), bad | fractional


def _parse_bool(raw: pd.Series, text: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_bool_dtype(raw.dtype):
        return raw.astype(bool), pd.Series(False, index=raw.index)
    normal = text.str.strip().str.lower()
    truth = normal.isin(_TRUE)
    bad = ~(truth | normal.isin(_FALSE))
    return truth.astype(bool), bad


def _parse_text(raw: pd.Series, text: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    return text, (text.str.len() > TEXT_MAX_LENGTH).fillna(False).astype(bool)


def _parse_domains(raw: pd.Series, text: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    # Lower case and one spelling ("acme.com;acme.de"), as addresses are compared.
    def normal(cell: object) -> object:
        if not isinstance(cell, str):
            return np.nan
        names = [d.strip().lower() for d in cell.split(DOMAIN_SEPARATOR)]
        return DOMAIN_SEPARATOR.join(dict.fromkeys(d for d in names if d)) or np.nan

    parsed = pd.Series([normal(v) for v in text], index=text.index, dtype=STRING)
    bad = [
        isinstance(v, str) and not all(_domain_name(d) for d in v.split(DOMAIN_SEPARATOR))
        for v in parsed
    ]
    return parsed, pd.Series(bad, index=text.index, dtype=bool)


def _domain_name(name: str) -> bool:
    """A host name such as ``acme.co.uk``: two or more labels of letters, digits and
    inner hyphens, at most 63 characters each and 253 in all."""
    labels = name.split(".")
    return (
        len(name) <= 253
        and len(labels) >= 2
        and all(
            0 < len(label) <= 63
            and not label.startswith("-")
            and not label.endswith("-")
            and all(ch.isalnum() or ch == "-" for ch in label)
            for label in labels
        )
    )


_PARSERS = {
    "id": _parse_id,
    "text": _parse_text,
    "email": _parse_email,
    "enum": _parse_enum,
    "date": _parse_date,
    "timestamp": _parse_timestamp,
    "number": _parse_number,
    "integer": _parse_integer,
    "bool": _parse_bool,
    "domains": _parse_domains,
}


def _explain(value: str, column: Column) -> str:
    quoted = shown(value)
    german = f"; {_GERMAN_EXPORT}"
    if column.kind == "date":
        hint = (
            f"{german} (DD.MM.YYYY): export dates as YYYY-MM-DD"
            if _GERMAN_DATE.match(value.strip())
            else ""
        )
        return f"{quoted} is not a date (expected YYYY-MM-DD){hint}"
    if column.kind == "timestamp":
        hint = f"{german} (DD.MM.YYYY)" if _GERMAN_DATE.match(value.strip()) else ""
        return f"{quoted} is not a timestamp (expected ISO 8601, e.g. 2026-03-01T14:05:00Z){hint}"
    if column.kind in ("number", "integer"):
        expected = "a whole number" if column.kind == "integer" else "a number such as 1234.50"
        hint = (
            f"{german} with a decimal comma: export numbers with a decimal point"
            if _DECIMAL_COMMA.match(value.strip())
            else ""
        )
        return f"{quoted} is not {expected}{hint}"
    if column.kind == "bool":
        hint = f"{german}: write true or false" if value.strip().lower() in _GERMAN_BOOL else ""
        return f"{quoted} is not a boolean (expected true or false){hint}"
    if column.kind == "enum":
        return f"{quoted} is not one of {', '.join(column.allowed)}"
    if column.kind == "id":
        return f"{quoted} is {len(value)} characters long; ids are at most {ID_MAX_LENGTH}"
    if column.kind == "email" and len(value.strip()) > EMAIL_MAX_LENGTH:
        return f"{quoted} is {len(value.strip())} characters long; addresses are at most " + str(
            EMAIL_MAX_LENGTH
        )
    if column.kind == "email":
        return f"{quoted} is not an email address"
    if column.kind == "text":
        return (
            f"{quoted} is {len(value):,} characters long; a text is at most "
            f"{TEXT_MAX_LENGTH:,} (cut quoted history or attachments)"
        )
    if column.kind == "domains":
        return (
            f"{quoted} is not a list of email domains such as acme.com;acme.de "
            f"(separated by '{DOMAIN_SEPARATOR}', without '@')"
        )
    return f"{quoted} is not valid"


def _check_range(
    numbers: pd.Series, column: Column, label: str, log: ProblemLog, parquet: bool
) -> None:
    values = numbers.astype("float64")
    if column.minimum is not None:
        low = values <= column.minimum if column.exclusive_minimum else values < column.minimum
        relation = "greater than" if column.exclusive_minimum else "at least"
        log.add_rows(
            label,
            low.fillna(False),
            column.name,
            (
                f"{v:.15g} is out of range: expected {relation} {column.minimum:.15g}"
                for v in values[low.fillna(False)]
            ),
            parquet,
        )
    if column.maximum is not None:
        high = (values > column.maximum).fillna(False)
        log.add_rows(
            label,
            high,
            column.name,
            (
                f"{v:.15g} is out of range: expected at most {column.maximum:.15g}"
                for v in values[high]
            ),
            parquet,
        )


def check_bundle(
    frames: Mapping[str, pd.DataFrame],
    labels: Mapping[str, str],
    log: ProblemLog,
    batch_rows: Mapping[str, int] | None = None,
) -> None:
    """Checks across rows and files: unique ids, known references, dates in order,
    each email domain of one client.

    Files missing from ``frames`` (unreadable ones) are skipped, so one broken
    file does not bury the others' problems under false reference errors.
    ``batch_rows`` (ingest) says how many leading rows of a file are the request's;
    the rows after them are stored ones and are named as such.
    """
    for name, frame in frames.items():
        spec = FILES[name]
        label = labels[name]
        parquet = label.endswith(".parquet")
        if spec.id_column is not None:
            _check_unique(frame, spec.id_column, label, log, parquet)
        if name == "clients" and "domains" in frame.columns:
            _check_domain_owners(frame, label, log, parquet, (batch_rows or {}).get(name))
        for column, target in spec.references:
            if target in frames and column in frame.columns:
                known = frames[target][FILES[target].id_column or column]
                unknown = frame[column].notna() & ~frame[column].isin(known)
                log.add_rows(
                    label,
                    unknown,
                    column,
                    (
                        f"{shown(v)} matches no {FILES[target].id_column} in {labels[target]}"
                        for v in frame.loc[unknown, column]
                    ),
                    parquet,
                )
        if (
            "project_id" in frame.columns
            and "client_id" in frame.columns
            and "projects" in frames
            and name != "projects"
        ):
            _check_project_client(frame, frames["projects"], label, log, parquet)
    order = {
        "projects": [("end_date", "start_date"), ("closed_at", "start_date")],
        "invoices": [
            ("due_at", "issued_at"),
            ("disputed_at", "issued_at"),
            ("period_end", "period_start"),
        ],
    }
    for name, pairs in order.items():
        if name not in frames:
            continue
        frame = frames[name]
        for later, earlier in pairs:
            early = (frame[later] < frame[earlier]).fillna(False)
            log.add_rows(
                labels[name],
                early,
                later,
                (
                    f"{a:%Y-%m-%d} is before {earlier} {b:%Y-%m-%d}"
                    for a, b in zip(frame.loc[early, later], frame.loc[early, earlier], strict=True)
                ),
                labels[name].endswith(".parquet"),
            )


def _check_unique(
    frame: pd.DataFrame, column: str, label: str, log: ProblemLog, parquet: bool
) -> None:
    ids = frame[column].reset_index(drop=True)
    repeated = ids.duplicated(keep="first") & ids.notna()
    if not repeated.any():
        return
    first = pd.Series(ids.index, index=ids.values)
    first = first[~first.index.duplicated(keep="first")]
    offset = 1 if parquet else 2
    where = "record" if parquet else "row"
    what = "address" if column == "email" else "id"
    log.add_rows(
        label,
        repeated,
        column,
        (
            f"duplicate {what} {shown(v)} (first at {where} {int(first[v]) + offset})"
            for v in ids[repeated]
        ),
        parquet,
    )


def _check_domain_owners(
    clients: pd.DataFrame, label: str, log: ProblemLog, parquet: bool, batch: int | None
) -> None:
    """Mail is attributed to a client by its domain, so a domain listed for two clients
    is refused on each of their rows, naming the other."""
    cells = clients["domains"].reset_index(drop=True)
    owners = clients["client_id"].reset_index(drop=True)
    listed = cells.dropna().str.split(DOMAIN_SEPARATOR).explode()
    if listed.empty:
        return
    by_domain = pd.DataFrame({"domain": listed.to_numpy(), "position": listed.index})
    by_domain["client"] = owners.to_numpy()[by_domain["position"].to_numpy()]
    claims = by_domain.drop_duplicates(["domain", "client"])
    shared = claims[claims.duplicated("domain", keep=False)]
    if shared.empty:
        return
    where = "record" if parquet else "row"
    offset = 1 if parquet else 2
    found: dict[int, str] = {}
    for domain, group in shared.groupby("domain", sort=False):
        for position, client in zip(group["position"], group["client"], strict=True):
            other = group[group["client"] != client].iloc[0]
            other_row = int(other["position"])
            place = (
                "stored"
                if batch is not None and other_row >= batch
                else f"{where} {other_row + offset}"
            )
            owner = shown(other["client"])
            found.setdefault(
                int(position),
                f"domain {shown(domain)} is also listed for client {owner} ({place}); "
                "a domain belongs to one client (list a shared provider's addresses in "
                "contacts.csv instead)",
            )
    mask = np.zeros(len(cells), dtype=bool)
    mask[list(found)] = True
    log.add_rows(label, mask, "domains", [found[p] for p in sorted(found)], parquet)


def _check_project_client(
    frame: pd.DataFrame, projects: pd.DataFrame, label: str, log: ProblemLog, parquet: bool
) -> None:
    owner = frame["project_id"].map(
        projects.drop_duplicates("project_id").set_index("project_id")["client_id"]
    )
    wrong = (owner.notna() & frame["client_id"].notna() & (owner != frame["client_id"])).fillna(
        False
    )
    log.add_rows(
        label,
        wrong,
        "project_id",
        (
            f"project {shown(p)} belongs to client {shown(o)}, not {shown(c)}"
            for p, o, c in zip(
                frame.loc[wrong, "project_id"],
                owner[wrong],
                frame.loc[wrong, "client_id"],
                strict=True,
            )
        ),
        parquet,
    )


__all__ = ["Bundle", "BundleError", "check_bundle", "load_bundle", "parse_frame"]
