"""The benchmark scripts keep working: they are how the speed targets are shown."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _module(name: str):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCH))


def test_the_html_report_benchmark_makes_its_log_once_and_then_reuses_it(tmp_path: Path) -> None:
    html_report = _module("html_report")
    log = html_report.generated_log(300, tmp_path)
    assert log.name.startswith("typical-300-seed")
    assert len(log.read_bytes().splitlines()) == 300
    stamp = log.stat().st_mtime_ns
    assert html_report.generated_log(300, tmp_path) == log
    assert log.stat().st_mtime_ns == stamp  # reused, not written again
