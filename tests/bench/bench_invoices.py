"""Benchmark: ``risk invoices backtest`` on a 2,000-client x 24-month firm.

The command's whole work in process (no MLflow logging): the invoice rows of every
invoice (the client's features at each invoice's day and the invoice's own), the
invoice model fitted on the invoices whose 60 days ended by the cut-off, the client
dispute model for the score at issue, and the scores and comparison of every invoice
issued in the half year after it. Goal (the invoice check issue): under 3 minutes.
Reports wall time per step and this process's peak memory. The comparison is
printed for the record; the firm's seed (3) is a development seed, so it is not a
quality figure (``bench_train`` reports those on unseen firms).
"""

from __future__ import annotations

import argparse
import time
from itertools import pairwise

import pandas as pd

from features.simulation import simulate
from models.invoice_model import invoice_backtest
from tests.bench.bench_simulate import peak_rss_gib

GOAL_SECONDS = 180


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=2_000)
    parser.add_argument("--months", type=int, default=24)
    args, _ = parser.parse_known_args()  # `make bench` passes every bench the same options
    bundle = simulate(args.clients, args.months, seed=3).bundle
    issued = bundle.invoices["issued_at"]
    last = issued.max().normalize()
    start = last - pd.DateOffset(months=6)
    train_until = start - pd.Timedelta(days=1)
    print(
        f"firm: {args.clients:,} clients x {args.months} months, {len(issued):,} invoices; "
        f"train until {train_until:%Y-%m-%d}, score issued {start:%Y-%m-%d} to {last:%Y-%m-%d}",
        flush=True,
    )
    began = time.perf_counter()
    steps: list[tuple[str, float]] = []  # each step's line and when it began

    def say(text: str) -> None:
        steps.append((text, time.perf_counter()))

    result = invoice_backtest(
        bundle,
        f"{train_until:%Y-%m-%d}",
        f"{start:%Y-%m-%d}",
        f"{last + pd.Timedelta(days=1):%Y-%m-%d}",
        say=say,
    )
    ended = time.perf_counter()
    total = ended - began
    for (text, at), (_, then) in pairwise([*steps, ("", ended)]):
        print(f"  {text:<60} {then - at:6.1f} s")
    for note in result.notes:
        print(f"  note: {note}")
    if result.table is not None:
        print(result.table.to_string(float_format="{:.3f}".format))
    verdict = "met" if total < GOAL_SECONDS else "MISSED"
    print(
        f"invoice backtest: {total:.0f} s for {len(result.scores):,} invoices scored "
        f"({verdict}: goal under {GOAL_SECONDS} s); peak memory {peak_rss_gib():.2f} GiB",
        flush=True,
    )


if __name__ == "__main__":
    main()
