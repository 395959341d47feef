"""What the bench firms share: writing a bundle by the contract and their command line.

Each firm was written blind, so each wrote these again. Only what two firms or
more did alike lives here, and only in a form that leaves every firm's output as
it was, byte for byte and draw for draw (``test_firms_unchanged``): a helper that
would move one firm's random draws or its rounding stays in that firm. What makes
a firm's story (its names, rates, texts, calendars, id styles, the causes of its
disputes and churn) stays in the firm.

The toolkit checks what a firm writes against the product's contract
(``features.contract``) but takes no enumeration from it: a firm's channel or
billing codes are its own, so a change in the product cannot move a firm's draws.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from features.contract import FILES

BundleWriter = Callable[..., None]


def write_table(
    frame: pd.DataFrame, folder: Path, name: str, float_format: str | None = None
) -> None:
    """Write one file of a bundle as the contract asks: UTF-8, a header, commas, RFC 4180
    quoting, an empty cell for a missing value, no index.

    Lines end in ``\\n`` on every system, so a bundle's bytes do not depend on where
    it was written. ``float_format`` is for a firm whose tool writes fixed decimals.
    """
    spec = FILES.get(name)
    if spec is None:
        raise ValueError(f"{name}.csv is not a file of the contract")
    missing = [column for column in spec.required_columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name}.csv lacks the contract's columns {missing}")
    frame.to_csv(
        Path(folder) / f"{name}.csv",
        index=False,
        lineterminator="\n",
        encoding="utf-8",
        float_format=float_format,
    )


def write_bundle(
    tables: Mapping[str, pd.DataFrame], folder: Path, float_format: str | None = None
) -> None:
    """Write every table into ``folder`` (created if needed), one contract file each."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        write_table(frame, folder, name, float_format)


def summary(folder: Path) -> str:
    """Row counts, dispute, payment and churn rates of a written bundle."""
    frames = {
        path.stem: pd.read_csv(path, dtype=str, keep_default_na=False)
        for path in sorted(Path(folder).glob("*.csv"))
    }
    counts = {
        path.stem: len(pd.read_parquet(path)) for path in sorted(Path(folder).glob("*.parquet"))
    }
    counts.update({name: len(frame) for name, frame in frames.items()})
    lines = [", ".join(f"{name} {count:,}" for name, count in sorted(counts.items()))]
    invoices = frames["invoices"]
    disputed = invoices["disputed_at"] != ""
    unpaid = (invoices["paid_at"] == "").mean()
    late = ((invoices["paid_at"] != "") & (invoices["paid_at"] > invoices["due_at"])).mean()
    disputing = invoices.loc[disputed, "client_id"].nunique()
    lines.append(
        f"invoices disputed {disputed.mean():.1%} (by {disputing} clients), "
        f"paid late {late:.1%}, unpaid at export {unpaid:.1%}"
    )
    clients, churn = frames["clients"], frames["churn"]
    end = max(frames["time_entries"]["worked_on"].max(), invoices["issued_at"].max())
    first = frames["time_entries"]["worked_on"].min()
    since = pd.to_datetime(clients["client_since"]).clip(lower=pd.Timestamp(first))
    stop = pd.to_datetime(
        clients["client_id"]
        .map(dict(zip(churn["client_id"], churn["churned_at"], strict=True)))
        .fillna(end)
    )
    years = ((stop - since).dt.days.clip(lower=0) / 365.25).sum()
    lines.append(
        f"churned {len(churn)} of {len(clients)} clients; "
        f"{len(churn) / years:.1%} a year per client-year at risk"
    )
    return "\n".join(lines)


def main(make_bundle: BundleWriter, description: str | None) -> None:
    """A firm's command line: ``python -m tests.bench.firms.<firm> OUT --clients N
    --months M --seed S`` writes a bundle into OUT and says what it holds."""
    parser = argparse.ArgumentParser(description=(description or "").split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the bundle into")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    began = time.perf_counter()
    make_bundle(args.out, clients=args.clients, months=args.months, seed=args.seed)
    print(f"wrote {args.out} in {time.perf_counter() - began:.1f}s")
    print(summary(args.out))
