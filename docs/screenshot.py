#!/usr/bin/env python3
"""Regenerate the README's pictures from what `junidiag` really prints.

    python docs/screenshot.py            # writes docs/explain.svg and docs/log.svg
    python docs/screenshot.py --check    # exits 1 when a picture is out of date

docs/explain.svg is one message explained; docs/log.svg is the README's own
`sync.log` triaged (matched lines, the summary with times and a timeline, the error
line nothing matched and the command that drafts an entry from it). Each command
runs as a user would run it (colours forced, 100 columns); its ANSI output is
replayed into a recording Rich console and saved as SVG, so the pictures are always
what junidiag prints.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"


def readme_log() -> str:
    """The lines the README shows after `$ cat sync.log`."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index("$ cat sync.log") + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("$ "))
    return "\n".join(lines[start:end]) + "\n"


PICTURES = {
    "explain.svg": (
        ["explain", "Kunde inte hämta moms"],
        None,
        'junidiag explain "Kunde inte hämta moms"',
    ),
    "log.svg": (["explain"], readme_log, "junidiag explain < sync.log"),
}
"""Each picture: the command's arguments, what it reads on stdin, and its title."""


def render(name: str) -> str:
    args, stdin, title = PICTURES[name]
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    result = subprocess.run(
        [sys.executable, "-m", "junidiag", "--color", "always", *args],
        input=stdin() if stdin else None, capture_output=True, text=True, env=env,
    )  # fmt: skip
    if result.returncode not in (0, 1):
        raise SystemExit(f"junidiag {' '.join(args)} exited {result.returncode}: {result.stderr}")
    console = Console(record=True, width=100, force_terminal=True, file=io.StringIO())
    console.print(Text.from_ansi(result.stdout + result.stderr), end="")
    return console.export_svg(title=title)


def visible_text(svg: str) -> str:
    """The characters the picture shows, without the SVG's styling (which Rich may change)."""
    import html
    import re

    return "".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    stale = 0
    for name in PICTURES:
        picture, svg = HERE / name, render(name)
        if not args.check:
            picture.write_text(svg, encoding="utf-8")
            print(f"wrote {picture}")
            continue
        current = picture.read_text(encoding="utf-8") if picture.exists() else ""
        if visible_text(current) != visible_text(svg):
            print(f"{picture} is out of date: run python docs/screenshot.py", file=sys.stderr)
            stale = 1
    return stale


if __name__ == "__main__":
    sys.exit(main())
