#!/usr/bin/env python3
"""Regenerate docs/explain.svg from the real `junidiag explain` output.

    python docs/screenshot.py            # writes docs/explain.svg
    python docs/screenshot.py --check    # exits 1 when the picture is out of date

The command runs as a user would run it (colours forced, 100 columns); its ANSI
output is replayed into a recording Rich console and saved as SVG, so the
picture in the README is always what junidiag prints.
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
PICTURE = HERE / "explain.svg"
COMMAND = ["explain", "Kunde inte hämta moms"]


def render() -> str:
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    result = subprocess.run(
        [sys.executable, "-m", "junidiag", "--color", "always", *COMMAND],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    console = Console(record=True, width=100, force_terminal=True, file=io.StringIO())
    console.print(Text.from_ansi(result.stdout), end="")
    return console.export_svg(
        title="junidiag " + " ".join(f'"{w}"' if " " in w else w for w in COMMAND)
    )


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
    svg = render()
    if args.check:
        current = PICTURE.read_text(encoding="utf-8") if PICTURE.exists() else ""
        if visible_text(current) != visible_text(svg):
            print(f"{PICTURE} is out of date: run python docs/screenshot.py", file=sys.stderr)
            return 1
        return 0
    PICTURE.write_text(svg, encoding="utf-8")
    print(f"wrote {PICTURE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
