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


def test_the_startup_benchmark_times_a_shimmed_junidiag_with_a_python_floor(
    tmp_path: Path,
) -> None:
    # a pyenv shim (`#!/usr/bin/env bash`) on PATH made the floor run "/usr/bin/env bash"
    startup = _module("startup")
    shim = tmp_path / "junidiag"
    shim.write_text('#!/usr/bin/env bash\nexec python -m junidiag "$@"\n', encoding="utf-8")
    assert startup.interpreter_of(str(shim)) == sys.executable
    script = tmp_path / "installed"
    script.write_text("#!/opt/venv/bin/python3.11\nimport junidiag\n", encoding="utf-8")
    assert startup.interpreter_of(str(script)) == "/opt/venv/bin/python3.11"


def test_the_wrapped_accuracy_set_puts_every_example_in_each_wrapper() -> None:
    accuracy = _module("accuracy")
    cases = accuracy.wrapped_cases()
    kinds = {str(case["kind"]) for case in cases}
    assert kinds == set(accuracy.WRAPPERS)
    per_kind = len(cases) // len(kinds)
    assert per_kind > 700 and len(cases) == per_kind * len(kinds)
    assert all(str(case["expect"][0]).isupper() for case in cases)  # type: ignore[index]
