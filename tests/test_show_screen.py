"""`show` is one screen: what a support person needs in 40 lines at 100 columns, the rest
with --all, and a pager at a terminal when it is taller than the window (issue 18,
item 4)."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CATALOG_IDS

SCREEN = 40


@pytest.mark.parametrize("entry_id", sorted(CATALOG_IDS))
def test_every_bundled_entry_fits_one_screen_at_100_columns(run, entry_id) -> None:
    result = run("show", entry_id)  # COLUMNS=100 (conftest)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) <= SCREEN, f"{entry_id}: {len(lines)} lines"
    assert max(len(line) for line in lines) <= 100


def test_the_screen_has_what_a_support_person_needs_and_all_adds_the_rest(run) -> None:
    entry = json.loads(run("show", "--json", "TOKEN_EXPIRED").stdout)
    shown = run("show", "TOKEN_EXPIRED").stdout
    for part in ("CRITICAL", "Token expiration", "Systems", "╭─ Messages", "╭─ Codes"):
        assert part in shown, part
    assert "╭─ Why" in shown and "╭─ Fix" in shown and "Related" in shown
    assert "References" in shown and "(show --all)" in shown
    assert "sv  Token har gått ut  →  Token expired" in shown  # a translation beside it
    assert "Fortnox                                 2000310  ·  2000311" in shown
    assert "How people describe it" not in shown and "Examples" not in shown
    everything = run("show", "--all", "TOKEN_EXPIRED").stdout
    assert "How people describe it" in everything and "Examples" in everything
    assert entry["symptoms"][0].split()[0] in everything
    for message in entry["messages"]:
        assert message["text"] in " ".join(everything.split())
    assert len(entry["references"]) > 3 and entry["references"][-1] in everything
    assert "Kind" in everything and "Kind" not in shown
    assert set(entry) >= {"symptoms", "examples", "counterexamples", "references", "codes"}


def pty_run(args: list[str], lines: int, pager: str, tmp_path: Path) -> tuple[int, str]:
    """`junidiag ARGS` with its output on a terminal `lines` high and 100 wide."""
    master, slave = pty.openpty()
    env = {
        **os.environ, "LINES": str(lines), "COLUMNS": "100", "PAGER": pager,
        "NO_COLOR": "1", "JUNIDIAG_CACHE_DIR": str(tmp_path / "cache"),
    }  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "junidiag", *args],
        stdout=slave, stderr=slave, stdin=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return process.wait(), _ANSI.sub("", out.decode("utf-8", "replace"))


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def paged(tmp_path: Path) -> Path:
    return tmp_path / "paged.txt"


def test_show_taller_than_the_terminal_goes_through_the_pager(tmp_path, paged) -> None:
    code, out = pty_run(["show", "TOKEN_EXPIRED"], 20, f"cat > {paged}", tmp_path)
    assert code == 0
    assert out.strip() == ""  # all of it went to the pager
    text = _ANSI.sub("", paged.read_text(encoding="utf-8"))
    assert "TOKEN_EXPIRED" in text and "╭─ Fix" in text and text.count("\n") > 20


def test_show_that_fits_is_printed_at_once(tmp_path, paged) -> None:
    code, out = pty_run(["show", "TOKEN_EXPIRED"], 60, f"cat > {paged}", tmp_path)
    assert code == 0 and "TOKEN_EXPIRED" in out
    assert not paged.exists()


def test_no_pager_and_an_empty_pager_print_at_once(tmp_path, paged) -> None:
    code, out = pty_run(["show", "--no-pager", "TOKEN_EXPIRED"], 20, f"cat > {paged}", tmp_path)
    assert code == 0 and "╭─ Fix" in out and not paged.exists()
    code, out = pty_run(["show", "TOKEN_EXPIRED"], 20, "", tmp_path)
    assert code == 0 and "╭─ Fix" in out


def test_a_pager_that_is_not_there_still_shows_the_entry(tmp_path) -> None:
    code, out = pty_run(["show", "TOKEN_EXPIRED"], 20, "no-such-pager-here -R", tmp_path)
    assert code == 0 and "╭─ Fix" in out and "not found" not in out


def test_never_a_pager_in_a_pipe(tmp_path, paged) -> None:
    env = {**os.environ, "LINES": "20", "PAGER": f"cat > {paged}"}
    env["JUNIDIAG_CACHE_DIR"] = str(tmp_path / "cache")
    for colour in ("auto", "always"):
        result = subprocess.run(
            [sys.executable, "-m", "junidiag", "--color", colour, "show", "TOKEN_EXPIRED"],
            capture_output=True, text=True, env=env,
        )  # fmt: skip
        assert result.returncode == 0 and "TOKEN_EXPIRED" in result.stdout
        assert not paged.exists(), colour
