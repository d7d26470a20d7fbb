"""The message inside a log line: what it says, without when, where and by whom.

`split_envelope` reads a log line as its level and its message (the timestamp,
task id, logger, flow and connector set aside); `message_parts` finds where a
message may sit in a log line or JSON body; `without_machine_names` drops URLs,
host names and paths.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from junidiag.text import languages
from junidiag.text.cleaning import _ESCAPES, MAX_CHARS, decode_escapes
from junidiag.text.patterns import ISO_STAMP, lazy


def _json_text_field(*keys: str) -> re.Pattern[str]:
    """A JSON string field named one of `keys`, its (still escaped) value as group 1."""
    return lazy(rf'"(?:{"|".join(keys)})"\s*:\s*"((?:[^"\\]|\\.){{3,}})"', re.IGNORECASE)


_JSON_MESSAGE = _json_text_field(
    "message", "msg", "error_description", "errorMessage", "error", "detail", "title",
    "description", "reason",
)  # fmt: skip
_JSON_LOG_MESSAGE = _json_text_field("message", "msg")
"""A JSON log line's own message, wherever its `error` or `title` fields stand."""
_JSON_CODE = lazy(r'"code"\s*:\s*"?(\d{3,})', re.IGNORECASE)
_LOGFMT_MESSAGE = lazy(r'\bmsg="((?:[^"\\]|\\.)+)"')
_CAUSED_BY = lazy(
    rf"\b(?:{'|'.join(map(re.escape, languages.words('caused_by.phrases')))})\b\s*:?\s*",
    re.IGNORECASE,
)
_QUIET_LEVELS = frozenset(w.lower() for w in languages.words("levels.quiet"))
_LOUD_LEVELS = frozenset(w.lower() for w in languages.words("levels.loud"))
_LEVELS = "|".join(languages.words("levels.quiet") + languages.words("levels.loud"))
"""Every level word, as programs write it (`INFO`, `ERROR`, …): the one table of levels."""
_PREFIX = lazy(
    # One token after another, each taken whole (an atomic group, repeated possessively):
    # the prefix is read token by token, left to right, in one call.
    r"""(?>
        \s+
      | ISO_STAMP
      | \d\d:\d\d:\d\d(?:[.,]\d+)?
      | [A-Z][a-z]{2}\s+\d{1,2}\s+\d\d:\d\d:\d\d\s+[\w.-]+
      | [\w.-]+\[\d+\]:
      | (?:LEVELS)\b:?
      | \[[^\]\s]{1,40}\]                       # [main], [ERROR], [worker-2]
      | \[[^\]]{0,60}?\s[^\]\s]*\d[^\]\s]*\]       # [task 7], [connector visma.net #118]
      | (?i:ts|time|timestamp|level|severity|lvl|task|task_id|connector|flow|logger|host
          |hostname|pid|thread|caller|trace_id|span_id|request_id)
        =(?:"[^"\\]*(?:\\.[^"\\]*)*"|\S+)
      | \w++(?:\.\w++)++:
      | [-|:]+
    )*+""".replace("LEVELS", _LEVELS).replace("ISO_STAMP", ISO_STAMP),
    re.VERBOSE,
)
"""What opens a log line before its message: timestamps, a level, the program and its
pid, a logger name, envelope fields (`task=7`), and brackets holding one token or
ending in a number. `[Too many requests]` or `error="Invalid grant"` are the message."""


LEVEL = lazy(
    rf"\b({_LEVELS})\b"  # INFO, [ERROR]
    rf"|\blevel[\"']?[ \t]*[=:][ \t]*[\"']?([a-zA-Z]+)"  # level=info, "level":"error"
    rf"|[\"'\[]({_LEVELS.lower()})\b"  # [info], "warn"
)
"""A log level near the start of a line: upper case, or lower case in a level field."""
LEVEL_WITHIN = 160
_LEVEL_TOKENS = {name: -1 if name.lower() in _QUIET_LEVELS else 1 for name in _LEVELS.split("|")}


def log_level(text: str) -> int:
    """-1 for a DEBUG/INFO line, +1 for WARN and worse, 0 when the text names no level."""
    return _level_word(LEVEL.search(text, 0, LEVEL_WITHIN))


def _level_word(found: re.Match[str] | None) -> int:
    if found is None:
        return 0
    return level_named(found.group(1) or found.group(2) or found.group(3))


def level_named(name: str) -> int:
    """-1 for a quiet level's name (`info`), 1 for a loud one (`ERROR`), else 0."""
    name = name.lower()
    if name in _QUIET_LEVELS:
        return -1
    return 1 if name in _LOUD_LEVELS else 0


def strip_prefix(text: str) -> str:
    """A log line without its leading timestamp, level, task id and logger name."""
    return _without_prefix(text, _prefix_end(text))


def _prefix_end(text: str) -> int:
    found = _PREFIX.match(text)
    return 0 if found is None else found.end()


def _without_prefix(text: str, end: int) -> str:
    return text[end:].strip() or text


_SYSTEMS = (
    "fortnox|shopify|centra|magento|woocommerce|norce|visma|business central|bc|trimit|sap"
    "|b1|nshift|nowaste|klarna|qliro|adyen|stripe|paypal|brightpearl|junipeer"
)
"""The platforms a flow ends in: what makes `A → B:` a flow name rather than a message."""
_FLOW = lazy(rf"[^:\n→>]{{1,80}}?\s(?:→|->|=>)\s(?i:{_SYSTEMS})(?![\w-])[^:\n]{{0,60}}")
"""A flow name opening a log message (`Export Orders Shopify → Fortnox: `) up to its colon.

No part of it holds a colon, so a message opens with a flow name when the text before
its first colon is one, followed by the colon and white space: flows repeat on every
line of a log, and what the text before the first colon is, is remembered (`_FLOWS`)."""
_FLOWS: dict[str, bool] = {}
_FLOWS_KEPT = 1024


def log_message(text: str) -> str:
    """What a log line says, without the envelope that says where it was said.

    The JSON `msg` or logfmt `msg="…"` field, else the line without its prefix and
    without a leading flow name. The envelope names systems and flows
    (`Export Payouts Klarna → Fortnox`), which say which entries *could* be
    involved, never which one is: a description is judged on the message alone.
    """
    if '"' in text:
        found = (
            _JSON_LOG_MESSAGE.search(text)
            or _JSON_MESSAGE.search(text)
            or _LOGFMT_MESSAGE.search(text)
        )
        if found is not None:
            text = decode_escapes(found.group(1))
    return _without_flow(strip_prefix(text))


def _without_flow(message: str) -> str:
    if "→" not in message and "->" not in message and "=>" not in message:
        return message  # no arrow, no flow
    colon = message.find(":")
    after = message[colon + 1 :].lstrip()  # `\s+`: what str.isspace() calls white space
    if colon < 0 or not after or len(after) == len(message) - colon - 1:
        return message
    head = message[:colon]
    flow = _FLOWS.get(head)
    if flow is None:
        if len(_FLOWS) >= _FLOWS_KEPT:
            _FLOWS.clear()  # not a log's few flows: text before a colon that only has an arrow
        flow = _FLOWS[head] = _FLOW.fullmatch(head) is not None
    return after if flow else message


def split_envelope(text: str) -> tuple[int, str]:
    """A log line's level and its message: what it says, without the envelope that says
    when, where and by whom (timestamp, level, task id, logger, flow and connector).

    Every tier reads the message alone (see `matching`), so a log's lines, which
    repeat a few hundred messages inside ever-changing envelopes, can be answered
    once per message. The level is the one the envelope names: a JSON line's
    `level` field, a logfmt line's `level=`, a level word in a plain line's prefix
    (-1 DEBUG/INFO, 1 WARN and worse, 0 none: text people type names none). A JSON
    or logfmt line whose only field beside the envelope is its `msg` gives that
    field's text; one with other fields (an `error` or `status` beside the `msg`)
    stays whole, for `message_parts` to search.
    """
    if text[:1] == "\ufeff":
        text = text[1:]  # a byte order mark opening a file
    stripped = text.strip()
    if stripped[:1] == "{" and stripped[-1:] == "}" and len(stripped) <= _JSON_LINE_CHARS:
        return _json_envelope(stripped)
    text = text[: MAX_CHARS * 2]
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESCAPES.sub(" ", text)  # a coloured level is still a level
    stripped = text.strip()
    if _LOGFMT_START.match(stripped):
        found = _logfmt_envelope(stripped)
        if found is not None:
            return found
    end = _prefix_end(stripped)
    return _prefix_level(stripped, end), _without_flow(_without_prefix(stripped, end))


_ENVELOPE_KEYS = frozenset(
    """ts time timestamp @timestamp datetime date level severity lvl loglevel log_level
    connector task task_id taskid flow logger host hostname pid thread caller
    trace_id traceid span_id spanid request_id requestid""".split()
)
"""Fields of a structured log line that say when, where and by whom, never what."""
_LEVEL_KEYS = frozenset("level severity lvl loglevel log_level".split())
_JSON_LINE_CHARS = 1 << 20
"""A JSON line up to this long is parsed whole (its `msg` may follow a long payload);
a longer one is cut, as any line is, and read as text."""
_MESSAGE_KEYS = frozenset(("msg", "message"))
_LOGFMT_START = lazy(r"[\w.@-]+=")
_QUOTED = r'"[^"\\]*(?:\\.[^"\\]*)*"'
"""A double-quoted string with backslash escapes (unrolled: Python's re is slow at `(a|b)*`)."""
_LOGFMT_TOKEN = lazy(rf'([\w.@-]+)=({_QUOTED}|[^\s"]*)(?!\S)|(\S+)')
"""A logfmt pair (key, value), or (as the third group) anything else: free text."""


def _prefix_level(line: str, end: int) -> int:
    """The level a plain line's prefix (`line[:end]`) names: its first level token
    (`ERROR`, `[INFO]`, `WARN:`), else the first level the pattern finds there."""
    if not end:
        return 0
    for token in line[:end].split():
        level = _LEVEL_TOKENS.get(token.strip("[]():"))
        if level is not None:
            return level
    return _level_word(LEVEL.search(line, 0, end))


def _json_envelope(line: str) -> tuple[int, str]:
    import orjson

    try:
        fields = orjson.loads(line)
    except orjson.JSONDecodeError:
        return log_level(line), line  # not JSON after all (or a lone surrogate): text
    return _structured(fields.items(), line)


def _structured(fields: Iterable[tuple[str, object]], line: str) -> tuple[int, str]:
    """A structured line's level (its first level field) and what it says (`_said`)."""
    level, said = 0, {}
    for key, value in fields:
        name = key.casefold()
        if name in _LEVEL_KEYS and not level:
            level = _json_level(value)
        if name not in _ENVELOPE_KEYS:
            said[name] = value
    return level, _said(said, line)


def _json_level(value: object) -> int:
    """A level field's level: a name, or pino's numbers (10 trace … 30 info, 40 warn …)."""
    if isinstance(value, str):
        return level_named(value)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return -1 if value < 40 else 1
    return 0


def _logfmt_envelope(line: str) -> tuple[int, str] | None:
    """A logfmt line's level and message, or None when free text follows its pairs."""
    pairs = []
    for key, value, free in _LOGFMT_TOKEN.findall(line):
        if free:
            return None
        pairs.append((key, decode_escapes(value[1:-1]) if value.startswith('"') else value))
    return _structured(pairs, line)


def _said(fields: dict[str, object], line: str) -> str:
    """What a structured line says: nothing, its lone `msg`, or else the whole line (its
    `msg` first when the line is longer than what is read of it)."""
    if not fields:
        return ""
    messages = [v for k, v in fields.items() if k in _MESSAGE_KEYS and isinstance(v, str)]
    if len(fields) == 1 and messages:
        return messages[0]
    if messages and len(line) > MAX_CHARS:
        return f"{messages[0]} {line}"  # a payload before it must not push it out of reach
    return line


def without_machine_names(text: str) -> str:
    """`text` without URLs, host names, module and file paths: they say which machine
    said something, not what it said."""
    return _MACHINE_NAMES.sub(" ", text)


_MACHINE_NAMES = lazy(
    r"\b\w+://\S*"  # URLs
    r"|(?<![\w.-])\w[\w-]*+(?:\.[\w-]++){2,}+(?![\w-])"  # host names, module paths
    r"|(?<!\w)(?:/[\w.-]+){2,}"  # file paths
)
"""URLs, names with two dots or more (api.fortnox.se, requests.exceptions.ConnectTimeout)
and file paths; `Visma.net` has one dot."""


def message_parts(text: str) -> list[str]:
    """Where an error message may sit in `text`, most specific first, `text` itself last.

    JSON bodies give their message (with a numeric `code` appended the way Fortnox
    prints it: `Customer name cannot be empty (2000637)`), logfmt its `msg`, error
    chains each link, and a plain log line its text without the prefix.
    """
    parts: list[str] = []
    if '"' in text:
        parts.extend(_json_messages(text))
        for found in _LOGFMT_MESSAGE.finditer(text):
            message = decode_escapes(found.group(1))
            parts.extend(_json_messages(message))  # a JSON body quoted inside it
            parts.append(message)
    parts.extend(part for part in _CAUSED_BY.split(text)[1:] if part)
    stripped = strip_prefix(text)
    parts.extend(_chain_links(stripped))
    if stripped != text:
        parts.append(stripped)
    if "\\" in text:  # escapes outside a JSON field: `ERROR Kunde inte h\u00e4mta moms`
        parts.append(decode_escapes(text))
    parts.append(text)
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def _json_messages(text: str, nested: int = 1) -> list[str]:
    """The messages of a JSON body, and of one quoted inside them (an API's error body
    in a log line's `msg`), innermost first; a Magento message with its `parameters`
    filled in before it as written."""
    code = _JSON_CODE.search(text)
    found: list[str] = []
    for match in _JSON_MESSAGE.finditer(text):
        message = decode_escapes(match.group(1))
        if nested and '"' in message:
            found.extend(_json_messages(message, nested - 1))
        if "%" in message:
            found.extend(_filled(message, text))
        found.append(f"{message} ({code.group(1)})" if code else message)
    return found


_PARAMETERS = re.compile(r'"parameters"\s*:\s*(\{[^{}]*\}|\[[^\[\]]*\])')
_PLACEHOLDER = re.compile(r"%(\w+)")


def _filled(message: str, body: str) -> list[str]:
    """Magento's REST errors keep their placeholders and send the values apart:
    `{"message": "No such entity with %fieldName = %fieldValue", "parameters":
    {"fieldName": "customerId", "fieldValue": "5"}}` reads "No such entity with
    customerId = 5" (a list fills `%1`, `%2` …). Nothing when the body has none."""
    found = _PARAMETERS.search(body)
    if found is None:
        return []
    try:
        values = json.loads(found.group(1))
    except ValueError:
        return []
    if isinstance(values, list):
        values = {str(number): value for number, value in enumerate(values, start=1)}
    named = {str(k): v for k, v in values.items() if isinstance(v, str | int | float)}
    filled = _PLACEHOLDER.sub(lambda m: str(named.get(m.group(1), m.group(0))), message)
    return [filled] if filled != message else []


def _chain_links(text: str, limit: int = 3) -> list[str]:
    """`flow: order 12: Error message: too long` → the text after each `: `, last first."""
    links: list[str] = []
    position = text.find(": ")
    while position != -1 and len(links) < limit:
        links.append(text[position + 2 :])
        position = text.find(": ", position + 2)
    return links[::-1]


# --- lines at an error level ---------------------------------------------------------

_ERROR_LEVELS = frozenset(w.lower() for w in languages.words("levels.error"))
"""The loud levels that mean a failure (ERROR, FATAL, CRITICAL, FEL, FEIL …), not WARN."""
_ERROR_WORDS = tuple(sorted(_ERROR_LEVELS))
_LEVEL_FIELD = lazy(r"\"(?:level|severity|lvl|loglevel|log_level)\"\s*:\s*\"?(\w+)", re.I)
_ERROR_NUMBER = 50
"""pino's numeric levels: 50 error, 60 fatal (40 is warn)."""


def error_message(text: str) -> str | None:
    """The message of a log line whose envelope names an error level (ERROR, FATAL,
    CRITICAL, FEL, FEIL; not WARN), or None: a line a log summary counts when nothing
    matched it. The level is the one `split_envelope` reads, named by a JSON line's
    level field or by the first level word near a line's start."""
    json_line = text.lstrip("\ufeff \t")[:1] == "{"
    if not json_line:
        head = text[:LEVEL_WITHIN].lower()
        if not any(word in head for word in _ERROR_WORDS):
            return None  # most lines: a substring test, before reading the envelope
    level, message = split_envelope(text)
    if level < 1:
        return None
    if json_line:
        field = _LEVEL_FIELD.search(text)
        if field is not None:
            value = field.group(1).lower()
            error = value.isdigit() and int(value) >= _ERROR_NUMBER
            return message if error or value in _ERROR_LEVELS else None
    found = LEVEL.search(text, 0, LEVEL_WITHIN)
    if found is None:
        return None
    name = found.group(1) or found.group(2) or found.group(3)
    return message if name.lower() in _ERROR_LEVELS else None
