"""The end of a log run, as a consultant reads it: the error lines nothing recognised,
the time of first and last occurrence with each entry's timeline, narrow terminals,
and a log of one pasted line (issue 18, items 2, 3, 9 and 10)."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import subprocess
import sys

import pytest

from junidiag import api, logrun
from junidiag.model import UNKNOWN_SHAPES_KEPT, Stamp, Summary
from junidiag.text.timestamps import stamp_of

NORD = "2026-11-24T08:00:0{n}Z ERROR [task {n}] Lagret Nord är låst för inventering ({n}0 st)"
LOG = "\n".join(
    [
        "2026-11-24T08:00:00Z INFO [task 1] Export Orders Shopify → Fortnox: 35 orders exported",
        "2026-11-24T08:00:01Z ERROR [task 2] Export Orders Shopify → Fortnox: Kunde inte hitta moms",  # noqa: E501
        "2026-11-24T08:00:02Z WARN [task 3] retrying in 3000 ms",
        "2026-11-24T08:00:03Z ERROR [task 4] Visma.net: invalid_grant",
        NORD.format(n=5),
        "2026-11-24T08:00:06Z INFO [task 6] 12 invoices created",
        NORD.format(n=7),
        "2026-11-24T08:00:08Z FEL [task 8] Leveranssättet Flyg saknas i lagret",
        "Nov 24 08:00:09 app01 sync[77]: FEIL Lageret Sør er stengt",
        '{"ts":"2026-11-24T08:00:10Z","level":"error","msg":"Kassan är stängd"}',
        '{"ts":"2026-11-24T08:00:11Z","level":50,"msg":"Kassan är stängd"}',
        "2026-11-24T08:00:12Z DEBUG [task 9] ERROR counter reset",
    ]
)


def summary_of(run, text: str, *args: str):
    result = run("explain", "--summary", *args, input=text + "\n")
    return result, " ".join(result.stdout.split())


# --- item 2: error lines nothing recognised ------------------------------------------------


def test_error_lines_nothing_matched_are_counted_by_shape(run) -> None:
    result, flat = summary_of(run, LOG)
    assert result.exit_code == 0
    assert "2 of 12 lines matched 2 known errors; 6 error lines matched nothing:" in flat
    out = result.stdout
    assert "Error lines nothing recognised (6 lines, 4 shapes), by shape:" in out
    rows = [[c.strip() for c in line.split("│")] for line in out.splitlines() if "│" in line]
    unknown = [row for row in rows if row[0].isdigit()]
    # the two Nord lines differ only in numbers: one shape, counted twice, first and last
    assert unknown[0][:3] == ["2", "08:00:05", "08:00:07"]
    assert unknown[0][3].startswith("2026-11-24T08:00:05Z ERROR [task 5] Lagret Nord är")
    examples = " ".join(row[3] for row in rows if len(row) == 4)
    for text in ("FEL [task 8] Leveranssättet", "FEIL Lageret Sør", '"level":"error"'):
        assert text in examples, text
    kassan = next(row for row in unknown if "Kassan" in row[3])  # pino's 50 is an error too
    assert kassan[:3] == ["2", "08:00:10", "08:00:11"]
    for quiet in ("retrying in", "ERROR counter reset"):  # WARN and DEBUG lines are not errors
        assert quiet not in out


def test_the_summary_points_to_a_draft_for_the_most_frequent_shape(run) -> None:
    result, _ = summary_of(run, LOG)
    command = next(line for line in result.stdout.splitlines() if "catalog new" in line)
    wanted = shlex.quote(NORD.format(n=5))
    assert command == (
        f"→ Draft an entry for the most frequent: junidiag catalog new MY_ERROR --from {wanted}"
    )
    words = shlex.split(command.split(": ", 1)[1])
    assert words[-1] == NORD.format(n=5)  # one shell word: copied and run as it stands


def test_the_draft_command_is_quoted_and_neutralised(run) -> None:
    hostile = "2026-11-24 ERROR it's \x1b]0;pwned\x07 broken; rm -rf ~ $(id)"
    result, _ = summary_of(run, hostile + "\n" + hostile)
    command = next(line for line in result.stdout.splitlines() if "catalog new" in line)
    assert "\x1b" not in command and "\x07" not in command
    words = shlex.split(command.split(": ", 1)[1])
    assert words[:4] == ["junidiag", "catalog", "new", "MY_ERROR"]
    assert words[5] == "2026-11-24 ERROR it's ^[]0;pwned^G broken; rm -rf ~ $(id)"


def test_fail_on_unknown_exits_3_when_an_error_line_matched_nothing(run) -> None:
    assert run("explain", "--fail-on", "unknown", "-q", input=LOG).exit_code == 3
    assert run("explain", "--fail-on", "unknown", "--json", input=LOG).exit_code == 3
    known_only = "ERROR Kunde inte hitta moms\nINFO all good\n"
    assert run("explain", "--fail-on", "unknown", input=known_only).exit_code == 0
    nothing = "INFO all good\nWARN slow\n"
    assert run("explain", "--fail-on", "unknown", input=nothing).exit_code == 1
    both = run("explain", "--fail-on", "critical", "--fail-on", "unknown", input=known_only)
    assert both.exit_code == 0  # an error entry, no critical one, nothing unknown
    message = run("explain", "--fail-on", "unknown", "Kunde inte hitta moms")
    assert message.exit_code == 2 and "for a log read from stdin" in message.stderr


def test_json_lines_stay_one_object_per_line_with_fail_on_unknown(run) -> None:
    plain = run("explain", "--json", input=LOG + "\n").stdout
    failing = run("explain", "--json", "--fail-on", "unknown", input=LOG + "\n")
    assert failing.stdout == plain
    rows = [json.loads(line) for line in plain.splitlines()]
    assert [row["line"] for row in rows] == list(range(1, 13))


def test_unknown_shapes_kept_are_capped_and_the_rest_counted() -> None:
    def word(n: int) -> str:
        return "".join(chr(97 + (n // 26**k) % 26) for k in range(3))

    extra = 300
    lines = [f"ERROR gizmo {word(n)} jammed" for n in range(UNKNOWN_SHAPES_KEPT + extra)]
    text = "\n".join(lines * 2) + "\n"
    summary = logrun.run(io.BytesIO(text.encode()), api.matcher(), _NullSink(), unknown=True)
    assert len(summary.unknown) == UNKNOWN_SHAPES_KEPT
    assert summary.unknown_lines == 2 * (UNKNOWN_SHAPES_KEPT + extra)
    assert all(u.count == 2 for u in summary.unknown.values())


def test_fail_on_unknown_in_a_real_run(tmp_path) -> None:
    env = {**os.environ, "JUNIDIAG_CACHE_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "junidiag", "explain", "--fail-on", "unknown", "-q"]
    found = subprocess.run(command, input=LOG, capture_output=True, text=True, env=env)
    assert (found.returncode, found.stdout, found.stderr) == (3, "", "")
    clean = subprocess.run(command, input=b"ERROR Kunde inte hitta moms\n", env=env)
    assert clean.returncode == 0


class _NullSink:
    def batch(self, *args: object) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


# --- item 3: times and timelines -----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "date", "time", "seconds"),
    [
        ("2026-02-03T08:00:01Z ERROR x", "2026-02-03", "08:00:01", 1770105601),
        ("2026-02-03 08:00:01 ERROR x", "2026-02-03", "08:00:01", 1770105601),
        ("2026-02-03T09:00:01.250+01:00 ERROR x", "2026-02-03", "09:00:01", 1770105601),
        ("2026-02-03T03:00:01,5-0500 ERROR x", "2026-02-03", "03:00:01", 1770105601),
        ("2026-02-03 08:00:01,205 ERROR junipeer.flows: x", "2026-02-03", "08:00:01", 1770105601),
        ('{"ts":"2026-02-03T08:00:01Z","level":"error"}', "2026-02-03", "08:00:01", 1770105601),
        ("ts=2026-02-03T08:00:01Z level=error msg=x", "2026-02-03", "08:00:01", 1770105601),
        ("[2026-02-03 08:00:01] ERROR x", "2026-02-03", "08:00:01", 1770105601),
        ("2026-02-03 ERROR [task 1] x", "2026-02-03", "", 1770076800),
    ],
)
def test_iso_timestamps_are_read_with_their_zone(line, date, time, seconds) -> None:
    assert stamp_of(line) == Stamp(float(seconds), date, time)


def test_syslog_timestamps_take_the_year_of_the_log_around_them() -> None:
    iso = stamp_of("2026-02-03T07:59:00Z INFO x")
    assert iso is not None
    feb = stamp_of("Feb  3 08:00:01 app01 sync[7]: ERROR x", near=iso.at)
    assert feb == Stamp(iso.at + 61, "2026-02-03", "08:00:01")
    new_year = stamp_of("2026-01-01T00:00:10Z INFO x")
    assert new_year is not None
    eve = stamp_of("<134>Dec 31 23:59:59 app01 sync[7]: ERROR x", near=new_year.at)
    assert eve == Stamp(new_year.at - 11, "2025-12-31", "23:59:59")
    alone = stamp_of("Feb 29 23:59:59 app01 sync[7]: ERROR x")  # no other stamp: this year
    assert alone is None or alone.date.endswith("-02-29") or alone.date.endswith("-03-01")


@pytest.mark.parametrize(
    "line",
    [
        "Kunde inte hitta moms",
        "order 12345-67-89 failed",
        "2026-13-03T08:00:01Z x",
        "x" * 80 + " 2026-02-03",
    ],
)
def test_text_without_a_timestamp_near_its_start_has_none(line) -> None:
    assert stamp_of(line) is None


def new_year_log() -> str:
    """Ten-minute traffic from 22:00 on New Year's Eve; Fortnox refuses every export from
    midnight, when the new fiscal year has not been created."""
    lines = []
    for step in range(48):
        seconds = 22 * 3600 + step * 600
        day, rest = divmod(seconds, 86400)
        date = "2025-12-31" if day == 0 else "2026-01-01"
        stamp = f"{date}T{rest // 3600:02}:{rest % 3600 // 60:02}:00Z"
        lines.append(f"{stamp} INFO [task {step}] Export Orders Shopify → Fortnox: 12 exported")
        if day:
            lines.append(f"{stamp} ERROR [task {step}] Fortnox: Fiscal year not available")
    return "\n".join(lines) + "\n"


def test_first_and_last_show_the_time_and_a_timeline_shows_when_it_began(run) -> None:
    out = run("explain", "--summary", input=new_year_log()).stdout
    row = next(line for line in out.splitlines() if line.startswith("FORTNOX_FISCAL_YEAR │"))
    cells = [cell.strip() for cell in row.split("│")]
    assert cells[2:] == ["36", "ERROR", "01-01 00:00:00", "01-01 05:50:00"]
    assert "Timeline             2025-12-31 22:00:00 → 2026-01-01 05:50:00" in out
    line = next(line for line in out.splitlines() if line.startswith("FORTNOX_FISCAL_YEAR  "))
    marks = line.removeprefix("FORTNOX_FISCAL_YEAR  ").rstrip()
    # the log spans 7 h 50 min in 48 marks; midnight is 2 h in: about mark 12
    assert marks.startswith(" " * 11) and len(marks) - len(marks.lstrip()) in (12, 13)
    assert set(marks.lstrip()) <= set("▁▂▃▄▅▆▇█") and len(marks) == 48
    narrow = run("explain", "--summary", input=new_year_log(), env={"COLUMNS": "60"}).stdout
    assert "Not shown at 60 columns: First and Last; --json has" in narrow
    assert "FORTNOX_FISCAL_YEAR     " in narrow  # the timeline still tells when it began


def test_a_log_without_times_keeps_line_numbers_and_has_no_timeline(run) -> None:
    out = run("explain", "--summary", input="ERROR Kunde inte hitta moms\nINFO ok\n" * 3).stdout
    assert "Timeline" not in out
    row = next(line for line in out.splitlines() if line.startswith("FORTNOX_VAT_NOT_FOUND"))
    assert [cell.strip() for cell in row.split("│")][4:] == ["1", "5"]


def test_timestamps_are_read_only_for_the_lines_the_summary_reports(monkeypatch) -> None:
    import junidiag.text.timestamps as timestamps

    read: list[str] = []

    def counting(line: str, near: float | None = None):
        read.append(line)
        return stamp_of(line, near)

    monkeypatch.setattr(timestamps, "stamp_of", counting)
    traffic = [
        f"2026-01-01T00:{n // 60:02}:{n % 60:02}Z INFO order {n} exported" for n in range(3000)
    ]
    traffic[100] = "2026-01-01T00:01:40Z ERROR Kunde inte hitta moms"
    traffic[2000] = "2026-01-01T00:33:20Z ERROR the flux capacitor is jammed"
    data = ("\n".join(traffic) + "\n").encode()
    summary = logrun.run(io.BytesIO(data), api.matcher(), _NullSink(), unknown=True, times=True)
    assert summary.matched == 1 and summary.unknown_lines == 1
    batches = (len(data) // (1 << 16)) + 1
    assert len(read) <= 2 + 2 * batches  # the two reported lines, each batch's first and last
    assert traffic[100] in read and traffic[2000] in read


def test_the_timeline_grid_coarsens_without_losing_a_line() -> None:
    from junidiag.model import TIMELINE_BUCKETS

    matcher = api.matcher()
    match = matcher.diagnose("Kunde inte hitta moms")[0]
    summary = Summary()
    moments = [0, 1, 59, 3600, 86400 * 3, 86400 * 400, -86400 * 30]
    for number, offset in enumerate(moments, 1):
        summary.add(number, match, Stamp(1.7e9 + offset, "", ""))
    tally = summary.tallies[match.id]
    assert tally.buckets is not None and len(tally.buckets) == TIMELINE_BUCKETS
    assert sum(tally.buckets) == len(moments)
    steps = summary.timeline(tally, 40)
    assert steps[0] > 0 and steps[-1] > 0  # the span's two ends, on the coarsened grid


# --- item 9: narrow terminals ---------------------------------------------------------------

_SQUEEZED = re.compile(r"(?<![\w.])\w{1,3}…")
"""A cell cut down to a letter or three and an ellipsis: `I…`, `Fo…`."""


def cells_by_id(out: str, column: int) -> dict[str, str]:
    """A table's column, each row's wrapped lines joined, by the row's first cell."""
    found: dict[str, list[str]] = {}
    row = ""
    for line in out.splitlines():
        cells = [cell.strip() for cell in line.split("│")]
        if len(cells) <= column:
            continue
        row = cells[0] or row
        found.setdefault(row, []).append(cells[column])
    return {key: " ".join(filter(None, parts)) for key, parts in found.items()}


def stacked_titles(out: str) -> dict[str, str]:
    """In stacked rows: the lines under each row's head up to its first labelled line."""
    found: dict[str, list[str]] = {}
    key = ""
    for line in out.splitlines():
        if line[:1].strip():
            key = line.split()[0]
            found[key] = []
        elif re.match(r"  (Systems|Source|Count|First|Last) ", line):
            key = ""
        elif key and line.startswith("  "):
            found[key].append(line.strip())
    return {k: " ".join(v) for k, v in found.items()}


@pytest.mark.parametrize("width", [100, 60, 40])
@pytest.mark.parametrize("args", [[], ["--severity", "critical"]], ids=["all", "critical"])
def test_list_wraps_or_leaves_columns_out_and_never_squeezes_a_title(run, width, args) -> None:
    out = run("list", *args, env={"COLUMNS": str(width)}).stdout
    assert not _SQUEEZED.search(out), out
    assert all(len(line.rstrip()) <= width for line in out.splitlines())
    titles = cells_by_id(out, 2) if "┃" in out else stacked_titles(out)
    for entry in json.loads(run("list", "--json", *args).stdout):
        assert titles[entry["id"]] == " ".join(entry["title"].split()), (width, entry["id"])
    if width == 60 and args and "┃" in out:  # the critical ones fit without their systems
        assert "Not shown at 60 columns: Systems; --json has everything." in out
    if width == 40:  # stacked: every entry's systems on a line of its own
        assert "Systems  Fortnox, Visma.net" in out and "Not shown" not in out


@pytest.mark.parametrize("width", [100, 60, 40])
def test_the_log_summary_wraps_or_leaves_columns_out(run, width) -> None:
    result = run("explain", "--summary", input=LOG, env={"COLUMNS": str(width)})
    out = result.stdout
    assert not _SQUEEZED.search(out), out
    commands = [line for line in out.splitlines() if "junidiag " in line]
    assert all(len(line) <= width for line in out.splitlines() if line not in commands)
    head = out.split("Error lines")[0]
    titles = cells_by_id(head, 1) if "┃" in head else stacked_titles(head)
    assert titles["OAUTH_INVALID_GRANT"] == "Invalid grant"
    assert titles["FORTNOX_VAT_NOT_FOUND"] == "Could not retrieve/find VAT"


def test_a_long_source_path_does_not_squeeze_the_titles(run, user_catalog, tmp_path) -> None:
    deep = tmp_path / ("a-rather-long-directory-name-" * 3) / "catalog"
    deep.parent.mkdir(parents=True)
    user_catalog.rename(deep)
    out = run("--catalog", str(deep), "list", "--severity", "critical").stdout
    assert not _SQUEEZED.search(out)
    titles = cells_by_id(out, 2)
    assert titles["OAUTH_INVALID_GRANT"] == "Invalid grant"
    assert titles["QLIRO_PAYOUT_UNMATCHED"] == "Qliro payouts not syncing with Fortnox invoices"
    assert cells_by_id(out, 4)["TOKEN_EXPIRED"] == "bundled"


# --- item 10: one line piped in, plurals -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Kunde inte hitta moms", "Customer name cannot be empty (2000637)", "the weather is nice"],
)
def test_one_pasted_line_on_stdin_is_explained_as_an_argument_is(run, text) -> None:
    piped = run("explain", input=f"\n  \n{text}\n\n")
    argument = run("explain", text)
    assert piped.stdout == argument.stdout
    assert piped.exit_code == argument.exit_code


def test_one_line_keeps_its_json_line_and_two_lines_get_the_summary(run) -> None:
    rows = run("explain", "--json", input="Invalid grant\n").stdout.splitlines()
    assert len(rows) == 1 and json.loads(rows[0])["match"]["id"] == "OAUTH_INVALID_GRANT"
    two = run("explain", input="Invalid grant\nKunde inte hitta moms\n").stdout
    assert "2 of 2 lines matched 2 known errors" in two
    assert "╭" not in two  # no panels: a log's summary
    summary = run("explain", "--summary", input="Invalid grant\n").stdout
    assert summary.startswith("1 of 1 line matched 1 known error:")


def test_one_pasted_line_in_a_real_pipe_gets_the_panels(tmp_path) -> None:
    env = {**os.environ, "JUNIDIAG_CACHE_DIR": str(tmp_path), "COLUMNS": "100"}
    result = subprocess.run(
        f"printf 'Kunde inte hitta moms\\n' | {sys.executable} -m junidiag explain",
        shell=True, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.returncode == 0
    assert "FORTNOX_VAT_NOT_FOUND" in result.stdout and "╭─ Fix" in result.stdout
    argument = subprocess.run(
        [sys.executable, "-m", "junidiag", "explain", "Kunde inte hitta moms"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.stdout == argument.stdout  # no compact line before the panels


def test_counts_of_one_are_singular(run) -> None:
    out = " ".join(run("explain", "--summary", input="INFO ok\n").stdout.split())
    assert out == "No known error in 1 line."
    lines = run("explain", "--summary", input="ERROR the flux capacitor is jammed\nINFO ok\n")
    assert "No known error in 2 lines; 1 error line matched nothing:" in lines.stdout
    assert "1 lines" not in lines.stdout
