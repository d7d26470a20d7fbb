"""The plain forms (`explain "<message>"`, `show ID`) run without Typer, and nobody can
tell: each prints exactly what the Typer command line prints, and ends the same way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import VALID_ENTRY

from junidiag.launch import plain_command

TYPER_PATH = "import sys; sys.argv[0] = 'junidiag'; from junidiag.cli import main; main()"
"""The Typer command line alone, as the console script ran it before the plain forms."""
PLAIN_PATH = "import sys; sys.argv[0] = 'junidiag'; from junidiag.launch import main; main()"


def run(program: str, args: list[str | bytes], **env: str) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **env}
    return subprocess.run(
        [sys.executable, "-c", program, *args],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env={k: v for k, v in environment.items() if v},
        timeout=120,
    )


def assert_same_as_typer(args: list[str | bytes], **env: str) -> subprocess.CompletedProcess[bytes]:
    plain = run(PLAIN_PATH, args, **env)
    typer = run(TYPER_PATH, args, **env)
    assert (plain.returncode, plain.stdout, plain.stderr) == (
        typer.returncode,
        typer.stdout,
        typer.stderr,
    )
    return plain


@pytest.mark.parametrize(
    "args",
    [
        ["explain", "Kunde inte hämta/hitta valuta"],
        ["explain", "Currency", "EUR", "and", "Currency", "SEK", "does", "not", "match"],
        ["explain", "kreditfakturan i Fortnox saknar rabattraden så beloppet blir för högt"],
        ["explain", "the weather in Gothenburg is lovely today"],
        ["explain", "[bold]Fiscal year not available[/bold] \x1b]0;pwned\x07 \u202e"],
        ["explain", b"Kunde inte h\xe4mta moms"],  # Latin-1 bytes: not UTF-8
        ["explain", "", "Fiscal year not available"],
        ["show", "FORTNOX_FISCAL_YEAR"],
        ["show", "fortnox_fiscal_year"],
        ["show", "FORTNOX_FISCAL_YR"],
        ["show", "Fiscal year not available"],
    ],
    ids=lambda args: " ".join(a if isinstance(a, str) else repr(a) for a in args)[:40],
)
def test_a_plain_form_prints_what_the_typer_command_line_prints(args) -> None:
    result = assert_same_as_typer(args)
    assert result.returncode in (0, 1)
    assert result.stdout or result.stderr


def test_a_plain_form_in_colour_prints_what_the_typer_command_line_prints() -> None:
    result = assert_same_as_typer(
        ["explain", "Fiscal year not available"], NO_COLOR="", FORCE_COLOR="1"
    )
    assert b"\x1b[" in result.stdout


def test_a_plain_form_warns_about_a_broken_user_catalog_as_typer_does(write_entry) -> None:
    folder = write_entry("ACME_LOCKED", VALID_ENTRY).parent
    write_entry("ACME_BROKEN", "id: ACME_BROKEN\nseverity: fatal\n", directory=folder)
    result = assert_same_as_typer(
        ["explain", "Lagret Syd är låst för inventering"], JUNIDIAG_CATALOG=str(folder)
    )
    assert b"ACME_LOCKED" in result.stdout
    assert b"ACME_BROKEN.yaml" in result.stderr


def test_output_that_cannot_be_written_ends_a_plain_form_as_it_ends_typer() -> None:
    program = "import os; os.close(1); " + PLAIN_PATH
    closed = run(program, ["show", "FORTNOX_FISCAL_YEAR"])
    assert closed.returncode == 1
    assert closed.stderr.decode().startswith("junidiag: error: write error:")


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["explain"],  # a log on stdin
        ["explain", "-"],
        ["explain", "--json", "Fiscal year not available"],
        ["explain", "Fiscal year not available", "-q"],
        ["explain", "--", "Fiscal year not available"],
        ["explain", ""],  # empty: a usage error, worded by Typer
        ["explain", " ", "\t"],
        ["show"],
        ["show", ""],
        ["show", "FORTNOX_FISCAL_YEAR", "--all"],
        ["show", "FORTNOX_FISCAL_YEAR", "FORTNOX_VAT_NOT_FOUND"],
        ["--color", "never", "show", "FORTNOX_FISCAL_YEAR"],
        ["list"],
        ["lst"],
        ["--help"],
        ["catalog", "check"],
    ],
)
def test_every_other_form_goes_to_the_typer_command_line(args: list[str]) -> None:
    assert plain_command(args) is None


def test_a_shell_asking_for_completions_goes_to_the_typer_command_line(monkeypatch) -> None:
    assert plain_command(["show", "FORTNOX"]) is not None
    monkeypatch.setenv("_JUNIDIAG_COMPLETE", "complete_bash")
    assert plain_command(["show", "FORTNOX"]) is None


def test_the_plain_forms_do_not_import_typer(tmp_path: Path) -> None:
    program = (
        "import sys, runpy\n"
        "sys.argv = ['junidiag', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('junidiag', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write('\\n'.join(sys.modules))\n"
    )
    for args in (["explain", "Fiscal year not available"], ["show", "FORTNOX_FISCAL_YEAR"]):
        result = run(program, args)
        modules = set(result.stderr.decode().splitlines())
        assert "junidiag.output.views" in modules  # it did run
        assert not {m for m in modules if m.split(".")[0] == "typer"}, args


def test_only_the_plain_forms_run_without_the_cyclic_garbage_collector() -> None:
    """A plain form is one short run; a log read through the Typer path may take hours,
    and keeps the collector."""
    program = (
        "import gc, runpy, sys\n"
        "sys.argv = ['junidiag', *sys.argv[1:]]\n"
        "import junidiag.cli, junidiag.commands\n"
        "junidiag.cli.main = lambda: print('typer', gc.isenabled())\n"
        "junidiag.commands.show_entry = lambda *a, **k: print('plain', gc.isenabled()) or 0\n"
        "runpy.run_module('junidiag', run_name='__main__', alter_sys=True)\n"
    )
    assert run(program, ["show", "FORTNOX_FISCAL_YEAR"]).stdout == b"plain False\n"
    assert run(program, ["explain", "-"]).stdout == b"typer True\n"
