"""Usage errors: one `junidiag: error: …` line and at most one hint, the help printed once."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

FISCAL = "Fiscal year not available"


@pytest.mark.parametrize("args", [[], ["catalog"]], ids=["junidiag", "junidiag-catalog"])
def test_a_bare_command_prints_its_help_once_and_no_empty_error(run, args) -> None:
    result = run(*args)
    assert result.exit_code == 2  # a usage error, as SPEC §1 says; the help is the answer
    assert result.stdout.count("Usage:") == 1
    assert "Commands" in result.stdout
    assert result.stderr == ""


def test_bare_junidiag_in_a_real_process_prints_the_help_once(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "junidiag"], capture_output=True, text=True,
        env={**os.environ, "JUNIDIAG_CACHE_DIR": str(tmp_path), "COLUMNS": "100"},
    )  # fmt: skip
    assert result.returncode == 2
    assert (result.stdout + result.stderr).count("Usage:") == 1
    assert "error" not in result.stderr


USAGE_ERRORS = [
    ["list", "--severity", "crit"],
    ["list", "--severity", "bogus"],
    ["list", "--min-severity", "warn"],
    ["list", "--format", "html"],
    ["explain", "--jsn", FISCAL],
    ["explain", "--version", FISCAL],
    ["explain", ""],
    ["explain", "--summary", FISCAL],
    ["explain", "--json", "--format", "markdown", FISCAL],
    ["explian", FISCAL],
    ["show"],
    ["show", " "],
    ["catalog", "new", "ACME_X"],
    ["catalog", "chek"],
    ["--color", "sometimes", "list"],
    ["catalog", "--color", "never", "check"],
]


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=lambda a: " ".join(a) or "empty")
def test_every_usage_error_is_one_error_line_and_at_most_one_hint(run, args) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert 1 <= len(lines) <= 2, result.stderr
    assert lines[0].startswith("junidiag: error: "), lines[0]
    assert lines[0] != "junidiag: error: "
    assert "Usage:" not in result.stderr


def test_a_shortened_severity_suggests_the_whole_word(run) -> None:
    result = run("list", "--severity", "crit")
    assert result.stderr.splitlines()[1] == "Did you mean --severity critical?"
    assert "--min-severity error?" in run("list", "--min-severity", "e").stderr


def test_a_mistyped_option_suggests_the_right_one(run) -> None:
    assert run("explain", "--jsn", FISCAL).stderr.splitlines()[1] == "Did you mean --json?"


@pytest.mark.parametrize(
    "args",
    [
        ["explain", "--color", "never", FISCAL],
        ["explain", FISCAL, "--color", "never"],
        ["show", "--color", "never", "FORTNOX_FISCAL_YEAR"],
        ["list", "--color", "never", "--severity", "critical"],
    ],
)
def test_color_after_the_command_is_accepted_there(run, args) -> None:
    result = run(*args, env={"NO_COLOR": ""})
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout


def test_color_always_after_the_command_colours(run) -> None:
    result = run("show", "TOKEN_EXPIRED", "--color", "always", env={"NO_COLOR": ""})
    assert "\x1b[" in result.stdout


def test_catalog_after_the_command_is_accepted_there(run, user_catalog) -> None:
    result = run(
        "explain", "--catalog", str(user_catalog), "--json", "Lagret Öst är låst för inventering"
    )
    assert result.exit_code == 0, result.output
    assert '"id":"ACME_LOCKED"' in result.stdout
    listed = run("list", "--catalog", str(user_catalog), "--search", "ACME")
    assert "ACME_LOCKED" in listed.stdout


def test_version_after_the_command_says_to_put_it_before(run) -> None:
    result = run("list", "--version")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "junidiag: error: No such option: --version",
        "--version goes before the command: junidiag --version",
    ]


def test_an_unknown_system_is_an_error_line_like_the_rest(run) -> None:
    result = run("list", "--system", "visma")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "junidiag: error: no entry concerns the system 'visma' — "
        "did you mean Visma Business or Visma eAccounting or Visma.net?"
    )
    json_too = run("list", "--json", "--system", "fortnax")
    assert json_too.stdout.strip() == "[]"
    assert json_too.stderr.startswith("junidiag: error: no entry concerns the system 'fortnax'")


def test_summary_with_a_message_is_a_usage_error(run) -> None:
    result = run("explain", "--summary", FISCAL)
    assert result.exit_code == 2
    assert "--summary is for a log read from stdin" in result.stderr


def test_a_global_option_where_it_is_not_taken_says_to_put_it_first(run) -> None:
    result = run("catalog", "--color", "never", "check")
    assert result.stderr.splitlines()[1].startswith("--color goes before the command")
