"""A log line's timestamp: ISO 8601 (with or without `T`, a zone and a fraction),
`2026-02-03 08:00:01`, or syslog's `Feb  3 08:00:01`.

Read only for the lines a log summary reports (matched and unrecognised error lines,
and each batch's first and last line), never for every line: the log path is
performance-critical. A stamp is looked for near the start of the line (a JSON
line's `ts` field usually stands there too). Syslog names no year: its stamps take
the year that puts them nearest a stamp of the same log that names one (`near`),
else the current year, and are written as ISO dates like the rest.
"""

from __future__ import annotations

import re
import time

from junidiag.model import Stamp

LOOK_WITHIN = 64
"""How far into a line a timestamp may start."""

_ISO = re.compile(
    r"(?<![\d.:-])(\d{4})-(\d\d)-(\d\d)"
    r"(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,]\d{1,9})?)?)?"
    r"(Z|[+-]\d\d(?::?\d\d)?)?(?![\d:-])"
)
_SYSLOG = re.compile(
    r"\s*(?:<\d{1,3}>\s*)?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r" {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?![\d:])"
)
_MONTHS = {
    name: n for n, name in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)
}


def stamp_of(line: str, near: float | None = None) -> Stamp | None:
    """The timestamp near the start of `line`, or None; a syslog stamp takes the year
    that puts it nearest `near` (seconds, another stamp of the log)."""
    head = line[: LOOK_WITHIN + 40]
    if head[:1] in _SYSLOG_STARTS:
        found = _SYSLOG.match(head)
        if found is not None:
            return _syslog(found, near)
    found = _ISO.search(head, 0)
    if found is None or found.start() > LOOK_WITHIN:
        return None
    return _iso(found)


_SYSLOG_STARTS = frozenset("JFMASOND< \t")


def _iso(found: re.Match[str]) -> Stamp | None:
    year, month, day, hour, minute, second, zone = found.groups()
    y, m, d = int(year), int(month), int(day)
    h, mi, s = int(hour or 0), int(minute or 0), int(second or 0)
    if not (1 <= m <= 12 and 1 <= d <= 31 and h < 24 and mi < 60 and s < 61):
        return None
    at = _epoch_days(y, m, d) * 86400 + h * 3600 + mi * 60 + s - _offset(zone)
    shown = f"{hour}:{minute}:{second or '00'}" if hour else ""
    return Stamp(float(at), f"{year}-{month}-{day}", shown)


def _syslog(found: re.Match[str], near: float | None) -> Stamp | None:
    month, day, hour, minute, second = found.groups()
    m, d, h, mi, s = _MONTHS[month], int(day), int(hour), int(minute), int(second)
    if not (1 <= d <= 31 and h < 24 and mi < 60 and s < 61):
        return None
    clock = h * 3600 + mi * 60 + s
    if near is None:
        year = time.gmtime().tm_year
    else:  # the year of `near`, or the one before or after (a log across New Year)
        guess = time.gmtime(near).tm_year
        year = min((guess - 1, guess, guess + 1), key=lambda y: abs(_at(y, m, d, clock) - near))
    return Stamp(
        float(_at(year, m, d, clock)), f"{year:04}-{m:02}-{d:02}", f"{hour}:{minute}:{second}"
    )


def _at(year: int, month: int, day: int, clock: int) -> int:
    return _epoch_days(year, month, day) * 86400 + clock


def _offset(zone: str | None) -> int:
    """Seconds east of UTC: `Z`, `+01:00`, `+0100`, `-05`; none is read as UTC."""
    if not zone or zone == "Z":
        return 0
    digits = zone[1:].replace(":", "")
    seconds = int(digits[:2]) * 3600 + int(digits[2:4] or 0) * 60
    return seconds if zone[0] == "+" else -seconds


def _epoch_days(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's
    `days_from_civil`): arithmetic, cheaper than building a datetime per line."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468
