#!/usr/bin/env python3
"""Log throughput: `junidiag explain` on sync logs of different make-up, against floors.

    python benchmarks/stdin.py --quick                   # 50,000 lines of each log
    python benchmarks/stdin.py                           # each log at 1 M lines, then 4 M
    python benchmarks/stdin.py --logs typical storm --repeat 3 --memory-lines 0
    python benchmarks/stdin.py --baseline "/path/to/other/bin/junidiag"   # two builds
    python benchmarks/stdin.py --generate-only          # only write the logs

Each log of `logs.LOGS` (or `--logs`) is generated once (benchmarks/logs.py) and
every command runs on it in a fresh process, the commands taking turns round by
round so that a slow minute of a shared machine hits them alike:
  bare read loop   `for line in sys.stdin.buffer: pass`
  json floor       decode each line, write `json.dumps({"line": n, "text": line})`
  junidiag json    `junidiag explain --json < log > out`, scored against the log's truth
  junidiag summary `junidiag explain --summary < log > out`
  Drain3           TemplateMiner (defaults on 100,000 lines; numbers masked on all)
With `--baseline CMD`, another build's `--json` and human view run in the same rounds,
and both builds' outputs are compared byte for byte. With `--memory-lines N`, the
floor and junidiag --json run once more on each log at N lines: peak memory at N
against the first size. Wall time is `time.perf_counter` around the process, peak
memory that process's own `ru_maxrss` (a small `-I -S` launcher reads it with
`os.wait4`); `--repeat` keeps each command's fastest round.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import logs
import report
from report import Run

BENCH = Path(__file__).resolve().parent
DRAIN_RUNNER = BENCH / "drain_runner.py"
DEFAULT_DRAIN_PYTHON = BENCH.parent.parent / "benchvenv" / "bin" / "python"
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "junidiag-bench-stdin"
DEFAULT_SEED = logs.DEFAULT_SEED
QUICK_LINES = 50_000

BARE_LOOP = "import sys\nfor line in sys.stdin.buffer:\n    pass\n"
JSON_FLOOR = """\
import json, sys
write = sys.stdout.write
dumps = json.dumps
for n, raw in enumerate(sys.stdin.buffer, 1):
    write(dumps({"line": n, "text": raw.decode("utf-8", "replace").rstrip("\\r\\n")}) + "\\n")
"""
# A fresh, small Python process (-I -S) that starts the command and reports that
# child's own rusage. Measuring from here instead would be wrong: a child forked from
# this process starts with this process's resident pages counted in its ru_maxrss.
LAUNCHER = """\
import os, sys, time
report, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(report, "w") as out:
    cpu = usage.ru_utime + usage.ru_stime
    out.write(f"{wall} {cpu} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


@dataclass(slots=True)
class Command:
    name: str
    label: str
    argv: list[str]
    lines: int
    output: str  # "sink": the --sink choice; "file"; "report": a JSON report on stdout
    ok_codes: tuple[int, ...] = (0,)


class Measured(NamedTuple):
    wall: float
    cpu: float
    rss_mib: float
    exit_code: int
    timed_out: bool


def measure(
    argv: Sequence[str], stdin: Path, stdout: Path | None, stderr: Path, timeout: float
) -> Measured:
    """Run `argv` in a fresh process under LAUNCHER: its wall time (perf_counter around
    it), CPU time and peak RSS (its own ru_maxrss, from os.wait4), and exit code."""
    env = {k: v for k, v in os.environ.items() if k != "JUNIDIAG_CATALOG"}
    sink = stdout if stdout is not None else Path(os.devnull)
    rusage = stderr.with_suffix(".rusage")
    rusage.unlink(missing_ok=True)
    launch = [sys.executable, "-I", "-S", "-c", LAUNCHER, str(rusage), *argv]
    with stdin.open("rb") as fin, sink.open("wb") as fout, stderr.open("wb") as ferr:
        start = time.perf_counter()
        proc = subprocess.Popen(
            launch, stdin=fin, stdout=fout, stderr=ferr, env=env, start_new_session=True
        )
        try:
            proc.wait(timeout=timeout or None)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return Measured(time.perf_counter() - start, 0.0, 0.0, -9, True)
    if not rusage.exists():  # the launcher itself failed
        return Measured(time.perf_counter() - start, 0.0, 0.0, proc.returncode or -1, False)
    wall, cpu, maxrss, code = rusage.read_text(encoding="utf-8").split()
    rusage.unlink()
    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return Measured(float(wall), float(cpu), int(maxrss) * unit / (1 << 20), int(code), False)


def commands(args: argparse.Namespace, lines: int) -> list[Command]:
    """What runs on a log of `lines` lines, in the order of each round."""
    py, drain = sys.executable, [str(args.drain_python), str(DRAIN_RUNNER)]
    explain = [*args.junidiag, "explain"]
    found = (0, 1)  # 1: nothing matched, which a log of good news may be
    cmds = [
        Command("bare", "bare read loop", [py, "-c", BARE_LOOP], lines, "sink"),
        Command("floor", "decode + json.dumps floor", [py, "-c", JSON_FLOOR], lines, "sink"),
        Command("json", "junidiag explain --json", [*explain, "--json"], lines, "sink", found),
        Command("summary", "junidiag --summary", [*explain, "--summary"], lines, "file", found),
    ]
    if args.sink == "devnull":
        label = "junidiag --json, to a file (scored)"
        cmds.append(Command("json-file", label, [*explain, "--json"], lines, "file", found))
    if args.baseline:
        other = [*args.baseline, "explain"]
        cmds += [
            Command("view", "junidiag, the human view", explain, lines, "file", found),
            Command("baseline-json", "baseline --json", [*other, "--json"], lines, "file", found),
            Command("baseline-view", "baseline, the human view", other, lines, "file", found),
        ]
    first = min(lines, args.drain_default_lines)
    cmds += [
        Command(
            "drain-default",
            f"Drain3 defaults, first {first:,} lines",
            [*drain, "--mask", "none", "--limit", str(first)],
            first,
            "report",
        ),
        Command(
            "drain-masked", "Drain3 numbers masked", [*drain, "--mask", "numbers"], lines, "report"
        ),
    ]
    skip = set(args.skip) | ({"json-file"} if "json" in args.skip else set())
    if not args.drain_ok:
        skip |= {"drain-default", "drain-masked"}
    return [c for c in cmds if c.name not in skip]


def run_command(args: argparse.Namespace, cmd: Command, log: Path, tag: str) -> Run:
    work: Path = args.workdir
    out = work / f"out-{tag}-{cmd.name}.txt"
    stdout = None if cmd.output == "sink" and args.sink == "devnull" else out
    err = work / f"err-{tag}-{cmd.name}.txt"
    wall, cpu, rss, code, timed_out = measure(cmd.argv, log, stdout, err, args.timeout)
    run = Run(cmd.name, cmd.label, cmd.lines, wall, cpu, rss, code, output=str(stdout or ""))
    run.walls.append(wall)
    errors = err.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    if not errors:
        err.unlink()
    if timed_out:
        run.failed, run.note = True, f"killed by the {args.timeout:g} s timeout"
    elif code not in cmd.ok_codes:
        run.failed, run.note = True, f"exit {code}: {' | '.join(errors[-2:])}"
    elif cmd.output == "report":
        found = json.loads(out.read_text(encoding="utf-8"))
        run.lines = int(found["lines"])
        run.note = f"{found['clusters']:,} clusters (Drain3 {found['drain3']})"
    return run


def run_rounds(
    args: argparse.Namespace, cmds: list[Command], log: Path, tag: str, rounds: int
) -> dict[str, Run]:
    """Every command on `log`, taking turns, `rounds` times; the fastest run of each is
    kept, with the highest peak memory of its rounds. A failed round is kept, to be seen."""
    best: dict[str, Run] = {}
    for round_ in range(1, rounds + 1):
        for cmd in cmds:
            label = f"  {cmd.label}" + (f" [{round_}/{rounds}]" if rounds > 1 else "")
            print(f"{label:52}", end=" ", flush=True)
            run = run_command(args, cmd, log, tag)
            rate = "failed" if run.failed else f"{run.rate:,.0f} lines/s"
            print(f"{rate:>18} {run.wall:9.2f} s {run.rss_mib:8.1f} MiB  {run.note}", flush=True)
            kept = best.get(cmd.name)
            if kept is not None:
                run.walls = kept.walls + run.walls
                run.rss_mib = max(run.rss_mib, kept.rss_mib)
            if kept is None or run.failed or (not kept.failed and run.wall < kept.wall):
                best[cmd.name] = run
            elif not kept.failed:
                kept.walls, kept.rss_mib = run.walls, run.rss_mib
    return best


def same_outputs(runs: dict[str, Run]) -> dict[str, str]:
    """Whether the two builds wrote the same bytes: `--json` and the human view."""
    found = {}
    for mine, theirs in (("json-file", "baseline-json"), ("json", "baseline-json")):
        if mine in runs and theirs in runs and runs[mine].output:
            found["json"] = _compare(Path(runs[mine].output), Path(runs[theirs].output))
            break
    if "view" in runs and "baseline-view" in runs:
        found["view"] = _compare(Path(runs["view"].output), Path(runs["baseline-view"].output))
    return found


def _compare(mine: Path, theirs: Path) -> str:
    if _digest(mine) == _digest(theirs):
        return f"identical ({mine.stat().st_size:,} bytes, sha256 {_digest(mine)[:12]})"
    with mine.open("rb") as a, theirs.open("rb") as b:
        for number, (x, y) in enumerate(zip(a, b, strict=False), 1):
            if x != y:
                return f"DIFFERENT from line {number}: {x[:120]!r} vs {y[:120]!r}"
    return "DIFFERENT in length"


def _digest(path: Path) -> str:
    with path.open("rb") as data:
        return hashlib.file_digest(data, "sha256").hexdigest()


def run_log(args: argparse.Namespace, name: str, lines: int) -> dict[str, Any]:
    """Every command on log `name` at `lines` lines: the runs, scores and comparisons."""
    log, truth = logs.prepare(args.workdir, name, lines, args.seed, args.regenerate, args.rate)
    print(
        f"\n{name} ({logs.LOGS[name].about}): {lines:,} lines, {log.stat().st_size / 1e6:.1f} MB, "
        f"{len(truth.errors):,} catalog error lines ({report.pct(len(truth.errors), lines)})"
    )
    runs = run_rounds(args, commands(args, lines), log, f"{name}-{lines}", args.repeat)
    scored = runs.get("json-file") or runs.get("json")
    acc = None
    if scored is not None and scored.output and not scored.failed:
        acc = report.score(Path(scored.output), truth, args.samples)
    compared = same_outputs(runs)
    for what, verdict in compared.items():
        print(f"  {what}: {verdict}")
    if not args.keep_outputs:
        for run in runs.values():
            if run.output:
                Path(run.output).unlink(missing_ok=True)
    return {"runs": runs, "accuracy": acc, "compared": compared}


def run_memory(args: argparse.Namespace, name: str) -> dict[str, Run]:
    """The floor and junidiag --json once on log `name` at `--memory-lines` lines."""
    lines = args.memory_lines
    log, _ = logs.prepare(args.workdir, name, lines, args.seed, args.regenerate, args.rate)
    print(f"\n{name}: {lines:,} lines, {log.stat().st_size / 1e6:.1f} MB (peak memory)")
    cmds = [c for c in commands(args, lines) if c.name in ("floor", "json")]
    runs = run_rounds(args, cmds, log, f"{name}-{lines}", 1)
    for run in runs.values():
        if run.output:
            Path(run.output).unlink(missing_ok=True)
    return runs


def junidiag_command(spec: str | None) -> list[str]:
    if spec:
        return shlex.split(spec)
    beside = Path(sys.executable).with_name("junidiag")
    found = str(beside) if beside.exists() else shutil.which("junidiag")
    if not found:
        sys.exit("stdin.py: junidiag not found: `pip install -e .` it, or pass --junidiag")
    return [found]


def drain_available(python: Path) -> tuple[bool, str]:
    if not python.exists():
        return False, (
            f"Drain3 skipped: {python} not found. Create its environment with `python3 -m venv "
            "../benchvenv && ../benchvenv/bin/pip install drain3==0.9.11` (beside the checkout), "
            "or pass --drain-python."
        )
    probe = subprocess.run(
        [str(python), "-c", "import drain3"], capture_output=True, text=True, check=False
    )
    if probe.returncode:
        reason = probe.stderr.strip().splitlines()[-1:] or ["?"]
        return False, f"Drain3 skipped: `import drain3` fails in {python}: {reason[0]}"
    return True, ""


def version(junidiag: list[str]) -> str:
    """`junidiag --version`, after one explanation: the cache is warm before any timing."""
    subprocess.run(
        [*junidiag, "explain", "Kunde inte hitta moms"], capture_output=True, check=False
    )
    found = subprocess.run([*junidiag, "--version"], capture_output=True, text=True, check=False)
    return found.stdout.strip() or " ".join(junidiag)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--logs", nargs="+", choices=list(logs.LOGS), default=list(logs.LOGS))
    parser.add_argument("--lines", type=int, nargs="+", default=[1_000_000])
    parser.add_argument(
        "--memory-lines", type=int, default=4_000_000, help="peak memory at this size (0: not)"
    )
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_LINES:,} lines, no memory")
    parser.add_argument("--rate", type=float, help="share of catalog error lines, for every log")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument(
        "--sink",
        choices=("file", "devnull"),
        default="file",
        help="where the json floor and junidiag --json write; devnull adds a scored run to a file",
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the fastest counts")
    parser.add_argument("--timeout", type=float, default=0, help="kill a command after SECONDS")
    parser.add_argument(
        "--skip",
        nargs="+",
        default=[],
        choices=("bare", "floor", "json", "summary", "drain-default", "drain-masked"),
    )
    parser.add_argument("--junidiag", help="how to run junidiag (default: beside this python)")
    parser.add_argument("--baseline", help="another build, run alongside; outputs compared")
    parser.add_argument("--drain-python", type=Path, default=DEFAULT_DRAIN_PYTHON)
    parser.add_argument("--drain-default-lines", type=int, default=100_000)
    parser.add_argument("--regenerate", action="store_true", help="never reuse a generated log")
    parser.add_argument("--generate-only", action="store_true", help="write the logs and stop")
    parser.add_argument("--keep-outputs", action="store_true", help="keep the commands' output")
    parser.add_argument("--samples", type=int, default=2, help="texts shown per kind of miss")
    parser.add_argument("--json-report", type=Path, help="also write the figures there as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.quick:
        args.lines, args.memory_lines = [QUICK_LINES], 0
    if args.repeat < 1 or min(args.lines) < 1:
        parser.error("--repeat and --lines must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    sizes = [*args.lines, *([args.memory_lines] if args.memory_lines else [])]
    if args.generate_only:
        for name in args.logs:
            for lines in sizes:
                log, truth = logs.prepare(args.workdir, name, lines, args.seed, args.regenerate)
                print(f"{log}: {len(truth.kinds):,} lines, {len(truth.errors):,} catalog errors")
        return 0
    args.junidiag = junidiag_command(args.junidiag)
    args.baseline = shlex.split(args.baseline) if args.baseline else None
    args.drain_ok, drain_note = drain_available(args.drain_python)
    if "drain-masked" not in args.skip and args.drain_ok:
        print("Drain3 runs on the typical log only (masked, it takes minutes per million lines)")
    built = version(args.junidiag)
    baseline = version(args.baseline) if args.baseline else None
    print(
        f"junidiag stdin benchmark: {built}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs ({platform.machine()}), seed {args.seed}, sink {args.sink}"
        + (f", baseline {baseline} ({' '.join(args.baseline)})" if args.baseline else "")
    )
    if drain_note:
        print(drain_note)
    found: dict[int, dict[str, dict[str, Any]]] = {lines: {} for lines in args.lines}
    for name in args.logs:
        drain_ok = args.drain_ok
        args.drain_ok = drain_ok and name == logs.TYPICAL
        for lines in args.lines:
            found[lines][name] = run_log(args, name, lines)
        args.drain_ok = drain_ok
    memory: dict[str, float] = {}
    if args.memory_lines:
        for name in args.logs:
            large = run_memory(args, name).get("json")
            small = found[args.lines[0]][name]["runs"].get("json")
            if large and small and not (large.failed or small.failed):
                memory[name] = large.rss_mib / small.rss_mib
                print(f"  peak memory {large.rss_mib:.1f} / {small.rss_mib:.1f} MiB")
    return finish(args, found, memory, built)


def finish(
    args: argparse.Namespace,
    found: dict[int, dict[str, dict[str, Any]]],
    memory: dict[str, float],
    built: str,
) -> int:
    """Print the figures of every log and size, write the JSON report, say the exit status."""
    figures: dict[str, Any] = {"junidiag": built, "python": platform.python_version()}
    missed: list[str] = []
    crashed = False
    for lines, results in found.items():
        per_log = {}
        for name, result in results.items():
            per_log[name] = report.print_log(name, lines, result["runs"], result["accuracy"])
            per_log[name]["compared"] = result["compared"]
            crashed = crashed or any(run.failed for run in result["runs"].values())
            missed += [
                f"{name}: output {what}" for what, v in result["compared"].items() if "DIFF" in v
            ]
        growth = memory if lines == args.lines[0] else {}
        missed += report.print_overview(per_log, growth)
        figures[str(lines)] = per_log
    figures["memory_growth"] = memory
    figures["missed"] = missed
    if missed:
        print("missed: " + "; ".join(missed))
    if args.json_report:
        args.json_report.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 1 if crashed or (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
