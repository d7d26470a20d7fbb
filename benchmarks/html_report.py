#!/usr/bin/env python3
"""The HTML report of a big log against `--summary` on the same log (issue 20).

    python benchmarks/html_report.py                          # 1,000,000 lines, 3 rounds
    python benchmarks/html_report.py --log sync.log --rounds 5
    python benchmarks/html_report.py --check                  # exit 1 when a target is missed

The log is benchmarks/stdin.py's generated one (made with `--generate-only` when it
is not there yet), unless `--log` names another. Each round runs, in fresh processes
and in turn, `junidiag explain --summary < log > out` and `junidiag explain --format
html < log > report.html`; the fastest round of each is compared (the machine's speed
drifts; alternating keeps both under the same drift). Targets: the report written in
at most 1.1x the time of `--summary`, and under 1 MB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "junidiag-bench-stdin"
TARGET_TIME = 1.10
TARGET_BYTES = 1_000_000


def generated_log(lines: int, workdir: Path) -> Path:
    """benchmarks/stdin.py's log of `lines` lines in `workdir`, made if missing."""
    found = sorted(workdir.glob(f"sync-{lines}-*.log"), key=lambda p: p.stat().st_mtime)
    if found:
        return found[-1]
    subprocess.run(
        [sys.executable, str(BENCH / "stdin.py"), "--lines", str(lines), "--generate-only",
         "--workdir", str(workdir)],
        check=True,
    )  # fmt: skip
    return generated_log(lines, workdir)


def timed(command: list[str], log: Path, out: Path) -> float:
    with log.open("rb") as stdin, out.open("wb") as stdout:
        start = time.perf_counter()
        result = subprocess.run(command, stdin=stdin, stdout=stdout, check=False)
        elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1, 3):  # found, nothing found, --fail-on: all fine
        sys.exit(f"{' '.join(command)} exited {result.returncode}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--log", type=Path, help="a log of your own")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--junidiag", default=str(Path(sys.executable).with_name("junidiag")),
        help="the junidiag to run (default: the one beside this Python)",
    )  # fmt: skip
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    log = args.log or generated_log(args.lines, args.workdir)
    explain = [args.junidiag, "explain"]
    summary_times: list[float] = []
    report_times: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        text, page = Path(folder) / "summary.txt", Path(folder) / "report.html"
        for _ in range(args.rounds):
            summary_times.append(timed([*explain, "--summary"], log, text))
            report_times.append(timed([*explain, "--format", "html"], log, page))
        size = page.stat().st_size
    ratio = min(report_times) / min(summary_times)
    print(f"log          {log} ({log.stat().st_size / 1e6:,.1f} MB)")
    print(f"--summary    {' '.join(f'{t:.2f}' for t in summary_times)} s")
    print(f"--format html {' '.join(f'{t:.2f}' for t in report_times)} s")
    met_time, met_size = ratio <= TARGET_TIME, size < TARGET_BYTES
    print(f"html / summary (fastest rounds)  {ratio:.3f}x   target <= {TARGET_TIME}x  "
          f"{'met' if met_time else 'MISSED'}")  # fmt: skip
    print(f"report size                      {size:,} bytes   target < {TARGET_BYTES:,}  "
          f"{'met' if met_size else 'MISSED'}")  # fmt: skip
    return 1 if args.check and not (met_time and met_size) else 0


if __name__ == "__main__":
    sys.exit(main())
