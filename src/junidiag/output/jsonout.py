"""The JSON sink: entries and matches as the plain objects of SPEC §1.

The same domain objects feed the Rich renderer; this module only decides their
machine shape. Keys are stable (scripts rely on them); new keys may be added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, BinaryIO

from junidiag.model import Entry, Match, is_draft

if TYPE_CHECKING:
    from junidiag.model import CheckReport as Report
    from junidiag.text.reading import Batch


def entry_object(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "title": entry.title,
        "severity": entry.severity.value,
        "kind": entry.kind.value,
        "systems": list(entry.systems),
        "messages": [
            {"text": m.text, "lang": m.lang, "translation": m.translation, "reference": m.reference}
            for m in entry.messages
        ],
        "codes": [
            {"system": c.system, "code": c.code, "reference": c.reference, "note": c.note}
            for c in entry.codes
        ],
        "cause": entry.cause,
        "solution": list(entry.solution),
        "symptoms": list(entry.symptoms),
        "related": list(entry.related),
        "examples": list(entry.examples),
        "counterexamples": list(entry.counterexamples),
        "references": list(entry.references),
        "notes": list(entry.notes),
        "origin": entry.origin.value if entry.origin else None,
        "source": entry.source,
        "draft": is_draft(entry),
    }


def match_object(match: Match) -> dict[str, Any]:
    return {**_entry_head(match.entry), **_match_fields(match), **_entry_tail(match.entry)}


def _entry_head(entry: Entry) -> dict[str, Any]:
    return {"id": entry.id, "title": entry.title, "severity": entry.severity.value}


def _match_fields(match: Match) -> dict[str, Any]:
    return {
        "score": match.score,
        "basis": match.basis,
        "matched_text": match.matched_text,
        "language": match.language,
        "translation": match.translation,
        "variables": dict(match.variables),
        "message": match.message.text if match.message else None,
    }


def _entry_tail(entry: Entry) -> dict[str, Any]:
    return {
        "systems": list(entry.systems),
        "cause": entry.cause,
        "solution": list(entry.solution),
        "related": list(entry.related),
        "kind": entry.kind.value,
        "source": entry.source,
        "draft": is_draft(entry),
    }


class MatchEncoder:
    """`orjson.dumps(match_object(match))`, byte for byte, for a log's many matches: the
    entry's own fields (most of the object: its cause and solution) are encoded once
    per entry, only the match's fields for each match."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[bytes, bytes]] = {}

    def encode(self, match: Match) -> bytes:
        from orjson import dumps

        encoded = self._entries.get(match.entry.id)
        if encoded is None:
            head = dumps(_entry_head(match.entry))[:-1]  # `{"id":…,"severity":"high"`
            tail = dumps(_entry_tail(match.entry))[1:]  # `"systems":[…],…,"source":…}`
            encoded = self._entries[match.entry.id] = (head, tail)
        head, tail = encoded
        return b"%b,%b,%b" % (head, dumps(_match_fields(match))[1:-1], tail)


def dumps(value: Any) -> str:
    """Compact JSON text, UTF-8 kept as is, the line breaks of `str.splitlines` escaped."""
    import orjson

    text: str = orjson.dumps(value).decode("utf-8")
    for char in ("\u0085", "\u2028", "\u2029"):
        if char in text:
            text = text.replace(char, f"\\u{ord(char):04x}")
    return text


class JsonLinesSink:
    """One JSON object per input line (SPEC §1), encoded with orjson, written in blocks."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self._matches = MatchEncoder()

    def batch(self, first: int, batch: Batch, matches: dict[int, Match]) -> None:
        from orjson import dumps

        lines = batch.lines
        count = len(lines)
        # `{"line":N,"text":` + text + `,"match":null}` + newline for every line, joined
        # once: the numbered heads are made by one %-format for the whole batch.
        heads = ((_HEAD * count) % tuple(range(first, first + count))).split(b"\n")
        parts = [_NULL_MATCH] * (3 * count)
        parts[0::3] = heads[:count]
        parts[1::3] = map(dumps, lines)
        breaks = _breaks_lines(batch.text)
        for offset, match in matches.items():
            encoded = self._matches.encode(match)
            parts[3 * offset + 2] = b',"match":%b}\n' % encoded
            # the entry's text, or a JSON body's `\u2028` decoded into the match's values
            breaks = breaks or any(raw in encoded for raw, _ in _LINE_BREAKING)
        data = b"".join(parts)
        self.out.write(_one_line(data) if breaks else data)

    def flush(self) -> None:
        self.out.flush()

    def close(self) -> None:
        self.out.flush()


_HEAD = b'{"line":%d,"text":\n'
_NULL_MATCH = b',"match":null}\n'
_LINE_BREAKING = (
    (b"\xc2\x85", b"\\u0085"),
    (b"\xe2\x80\xa8", b"\\u2028"),
    (b"\xe2\x80\xa9", b"\\u2029"),
)


def _breaks_lines(text: str) -> bool:
    # searching text is far cheaper than searching its UTF-8, whose many multi-byte
    # characters each start a candidate for the byte search
    return "\x85" in text or "\u2028" in text or "\u2029" in text


def _one_line(data: bytes) -> bytes:
    """Escape the characters that Python's `splitlines` (and old JavaScript) treat as line
    breaks, which JSON allows raw in strings: one object must stay one line for every reader."""
    for raw, escaped in _LINE_BREAKING:
        if raw in data:
            data = data.replace(raw, escaped)
    return data


def report_object(report: Report) -> dict[str, Any]:
    """What `catalog check` found, as `catalog check --json` prints it."""
    return {
        "ok": not (report.errors or report.failures),
        "errors": [
            {"path": p.path, "line": p.line, "field": p.field, "message": p.message}
            for p in report.errors
        ],
        "failures": list(report.failures),
        "warnings": list(report.warnings),
        "checked": {
            "entries": report.entries,
            "examples": report.examples,
            "counterexamples": report.counterexamples,
        },
        "summary": report.summary(),
    }
