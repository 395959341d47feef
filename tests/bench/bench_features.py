"""Benchmark: point-in-time features on a 10,000-client x 24-month firm.

Reports: the bundle's load time; features at 52 weekly as-of dates with a cold
message-score cache (first run) and a warm one; one as-of date (what scoring
does); peak memory; and, in the same run, a straightforward implementation (one
pandas pass per as-of date) of a subset of the features, checked to agree, with
the time ratio. Goals (2-core machine): 52 dates under 60 s and 6 GB, one date
under 5 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from features import build_features, load_bundle
from features.bundle.load import Bundle
from features.simulation import simulate, write_bundle
from tests.bench.bench_simulate import peak_rss_gib

SUBSET = [
    "billing_questions_30d",
    "days_since_inbound",
    "sentiment_mean_30d",
    "open_invoices",
    "overdue_invoices",
    "disputes_180d",
    "billed_share_max",
]


def straightforward(bundle: Bundle, scores: pd.DataFrame, as_of: pd.DatetimeIndex) -> pd.DataFrame:
    """One pandas pass per as-of date: filter what was known, then group by client."""
    messages = bundle.messages.join(scores)
    messages["day"] = messages["sent_at"].dt.tz_convert(None).dt.normalize()
    inbound = messages[messages["direction"] == "inbound"]
    invoices = bundle.invoices
    projects = bundle.projects
    churn = bundle.churn.set_index("client_id")["churned_at"]
    frames = []
    for t in as_of:
        clients = bundle.clients[bundle.clients["client_since"] <= t]
        churned = clients["client_id"].map(churn)
        ids = clients.loc[~(churned <= t), "client_id"]
        out = pd.DataFrame(index=pd.Index(ids, name="client_id"))
        known = inbound[inbound["day"] <= t]
        recent = known[known["day"] > t - pd.Timedelta(days=30)]
        out["billing_questions_30d"] = recent.groupby("client_id")["billing_question"].sum()
        out["days_since_inbound"] = (t - known.groupby("client_id")["day"].max()).dt.days
        out["sentiment_mean_30d"] = recent.groupby("client_id")["polarity"].mean()
        issued = invoices[invoices["issued_at"] <= t]
        unpaid = issued[~(issued["paid_at"] <= t)]
        out["open_invoices"] = unpaid.groupby("client_id").size()
        out["overdue_invoices"] = unpaid[unpaid["due_at"] < t].groupby("client_id").size()
        disputed = issued[
            (issued["disputed_at"] <= t) & (issued["disputed_at"] > t - pd.Timedelta(days=180))
        ]
        out["disputes_180d"] = disputed.groupby("client_id").size()
        running = projects[(projects["start_date"] <= t) & ~(projects["closed_at"] <= t)]
        billed = issued.groupby("project_id")["amount"].sum()
        share = running["project_id"].map(billed).fillna(0) / running["budget"]
        out["billed_share_max"] = share.groupby(running["client_id"]).max()
        for column in (
            "billing_questions_30d",
            "open_invoices",
            "overdue_invoices",
            "disputes_180d",
        ):
            out[column] = out[column].fillna(0).astype(float)
        out["as_of"] = t
        frames.append(out.reset_index().set_index(["client_id", "as_of"]))
    return pd.concat(frames).sort_index()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--dates", type=int, default=52)
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        write_bundle(simulate(args.clients, args.months, seed=2).bundle, args.make)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bundle"
        # Simulate in another process, so this one's peak memory is load + features only.
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.bench.bench_features",
                "--make",
                str(folder),
                "--clients",
                str(args.clients),
                "--months",
                str(args.months),
            ],
            check=True,
        )
        began = time.perf_counter()
        bundle = load_bundle(folder)
        loaded = time.perf_counter() - began
        before = peak_rss_gib()
        last = bundle.time_entries["worked_on"].max().normalize()
        as_of = pd.date_range(end=last - pd.Timedelta(days=90), periods=args.dates, freq="7D")
        cache = Path(tmp) / "cache"
        timings = {}
        for run in ("cold", "warm"):
            began = time.perf_counter()
            features = build_features(bundle, as_of, cache_dir=cache)
            timings[run] = time.perf_counter() - began
        began = time.perf_counter()
        build_features(bundle, as_of[-1:], cache_dir=cache)
        one = time.perf_counter() - began
        peak = peak_rss_gib()

        from features.text.message_scores import score_messages

        scores = score_messages(bundle, cache)
        began = time.perf_counter()
        naive = straightforward(bundle, scores, as_of)
        naive_time = time.perf_counter() - began
        ours = features[SUBSET].sort_index()
        pd.testing.assert_frame_equal(
            ours,
            naive[SUBSET].astype(float).reindex(ours.index),
            check_exact=False,
            rtol=1e-9,
            check_names=False,
        )
    rows = {name: f"{len(frame):,}" for name, frame in bundle.frames()}
    print(f"firm: {args.clients:,} clients x {args.months} months; rows {rows}")
    print(f"load + validate bundle            {loaded:8.1f} s  (peak so far {before:.2f} GiB)")
    print(
        f"features, {args.dates} dates, cold cache  {timings['cold']:8.1f} s  "
        f"({len(features):,} rows x {features.shape[1]} features)"
    )
    print(f"features, {args.dates} dates, warm cache  {timings['warm']:8.1f} s  (goal < 60 s)")
    print(f"features, 1 date, warm cache      {one:8.1f} s  (goal < 5 s)")
    print(f"peak memory (load + features)     {peak:8.2f} GiB  (goal < 6 GB)")
    per_naive = naive_time / len(SUBSET)
    per_ours = timings["warm"] / features.shape[1]
    print(
        f"straightforward (a pandas pass per date), {len(SUBSET)} features: {naive_time:.1f} s "
        f"= {per_naive:.2f} s/feature; ours, all {features.shape[1]}: {per_ours:.2f} s/feature "
        f"-> {per_naive / per_ours:.1f}x faster per feature (same values: checked)"
    )
    print(
        f"messages: {len(bundle.messages):,}, distinct texts "
        f"{bundle.messages['text'].nunique():,}; mean polarity "
        f"{np.nanmean(scores['polarity']):.3f}"
    )


if __name__ == "__main__":
    main()
