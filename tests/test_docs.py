"""The README stays true: its picture is the real output, its commands run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_screenshot_is_what_junidiag_prints_today() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "screenshot.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


COMMANDS = [
    line.removeprefix("$ junidiag ").split("  #")[0].strip()
    for line in README.splitlines()
    if line.startswith("$ junidiag ")
    and "<" not in line
    and "|" not in line
    and "our-catalog" not in line  # a directory of the reader's own
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_readme_command_is_a_valid_command_line(run, command: str) -> None:
    import shlex

    result = run(*shlex.split(command))
    assert result.exit_code in (0, 1), (command, result.output)  # 2 would be a usage error


def test_every_command_is_documented() -> None:
    for command in ("explain", "show", "list", "catalog check", "catalog new"):
        assert re.search(rf"### `junidiag {command}", README) or f"`{command}" in README, command
