#!/usr/bin/env python3
"""Message templates against adversarial lines: the time a search really takes.

    python benchmarks/patterns.py [--repeat 5]

Each template below is compiled as the catalog compiles it (`matching.templates`) and
searched in a 10 kB line built to make a backtracking pattern try every split of its
placeholders (issue 14). tests/test_hardening.py holds the same cases under a guard of
10 s, a guard against catastrophe; this prints the real times (best of `--repeat`),
which are in milliseconds. The first two have placeholders side by side, which
`catalog check` refuses; their patterns must be safe all the same.
"""

from __future__ import annotations

import argparse
import sys
import time

from junidiag.matching.templates import compile_template

CASES = [
    ("Lager '{a}' '{b}' '{c}' '{d}' är låst", ("låst: Lager " + "'a' " * 30 + "är ") * 75),
    ("{p0}{p1}{p2}{p3} zorkquux", "x" * 10_000),
    ("Lager {a} och {b} och {c} och {d} och {e} är låst", "Lager och " * 1000),
    ("{order_id} failed for {name} in {system}", "a" * 5000 + " failed for " * 450),
    ("Order {a}: {b} failed", "Order x" + "!" * 10_000),
    ("Currency {a} and Currency {b} does not match", "Currency EUR and " * 600),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'template':52} {'line':>7} {'best':>9}")
    for text, line in CASES:
        template = compile_template(text)
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            template.search(line)
            best = min(best, time.perf_counter() - started)
        print(f"{text:52} {len(line):7,} {1000 * best:7.2f}ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
