"""The JSON sink: entries and matches as the plain objects of SPEC §1.

The same domain objects feed the Rich renderer; this module only decides their
machine shape. Keys are stable (scripts rely on them); new keys may be added.
"""

from __future__ import annotations

from typing import Any

from junidiag.model import Entry, Match


def entry_object(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "title": entry.title,
        "severity": entry.severity.value,
        "kind": entry.kind.value,
        "systems": list(entry.systems),
        "messages": [
            {"text": m.text, "lang": m.lang, "translation": m.translation} for m in entry.messages
        ],
        "cause": entry.cause,
        "solution": list(entry.solution),
        "symptoms": list(entry.symptoms),
        "related": list(entry.related),
        "examples": list(entry.examples),
        "counterexamples": list(entry.counterexamples),
        "source": entry.source,
    }


def match_object(match: Match) -> dict[str, Any]:
    entry = match.entry
    return {
        "id": entry.id,
        "title": entry.title,
        "severity": entry.severity.value,
        "score": match.score,
        "basis": match.basis,
        "matched_text": match.matched_text,
        "language": match.language,
        "translation": match.translation,
        "variables": dict(match.variables),
        "message": match.message.text if match.message else None,
        "systems": list(entry.systems),
        "cause": entry.cause,
        "solution": list(entry.solution),
        "related": list(entry.related),
        "kind": entry.kind.value,
        "source": entry.source,
    }


def dumps(value: Any) -> str:
    """Compact JSON text (UTF-8 kept as is); orjson when installed, it is several times faster."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency, but stay usable without
        import json

        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    encoded: bytes = orjson.dumps(value)
    text = encoded.decode("utf-8")
    for char in ("\u0085", "\u2028", "\u2029"):  # line breaks to `str.splitlines`
        if char in text:
            text = text.replace(char, f"\\u{ord(char):04x}")
    return text
