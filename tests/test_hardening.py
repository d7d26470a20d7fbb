"""Hardening (SPEC §5, issue 7): every bad input gets a clear answer, never a traceback,
never an escape sequence sent raw to the terminal.

Most cases run in-process through CliRunner (the `run` fixture); pipes, signals,
argument-length limits and FORCE_COLOR terminals run the installed `junidiag` in
real subprocesses. "Safe output" means: after junidiag's own SGR colour codes
(`ESC [ … m`) are removed, no C0 control other than newline and tab, no DEL, no C1
control, no raw bidi override or isolate and no undecodable byte is left.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import VALID_ENTRY, broken
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import junidiag
from junidiag import matching

# --- helpers -------------------------------------------------------------------------

SGR = re.compile(r"\x1b\[[0-9;]*m")
"""The only escape sequences junidiag may write itself: colours and text styles."""
UNSAFE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\udc80-\udcff]"
)
"""C0 (but \\n and \\t), DEL, C1, bidi marks/overrides/isolates, undecodable bytes."""

COLOUR_ENV = {"NO_COLOR": None, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLORTERM": None}
FISCAL = "Fiscal year not available"


def junidiag_command() -> list[str]:
    script = Path(sys.executable).with_name("junidiag")
    return [str(script)] if script.exists() else [sys.executable, "-m", "junidiag"]


JUNIDIAG = junidiag_command()


def as_text(data: bytes | str) -> str:
    return data if isinstance(data, str) else data.decode("utf-8", "surrogateescape")


def unsafe_chars(data: bytes | str) -> list[str]:
    """What would reach the terminal raw, besides junidiag's own colour codes."""
    left = SGR.sub("", as_text(data))
    return [left[max(0, m.start() - 15) : m.end() + 15] for m in UNSAFE.finditer(left)]


def assert_safe(data: bytes | str, *, coloured: bool = False) -> None:
    text = as_text(data)
    assert unsafe_chars(text) == [], "raw control characters in the output"
    assert "\x1b]" not in text and "\x1b[2J" not in text
    assert "Traceback" not in text
    if coloured:
        assert SGR.search(text), "colour was forced, but no colour code was written"


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("junidiag:")]


def cli_env(*, coloured: bool = False, **extra: str) -> dict[str, str]:
    """The test process's environment (conftest's cache dir) for a real subprocess."""
    drop = {"NO_COLOR", "FORCE_COLOR", "COLORTERM", "JUNIDIAG_DEBUG", "JUNIDIAG_CATALOG", "TERM"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(TERM="xterm-256color", COLUMNS="100")
    if coloured:
        env["FORCE_COLOR"] = "1"
    else:
        env["NO_COLOR"] = "1"
    env.update(extra)
    return env


def cli(
    *args: str,
    input: bytes | None = None,
    coloured: bool = False,
    timeout: float = 60,
    **env: str,
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*JUNIDIAG, *args],
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
        capture_output=True,
        env=cli_env(coloured=coloured, **env),
        timeout=timeout,
    )


LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def expected_lines(data: bytes) -> list[str]:
    """The lines SPEC §1 promises for stdin: \\n, \\r\\n or a lone \\r ends a line, plus a
    final unterminated line; each decoded with replacement."""
    parts = LINE_BREAK.split(data)
    if parts[-1] == b"":
        parts.pop()
    return [part.decode("utf-8", "replace") for part in parts]


def json_lines(stdout: bytes) -> list[dict]:
    """JSON Lines split on \\n only: U+2028 inside a text must not count as a line break."""
    assert stdout == b"" or stdout.endswith(b"\n")
    return [json.loads(line) for line in stdout.split(b"\n")[:-1]]


# --- §5 row 1: an empty message, only whitespace; empty stdin ------------------------


@pytest.mark.parametrize(
    "words",
    [[""], ["", " "], ["\u00a0\u3000"], [" \r\n\t "]],
    ids=["empty", "two-blank-words", "unicode-spaces", "cr-lf-tab"],
)
def test_blank_message_is_one_usage_error_line_exit_2(run, words) -> None:
    result = run("explain", *words)
    assert result.exit_code == 2
    assert result.stdout == ""
    errors = error_lines(result.stderr)
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("junidiag: error:") and "empty" in errors[0]
    assert "Traceback" not in result.stderr


def test_blank_message_in_a_real_process() -> None:
    result = cli("explain", "  ")
    assert result.returncode == 2
    assert result.stdout == b""
    errors = error_lines(result.stderr.decode())
    assert len(errors) == 1 and "empty" in errors[0]


@pytest.mark.parametrize("args", [["explain"], ["explain", "-"], ["explain", "--json"]])
def test_empty_stdin_is_one_sentence_exit_1(run, args) -> None:
    result = run(*args, input=b"")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].endswith(".") and "empty" in lines[0]


def test_empty_stdin_in_a_real_process() -> None:
    result = cli("explain", input=b"")
    assert result.returncode == 1
    assert result.stdout == b""
    assert len(result.stderr.strip().splitlines()) == 1


def test_blank_lines_on_stdin_are_lines_not_empty_input(run) -> None:
    result = run("explain", "--json", input=b"\n  \n\t\n")
    assert result.exit_code == 1
    objects = json_lines(result.stdout_bytes)
    assert [(o["line"], o["text"], o["match"]) for o in objects] == [
        (1, "", None),
        (2, "  ", None),
        (3, "\t", None),
    ]
    human = run("explain", input=b"\n  \n\t\n")
    assert human.exit_code == 1
    assert "3 lines" in human.stdout


# --- §5 row 2: invalid UTF-8 and binary bytes on stdin ---------------------------------

BINARY_LOG = (
    b"a\x00b\xff\xfe\r\n"  # NUL, invalid bytes, CRLF
    + FISCAL.encode()
    + b"\x00\r"  # a catalog message, NUL, CR-only ending
    + "Kunde inte hämta moms".encode()
    + b"\xc3\n"  # a cut-off UTF-8 sequence
    + b"\n"  # an empty line
    + b"\r"  # an empty CR-only line
    + "Kunde inte hämta valuta".encode("latin-1")  # Latin-1, not UTF-8
    + b"\r\n"
    + b"\x1b[31m\x07\x9b\x7f\xe2\x80\xae"  # ESC, BEL, a raw C1 byte, DEL, U+202E
    + b"\r\n"
    + b"last line without a break"
)
BINARY_EXPECTED = [
    (1, "a\x00b\ufffd\ufffd", None),
    (2, FISCAL + "\x00", "FORTNOX_FISCAL_YEAR"),
    (3, "Kunde inte hämta moms\ufffd", "FORTNOX_VAT_NOT_FOUND"),
    (4, "", None),
    (5, "", None),
    (6, "Kunde inte h\ufffdmta valuta", "ANY"),
    (7, "\x1b[31m\x07\ufffd\x7f\u202e", None),
    (8, "last line without a break", None),
]


def check_binary_json(stdout: bytes) -> None:
    objects = json_lines(stdout)
    assert [o["line"] for o in objects] == list(range(1, len(BINARY_EXPECTED) + 1))
    for found, (number, text, entry_id) in zip(objects, BINARY_EXPECTED, strict=True):
        assert found["text"] == text, number
        if entry_id is None:
            assert found["match"] is None, number
        elif entry_id != "ANY":
            assert found["match"] is not None and found["match"]["id"] == entry_id, number
    assert b"\x1b" not in stdout and b"\x07" not in stdout and b"\x00" not in stdout


def test_binary_stdin_is_decoded_with_replacement_in_process(run) -> None:
    result = run("explain", "--json", input=BINARY_LOG)
    assert result.exit_code == 0
    check_binary_json(result.stdout_bytes)
    assert result.stderr == ""


def test_binary_stdin_is_decoded_with_replacement_through_a_pipe() -> None:
    result = cli("explain", "--json", input=BINARY_LOG)
    assert result.returncode == 0, result.stderr
    check_binary_json(result.stdout)
    assert result.stderr == b""


def test_binary_stdin_human_view_is_safe_and_finds_the_messages(run) -> None:
    result = run("explain", input=BINARY_LOG)
    assert result.exit_code == 0
    assert "FORTNOX_FISCAL_YEAR" in result.stdout and "FORTNOX_VAT_NOT_FOUND" in result.stdout
    assert_safe(result.stdout_bytes + result.stderr_bytes)
    coloured = run("--color", "always", "explain", input=BINARY_LOG, env=COLOUR_ENV)
    assert coloured.exit_code == 0
    assert_safe(coloured.stdout_bytes + coloured.stderr_bytes, coloured=True)


CHUNK = 1 << 16


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"one\rtwo\rthree", ["one", "two", "three"]),
        (b"one\r\ntwo\r\n", ["one", "two"]),
        (b"one\n\rtwo\r\r\n", ["one", "", "two", ""]),
        (b"\r", [""]),
        (b"form\x0cfeed\x0bvt\x1c\x1d\x1e\x85\xe2\x80\xa8end", None),  # no line breaks
        (b"x" * (CHUNK - 1) + b"\r\n" + FISCAL.encode() + b"\r\n", ["x" * (CHUNK - 1), FISCAL]),
        (b"x" * (CHUNK - 1) + b"\r" + FISCAL.encode(), ["x" * (CHUNK - 1), FISCAL]),
        (b"x" * (CHUNK - 1) + "ä\n".encode(), ["x" * (CHUNK - 1) + "ä"]),
    ],
    ids=[
        "cr-only", "crlf", "mixed", "lone-cr", "other-separators",
        "crlf-across-chunks", "cr-at-chunk-end", "utf8-across-chunks",
    ],
)  # fmt: skip
def test_line_endings_give_one_object_per_line(run, data, expected) -> None:
    expected = expected if expected is not None else expected_lines(data)
    assert expected == expected_lines(data)  # the helper agrees with the hand-written list
    result = run("explain", "--json", input=data)
    assert result.exit_code in (0, 1)
    objects = json_lines(result.stdout_bytes)
    assert [o["text"] for o in objects] == expected
    assert [o["line"] for o in objects] == list(range(1, len(expected) + 1))
    if FISCAL in expected:
        assert objects[expected.index(FISCAL)]["match"]["id"] == "FORTNOX_FISCAL_YEAR"


# --- §5 row 3: a 50 MB single line; very long arguments --------------------------------


def test_a_50_mb_line_on_stdin_is_diagnosed_in_bounded_time_and_memory() -> None:
    filler = b" lorem ipsum dolor sit amet"
    line = FISCAL.encode() + filler * (50_000_000 // len(filler)) + b"\n"
    assert len(line) >= 50_000_000
    started = time.perf_counter()
    result = cli("explain", "--json", input=line, timeout=120)
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr[:500]
    assert result.stderr == b""
    objects = json_lines(result.stdout)
    assert len(objects) == 1
    assert objects[0]["line"] == 1
    assert objects[0]["match"]["id"] == "FORTNOX_FISCAL_YEAR"
    assert len(objects[0]["text"]) == len(line) - 1  # nothing lost
    # Issue 7 says "under 20 seconds"; the work is linear and takes ~1 s when done
    # so: well under 20 s leaves room for slow machines without hiding a quadratic read.
    assert elapsed < 10, f"a 50 MB line took {elapsed:.1f} s"
    if sys.platform == "linux":
        import resource

        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        assert peak_mib < 400, f"peak memory of a child was {peak_mib:.0f} MiB"


def test_a_5_mb_line_in_the_human_view_prints_a_short_line() -> None:
    line = FISCAL.encode() + b" lorem ipsum" * (5_000_000 // 12) + b"\n"
    started = time.perf_counter()
    result = cli("explain", input=line, timeout=60)
    assert time.perf_counter() - started < 10
    assert result.returncode == 0
    assert b"FORTNOX_FISCAL_YEAR" in result.stdout
    assert len(result.stdout) < 10_000
    assert max(len(line) for line in result.stdout.decode().splitlines()) <= 100


def test_an_argument_as_long_as_linux_allows_in_a_real_process() -> None:
    # Linux caps one argument at 128 KiB (MAX_ARG_STRLEN), the terminating NUL included.
    filler = " lorem ipsum"
    message = FISCAL + filler * ((120 * 1024 - len(FISCAL)) // len(filler))
    assert 119 * 1024 < len(message.encode()) <= 120 * 1024
    started = time.perf_counter()
    found = cli("explain", "--json", message, timeout=60)
    assert found.returncode == 0, found.stderr[:500]
    assert json.loads(found.stdout)["matches"][0]["id"] == "FORTNOX_FISCAL_YEAR"
    human = cli("explain", message, timeout=60)
    assert human.returncode == 0
    assert b"FORTNOX_FISCAL_YEAR" in human.stdout and len(human.stdout) < 20_000
    nothing = cli("explain", filler * (120 * 1024 // len(filler)), timeout=60)
    assert nothing.returncode == 1
    assert b"No confident match" in nothing.stdout and len(nothing.stdout) < 5_000
    assert time.perf_counter() - started < 15


@pytest.mark.parametrize("mib", [4])
def test_an_argument_of_several_mib_in_process(run, mib) -> None:
    filler = " lorem ipsum dolor sit amet"
    message = FISCAL + filler * (mib * 2**20 // len(filler))
    started = time.perf_counter()
    found = run("explain", "--json", message)
    assert found.exit_code == 0
    assert json.loads(found.stdout)["matches"][0]["id"] == "FORTNOX_FISCAL_YEAR"
    human = run("explain", message)
    assert human.exit_code == 0 and "FORTNOX_FISCAL_YEAR" in human.stdout
    assert len(human.stdout) < 20_000
    nothing = run("explain", "x" * mib * 2**20)
    assert nothing.exit_code == 1 and len(nothing.stdout) < 5_000
    assert time.perf_counter() - started < 10


# --- §5 row 4: Rich markup and terminal escapes are printed literally, never interpreted

HOSTILE_FOUND = {
    "bold-markup": f"[bold]{FISCAL}[/bold]",
    "link-markup": f"[link=https://evil.example]{FISCAL}[/link]",
    "unbalanced-close": f"{FISCAL} [/] [/bold]",
    "osc-title-and-clear": f"\x1b]0;pwned\x07{FISCAL} \x1b[2J",
    "osc8-hyperlink": f"\x1b]8;;https://evil.example\x1b\\{FISCAL}\x1b]8;;\x1b\\",
    "c1-del-bidi": f"{FISCAL} \x9b2J \x9d0;t\x9c \x7f \u202edesrever \u2067x\u2069",
    "carriage-return": f"{FISCAL}\rFAKE: all good",
}
HOSTILE_NOT_FOUND = {
    "markup": "[bold]the weather[/bold] in [link=https://evil.example]Gothenburg[/link] [/]",
    "escapes": "the weather \x1b[31mred\x1b[0m \x1b]0;pwned\x07 \x9b2J \x7f \u202eevil\rFAKE",
}


def test_hostile_text_that_matches_still_finds_the_entry(run) -> None:
    for name, text in HOSTILE_FOUND.items():
        result = run("explain", "--json", text)
        assert result.exit_code == 0, name
        assert json.loads(result.stdout)["matches"][0]["id"] == "FORTNOX_FISCAL_YEAR", name


@pytest.mark.parametrize("coloured", [False, True], ids=["plain", "colour"])
@pytest.mark.parametrize(
    "text",
    [*HOSTILE_FOUND.values(), *HOSTILE_NOT_FOUND.values()],
    ids=[*HOSTILE_FOUND, *HOSTILE_NOT_FOUND],
)
def test_hostile_argument_is_never_sent_raw(run, text, coloured) -> None:
    if coloured:
        result = run("--color", "always", "explain", text, env=COLOUR_ENV)
    else:
        result = run("explain", text)
    assert result.exit_code in (0, 1)
    assert_safe(result.stdout_bytes + result.stderr_bytes, coloured=coloured)


def test_markup_in_an_unmatched_argument_is_printed_literally(run) -> None:
    result = run("explain", HOSTILE_NOT_FOUND["markup"])
    assert result.exit_code == 1
    assert "[bold]the weather[/bold] in [link=https://evil.example]Gothenburg[/link] [/]" in (
        result.stdout
    )


def test_escapes_in_an_unmatched_argument_are_shown_in_visible_notation(run) -> None:
    result = run("explain", HOSTILE_NOT_FOUND["escapes"])
    assert result.exit_code == 1
    out = result.stdout
    assert "pwned" in out and "evil" in out and "FAKE" in out  # shown, not dropped
    assert "^[]0;pwned" in out or "\\x1b]0;pwned" in out
    assert_safe(result.stdout_bytes)


@pytest.mark.parametrize("coloured", [False, True], ids=["plain", "colour"])
def test_hostile_lines_on_stdin_are_never_sent_raw(run, coloured) -> None:
    data = "\n".join([*HOSTILE_FOUND.values(), *HOSTILE_NOT_FOUND.values()]).encode()
    args = ("--color", "always", "explain") if coloured else ("explain",)
    result = run(*args, input=data, env=COLOUR_ENV if coloured else None)
    assert result.exit_code == 0
    assert "FORTNOX_FISCAL_YEAR" in SGR.sub("", result.stdout)
    assert_safe(result.stdout_bytes + result.stderr_bytes, coloured=coloured)


def test_hostile_lines_on_stdin_keep_their_text_in_json(run) -> None:
    texts = [*HOSTILE_FOUND.values(), *HOSTILE_NOT_FOUND.values()]
    data = "\n".join(t.replace("\r", " ") for t in texts).encode()
    result = run("explain", "--json", input=data)
    objects = json_lines(result.stdout_bytes)
    assert [o["text"] for o in objects] == [t.replace("\r", " ") for t in texts]
    assert b"\x1b" not in result.stdout_bytes and b"\x07" not in result.stdout_bytes


HOSTILE_ENTRY = r"""
    id: ACME_HOSTILE
    title: "Locked \e]0;pwned\a [bold]warehouse[/bold] \u202eevil"
    severity: critical
    kind: pattern
    systems: ["Fort\e[2Jnox", "[link=https://evil.example]Shop[/link]"]
    messages:
      - text: Lagret {warehouse} är låst för inventering
        lang: sv
        translation: "The warehouse {warehouse} is \x9b2J locked [/] for stocktaking"
    cause: "Someone \e[2J started [link=https://evil.example]a stocktaking[/link] \x7f \x9d0;t\x9c. OAuth token."
    solution:
      - "Finish \e]0;pwned\a the stocktaking [/], then retry \u202e the task."
      - "Open \e]8;;https://evil.example\e\\the warehouse\e]8;;\e\\ and \r overwrite."
    symptoms:
      - "stock \e[31mcannot\e[0m be moved [bold]"
    related: []
    examples:
      - Lagret Syd är låst för inventering
      - "Lagret \e]0;pwned\a Syd är låst för inventering"
"""  # noqa: E501
HOSTILE_TITLE = "Locked \x1b]0;pwned\x07 [bold]warehouse[/bold] \u202eevil"
HOSTILE_LOG = (
    "Lagret Syd är låst för inventering\n"
    "Lagret \x1b]0;pwned\x07[bold]Nord[/bold]\u202e är låst för inventering\n"
    f"{FISCAL}\n"
).encode()


@pytest.fixture
def hostile_catalog(write_entry) -> Path:
    return write_entry("ACME_HOSTILE", HOSTILE_ENTRY).parent


def hostile_commands(catalog: Path) -> Iterator[tuple[list[str], bytes | None]]:
    yield ["--catalog", str(catalog), "show", "acme_hostile"], None
    yield ["--catalog", str(catalog), "list"], None
    yield ["--catalog", str(catalog), "list", "--search", "lagret"], None
    yield ["--catalog", str(catalog), "explain", "Lagret Syd är låst för inventering"], None
    variable = "Lagret \x1b]0;pwned\x07[bold]Nord[/bold]\u202e är låst för inventering"
    yield ["--catalog", str(catalog), "explain", variable], None
    yield ["--catalog", str(catalog), "explain", "stock cannot be moved"], None
    yield ["--catalog", str(catalog), "explain"], HOSTILE_LOG
    yield ["--catalog", str(catalog), "catalog", "check", str(catalog)], None


def test_hostile_user_catalog_loads_and_show_prints_it_literally(run, hostile_catalog) -> None:
    result = run("--catalog", str(hostile_catalog), "show", "ACME_HOSTILE")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "[bold]warehouse[/bold]" in out and "[link=https://evil.example]" in out
    assert "pwned" in out and ("^[" in out or "\\x1b" in out)
    assert_safe(result.stdout_bytes + result.stderr_bytes)
    data = json.loads(
        run("--catalog", str(hostile_catalog), "show", "--json", "ACME_HOSTILE").stdout
    )
    assert data["title"] == HOSTILE_TITLE  # machine output keeps the data exactly
    found = run("--catalog", str(hostile_catalog), "explain", "--json", HOSTILE_LOG.decode()[:34])
    assert json.loads(found.stdout)["matches"][0]["id"] == "ACME_HOSTILE"  # its panels render


@pytest.mark.parametrize("coloured", [False, True], ids=["plain", "colour"])
def test_hostile_user_catalog_is_never_sent_raw(run, hostile_catalog, coloured) -> None:
    for args, stdin in hostile_commands(hostile_catalog):
        if coloured:
            result = run("--color", "always", *args, input=stdin, env=COLOUR_ENV)
        else:
            result = run(*args, input=stdin)
        assert result.exit_code in (0, 1), (args, result.stderr)
        assert_safe(result.stdout_bytes + result.stderr_bytes, coloured=coloured)


@pytest.mark.parametrize(
    "args",
    [
        ["show", "\x1b]0;pwned\x07FISCAL\u202e"],
        ["list", "--severity", "\x1b[2J"],
        ["explain", "--\x1b]0;pwned\x07"],
        ["--catalog", "/nowhere/\x1b]0;pwned\x07\x1b[2J", "list"],
        ["list", "--system", "\x1b]0;pwned\x07"],
        ["list", "--search", "[bold]\x1b[2J\x9b"],
        ["--color", "\x1b[2J", "list"],
    ],
    ids=["show-id", "severity", "option", "catalog-dir", "system", "search", "color"],
)
def test_hostile_text_in_errors_is_never_sent_raw(run, args) -> None:
    result = run(*args)
    assert result.exit_code in (0, 1, 2)  # a missing --catalog directory is a warning
    assert len(error_lines(result.stderr)) <= 1
    assert_safe(result.stdout_bytes + result.stderr_bytes)
    coloured = run(*args, env=COLOUR_ENV)
    assert_safe(coloured.stdout_bytes + coloured.stderr_bytes)


def test_hostile_catalog_file_problems_are_never_sent_raw(run, write_entry, tmp_path) -> None:
    key = write_entry(
        "ACME_LOCKED",
        VALID_ENTRY.replace("kind: pattern", 'kind: pattern\n    "\\e]0;pwned\\a\\e[2J": x'),
    )
    result = run("catalog", "check", str(key.parent))
    assert result.exit_code == 2
    assert error_lines(result.stderr) == [result.stderr.strip()]
    assert "pwned" in result.stderr
    assert_safe(result.stdout_bytes + result.stderr_bytes)
    named = tmp_path / "named"
    write_entry("ACME_\x1b]0;pwned\x07", VALID_ENTRY, directory=named)
    result = run("catalog", "check", str(named))
    assert result.exit_code == 2
    assert_safe(result.stdout_bytes + result.stderr_bytes)


# The two acceptance commands, exactly as a person types them.


def test_acceptance_osc_title_and_clear_screen_on_stdin_with_force_color() -> None:
    result = cli(
        "explain", input=b"\x1b]0;pwned\x07Fiscal year not available \x1b[2J\n", coloured=True
    )
    assert result.returncode == 0, result.stderr
    assert "FORTNOX_FISCAL_YEAR" in SGR.sub("", result.stdout.decode())
    for stream in (result.stdout, result.stderr):
        assert b"\x1b]" not in stream and b"\x1b[2J" not in stream
        assert_safe(stream)
    assert SGR.search(result.stdout.decode()), "FORCE_COLOR=1 wrote no colour"


def test_acceptance_rich_link_markup_in_an_argument_with_force_color() -> None:
    result = cli(
        "explain", "[link=https://evil.example]Fiscal year not available[/link]", coloured=True
    )
    assert result.returncode == 0, result.stderr
    assert b"FORTNOX_FISCAL_YEAR" in result.stdout
    assert b"\x1b]8" not in result.stdout + result.stderr
    assert_safe(result.stdout + result.stderr, coloured=True)


@pytest.mark.parametrize("mode", ["FORCE_COLOR", "--color always"])
def test_hostile_input_in_a_real_coloured_terminal_process(hostile_catalog, mode) -> None:
    front = ["--color", "always"] if mode.startswith("--") else []
    coloured = mode == "FORCE_COLOR"
    texts = [*HOSTILE_FOUND.values(), *HOSTILE_NOT_FOUND.values()]
    jobs: list[tuple[list[str], bytes | None]] = [(["explain", text], None) for text in texts]
    jobs.append((["explain"], "\n".join(texts).encode()))
    jobs += list(hostile_commands(hostile_catalog))
    with ThreadPoolExecutor(max_workers=4) as pool:  # independent processes, run side by side
        runs = list(
            pool.map(lambda job: cli(*front, *job[0], input=job[1], coloured=coloured), jobs)
        )
    for result in runs:
        assert result.returncode in (0, 1), (result.args, result.stderr)
        assert_safe(result.stdout + result.stderr, coloured=True)


# --- §5 row 5: `| head -1` ----------------------------------------------------------


@pytest.fixture(scope="module")
def long_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("logs") / "long.log"
    lines = [f"2026-01-02T07:15:{n % 60:02d}Z ERROR task {n}: {FISCAL}" for n in range(200_000)]
    path.write_text("\n".join(lines) + "\n")
    return path


def piped_to_head(command: str, reader: str = "head -1") -> subprocess.CompletedProcess[bytes]:
    """Run `command | reader` in bash; the result's returncode is junidiag's own status."""
    if shutil.which("bash") is None or shutil.which("head") is None:
        pytest.skip("needs bash and head")
    script = f'{command} | {reader} > /dev/null; exit "${{PIPESTATUS[0]}}"'
    return subprocess.run(["bash", "-c", script], capture_output=True, env=cli_env(), timeout=120)


HEAD_COMMANDS = {
    "list": ("list", "head -1"),
    "list-json": ("list --json", "head -c 100"),
    "list-colour": ("--color always list", "head -1"),
    "show": ("show FORTNOX_FISCAL_YEAR", "head -1"),
    "explain": (f"explain {shlex.quote(FISCAL)}", "head -1"),
    "explain-json": (f"explain --json {shlex.quote(FISCAL)}", "head -c 10"),
    "help": ("--help", "head -1"),
    "long-stdin-json": ("explain --json < {log}", "head -1"),
    "long-stdin": ("explain < {log}", "head -1"),
    "long-stdin-colour": ("--color always explain < {log}", "head -1"),
}


@pytest.mark.parametrize("name", list(HEAD_COMMANDS))
def test_piped_into_head_exits_quietly(name, long_log) -> None:
    args, reader = HEAD_COMMANDS[name]
    result = piped_to_head(f"{shlex.join(JUNIDIAG)} {args.format(log=long_log)}", reader)
    assert b"Traceback" not in result.stderr
    assert b"BrokenPipe" not in result.stderr and b"Exception ignored" not in result.stderr
    assert result.stderr == b""
    # Quiet: success as the command would have ended, or SIGPIPE's 141 as cat and grep
    # give -- never 1, which means "nothing matched" to a script using `set -o pipefail`.
    assert result.returncode in (0, 141), f"exit {result.returncode}"


CLOSED_PIPE_COMMANDS = {
    "list": (["list"], None),
    "list-json": (["list", "--json"], None),
    "show": (["show", "FORTNOX_FISCAL_YEAR"], None),
    "show-json": (["show", "--json", "FORTNOX_FISCAL_YEAR"], None),
    "explain": (["explain", FISCAL], None),
    "explain-json": (["explain", "--json", FISCAL], None),
    "stdin": (["explain"], f"{FISCAL}\n".encode() * 2000),
    "stdin-json": (["explain", "--json"], f"{FISCAL}\n".encode() * 2000),
    "version": (["--version"], None),
    "help": (["--help"], None),
}


@pytest.mark.parametrize("name", list(CLOSED_PIPE_COMMANDS))
def test_reader_gone_before_the_first_write_exits_quietly(name) -> None:
    """A reader that closed before junidiag wrote anything: every write hits EPIPE."""
    args, data = CLOSED_PIPE_COMMANDS[name]
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [*JUNIDIAG, *args],
            input=data,
            stdin=None if data is not None else subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=cli_env(),
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert b"Traceback" not in result.stderr and b"BrokenPipe" not in result.stderr
    assert result.stderr == b""
    assert result.returncode in (0, 141), f"exit {result.returncode}"


# --- §5 row 6: Ctrl-C during a long stdin run -------------------------------------------


def interrupt_after_first_line(
    args: list[str], number: int = signal.SIGINT
) -> tuple[int, bytes, bytes]:
    """Start a stdin run, wait for its first answer, press Ctrl-C (or send `number`) with
    stdin still open."""
    process = subprocess.Popen(
        [*JUNIDIAG, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
    )
    watchdog = threading.Timer(30, process.kill)
    watchdog.start()
    try:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(f"{FISCAL}\nsome routine line\n".encode())
        process.stdin.flush()
        first = process.stdout.readline()  # answered without waiting for more input
        assert first, "no answer before stdin ended"
        process.send_signal(number)
        rest = process.stdout.read()
        assert process.stderr is not None
        err = process.stderr.read()
        code = process.wait(timeout=30)
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
        if process.stdin is not None:
            process.stdin.close()
    return code, first + rest, err


def test_ctrl_c_prints_the_summary_so_far_and_exits_130() -> None:
    code, out, err = interrupt_after_first_line(["explain"])
    assert code == 130
    assert b"Traceback" not in out + err and b"KeyboardInterrupt" not in out + err
    assert b"Aborted!" not in out + err
    text = out.decode()
    assert "FORTNOX_FISCAL_YEAR" in text
    assert text.endswith("\n") and "summary so far" not in text  # the output: whole lines
    # the summary so far, on stderr (SPEC §1), with its table and a notice
    summary = err.decode()
    assert "Interrupted after 2 lines; summary so far:" in summary
    assert "1 of 2 lines matched 1 known error:" in summary
    assert any(r.startswith("FORTNOX_FISCAL_YEAR") and "│" in r for r in summary.splitlines())


def test_ctrl_c_in_json_mode_keeps_whole_objects_and_one_notice() -> None:
    code, out, err = interrupt_after_first_line(["explain", "--json"])
    assert code == 130
    assert b"Traceback" not in out + err and b"Aborted!" not in out + err
    objects = json_lines(out)
    assert [o["line"] for o in objects] == list(range(1, len(objects) + 1))
    assert objects[0]["match"]["id"] == "FORTNOX_FISCAL_YEAR"
    notice = err.decode().strip().splitlines()
    assert len(notice) == 1 and "nterrupted" in notice[0]


# --- §5 row 7: catalog errors (what tests/test_validation.py does not cover yet) ---------


CATALOG_CASES = [
    pytest.param(
        broken(VALID_ENTRY, "systems: [Fortnox]", "systems: *fortnox"),
        ":5: YAML aliases (*fortnox) are not allowed",
        id="alias-without-anchor",
    ),
    pytest.param(
        broken(
            VALID_ENTRY,
            "  - text: Lagret {warehouse} är låst för inventering\n"
            "        lang: sv\n"
            "        translation: The warehouse {warehouse} is locked for stocktaking\n",
            "  - Lagret är låst för inventering\n",
        ),
        ":7: messages: each message is a mapping with text and lang",
        id="message-is-a-string",
    ),
    pytest.param(
        broken(
            VALID_ENTRY,
            "solution:\n      - Finish the stocktaking, then retry the task.",
            "solution: Finish the stocktaking",
        ),
        ":12: solution: must be a list (write [] for none)",
        id="solution-is-a-string",
    ),
    pytest.param(
        broken(
            VALID_ENTRY,
            "cause: >-\n      Someone started a stocktaking in the warehouse.",
            "cause: [someone, started, it]",
        ),
        ":10: cause: must be text, not a list or mapping",
        id="cause-is-a-list",
    ),
    pytest.param(
        broken(VALID_ENTRY, "lang: sv", "lang: de"),
        ":8: messages.lang: 'de' is not one of en, sv, no",
        id="bad-lang",
    ),
    pytest.param(
        "- id: ACME_LOCKED\n- title: x\n", ":1: an entry must be a mapping", id="list-not-mapping"
    ),
    pytest.param("", ":1: an entry must be a mapping", id="empty-file"),
    pytest.param(
        textwrap.dedent(VALID_ENTRY) + "---\nid: ACME_LOCKED\n",
        ":19: only one YAML document",
        id="two-documents",
    ),
    pytest.param("? [a, b]\n: c\n", ":1: mapping keys must be plain text", id="list-as-key"),
    pytest.param(
        broken(VALID_ENTRY, "title: Warehouse", "title: Ware\x1b[2Jhouse"),
        ":2:",
        id="raw-control-character",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CATALOG_CASES)
def test_more_broken_files_are_one_line_naming_file_and_line(
    run, write_entry, text, expected
) -> None:
    path = write_entry("ACME_LOCKED", text)
    result = run("catalog", "check", str(path.parent))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one line, nothing after it
    assert lines[0].startswith(f"junidiag: error: {path}{expected}"), lines[0]
    assert_safe(result.stderr_bytes)
    shown = run("--catalog", str(path.parent), "show", "ACME_LOCKED")
    assert shown.exit_code == 1  # left out with a warning; the rest of the catalog serves
    warning = shown.stderr.splitlines()[0]
    assert warning.startswith(lines[0].replace("junidiag: error:", "junidiag: warning:"))
    assert_safe(shown.stderr_bytes)


def test_a_file_that_is_not_utf8_names_the_line_of_the_bad_byte(run, write_entry) -> None:
    path = write_entry("ACME_LOCKED", VALID_ENTRY)
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))  # "ä" on line 7
    result = run("catalog", "check", str(path.parent))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "UTF-8" in lines[0]
    assert lines[0].startswith(f"junidiag: error: {path}:7:"), lines[0]


def test_binary_garbage_as_a_catalog_file_is_one_line(run, tmp_path) -> None:
    folder = tmp_path / "garbage"
    folder.mkdir()
    path = folder / "ACME_LOCKED.yaml"
    path.write_bytes(bytes(range(256)) * 4)
    result = run("catalog", "check", str(folder))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"junidiag: error: {path}:"), result.stderr
    assert_safe(result.stderr_bytes)


# --- §5 row 8: unknown id for show, unknown severity for list -------------------------------


def test_unknown_id_suggests_and_exits_1(run) -> None:
    result = run("show", "fortnox_fiscal_yeer")
    assert result.exit_code == 1
    assert result.stdout == ""
    errors = error_lines(result.stderr)
    assert len(errors) == 1 and "did you mean FORTNOX_FISCAL_YEAR" in errors[0]


def test_unknown_severity_is_a_usage_error_exit_2(run) -> None:
    result = run("list", "--severity", "fatal")
    assert result.exit_code == 2
    assert result.stdout == ""
    errors = error_lines(result.stderr)
    assert len(errors) == 1 and "critical" in errors[0]


# --- §5 row 9: tracebacks never show local variables ---------------------------------------

SECRET = "s3cr3t-9f8e7d"


def exploding_diagnose(self, text: str, look=None):  # replaces Matcher.diagnose
    api_token = os.environ["JUNIPEER_API_TOKEN"]  # a secret in a local variable
    assert api_token
    raise RuntimeError("the matcher fell over")


def one_line_crash_report(result_stdout: str, result_stderr: str) -> None:
    assert SECRET not in result_stdout + result_stderr
    assert "Traceback" not in result_stderr
    lines = result_stderr.strip().splitlines()
    assert len(lines) == 1, result_stderr
    assert "RuntimeError" in lines[0] and "report" in lines[0]
    assert "JUNIDIAG_DEBUG=1" in lines[0]


@pytest.mark.parametrize(
    "args, stdin",
    [(["explain", FISCAL], None), (["explain", "--json", FISCAL], None), (["explain"], FISCAL)],
    ids=["explain", "explain-json", "stdin"],
)
def test_internal_error_is_one_line_without_locals(run, monkeypatch, args, stdin) -> None:
    monkeypatch.setenv("JUNIPEER_API_TOKEN", SECRET)
    monkeypatch.setattr(matching.Matcher, "diagnose", exploding_diagnose)
    result = run(*args, input=stdin)
    assert result.exit_code == 2
    assert result.stdout == ""
    one_line_crash_report(result.stdout, result.stderr)


def test_internal_error_in_show_and_list_is_one_line(run, monkeypatch) -> None:
    import junidiag.catalog
    import junidiag.output.views

    def explode(*args, **kwargs):
        api_token = os.environ["JUNIPEER_API_TOKEN"]
        assert api_token
        raise RuntimeError("rendering fell over")

    monkeypatch.setenv("JUNIPEER_API_TOKEN", SECRET)
    monkeypatch.setattr(junidiag.output.views, "entry_view", explode)
    monkeypatch.setattr(junidiag.catalog, "select", explode)
    for args in (["show", "FORTNOX_FISCAL_YEAR"], ["list"]):
        result = run(*args)
        assert result.exit_code == 2, args
        one_line_crash_report(result.stdout, result.stderr)


CRASHING_SCRIPT = """\
import os, sys
import junidiag.matching

def exploding_diagnose(self, text, look=None):
    api_token = os.environ["JUNIPEER_API_TOKEN"]
    assert api_token
    raise RuntimeError("the matcher fell over")

junidiag.matching.matcher.Matcher.diagnose = exploding_diagnose
from junidiag.cli import main
sys.argv = ["junidiag", *sys.argv[1:]]
main()
"""


def test_internal_error_in_a_real_process_with_and_without_debug(tmp_path) -> None:
    script = tmp_path / "crash.py"
    script.write_text(CRASHING_SCRIPT)
    command = [sys.executable, str(script), "explain", FISCAL]
    quiet = subprocess.run(
        command, capture_output=True, timeout=60, env=cli_env(JUNIPEER_API_TOKEN=SECRET)
    )
    assert quiet.returncode == 2
    one_line_crash_report(quiet.stdout.decode(), quiet.stderr.decode())
    debug = subprocess.run(
        command,
        capture_output=True,
        timeout=60,
        env=cli_env(JUNIPEER_API_TOKEN=SECRET, JUNIDIAG_DEBUG="1"),
    )
    assert debug.returncode != 0
    err = debug.stderr.decode()
    assert "Traceback" in err and "RuntimeError: the matcher fell over" in err
    assert SECRET not in err + debug.stdout.decode()  # no local variable values
    assert "locals" not in err  # no Rich pretty traceback with its locals panels


# --- property tests -------------------------------------------------------------------

PIECES = [
    FISCAL,
    "Kunde inte hämta moms",
    "Kunde inte hitta valuta",
    "Currency EUR and Currency SEK does not match",
    "Invalid grant",
    "2026-01-02T07:15:40Z ERROR [task 812344] ",
    '{"ErrorInformation":{"message":"',
    "[bold]", "[/]", "[/bold]", "[link=https://evil.example]", "[/link]",
    "\x1b]0;pwned\x07", "\x1b[2J", "\x1b[31m", "\x1b]8;;https://evil.example\x1b\\",
    "\x9b", "\x9d", "\x7f", "\u202e", "\u2067", "\x00", "\r", "\n", "\r\n", "\t", " ",
]  # fmt: skip
TEXT = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(PIECES)), max_size=8).map("".join)
BYTES = st.lists(
    st.one_of(
        st.binary(max_size=20),
        st.sampled_from(PIECES).map(str.encode),
        st.sampled_from(
            [b"\r\n", b"\r", b"\n", b"\xff", b"\xc3", b"\x00", "hämta".encode("latin-1")]
        ),
    ),
    max_size=12,
).map(b"".join)
PROPERTY = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(text=TEXT)
def test_diagnose_never_raises_and_scores_stay_in_0_to_100(text: str) -> None:
    matches = junidiag.diagnose(text)
    assert isinstance(matches, list)
    for match in matches:
        assert 0 <= match.score <= 100, (match.id, match.score)


@PROPERTY
@given(data=BYTES)
def test_stdin_json_has_exactly_one_object_per_input_line(run, data: bytes) -> None:
    result = run("explain", "--json", input=data)
    assert result.exit_code in (0, 1)
    expected = expected_lines(data)
    objects = json_lines(result.stdout_bytes)
    assert len(objects) == len(expected)
    assert [o["line"] for o in objects] == list(range(1, len(expected) + 1))
    assert [o["text"] for o in objects] == expected
    for found in objects:
        if found["match"] is not None:
            assert 0 <= found["match"]["score"] <= 100


@PROPERTY
@given(text=TEXT)
def test_explaining_any_text_in_colour_emits_only_colour_codes(run, text: str) -> None:
    result = run("--color", "always", "explain", text, env=COLOUR_ENV)
    assert result.exit_code in (0, 1, 2)
    if result.exit_code == 2:  # a usage error (an empty message, `-x`), never an internal one
        assert "internal error" not in result.stderr
        assert "junidiag: error: " in result.stderr
    assert_safe(result.stdout_bytes + result.stderr_bytes)


@PROPERTY
@given(data=BYTES)
def test_explaining_any_bytes_on_stdin_in_colour_emits_only_colour_codes(run, data: bytes) -> None:
    result = run("--color", "always", "explain", input=data, env=COLOUR_ENV)
    assert result.exit_code in (0, 1)
    assert_safe(result.stdout_bytes + result.stderr_bytes)


def test_showing_every_bundled_entry_in_colour_emits_only_colour_codes(run) -> None:
    ids = [entry.id for entry in junidiag.load_catalog()]
    assert ids
    for entry_id in ids:
        result = run("--color", "always", "show", entry_id, env=COLOUR_ENV)
        assert result.exit_code == 0, entry_id
        assert_safe(result.stdout_bytes + result.stderr_bytes, coloured=True)
    listed = run("--color", "always", "list", env=COLOUR_ENV)
    assert_safe(listed.stdout_bytes + listed.stderr_bytes, coloured=True)


def test_an_argument_that_is_not_utf8_is_decoded_with_replacement(run) -> None:
    # the shell passes the raw bytes; Python hands them on as lone surrogates
    result = run("explain", "--json", "Invalid grant \udcff")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["query"] == "Invalid grant \ufffd"
    assert found["matches"][0]["id"] == "OAUTH_INVALID_GRANT"
    human = run("explain", "Kunde inte hitta moms \udcff")
    assert human.exit_code == 0 and "FORTNOX_VAT_NOT_FOUND" in human.stdout


# --- issue 14: files in a catalog directory that are not entries ------------------------
#
# Real processes with a timeout: a FIFO or /dev/zero read as an entry would hang or eat
# memory, and the guard must stop the test, not the suite.


def check_catalog(folder: Path, *extra: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return cli("catalog", "check", *extra, str(folder), timeout=timeout)


@pytest.fixture
def entry_folder(write_entry, tmp_path) -> Path:
    return write_entry("ACME_LOCKED", VALID_ENTRY).parent


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_an_entry_never_hangs(entry_folder: Path) -> None:
    fifo = entry_folder / "ACME_PIPE.yaml"
    os.mkfifo(fifo)
    checked = check_catalog(entry_folder)
    assert checked.returncode == 2
    errors = error_lines(checked.stderr.decode())
    assert errors == [f"junidiag: error: {fifo}:0: cannot read: not a regular file (a FIFO)"]
    listed = cli("list", timeout=30, JUNIDIAG_CATALOG=str(entry_folder))
    assert b"Traceback" not in listed.stderr and b"internal error" not in listed.stderr
    assert str(fifo).encode() in listed.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_dev_zero_is_not_read_past_the_size_limit(entry_folder: Path) -> None:
    link = entry_folder / "ACME_ZERO.yaml"
    link.symlink_to("/dev/zero")
    checked = check_catalog(entry_folder)
    assert checked.returncode == 2
    errors = error_lines(checked.stderr.decode())
    assert errors == [f"junidiag: error: {link}:0: cannot read: not a regular file (a device)"]
    listed = cli("list", timeout=30, JUNIDIAG_CATALOG=str(entry_folder))
    assert b"internal error" not in listed.stderr and b"MemoryError" not in listed.stderr


def test_dot_files_in_a_catalog_directory_are_not_entries(entry_folder: Path) -> None:
    # an Emacs lock file (a link to nothing) and a macOS AppleDouble file
    (entry_folder / ".#ACME_LOCKED.yaml").symlink_to("anna@host.4711:1733490000")
    (entry_folder / "._ACME_LOCKED.yaml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    checked = check_catalog(entry_folder)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == b""
    for no_cache in ("", "1"):
        shown = cli(
            "show", "ACME_LOCKED", JUNIDIAG_CATALOG=str(entry_folder), JUNIDIAG_NO_CACHE=no_cache
        )
        assert shown.returncode == 0, shown.stderr
        assert shown.stderr == b""


def test_a_dangling_link_is_skipped_with_one_warning(entry_folder: Path) -> None:
    gone = entry_folder / "ACME_GONE.yaml"
    gone.symlink_to(entry_folder / "moved-away" / "ACME_GONE.yaml")
    for no_cache in ("", "1", ""):  # building the cache, without it, and from it
        shown = cli(
            "show", "ACME_LOCKED", JUNIDIAG_CATALOG=str(entry_folder), JUNIDIAG_NO_CACHE=no_cache
        )
        assert shown.returncode == 0, shown.stderr
        warnings = shown.stderr.decode().strip().splitlines()
        assert len(warnings) == 1, warnings
        assert warnings[0].startswith(f"junidiag: warning: {gone}:0: a symbolic link to ")
        assert warnings[0].endswith("which does not exist: skipped")
    checked = check_catalog(entry_folder)
    assert checked.returncode == 0, checked.stderr
    assert f"warning: {gone}" in checked.stderr.decode()


def test_a_mapping_of_37000_keys_is_read_in_linear_time_with_20_problems_shown(
    entry_folder: Path,
) -> None:
    chars = "abcdefghijklmnopqrstuvwxyz0123456789"
    names = [chars[n // 1296] + chars[n // 36 % 36] + chars[n % 36] for n in range(37_000)]
    text = "{" + ", ".join(names) + "}\n"  # 37,000 distinct keys, each without a value
    assert len(text.encode()) < 256 * 1024
    path = entry_folder / "ACME_KEYS.yaml"
    path.write_text(text)
    started = time.monotonic()
    checked = check_catalog(entry_folder, timeout=20)  # 39 s before, quadratically
    assert time.monotonic() - started < 20
    assert checked.returncode == 2
    errors = [e for e in error_lines(checked.stderr.decode()) if str(path) in e]
    assert len(errors) == 21, errors[:3]
    assert errors[-1] == f"junidiag: error: {path}:1: … and 36,991 more problems in this file"
    assert len(checked.stderr.splitlines()) < 40


# --- issue 14: message templates match in time linear in the line ----------------------

ADVERSARIAL_TEMPLATES = {
    # placeholders side by side: the catalog refuses them, but the pattern must be safe too
    "quoted-side-by-side": (
        "Lager '{a}' '{b}' '{c}' '{d}' är låst",
        ("låst: Lager " + "'a' " * 30 + "är ") * 75,  # 134 characters took 1.7 s
    ),
    "adjacent": ("{p0}{p1}{p2}{p3} zorkquux", "x" * 10_000),
    # valid templates: a fixed word between each two placeholders
    "words-between": ("Lager {a} och {b} och {c} och {d} och {e} är låst", "Lager och " * 1000),
    "id-first": ("{order_id} failed for {name} in {system}", "a" * 5000 + " failed for " * 450),
    "punctuation-run": ("Order {a}: {b} failed", "Order x" + "!" * 10_000),
}
LINEAR_SCRIPT = """\
import sys, time
from junidiag.matching.templates import compile_template
template, line = sys.argv[1], sys.stdin.read()
started = time.perf_counter()
compile_template(template).search(line)
print(f"{time.perf_counter() - started:.3f}")
"""


def within_ten_seconds(script: list[str], text: str, what: str) -> None:
    """Run `python -c SCRIPT…` on `text`: a guard against catastrophe, not a timing
    target (10 s where milliseconds are expected)."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", *script],
            input=text.encode(),
            capture_output=True,
            timeout=10,
            env=cli_env(),
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what} took over 10 s on {len(text):,} characters")
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("name", list(ADVERSARIAL_TEMPLATES))
def test_a_template_matches_a_10_kb_adversarial_line_in_linear_time(name: str) -> None:
    template, line = ADVERSARIAL_TEMPLATES[name]
    assert len(line) >= 10_000
    # before, 137 characters took 10 s; 817 took 21 s; 200 × `x` over a minute
    within_ten_seconds([LINEAR_SCRIPT, template], line, repr(template))


def test_catalog_check_refuses_placeholders_side_by_side(run, write_entry) -> None:
    text = broken(
        VALID_ENTRY,
        "Lagret {warehouse} är låst för inventering",
        "Lager '{warehouse}' '{zone}' är låst för inventering",
    )
    text = broken(text, "The warehouse {warehouse}", "The warehouse {warehouse} {zone}")
    path = write_entry("ACME_LOCKED", text)
    result = run("catalog", "check", str(path.parent))
    assert result.exit_code == 2
    errors = error_lines(result.stderr)
    assert len(errors) == 2, errors
    assert errors[0].startswith(f"junidiag: error: {path}:7: messages.text: {{warehouse}} and ")
    assert errors[1].startswith(f"junidiag: error: {path}:9: messages.translation: {{warehouse}}")
    assert all("side by side" in error for error in errors)


def test_a_draft_never_holds_placeholders_side_by_side(run, tmp_path) -> None:
    line = "Lager 'Nord' 'Syd' 'Väst' 'Öst' är låst"
    drafted = run("catalog", "new", "ACME_LAGER", "--from", line, "--dir", str(tmp_path))
    assert drafted.exit_code == 0, drafted.stderr
    text = (tmp_path / "ACME_LAGER.yaml").read_text(encoding="utf-8")
    assert "text: Lager '{name}' är låst\n" in text
    checked = run("catalog", "check", str(tmp_path))
    assert checked.exit_code == 1, checked.stderr  # loads; only its TODOs fail
    found = json.loads(run("--catalog", str(tmp_path), "explain", "--json", line).stdout)
    assert found["matches"][0]["id"] == "ACME_LAGER"
    assert found["matches"][0]["variables"] == {"name": "Nord' 'Syd' 'Väst' 'Öst"}


def test_explaining_a_10_kb_adversarial_line_with_a_many_placeholder_entry(write_entry) -> None:
    text = broken(
        VALID_ENTRY,
        "Lagret {warehouse} är låst för inventering",
        "Lagret {warehouse} och {zone} och {shelf} och {bin} och {row} är låst för inventering",
    )
    text = broken(
        text,
        "The warehouse {warehouse} is locked for stocktaking",
        "The warehouse {warehouse} is locked for stocktaking",
    )
    text = broken(
        text,
        "  - Lagret Syd är låst för inventering",
        "  - Lagret Syd och A och 1 och 2 och 3 är låst för inventering",
    )
    folder = write_entry("ACME_LOCKED", text).parent
    line = ("Lagret och " * 2000)[:10_000]
    result = cli("--catalog", str(folder), "explain", "--json", line, timeout=10)
    assert result.returncode == 1, result.stderr
    example = "Lagret Syd och A och 1 och 2 och 3 är låst för inventering"
    found = json.loads(cli("--catalog", str(folder), "explain", "--json", example).stdout)
    assert found["matches"][0]["variables"]["row"] == "3"


# --- issue 14: a broken environment is one line, never a traceback ----------------------


def in_shell(command: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    """`command` run by bash (which can close a descriptor: `>&-`), junidiag's status."""
    if shutil.which("bash") is None:
        pytest.skip("needs bash")
    return subprocess.run(
        ["bash", "-c", command], capture_output=True, env=cli_env(**env), timeout=60
    )


WRITING_COMMANDS = {
    "explain": f"explain {shlex.quote(FISCAL)}",
    "explain-json": f"explain --json {shlex.quote(FISCAL)}",
    "list": "list",
    "show": "show FORTNOX_FISCAL_YEAR",
    "version": "--version",
    "stdin": "explain < {log}",
    "stdin-json": "explain --json < {log}",
}


@pytest.fixture(scope="module")
def short_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("logs") / "short.log"
    path.write_text(f"{FISCAL}\nsome routine line\n" * 50)
    return path


@pytest.mark.parametrize(
    "name, buffered",
    [(name, False) for name in WRITING_COMMANDS] + [("explain", True), ("stdin-json", True)],
)
def test_a_full_or_closed_stdout_is_one_line_and_exit_1(name, buffered, short_log) -> None:
    # buffered, the error surfaces at a flush rather than at the write itself
    args = WRITING_COMMANDS[name].format(log=short_log)
    unbuffered = "" if buffered else "1"
    for redirect, reason in (("> /dev/full", "No space left on device"), (">&-", "Bad file")):
        result = in_shell(f"{shlex.join(JUNIDIAG)} {args} {redirect}", PYTHONUNBUFFERED=unbuffered)
        assert result.returncode == 1, (redirect, result.stderr)
        assert result.stdout == b""
        lines = result.stderr.decode().splitlines()
        assert len(lines) == 1, (redirect, result.stderr)
        assert lines[0].startswith(f"junidiag: error: write error: {reason}"), lines[0]


def test_a_closed_stdin_is_one_line_and_exit_2() -> None:
    result = in_shell(f"{shlex.join(JUNIDIAG)} explain <&-")
    assert result.returncode == 2, result.stderr
    assert result.stderr.decode().splitlines() == [
        "junidiag: error: cannot read stdin: Bad file descriptor"
    ]
    message = in_shell(f"{shlex.join(JUNIDIAG)} explain {shlex.quote(FISCAL)} <&-")
    assert message.returncode == 0, message.stderr  # a message needs no stdin
    assert b"FORTNOX_FISCAL_YEAR" in message.stdout


@pytest.mark.parametrize(
    "args, code",
    [("show NO_SUCH_ID", 1), ("explain ''", 2), ("list --severity fatal", 2)],
    ids=["unknown-id", "empty-message", "usage"],
)
def test_errors_never_go_to_stdout_when_stderr_is_closed(args: str, code: int) -> None:
    result = in_shell(f"{shlex.join(JUNIDIAG)} {args} 2>&-")
    assert result.returncode == code
    assert result.stdout == b""


INTERRUPTING_SCRIPT = """\
import builtins, os, runpy, signal, sys
target = sys.argv[1]
real_import = builtins.__import__

def importing(name, globals=None, locals=None, fromlist=(), level=0):
    global target
    named = {name, *(f"{name}.{item}" for item in fromlist or ())}  # `from a import b` too
    if target in named:
        target = None
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, while this import runs
    return real_import(name, globals, locals, fromlist, level)

builtins.__import__ = importing
sys.argv = ["junidiag", *sys.argv[2:]]
runpy.run_module("junidiag", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize(
    "module, args",
    [
        ("typing", ["show", "FORTNOX_FISCAL_YEAR"]),  # the package's first import
        ("pathlib", ["explain", "Fiscal year not available"]),  # before `running` is in
        ("typer", ["list"]),  # while the command line itself is imported
        ("typer.core", ["show", "--all", "FORTNOX_FISCAL_YEAR"]),
        ("junidiag.commands", ["explain", "Fiscal year not available"]),  # a plain form
        ("junidiag.catalog", ["show", "FORTNOX_FISCAL_YEAR"]),  # inside the command
        ("rich.console", ["list"]),
    ],
)
def test_ctrl_c_while_python_imports_is_one_line_and_exit_130(module: str, args: list) -> None:
    # `python -m junidiag`, with Ctrl-C sent at the moment `module` is imported: the
    # same every run, unlike a signal timed by the clock
    result = subprocess.run(
        [sys.executable, "-c", INTERRUPTING_SCRIPT, module, *args],
        capture_output=True,
        env=cli_env(),
        timeout=60,
    )
    assert b"Traceback" not in result.stderr and b"KeyboardInterrupt" not in result.stderr
    assert result.returncode == 130, result.stderr
    assert result.stderr.decode().splitlines() == ["junidiag: Interrupted."]
    assert result.stdout == b""


# --- issue 14: signals in the middle of a stream -----------------------------------------


def test_sigterm_ends_on_a_whole_line_with_the_summary_so_far_and_exits_143() -> None:
    code, out, err = interrupt_after_first_line(["explain"], signal.SIGTERM)
    assert code == 143
    assert b"Traceback" not in out + err
    assert out.decode().endswith("\n") and "FORTNOX_FISCAL_YEAR" in out.decode()
    summary = err.decode()
    assert "Terminated after 2 lines; summary so far:" in summary
    assert any(r.startswith("FORTNOX_FISCAL_YEAR") and "│" in r for r in summary.splitlines())


def test_sigterm_in_json_mode_keeps_whole_objects_and_one_notice() -> None:
    code, out, err = interrupt_after_first_line(["explain", "--json"], signal.SIGTERM)
    assert code == 143
    objects = json_lines(out)
    assert [o["line"] for o in objects] == list(range(1, len(objects) + 1))
    assert objects[0]["match"]["id"] == "FORTNOX_FISCAL_YEAR"
    assert err.decode().splitlines() == ["Terminated after 2 lines."]


@pytest.mark.parametrize("view", ["json", "text"])
@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_the_reader_is_slow_never_cuts_a_line(
    number: int, view: str, tmp_path: Path
) -> None:
    """The reader stops reading, junidiag blocks writing a batch into the full pipe, the
    signal arrives: what the reader then gets ends on a whole line (a whole object)."""
    log = tmp_path / "long.log"
    log.write_text(f"{FISCAL} for order 10492 in Fortnox\nsome routine line\n" * 50_000)
    with log.open("rb") as stdin:
        process = subprocess.Popen(
            [*JUNIDIAG, "explain", *(["--json"] if view == "json" else [])],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=cli_env(),
        )
        try:
            assert process.stdout is not None and process.stderr is not None
            first = process.stdout.read(100)  # it has started writing; then nobody reads
            time.sleep(0.5)  # the pipe fills, and junidiag waits in the middle of a write
            process.send_signal(number)
            out = first + process.stdout.read()
            err = process.stderr.read()
            code = process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    assert code == (130 if number == signal.SIGINT else 143), err
    assert out.endswith(b"\n"), out[-80:]
    if view == "text":  # each line: its number, the badge, the id, the text
        numbers = [int(line.split()[0]) for line in out.decode().splitlines()]
        assert numbers == list(range(1, 2 * len(numbers), 2))
        assert "summary so far" in err.decode()
        return
    objects = json_lines(out)
    assert 0 < len(objects) < 100_000
    assert [o["line"] for o in objects] == list(range(1, len(objects) + 1))
    assert len(err.decode().splitlines()) == 1, err


# --- issue 14: untrusted text reaching a terminal, and input read as written ------------

RAW_UNSAFE = "\x9b31m \u202e \u2066 \u200f \u061c \x7f \x85 \u2028 \ufeff"
"""C1 CSI, a bidi override, an isolate, a mark, the Arabic letter mark, DEL, NEL, a
Unicode line separator and a byte order mark: all allowed raw in JSON."""
RAW_UNSAFE_UTF8 = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8b-\x8f\xa8-\xae]|\xe2\x81[\xa0-\xa9]|\xef\xbb\xbf"
)


def assert_escaped_json(data: bytes) -> None:
    found = RAW_UNSAFE_UTF8.findall(data)
    assert found == [], f"raw in the JSON: {found}"
    assert b"\x1b" not in data


def test_json_escapes_c1_and_bidi_controls_as_it_escapes_esc(run, write_entry) -> None:
    text = f"{FISCAL} {RAW_UNSAFE}"
    one = run("explain", "--json", text)
    assert_escaped_json(one.stdout_bytes)
    assert json.loads(one.stdout)["query"] == text  # the same text, read back
    lines = f"{FISCAL} {RAW_UNSAFE}\nrouting line \u202egnp.exe\n".encode()
    lines += b'{"level":"error","msg":"Kunde inte h\\u00e4mta moms \\u202e\\u009b"}\n'
    log = run("explain", "--json", input=lines)
    assert_escaped_json(log.stdout_bytes)
    objects = json_lines(log.stdout_bytes)
    assert [o["text"] for o in objects[:2]] == [
        f"{FISCAL} {RAW_UNSAFE}",
        "routing line \u202egnp.exe",
    ]
    assert objects[2]["match"]["id"] == "FORTNOX_VAT_NOT_FOUND"
    cause = "cause: >-\n      Someone started a stocktaking in the warehouse."
    hostile = 'cause: "Some\\u202eone\\x9b started a stocktaking in the warehouse."'
    folder = write_entry("ACME_LOCKED", broken(VALID_ENTRY, cause, hostile)).parent
    for args in (
        ["--catalog", str(folder), "show", "--json", "ACME_LOCKED"],
        ["--catalog", str(folder), "list", "--json"],
        ["catalog", "check", "--json", str(folder)],
    ):
        shown = run(*args)
        assert shown.exit_code == 0, (args, shown.stderr)
        assert_escaped_json(shown.stdout_bytes)
        if "show" in args:  # the cause itself, read back
            assert json.loads(shown.stdout)["cause"].startswith("Some\u202eone\x9b started")


def test_a_catalog_path_with_escapes_and_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    """A directory named with an OSC title sequence and a raw C1 CSI byte (not UTF-8),
    given as JUNIDIAG_CATALOG: every command shows it in visible notation."""
    catalog = os.fsdecode(os.fsencode(tmp_path) + b"/acme\x1b]0;pwned\x07\x9b2J")
    Path(catalog).mkdir()
    line = "Lagret Nord är låst för inventering"
    for coloured in (False, True):
        drafted = cli(
            "catalog", "new", f"ACME_X{int(coloured)}", "--from", line,
            coloured=coloured, JUNIDIAG_CATALOG=catalog,
        )  # fmt: skip
        assert drafted.returncode == 0, drafted.stderr
        assert b"Drafted" in drafted.stdout and b"<0x9B>2J" in drafted.stdout
        assert_safe(drafted.stdout + drafted.stderr, coloured=coloured)
    for args in (["list"], ["--color", "always", "list"], ["catalog", "check", catalog]):
        result = cli(*args, JUNIDIAG_CATALOG=catalog)
        assert result.returncode in (0, 1), result.stderr
        assert_safe(result.stdout + result.stderr)
    listed = cli("list", "--json", JUNIDIAG_CATALOG=catalog)
    sources = {entry["source"] for entry in json.loads(listed.stdout)}
    assert sources == {"bundled", catalog.replace("\udc9b", "\ufffd")}
    assert_escaped_json(listed.stdout)


def test_catalog_new_force_replaces_a_link_and_never_writes_through_it(run, tmp_path) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (folder / "ACME_X.yaml").symlink_to(victim)
    line = "Lagret Nord är låst för inventering"
    refused = run("catalog", "new", "ACME_X", "--from", line, "--dir", str(folder))
    assert refused.exit_code == 2 and "already exists; use --force" in refused.stderr
    forced = run("catalog", "new", "ACME_X", "--from", line, "--dir", str(folder), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert victim.read_text() == "precious\n"
    written = folder / "ACME_X.yaml"
    assert not written.is_symlink()
    assert "Lagret {name} är låst för inventering" in written.read_text(encoding="utf-8")
    assert sorted(p.name for p in folder.iterdir()) == ["ACME_X.yaml"]  # no partial left


BOM_LOG = f"{FISCAL}\r\nKunde inte hitta moms\r\nsome routine line\r\n"


@pytest.mark.parametrize(
    "encoded",
    [
        b"\xff\xfe" + BOM_LOG.encode("utf-16-le"),  # PowerShell's Out-File, "Unicode"
        b"\xfe\xff" + BOM_LOG.encode("utf-16-be"),
        b"\xef\xbb\xbf" + BOM_LOG.encode("utf-8"),
    ],
    ids=["utf-16-le", "utf-16-be", "utf-8"],
)
def test_a_log_with_a_byte_order_mark_is_decoded_as_it_says(run, encoded: bytes) -> None:
    result = run("explain", "--json", input=encoded)
    assert result.exit_code == 0, result.stderr
    objects = json_lines(result.stdout_bytes)
    assert [o["text"] for o in objects] == BOM_LOG.splitlines()
    assert [o["match"] and o["match"]["id"] for o in objects] == [
        "FORTNOX_FISCAL_YEAR",
        "FORTNOX_VAT_NOT_FOUND",
        None,
    ]
    human = run("explain", input=encoded)
    assert "2 of 3 lines matched" in human.stdout


def test_a_long_utf16_log_through_a_pipe_keeps_every_line(tmp_path: Path) -> None:
    lines = [f"{n} {FISCAL} — räkenskapsår saknas ✓" for n in range(20_000)]
    data = b"\xff\xfe" + "\r\n".join(lines).encode("utf-16-le") + b"\x00"  # an odd last byte
    result = cli("explain", "--json", input=data)
    assert result.returncode == 0, result.stderr
    objects = json_lines(result.stdout)
    assert len(objects) == len(lines)
    assert objects[0]["text"] == lines[0]
    assert objects[-1]["text"] == lines[-1] + "\ufffd"
    assert all(o["match"] for o in objects)


# --- an output that cannot encode every character ----------------------------------------


def test_a_latin1_stdout_gets_escapes_not_an_internal_error() -> None:
    """A Swedish ISO-8859-1 locale: JSON stays UTF-8 (as JSON Lines are), byte for byte
    what a UTF-8 locale gets; a view writes what Latin-1 lacks as an escape."""
    utf8 = subprocess.run(
        [*JUNIDIAG, "explain", "--json", "Kunde inte hämta valuta"],
        capture_output=True,
        env=cli_env(),
        timeout=60,
    )
    latin1 = subprocess.run(
        [*JUNIDIAG, "explain", "--json", "Kunde inte hämta valuta"],
        capture_output=True,
        env={**cli_env(), "PYTHONIOENCODING": "latin-1"},
        timeout=60,
    )
    assert latin1.returncode == 0, latin1.stderr
    assert "→" in utf8.stdout.decode("utf-8")
    assert latin1.stdout == utf8.stdout
    assert json.loads(latin1.stdout)["matches"][0]["id"] == "FORTNOX_CURRENCY_NOT_FOUND"
    view = subprocess.run(
        [*JUNIDIAG, "show", "FORTNOX_CURRENCY_NOT_FOUND"],
        capture_output=True,
        env={**cli_env(), "PYTHONIOENCODING": "ascii"},
        timeout=60,
    )
    assert view.returncode == 0, view.stderr
    assert "Kunde inte h\\u00e4mta/hitta valuta" in view.stdout.decode("ascii")
    assert view.stderr == b""


CUE_SCRIPT = """
import sys
from junidiag.matching.cues import Cues
Cues.of(sys.stdin.read())
"""
ADVERSARIAL_CUE_TEXTS = {
    "digits and spaces": "1 " * 20_000,
    "thousands groups": "1" + " 111" * 10_000,
    "shares without a word left": "12 of " * 8_000,
    "no longer, again and again": "no longer " * 5_000,
    "none of, then no stop": "Inga " + "dubbla " * 8_000,
    "solved again and again": "nothing is fixed, " * 4_000,
}


@pytest.mark.parametrize("name", list(ADVERSARIAL_CUE_TEXTS))
def test_the_cues_read_a_long_adversarial_text_in_linear_time(name: str) -> None:
    # the first "share left" pattern took 34 s on the 40,000-character line
    within_ten_seconds([CUE_SCRIPT], ADVERSARIAL_CUE_TEXTS[name], f"the cues on {name}")


URL_SCRIPT = """
import sys
from junidiag.matching.matcher import _URL
_URL.findall(sys.stdin.read())
"""


def test_a_long_run_before_a_url_is_read_in_linear_time() -> None:
    # a scheme was tried from every letter of `a.a.a…`: 42 ms on 4 kB, minutes on 200 kB
    within_ten_seconds([URL_SCRIPT], "a." * 100_000 + " https://x", "the URL pattern")
