"""What benchmarks/stdin.py found: accuracy against each log's truth, and the figures.

`score` reads junidiag's JSON Lines beside the log's truth (see `logs.Truth`);
`print_log` shows one log's runs, ratios and accuracy; `print_overview` the table
across logs, with the typical log's ratio and the worst.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from logs import ERROR, KINDS, TYPICAL, Truth

# Targets (SPEC §4, issue 19).
TARGET_TYPICAL = 1.3
"""junidiag --json / json floor on the typical log."""
TARGET_WORST = 1.0
"""junidiag --json / json floor on the least favourable log."""
TARGET_DRAIN = 5.0
TARGET_MATCHED = 0.90
TARGET_MEMORY = 1.10
BUSY = 1.15
"""Wall / CPU time above which a single-threaded command was kept waiting."""
MAX_SAMPLES = 40


@dataclass(slots=True)
class Run:
    """One command's run on one log: the fastest of its rounds, the highest peak memory."""

    name: str
    label: str
    lines: int
    wall: float
    cpu: float
    rss_mib: float
    exit_code: int
    failed: bool = False
    note: str = ""
    output: str = ""
    walls: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.lines / self.wall if self.wall > 0 and not self.failed else 0.0


@dataclass(slots=True)
class Accuracy:
    objects: int = 0
    misnumbered: int = 0
    errors: int = 0
    expected: int = 0
    other: int = 0
    unmatched: int = 0
    noise: int = 0
    false_positives: int = 0
    by_style: dict[str, list[int]] = field(default_factory=dict)  # key → [right, total]
    by_variant: dict[str, list[int]] = field(default_factory=dict)
    by_entry: dict[str, list[int]] = field(default_factory=dict)
    fp_by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind → [matched, total]
    fp_ids: Counter[str] = field(default_factory=Counter)
    confusions: Counter[str] = field(default_factory=Counter)
    samples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def share(self) -> float | None:
        return self.expected / self.errors if self.errors else None


def json_loads() -> Callable[[bytes], Any]:
    try:
        import orjson  # a junidiag dependency, so present where junidiag is
    except ImportError:
        return json.loads
    return orjson.loads


def score(output: Path, truth: Truth, keep: int) -> Accuracy:
    """Compare each object's `match.id` with what its line is."""
    acc = Accuracy(errors=len(truth.errors))
    loads = json_loads()
    for kind, total in sorted(Counter(truth.kinds).items()):
        if kind != ERROR:
            acc.fp_by_kind[KINDS[kind]] = [0, total]
            acc.noise += total

    def sample(key: str, text: str) -> None:
        texts = acc.samples.setdefault(key, [])
        if len(texts) < keep:
            texts.append(text if len(text) <= 200 else text[:200] + "…")

    with output.open("rb") as out:
        for index, raw in enumerate(out, 1):
            acc.objects = index
            record = loads(raw)
            number = record.get("line")
            if number != index:
                acc.misnumbered += 1
            if not isinstance(number, int) or not 1 <= number <= len(truth.kinds):
                continue
            match = record.get("match")
            got = str(match["id"]) if match else None
            text = str(record.get("text", ""))
            kind = truth.kinds[number - 1]
            if kind != ERROR:
                if got is not None:
                    acc.false_positives += 1
                    acc.fp_by_kind[KINDS[kind]][0] += 1
                    acc.fp_ids[got] += 1
                    sample(f"false positive {got}", text)
                continue
            expected = truth.errors[number]
            right = got in expected.accept
            if right:
                acc.expected += 1
            elif got is None:
                acc.unmatched += 1
                sample(f"unmatched {expected.accept[0]} ({expected.variant})", text)
            else:
                acc.other += 1
                acc.confusions[f"{expected.accept[0]} → {got}"] += 1
                sample(f"{expected.accept[0]} matched as {got}", text)
            for table, key in (
                (acc.by_style, expected.style),
                (acc.by_variant, expected.variant),
                (acc.by_entry, expected.accept[0]),
            ):
                cell = table.setdefault(key, [0, 0])
                cell[0] += right
                cell[1] += 1
    return acc


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


def speedup(a: Run | None, b: Run | None) -> float | None:
    """How many times the lines/s of `a` is that of `b`; None when either is missing."""
    if a is None or b is None or a.failed or b.failed or not b.rate:
        return None
    return a.rate / b.rate


def verdict(value: float | None, target: float, higher: bool = True) -> str:
    if value is None:
        return "n/a"
    return "ok" if (value >= target if higher else value <= target) else "MISSED"


def times(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


def print_accuracy(acc: Accuracy, lines: int) -> None:
    print(f"  accuracy of junidiag --json ({acc.objects:,} objects for {lines:,} lines)")
    if acc.objects != lines or acc.misnumbered:
        print(f"    CONTRACT BROKEN: {acc.misnumbered:,} objects with an unexpected line number")
    print(
        f"    catalog error lines {acc.errors:,}: matched as expected "
        f"{pct(acc.expected, acc.errors)}, matched another entry {pct(acc.other, acc.errors)}, "
        f"unmatched {pct(acc.unmatched, acc.errors)}"
    )
    kinds = ", ".join(f"{k} {pct(n, t)} of {t:,}" for k, (n, t) in acc.fp_by_kind.items())
    print(f"    noise lines matched (false positives) {pct(acc.false_positives, acc.noise)}")
    print(f"      {kinds}")
    if acc.fp_ids:
        print("      ids: " + ", ".join(f"{k} {n}" for k, n in acc.fp_ids.most_common(8)))
    if acc.confusions:
        wrong = ", ".join(f"{k} {n}" for k, n in acc.confusions.most_common(8))
        print(f"    matched another entry: {wrong}")
    for title, table in (("style/shape", acc.by_style), ("variant", acc.by_variant)):
        cells = ", ".join(f"{k} {pct(h, t)}" for k, (h, t) in sorted(table.items()))
        print(f"    matched as expected by {title}: {cells}")
    weak = [f"{k} {h}/{t}" for k, (h, t) in sorted(acc.by_entry.items()) if h < TARGET_MATCHED * t]
    if weak:
        print(f"    entries under {100 * TARGET_MATCHED:g} %: {', '.join(weak)}")
    shown = [f"{key}: {text}" for key, texts in sorted(acc.samples.items()) for text in texts]
    if shown:
        print("    samples (--samples N per kind of miss):")
    for line in shown[:MAX_SAMPLES]:
        print(f"      {line}")
    if len(shown) > MAX_SAMPLES:
        print(f"      … and {len(shown) - MAX_SAMPLES} more")


def accuracy_figures(acc: Accuracy) -> dict[str, Any]:
    """The scores as plain JSON values (asdict would rebuild a Counter from its items)."""
    figures = {f.name: getattr(acc, f.name) for f in fields(acc) if f.name != "samples"}
    return {k: dict(v) if isinstance(v, dict) else v for k, v in figures.items()}


def print_log(name: str, lines: int, runs: dict[str, Run], acc: Accuracy | None) -> dict[str, Any]:
    """One log's runs and ratios; its figures as plain JSON values."""
    print(f"\n{name}, {lines:,} lines")
    print(f"  {'command':44} {'lines/s':>11} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}")
    for run in runs.values():
        rate = "failed" if run.failed else f"{run.rate:,.0f}"
        print(
            f"  {run.label:44} {rate:>11} {run.wall:8.2f} {run.cpu:8.2f} {run.rss_mib:9.1f}"
            f"  {run.note}"
        )
    busy = [r.label for r in runs.values() if not r.failed and r.wall > max(1.0, BUSY * r.cpu)]
    if busy:
        print(
            f"  NOTE: wall time exceeds CPU time by over {100 * (BUSY - 1):.0f} % for "
            f"{', '.join(busy)}: something else was using the CPUs, the ratios are noisy"
        )
    if acc is not None:
        print_accuracy(acc, lines)
    floor = runs.get("floor")
    ratios = {f"{name}/floor": speedup(run, floor) for name, run in runs.items() if name != "floor"}
    ratios["json/drain-masked"] = speedup(runs.get("json"), runs.get("drain-masked"))
    print("  ratios of lines/s to the json floor")
    for key, value in ratios.items():
        if value is not None:
            print(f"    {key:36} {times(value):>8}")
    share = acc.share if acc else None
    matched = "n/a" if share is None else f"{100 * share:.1f} %"
    print(
        f"    error lines matched as expected      {matched:>8}"
        f"   target ≥ {100 * TARGET_MATCHED:g} %  {verdict(share, TARGET_MATCHED)}"
    )
    return {
        "runs": {name: asdict(run) | {"lines_per_s": run.rate} for name, run in runs.items()},
        "accuracy": None if acc is None else accuracy_figures(acc),
        "ratios": ratios,
        "matched_share": share,
    }


def print_overview(results: dict[str, dict[str, Any]], memory: dict[str, float]) -> list[str]:
    """The table across logs (json floor and junidiag --json lines/s, their ratio, the
    --summary ratio, errors matched, peak memory), the typical and the worst ratio, and
    the targets missed."""
    print("\n" + "=" * 100)
    head = f"{'log':12} {'floor l/s':>10} {'--json l/s':>11} {'×floor':>7} {'--summary':>10}"
    print(f"{head} {'matched':>8} {'peak MiB':>9} {'4M/1M':>6}")
    worst: tuple[float, str] | None = None
    missed = []
    for name, figures in results.items():
        runs, ratios = figures["runs"], figures["ratios"]
        rate = ratios.get("json/floor")
        if rate is not None and (worst is None or rate < worst[0]):
            worst = (rate, name)
        share = figures["matched_share"]
        if verdict(share, TARGET_MATCHED) == "MISSED":
            missed.append(f"{name}: matched")
        floor = runs.get("floor", {}).get("lines_per_s", 0)
        json_run = runs.get("json", {})
        growth = memory.get(name)
        print(
            f"{name:12} {floor:>10,.0f} {json_run.get('lines_per_s', 0):>11,.0f}"
            f" {times(rate):>7} {times(ratios.get('summary/floor')):>10}"
            f" {'n/a' if share is None else f'{100 * share:.1f} %':>8}"
            f" {json_run.get('rss_mib', 0):>9.1f} {'' if growth is None else f'{growth:.3f}':>6}"
        )
        if growth is not None and growth > TARGET_MEMORY:
            missed.append(f"{name}: memory")
    typical = results.get(TYPICAL, {}).get("ratios", {}).get("json/floor")
    print(
        f"\njunidiag --json / json floor: typical {times(typical)} (target ≥ {TARGET_TYPICAL:g}×, "
        f"{verdict(typical, TARGET_TYPICAL)}), worst {times(worst and worst[0])} on "
        f"{worst and worst[1]} (target ≥ {TARGET_WORST:g}×, "
        f"{verdict(worst and worst[0], TARGET_WORST)})"
    )
    if verdict(typical, TARGET_TYPICAL) == "MISSED":
        missed.append("typical ratio")
    if verdict(worst and worst[0], TARGET_WORST) == "MISSED":
        missed.append("worst ratio")
    return missed
