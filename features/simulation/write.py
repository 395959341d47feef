"""Writing a bundle as the export files the contract describes."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from features.bundle.contract import FILES
from features.bundle.load import Bundle


def write_bundle(
    bundle: Bundle, out: str | Path, file_format: Literal["csv", "parquet"] = "csv"
) -> Path:
    """Write ``bundle`` as an export bundle in folder ``out`` (created if needed).

    CSV follows the contract exactly: UTF-8, comma, RFC 4180 quoting, ISO dates,
    timestamps in UTC with a ``Z``.
    """
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in bundle.frames():
        spec = FILES[name]
        columns = {}
        for column in spec.columns:
            values = frame[column.name]
            if column.kind == "date":
                columns[column.name] = pa.array(values, from_pandas=True).cast(pa.date32())
            elif column.kind == "timestamp" and file_format == "csv":
                columns[column.name] = pa.array(
                    values.dt.strftime("%Y-%m-%dT%H:%M:%SZ").astype(object), type=pa.string()
                )
            elif column.kind == "integer":
                columns[column.name] = pa.array(
                    values.astype("float64").to_numpy(), from_pandas=True
                ).cast(pa.int64())
            else:
                columns[column.name] = pa.array(values, from_pandas=True)
        table = pa.table(columns)
        for stale in (folder / f"{name}.csv", folder / f"{name}.parquet"):
            stale.unlink(missing_ok=True)
        if file_format == "parquet":
            pq.write_table(table, folder / f"{name}.parquet")
        else:
            pacsv.write_csv(
                table,
                folder / f"{name}.csv",
                pacsv.WriteOptions(quoting_style="needed", quoting_header="none"),
            )
    return folder
