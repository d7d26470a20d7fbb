#!/usr/bin/env python3
"""Regenerate docs/report.png, the README's picture of an HTML triage report.

    python docs/report.py                 # writes docs/report.png
    python docs/report.py --html out.html # also keeps the report itself

A day's sync log is made up here (fixed seed): traffic, a burst of rate limiting in
the evening, VAT that Fortnox cannot find, every order export failing from midnight
on 1 January (the fiscal year is not created), a Visma.net connection whose grant was
revoked in the morning, and a kind of error line no entry knows. `junidiag explain
--format html < sync.log` makes the report as a user would; headless Chromium (Debian's
`chromium`) photographs it at 1200 × 1600, the same way the browser test renders it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

HERE = Path(__file__).resolve().parent
PICTURE = HERE / "report.png"
START = datetime(2025, 12, 31, 12, 0, tzinfo=UTC)
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
]  # fmt: skip


def sync_log(seed: int = 2026) -> str:
    """24 hours of a merchant's sync log, from noon on New Year's Eve."""
    rng = Random(seed)
    lines: list[tuple[datetime, str]] = []

    def at(minutes: float, text: str) -> None:
        lines.append((START + timedelta(minutes=minutes, seconds=rng.randint(0, 59)), text))

    task = iter(range(4100, 99999))
    flows = (
        "Export Orders Shopify → Fortnox",
        "Sync Stock Business Central → Shopify",
        "Export Payouts Shopify Payments → Fortnox",
    )
    for minute in range(0, 24 * 60, 3):
        flow = flows[minute % len(flows)]
        at(minute, f"INFO [task {next(task)}] {flow}: {rng.randint(1, 40)} records synced")
    for minute in range(6 * 60, 6 * 60 + 35, 2):  # 18:00: a big catalogue import
        at(minute, f"ERROR [task {next(task)}] Shopify: 429 Too many requests")
    for minute in (150, 155, 410, 415, 420):  # an order with a VAT rate Fortnox lacks
        at(minute, f"ERROR [task {next(task)}] {flows[0]}: Kunde inte hitta moms")
    for minute in range(12 * 60, 24 * 60, 4):  # midnight: no fiscal year 2026
        at(minute, f"ERROR [task {next(task)}] {flows[0]}: Räkenskapsår saknas för valt datum.")
    for minute in range(19 * 60 + 30, 24 * 60, 10):  # 07:30: the grant was revoked
        at(minute, f"ERROR [task {next(task)}] Export Invoices Visma.net: invalid_grant")
    for minute in (300, 640, 900):
        at(minute, f"FEL [task {next(task)}] Lagret Nord är låst för inventering")
    lines.sort()
    return "".join(f"{moment:%Y-%m-%dT%H:%M:%SZ} {text}\n" for moment, text in lines)


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("docs/report.py needs headless Chromium: apt-get install chromium")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--html", type=Path, help="also keep the report here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "sync.log"
        log.write_text(sync_log(), encoding="utf-8")
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(START.timestamp()) + 86400)}
        with log.open("rb") as stdin:
            made = subprocess.run(
                [sys.executable, "-m", "junidiag", "explain", "--format", "html"],
                stdin=stdin, capture_output=True, env=env, check=False,
            )  # fmt: skip
        if made.returncode not in (0, 1, 3):
            sys.exit(made.stderr.decode())
        page = Path(folder) / "report.html"
        page.write_bytes(made.stdout)
        if args.html:
            args.html.write_bytes(made.stdout)
        subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={Path(folder) / 'profile'}",
             f"--screenshot={PICTURE}", "--window-size=1200,1600", page.as_uri()],
            capture_output=True, check=True,
        )  # fmt: skip
    print(f"wrote {PICTURE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
