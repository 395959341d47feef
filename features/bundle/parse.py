"""Typing a contract file's cells: text to ids, dates, timestamps, numbers, booleans,
enums and email domains, column by column, each bad cell a located problem with a
hint where an export's habits explain it (a German decimal comma, DD.MM.YYYY)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa

from features.bundle.contract import (
    DOMAIN_SEPARATOR,
    EMAIL_MAX_LENGTH,
    ID_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Column,
    FileSpec,
)
from features.bundle.validation import ProblemLog, shown

STRING = pd.StringDtype("pyarrow", na_value=np.nan)
GERMAN_EXPORT = "it looks like a German spreadsheet export"
_GERMAN_DATE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}")
_DECIMAL_COMMA = re.compile(r"^[-+]?[\d.]*\d,\d+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})
_GERMAN_BOOL = frozenset({"wahr", "falsch", "ja", "nein"})


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
    german = f"; {GERMAN_EXPORT}"
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
