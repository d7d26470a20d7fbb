"""What a log run keeps for its HTML report (issue 20): each entry's first lines with
their numbers, and its lines per hour or day — few, however long the log."""

from __future__ import annotations

import io

from junidiag import api, logrun
from junidiag.model import (
    CALENDAR_SPANS,
    DAY,
    EXAMPLE_CHARS,
    EXAMPLES_KEPT,
    HOUR,
    Stamp,
    Summary,
)


class Nothing:
    def batch(self, *args: object) -> None:
        pass

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_a_run_keeps_an_entrys_first_five_lines_with_their_numbers() -> None:
    lines = ["all good"] + [f"ERROR Fiscal year not available {'x' * n}" for n in range(8)]
    lines.append("ERROR Fiscal year not available " + "y" * 2 * EXAMPLE_CHARS)
    data = ("\n".join(lines) + "\n").encode()
    summary = logrun.run(io.BytesIO(data), api.matcher(), Nothing(), unknown=True, times=True)
    tally = summary.tallies["FORTNOX_FISCAL_YEAR"]
    assert tally.count == 9
    assert len(tally.examples) == EXAMPLES_KEPT == 5
    assert [e.line for e in tally.examples] == [2, 3, 4, 5, 6]
    assert [e.text for e in tally.examples] == lines[1:6]
    assert all(e.match.id == "FORTNOX_FISCAL_YEAR" for e in tally.examples)
    summary.add(99, tally.examples[0].match, None, "z" * 10_000)
    assert len(tally.examples) == 5  # never more


def test_a_kept_line_is_cut_as_an_unrecognised_ones_example_is() -> None:
    match = api.matcher().diagnose("Fiscal year not available")[0]
    summary = Summary()
    summary.add(1, match, None, "Fiscal year not available " + "x" * 10_000)
    assert len(summary.tallies[match.id].examples[0].text) == EXAMPLE_CHARS


def test_calendar_counts_go_from_hours_to_days_to_none_without_losing_a_line() -> None:
    match = api.matcher().diagnose("Fiscal year not available")[0]
    summary = Summary()
    start = 1_767_225_600.0  # 2026-01-01 00:00 UTC
    moments = [0, 59, 3600, 3601, 7200 * 12 - 1]
    for number, offset in enumerate(moments, 1):
        summary.add(number, match, Stamp(start + offset, "", ""))
    tally = summary.tallies[match.id]
    hour = int(start // HOUR)
    assert summary.unit == HOUR
    assert tally.calendar == {hour: 2, hour + 1: 2, hour + 23: 1}
    summary.add(9, match, Stamp(start + 10 * DAY, "", ""))  # more than four days
    assert summary.unit == DAY
    day = int(start // DAY)
    assert tally.calendar == {day: 5, day + 10: 1}
    summary.add(10, match, Stamp(start + CALENDAR_SPANS[DAY] + DAY, "", ""))
    assert summary.unit == 0 and tally.calendar is None
    assert tally.buckets is not None and sum(tally.buckets) == 7  # the grid still has them


def test_calendar_counts_stay_few_however_many_lines() -> None:
    match = api.matcher().diagnose("Fiscal year not available")[0]
    summary = Summary()
    for number in range(20_000):
        summary.add(number, match, Stamp(1.7e9 + number * 17.0, "", ""))  # about four days
    calendar = summary.tallies[match.id].calendar
    assert calendar is not None
    assert len(calendar) <= CALENDAR_SPANS[HOUR] // HOUR + 1
    assert sum(calendar.values()) == 20_000
