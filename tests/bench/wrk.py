"""wrk for ``bench_api``: install it when missing, write the Lua script that rotates
through a list of request paths with fixed headers, run it, read its report, and
measure a set of routes at several connection counts as a table (each row beside a
reference route's).

wrk (https://github.com/wg/wrk, Debian's package ``wrk``) keeps ``-c`` connections
open over ``-t`` threads and sends the next request on a connection as soon as the
previous answer arrived (a closed loop, no coordinated-omission correction): its
latencies are those of the requests it managed to send. A request that timed out
counts as a socket error and is not in the latency distribution.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

#: Seconds after which wrk gives up on a request (a socket error "timeout").
TIMEOUT_SECONDS = 10
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_NUMBER = r"([0-9]+(?:\.[0-9]+)?)"


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run reports."""

    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    timeouts: int
    socket_errors: int  # connect + read + write + timeout
    non_2xx_3xx: int

    @property
    def errors(self) -> int:
        """Requests that failed: a socket error (a timeout included) or a 4xx/5xx."""
        return self.socket_errors + self.non_2xx_3xx


@dataclass(frozen=True)
class Cell:
    """One measurement: a route at a connection count."""

    route: str
    connections: int
    result: WrkResult


def ensure_wrk() -> str:
    """The path of wrk; installed with apt-get (sudo when not root) when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing Debian's package wrk", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
    subprocess.run(
        [*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
    )
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("apt-get installed wrk but it is not on the PATH")
    return found


def _lua_string(value: str) -> str:
    """``value`` as a Lua string literal (decimal escapes for anything not printable ASCII)."""
    out = []
    for byte in value.encode("utf-8"):
        char = chr(byte)
        if char in '"\\' or not 32 <= byte < 127:
            out.append(f"\\{byte:03d}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def lua_script(paths: Sequence[str], headers: Mapping[str, str]) -> str:
    """A wrk script sending GET requests for ``paths`` in turn, round and round, with
    ``headers``; each thread starts at a different place in the list."""
    if not paths:
        raise ValueError("paths: at least one request path is needed")
    return _rotating(paths, headers, 'wrk.format("GET", items[i], headers)')


def lua_post_script(path: str, bodies: Sequence[str], headers: Mapping[str, str]) -> str:
    """A wrk script POSTing ``bodies`` to ``path`` in turn, round and round, with
    ``headers``; each thread starts at a different place in the list."""
    if not bodies:
        raise ValueError("bodies: at least one request body is needed")
    return _rotating(bodies, headers, f'wrk.format("POST", {_lua_string(path)}, headers, items[i])')


def _rotating(items: Sequence[str], headers: Mapping[str, str], request: str) -> str:
    listed = ",\n".join(f"  {_lua_string(item)}" for item in items)
    fields = ",\n".join(f"  [{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
    return f"""-- written by tests/bench/wrk.py
local items = {{
{listed}
}}
local headers = {{
{fields}
}}
local threads = 0
function setup(thread)
  thread:set("first", threads * 7919)
  threads = threads + 1
end
local i = nil
function request()
  if i == nil then i = (first or 0) % #items end
  i = i % #items + 1
  return {request}
end
"""


def _milliseconds(number: str, unit: str) -> float:
    return float(number) * _UNITS_MS[unit]


def parse(report: str) -> WrkResult:
    """Requests/sec, the 50% and 99% latencies, socket errors and non-2xx-or-3xx
    answers from wrk's ``--latency`` report."""
    rate = re.search(rf"^Requests/sec:\s+{_NUMBER}", report, re.MULTILINE)
    total = re.search(r"^\s*([0-9]+) requests in ", report, re.MULTILINE)
    if rate is None or total is None:
        raise ValueError(f"not a wrk report:\n{report}")
    latency: dict[str, float] = {}
    for share in ("50", "99"):
        line = re.search(rf"^\s+{share}%\s+{_NUMBER}(us|ms|s|m|h)\s*$", report, re.MULTILINE)
        latency[share] = _milliseconds(*line.groups()) if line else float("nan")
    socket = re.search(
        r"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)",
        report,
    )
    counts = [int(n) for n in socket.groups()] if socket else [0, 0, 0, 0]
    non_2xx = re.search(r"Non-2xx or 3xx responses: ([0-9]+)", report)
    return WrkResult(
        requests=int(total.group(1)),
        requests_per_second=float(rate.group(1)),
        p50_ms=latency["50"],
        p99_ms=latency["99"],
        timeouts=counts[3],
        socket_errors=sum(counts),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def run(wrk: str, base: str, script: Path, connections: int, seconds: int) -> WrkResult:
    """``wrk --latency`` against ``base`` with ``script`` for ``seconds`` over
    ``connections`` connections (threads: at most 2, one per connection)."""
    command = [
        wrk,
        "--latency",
        "-t",
        str(min(connections, 2)),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        f"{TIMEOUT_SECONDS}s",
        "-s",
        str(script),
        base,
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 4 * TIMEOUT_SECONDS, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse(done.stdout)


def ratio(value: float, reference: float) -> float:
    return value / reference if reference > 0 else float("nan")


def row(cell: Cell, reference: WrkResult | None) -> str:
    """A table row: ``cell``'s figures, and its ratios to ``reference`` (when given)."""
    r = cell.result
    ratios = (
        ""
        if reference is None
        else (
            f"{ratio(r.requests_per_second, reference.requests_per_second):>6.2f}x "
            f"{ratio(r.p99_ms, reference.p99_ms):>7.1f}x"
        )
    )
    errors = f"{r.errors} ({r.timeouts} t/o)" if r.errors else "0"
    return (
        f"  {cell.route:<28} {cell.connections:>5} {r.requests_per_second:>8.1f} "
        f"{r.p50_ms:>8.1f} {r.p99_ms:>8.1f} {errors:>14} {ratios}".rstrip()
    )


def measure(
    wrk_path: str,
    scripts: dict[str, tuple[str, Path]],
    connections: list[int],
    seconds: int,
    reference_route: str,
) -> list[Cell]:
    """Every route of ``scripts`` (base URL, script) at every connection count, in
    order, so ``reference_route`` (the first) is measured right beside the others; prints
    each row, with its ratios to the reference's at that count, as it is measured."""
    print(
        f"  {'route':<28} {'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>14} {'req/s':>7} {'p99':>8}\n"
        f"  {'':<28} {'':>5} {'':>8} {'':>8} {'':>8} {'':>14} {'vs ref':>7} {'vs ref':>8}",
        flush=True,
    )
    cells: list[Cell] = []
    for count in connections:
        reference: WrkResult | None = None
        for route, (base, script) in scripts.items():
            cell = Cell(route, count, run(wrk_path, base, script, count, seconds))
            cells.append(cell)
            print(row(cell, None if route == reference_route else reference), flush=True)
            if route == reference_route:
                reference = cell.result
    return cells
