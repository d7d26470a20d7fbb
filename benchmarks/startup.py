#!/usr/bin/env python3
"""Start-up time of junidiag against the floor of importing its dependencies naively.

    python benchmarks/startup.py [--runs 21] [--junidiag PATH/TO/junidiag]

Runs, interleaved so that machine noise hits all of them alike, each command
`--runs` times and prints the median wall time and its ratio to the floor
`python -c "import typer, rich.console, rapidfuzz, yaml"` (the same interpreter
as the junidiag being measured). Then the top entries of `python -X importtime`
for `explain`. Measure an installed junidiag (`pip install .`), not an editable
one: an editable install compiles the package from source on every run when
PYTHONDONTWRITEBYTECODE is set.

The cache is warmed first (one run of each command), as on any machine after
the first use; `--cold` measures without it (a fresh cache directory per run).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "explain": ["explain", "Kunde inte hämta/hitta valuta"],
    "show": ["show", "FORTNOX_FISCAL_YEAR"],
    "list": ["list"],
    "--version": ["--version"],
}
TARGETS = {"explain": 1.2, "show": 1.0}


def interpreter_of(junidiag: str) -> str:
    """The Python that runs the `junidiag` script (from its #! line)."""
    first = Path(junidiag).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    return first.removeprefix("#!").strip() if first.startswith("#!") else sys.executable


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--junidiag", default=shutil.which("junidiag"))
    parser.add_argument(
        "--cold", action="store_true", help="no cache: a fresh cache directory each run"
    )
    args = parser.parse_args()
    if not args.junidiag:
        print("junidiag is not installed (pip install .)", file=sys.stderr)
        return 2
    python = interpreter_of(args.junidiag)
    env = dict(os.environ, NO_COLOR="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cache = tempfile.mkdtemp(prefix="junidiag-startup-")
    env["JUNIDIAG_CACHE_DIR"] = cache
    runs: dict[str, list[float]] = {"floor": []}
    floor = [python, "-c", "import typer, rich.console, rapidfuzz, yaml"]
    for argv in COMMANDS.values():  # warm the cache, as after any first use
        timed([args.junidiag, *argv], env)
    for _ in range(args.runs):
        runs["floor"].append(timed(floor, env))
        for name, argv in COMMANDS.items():
            if args.cold:
                shutil.rmtree(cache, ignore_errors=True)
            runs.setdefault(name, []).append(timed([args.junidiag, *argv], env))
    base = statistics.median(runs["floor"])
    print(f"{'command':12} {'median':>9} {'ratio':>7}  target")
    for name, times in runs.items():
        median = statistics.median(times)
        target = f"<= {TARGETS[name]:.1f}x" if name in TARGETS else ""
        print(f"{name:12} {1000 * median:7.1f}ms {median / base:6.2f}x  {target}")
    print(f"\n{args.runs} interleaved runs each; floor = {' '.join(floor[1:])!r}")
    print("\nslowest imports of `junidiag explain` (python -X importtime, cumulative µs):")
    trace = subprocess.run(
        [python, "-X", "importtime", "-c",
         "import sys; sys.argv=['junidiag', 'explain', 'Kunde inte hämta/hitta valuta'];"
         "from junidiag.cli import main; main()"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    rows = []
    for line in trace.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    for cumulative, name in sorted(rows, reverse=True)[:15]:
        print(f"  {cumulative:8d}  {name}")
    shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
