"""The README stays true: its picture is the real output, its commands run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CATALOG_IDS, SEED_IDS

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


def readme_output(command: str) -> list[str]:
    """The lines the README shows after `$ COMMAND`, up to the next prompt or fence."""
    lines = README.splitlines()
    shown = []
    for line in lines[lines.index(f"$ {command}") + 1 :]:
        if line.startswith(("$ ", "```")):
            break
        shown.append(line)
    return shown


def printed(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def test_the_readme_log_example_is_what_junidiag_prints(run) -> None:
    log = "\n".join(readme_output("cat sync.log")) + "\n"
    result = run("explain", input=log)
    assert printed(result.stdout) == readme_output("junidiag explain < sync.log")


@pytest.mark.parametrize(
    "message",
    ["Currency EUR and Currency SEK does not match", "the weather in Gothenburg is lovely today"],
)
def test_the_readme_explain_samples_are_what_junidiag_prints_at_88_columns(
    run, monkeypatch: pytest.MonkeyPatch, message: str
) -> None:
    monkeypatch.setenv("COLUMNS", "88")  # the width of the README's panels
    result = run("explain", message)
    shown = readme_output(f'junidiag explain "{message}"')
    while shown and not shown[-1]:
        shown.pop()  # the blank line before the next sample
    assert printed(result.stdout) == shown


def test_the_readme_list_sample_is_what_junidiag_prints(run) -> None:
    result = run("list", "--severity", "critical", "--system", "shopify")
    sample = readme_output("junidiag list --severity critical --system shopify")
    assert printed(result.stdout) == sample


def test_the_readme_exit_codes_say_both_empty_inputs(run) -> None:
    assert "empty stdin (`junidiag explain < /dev/null`)" in README
    assert run("explain", input="").exit_code == 1
    assert 'an empty message (`junidiag explain ""`)' in README
    assert run("explain", "").exit_code == 2


def test_the_readme_counts_the_catalog_by_origin() -> None:
    assert f"{len(CATALOG_IDS)} entries:" in README
    assert f"**{len(SEED_IDS)} from the Junipeer error guide**" in README
    assert f"**{len(CATALOG_IDS) - len(SEED_IDS)} from the systems' own documentation**" in README
