"""The JSON sink: entries and matches as the plain objects of SPEC §1.

The same domain objects feed the Rich renderer; this module only decides their
machine shape. Keys are stable (scripts rely on them); new keys may be added.

JSON escapes the C0 controls (ESC becomes `\\u001b`), but allows every other
character raw. Those a terminal acts on or hides are escaped too, so that `jq -r`
into a terminal is as safe as junidiag's own view: DEL, the C1 controls (U+009B is
CSI, U+009D OSC), bidi marks, embeddings, overrides and isolates (U+202E turns text
around), invisible separators, the byte order mark, and the Unicode line breaks
(`str.splitlines` and old JavaScript split a line at them: one object, one line).
"""

from __future__ import annotations

import re
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
    """`orjson.dumps(match_object(match))`, byte for byte, for a log's many matches.

    A log repeats a few hundred messages, and the matches of one message's lines differ
    only in what each line says: its matched text, the values extracted and the
    translation they fill in. Everything else (the entry's fields, most of the object:
    its cause and solution; the score, basis, language and message) is encoded once
    per kind of match, and each match encodes only its own three values.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[bytes, bytes]] = {}
        self._kinds: dict[tuple[object, ...], tuple[bytes, bytes, bytes, bool, object]] = {}

    def encode_checked(self, match: Match) -> tuple[bytes, bool]:
        """The encoding, and whether it holds a character to escape (see `escaped`)."""
        # the catalog's message by identity: hashing its fields cost more than the rest
        kind = (match.entry.id, match.score, match.basis, match.language, id(match.message))
        fixed = self._kinds.get(kind)
        if fixed is None or fixed[4] is not match.message:
            fixed = self._kinds[kind] = self._fixed(match)
        opening, middle, closing, unsafe, _ = fixed
        own = _encode_all(match.matched_text, match.translation, match.variables)
        encoded = b'%b%b%b%b,"variables":%b%b' % (opening, own[0], middle, own[1], own[2], closing)
        return encoded, unsafe or _holds_unsafe(b"".join(own))

    def _fixed(self, match: Match) -> tuple[bytes, bytes, bytes, bool, object]:
        """What every match of one entry, score, basis, language and message shares: the
        object up to its matched text, between it and the translation, and from the
        message on."""
        entry = match.entry
        if entry.id not in self._entries:
            head = _encode(_entry_head(entry))[:-1]  # `{"id":…,"severity":"high"`
            tail = _encode(_entry_tail(entry))[1:]  # `"systems":[…],…,"source":…}`
            self._entries[entry.id] = (head, tail)
        head, tail = self._entries[entry.id]
        score, basis = _encode(match.score), _encode(match.basis)
        opening = b'%b,"score":%b,"basis":%b,"matched_text":' % (head, score, basis)
        middle = b',"language":%b,"translation":' % _encode(match.language)
        message = _encode(match.message.text if match.message else None)
        closing = b',"message":%b,%b' % (message, tail)
        unsafe = any(map(_holds_unsafe, (opening, middle, closing)))
        return opening, middle, closing, unsafe, match.message


def dumps(value: Any) -> str:
    """Compact JSON text, UTF-8 kept as is but for the characters a terminal would act
    on or hide, which are escaped (see the module's docstring)."""
    text = _encode(value).decode("utf-8")
    if not text.isascii():
        text = _UNSAFE_TEXT.sub(_escape_text, text)
    return text


def _encode(value: Any) -> bytes:
    """orjson's encoding; a lone surrogate (a path's byte that is not UTF-8) as U+FFFD."""
    import orjson

    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return orjson.dumps(_without_surrogates(value))


def _encode_all(*values: Any) -> tuple[bytes, ...]:
    """Each value's encoding (see `_encode`), for a log's every match."""
    import orjson

    try:
        return tuple(map(orjson.dumps, values))
    except orjson.JSONEncodeError:
        return tuple(map(_encode, values))


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_surrogates(item) for item in value]
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSAFE = "\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
_UNSAFE_TEXT = re.compile(f"[{_UNSAFE}]")
_UNSAFE_UTF8 = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8b-\x8f\xa8-\xae]|\xe2\x81[\xa0-\xa9]|\xef\xbb\xbf"
)
"""The same characters in UTF-8 (each match starts at a character: these are lead bytes)."""
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_GENERAL_PUNCTUATION_UTF8 = re.compile(rb"\xe2(?:\x80[\x8b-\x8f\xa8-\xae]|\x81[\xa0-\xa9])")


def _escape_text(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


def _escape_utf8(found: re.Match[bytes]) -> bytes:
    return b"\\u%04x" % ord(found.group().decode("utf-8"))


def _holds_unsafe(data: bytes) -> bool:
    """Whether UTF-8 `data` holds a character to escape. Hot: a log's every batch is
    looked at, so each test is a byte search in C, the rarer lead bytes first, and a
    pattern only where its lead byte is (`→`, everywhere in flow names, is `\\xe2`)."""
    if data.isascii():
        return b"\x7f" in data
    return (
        b"\x7f" in data
        or (b"\xc2" in data and _C1_UTF8.search(data) is not None)
        or (b"\xd8" in data and b"\xd8\x9c" in data)
        or (b"\xef" in data and b"\xef\xbb\xbf" in data)
        or (b"\xe2" in data and _GENERAL_PUNCTUATION_UTF8.search(data) is not None)
    )


def escaped(data: bytes) -> bytes:
    """UTF-8 JSON `data` with the characters a terminal would act on or hide escaped."""
    return _UNSAFE_UTF8.sub(_escape_utf8, data)


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
        # the lines' text as read (its bytes, when they were UTF-8 already), then each
        # match: the entry's text, or a JSON body's `\u202e` decoded into its values
        if batch.utf8 is not None:
            unsafe = _holds_unsafe(batch.utf8)
        else:
            unsafe = not batch.text.isascii() and _UNSAFE_TEXT.search(batch.text) is not None
        for offset, match in matches.items():
            encoded, holds = self._matches.encode_checked(match)
            parts[3 * offset + 2] = b',"match":%b}\n' % encoded
            unsafe = unsafe or holds
        data = b"".join(parts)
        self.out.write(escaped(data) if unsafe else data)

    def flush(self) -> None:
        self.out.flush()

    def close(self) -> None:
        self.out.flush()


_HEAD = b'{"line":%d,"text":\n'
_NULL_MATCH = b',"match":null}\n'


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
