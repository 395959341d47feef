"""``make bench``: run every benchmark in its own process, so each reports its own peak memory.

Run one alone with ``python -m tests.bench.bench_simulate --clients 2000``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    failed = 0
    for script in sorted(here.glob("bench_*.py")):
        print(f"\n=== {script.stem}", flush=True)
        module = f"tests.bench.{script.stem}"
        failed += (
            subprocess.run([sys.executable, "-m", module, *sys.argv[1:]], check=False).returncode
            != 0
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
