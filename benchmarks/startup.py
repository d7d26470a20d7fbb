#!/usr/bin/env python3
"""Start-up time of junidiag against the floor of importing its dependencies naively.

    python benchmarks/startup.py [--runs 21] [--junidiag PATH/TO/junidiag]
                                 [--baseline PATH/TO/another/junidiag] [--cold] [--check]

Runs each command `--runs` times, interleaved (in a shuffled order each round) so
that machine noise hits all of them alike, and prints the median wall time, the
median CPU time (user + system, which other jobs on the machine disturb less) and
the ratio of the median wall time to the floor's,
`python -c "import typer, rich.console, rapidfuzz, yaml"` run by the interpreter
of the junidiag measured, in the same run. `--baseline` measures
another build's junidiag in the same rounds (say, the commit before a change), so
the two compare on the same machine at the same moments. Then the top entries of
`python -X importtime` for `explain`. Measure an installed junidiag (`pip
install .`), not an editable one: an editable install compiles the package from
source on every run when PYTHONDONTWRITEBYTECODE is set.

Each build has its own cache directory, warmed first (one run of each command), as
on any machine after the first use; `--cold` measures without it (a fresh
directory before each run). `--check` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
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
    "explain (description)": [
        "explain",
        "kreditfakturan i Fortnox saknar rabattraden så beloppet blir för högt",
    ],
    "list": ["list"],
    "--version": ["--version"],
}
TARGETS = {"explain": 1.0, "show": 0.8}
"""SPEC §4: median wall time as a share of the floor's."""
FLOOR = "import typer, rich.console, rapidfuzz, yaml"


def interpreter_of(junidiag: str) -> str:
    """The Python that runs the `junidiag` script (from its #! line); this one when the
    line names no Python of its own (a shim: `#!/usr/bin/env bash`)."""
    first = Path(junidiag).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    python = first.removeprefix("#!").strip()
    if not first.startswith("#!") or " " in python or "python" not in Path(python).name:
        return sys.executable
    return python


def default_junidiag() -> str | None:
    """The `junidiag` beside this interpreter (the environment it is installed in, as
    benchmarks/stdin.py reads it), else the one on PATH."""
    beside = Path(sys.executable).with_name("junidiag")
    return str(beside) if beside.is_file() else shutil.which("junidiag")


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU time (user + system) of one run of `argv`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


class Build:
    """One installed junidiag: its script, its interpreter and its own cache directory."""

    def __init__(self, label: str, script: str, env: dict[str, str]) -> None:
        self.label = label
        self.script = script
        self.python = interpreter_of(script)
        self.cache = tempfile.mkdtemp(prefix="junidiag-startup-")
        self.env = dict(env, JUNIDIAG_CACHE_DIR=self.cache)

    def argv(self, command: list[str]) -> list[str]:
        return [self.script, *command]

    def floor(self) -> list[str]:
        return [self.python, "-c", FLOOR]


def measure(builds: list[Build], runs: int, cold: bool) -> dict[str, list[tuple[float, float]]]:
    """Times by row (`floor`, or `LABEL COMMAND`), `runs` rounds in shuffled order."""
    jobs: dict[str, tuple[Build, list[str]]] = {"floor": (builds[-1], builds[-1].floor())}
    for name, command in COMMANDS.items():
        for build in builds:
            jobs[f"{build.label} {name}".strip()] = (build, build.argv(command))
    for build in builds:  # warm the caches, as after any first use
        for command in COMMANDS.values():
            timed(build.argv(command), build.env)
    shuffler = random.Random(19)
    order = list(jobs)
    times: dict[str, list[tuple[float, float]]] = {row: [] for row in jobs}
    for _ in range(runs):
        shuffler.shuffle(order)
        for row in order:
            build, argv = jobs[row]
            if cold and row != "floor":
                shutil.rmtree(build.cache, ignore_errors=True)
            times[row].append(timed(argv, build.env))
    return times


def report(times: dict[str, list[tuple[float, float]]], labels: list[str]) -> bool:
    """Print the table; whether every target is met (by the last build)."""
    base = statistics.median(wall for wall, _ in times["floor"])
    met = True
    print(f"{'command':32} {'median':>9} {'cpu':>9} {'× floor':>8}  target")
    for row, samples in sorted(times.items(), key=lambda item: _row_order(item[0], labels)):
        wall = statistics.median(w for w, _ in samples)
        cpu = statistics.median(c for _, c in samples)
        name = row.split(" ", 1)[1] if " " in row and row.split(" ", 1)[0] in labels else row
        target = TARGETS.get(name)
        note = ""
        if target is not None:
            ok = wall / base <= target
            met = met and (ok or not row.startswith(labels[-1]))
            note = f"<= {target:.1f}x {'met' if ok else 'MISSED'}"
        print(f"{row:32} {1000 * wall:7.1f}ms {1000 * cpu:7.1f}ms {wall / base:7.2f}x  {note}")
    return met


def _row_order(row: str, labels: list[str]) -> tuple[int, int]:
    if row.startswith("floor"):
        return (-1, 0)
    for number, name in enumerate(COMMANDS):
        for rank, label in enumerate(labels):
            if row == f"{label} {name}".strip():
                return (number, rank)
    return (len(COMMANDS), 0)


def import_times(build: Build) -> None:
    print("\nslowest imports of `junidiag explain` (python -X importtime, cumulative µs):")
    program = (
        "import sys; sys.argv=['junidiag', *sys.argv[1:]];from junidiag.launch import main; main()"
    )
    trace = subprocess.run(
        [build.python, "-X", "importtime", "-c", program, *COMMANDS["explain"]],
        env=build.env,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in trace.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    for cumulative, name in sorted(rows, reverse=True)[:15]:
        print(f"  {cumulative:8d}  {name}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--junidiag", default=default_junidiag())
    parser.add_argument("--baseline", help="another build's junidiag, measured in the same run")
    parser.add_argument(
        "--cold", action="store_true", help="no cache: a fresh cache directory each run"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    if not args.junidiag:
        print("junidiag is not installed (pip install .)", file=sys.stderr)
        return 2
    env = dict(os.environ, NO_COLOR="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    builds = [Build("before", args.baseline, env)] if args.baseline else []
    builds.append(Build("after" if args.baseline else "", args.junidiag, env))
    labels = [b.label for b in builds]
    try:
        met = report(measure(builds, args.runs, args.cold), labels)
        print(f"\n{args.runs} interleaved runs each; floor = python -c {FLOOR!r}")
        for build in builds:
            print(f"{build.label or 'junidiag'}: {build.script}")
        import_times(builds[-1])
    finally:
        for build in builds:
            shutil.rmtree(build.cache, ignore_errors=True)
    return 0 if met or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
