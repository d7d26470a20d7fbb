"""Making text junidiag did not write safe to put on a terminal.

Pasted messages, log lines and user catalogs may hold escape sequences that set
the window title, rewrite the screen or plant hyperlinks (OSC 8), and bidi
overrides that make text read differently from what it is. Before any such text
reaches a terminal every control character is shown in caret notation (`^[` for
ESC, `^G` for BEL), C1 controls and invisible formatting characters as `<U+XXXX>`,
and a byte that was not UTF-8 (a file name's, kept by Python as a lone surrogate, which
a terminal would receive as that raw byte: `\\x9b` is CSI) as `<0x9B>`.
Rich markup is never interpreted either: callers wrap the result in `rich.text.Text`.
"""

from __future__ import annotations

import re

from junidiag.text.patterns import lazy

_UNSAFE = lazy(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ud800-\udfff]"
)


def neutralise(text: str) -> str:
    """`text` with every control and invisible formatting character made visible."""
    if text.isprintable() and "\x1b" not in text:
        return text
    return _UNSAFE.sub(_visible, text.replace("\t", "    "))


def _visible(found: re.Match[str]) -> str:
    char = found.group(0)
    code = ord(char)
    if code < 0x20:
        return "^" + chr(code + 0x40)
    if code == 0x7F:
        return "^?"
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as `surrogateescape` keeps it
        return f"<0x{code - 0xDC00:02X}>"
    return f"<U+{code:04X}>"
