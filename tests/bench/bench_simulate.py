"""Benchmark: simulate a large firm and write it as CSV, then load and validate it.

The feature benchmarks need a 10,000-client x 24-month bundle, so the simulator
must make one in under 5 minutes on the 2-core reference machine. Loading runs
in a second process so that each phase reports its own peak memory.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from features import load_bundle
from features.simulation import simulate, write_bundle


def peak_rss_gib() -> float:
    """This process's peak resident memory. VmHWM rather than getrusage, whose
    maxrss a child inherits from its parent across fork and exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024**2
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def make(folder: Path, clients: int, months: int, seed: int) -> None:
    began = time.perf_counter()
    result = simulate(clients=clients, months=months, seed=seed)
    simulated = time.perf_counter()
    write_bundle(result.bundle, folder)
    written = time.perf_counter()
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1024**2
    print(f"firm: {clients:,} clients x {months} months (seed {seed})")
    print("rows: " + ", ".join(f"{k} {len(v):,}" for k, v in result.bundle.frames()))
    print(f"simulate            {simulated - began:8.1f} s")
    print(f"write CSV           {written - simulated:8.1f} s  ({size:,.0f} MiB)")
    print(f"simulate + write    {written - began:8.1f} s  (limit 300 s)")
    print(f"peak memory         {peak_rss_gib():8.2f} GiB  (simulate + write)")


def load(folder: Path) -> None:
    began = time.perf_counter()
    bundle = load_bundle(folder)
    took = time.perf_counter() - began
    in_memory = sum(f.memory_usage(deep=True).sum() for _, f in bundle.frames()) / 1024**3
    print(f"load + validate     {took:8.1f} s")
    print(f"bundle in memory    {in_memory:8.2f} GiB")
    print(f"peak memory         {peak_rss_gib():8.2f} GiB  (load + validate)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--load", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        load(args.load)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bundle"
        make(folder, args.clients, args.months, args.seed)
        subprocess.run(
            [sys.executable, "-m", "tests.bench.bench_simulate", "--load", str(folder)], check=True
        )


if __name__ == "__main__":
    main()
