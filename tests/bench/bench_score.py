"""Benchmark: the risk engine on a 2,000-client x 24-month firm.

Reports, each separately: loading the bundle into the database (first load,
and a reload of the same export, which changes nothing), reading it back, one
score run (features at one date, both champions, attributions for every client
at a level, everything stored in one transaction), a second run at the next
week (flags updated, trends), and delivering the queued alerts to the log
file. SQLite by default; ``--database URL`` for PostgreSQL.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from features.risks import RISKS
from features.simulation import simulate
from models.dataset import training_set, weekly_as_of
from models.train import MODEL_KIND, fit
from risk.alerts.outbox import deliver
from risk.scoring.run import Model, last_event_date, score
from risk.settings import Settings
from risk.store.db import make_engine, upgrade
from risk.store.load import load, read_bundle
from tests.bench.bench_simulate import peak_rss_gib

T = TypeVar("T")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=2_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--database", default="", help="SQLAlchemy URL (default: SQLite)")
    args = parser.parse_args()
    bundle = simulate(args.clients, args.months, seed=3).bundle
    print(
        f"firm: {args.clients:,} clients x {args.months} months; rows "
        + ", ".join(f"{name} {len(frame):,}" for name, frame in bundle.frames())
    )
    # Models fitted directly (no MLflow): this measures the engine, not the registry.
    data = training_set(bundle, weekly_as_of(bundle))
    models = {
        risk.name: Model(
            risk.name, "bench", fit(data, risk.label, MODEL_KIND, risk.horizon_days).predict_proba
        )
        for risk in RISKS
    }
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(home=Path(tmp), database_url=args.database or "")
        engine = make_engine(settings.database_url)
        upgrade(engine)
        timings: dict[str, float] = {}

        def timed(name: str, call: Callable[[], T]) -> T:
            began = time.perf_counter()
            result = call()
            timings[name] = time.perf_counter() - began
            return result

        timed("load (first)", lambda: load(engine, bundle, "bench"))
        timed("load (same export again)", lambda: load(engine, bundle, "bench"))
        stored = timed("read bundle back", lambda: read_bundle(engine))
        day = last_event_date(stored)
        first = timed(
            "score run (cold message cache)",
            lambda: score(engine, settings, "bench", day - timedelta(days=7), models, {}),
        )
        second = timed(
            "score run (next week)", lambda: score(engine, settings, "bench", day, models, {})
        )
        report = timed("deliver alerts (log file)", lambda: deliver(engine, settings))
    for name, seconds in timings.items():
        print(f"{name:<34} {seconds:7.1f} s")
    for label, run in (("first run", first), ("second run", second)):
        print(
            f"{label}: {run.clients:,} clients, levels {run.levels}, opened {run.opened}, "
            f"cleared {run.cleared}, alerts {run.alerts}"
        )
    print(f"alerts delivered: {report.sent:,}")
    print(f"peak memory {peak_rss_gib():.2f} GiB")


if __name__ == "__main__":
    main()
