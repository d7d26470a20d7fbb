#!/usr/bin/env python3
"""Feed every line of stdin to Drain3's TemplateMiner; the floor of benchmarks/stdin.py.

    ../benchvenv/bin/python benchmarks/drain_runner.py --mask numbers < sync.log
    ../benchvenv/bin/python benchmarks/drain_runner.py --mask none --limit 100000 < sync.log

Runs in its own virtual environment (Drain3 0.9.11 pins old versions of its
dependencies, so it never goes into the project's environment or extras):

    python3 -m venv ../benchvenv && ../benchvenv/bin/pip install drain3==0.9.11

Lines are read as bytes, decoded with replacement and stripped of their line end,
as junidiag does. `--mask none` is Drain3's defaults (a fresh TemplateMinerConfig,
so no drain3.ini from the working directory); `--mask numbers` adds the masking
instruction for integers from Drain3's README ("[MASKING] masking = …", mask_with
"NUM"), set through `TemplateMinerConfig.masking_instructions`. Prints one JSON
object: lines fed, clusters mined, seconds spent feeding, the Drain3 version.
Exit 2 when Drain3 cannot be imported.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from importlib import metadata

# Drain3's README, section "Masking": integers, with the non-alphanumeric look-arounds.
NUMBERS = r"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mask", choices=("none", "numbers"), default="none")
    parser.add_argument("--limit", type=int, default=0, help="stop after this many lines (0: all)")
    args = parser.parse_args()
    try:
        from drain3 import TemplateMiner  # type: ignore[import-not-found,unused-ignore]
        from drain3.masking import MaskingInstruction  # type: ignore[import-not-found,unused-ignore]
        from drain3.template_miner_config import (  # type: ignore[import-not-found,unused-ignore]
            TemplateMinerConfig,
        )
    except ImportError as error:
        print(f"drain_runner: cannot import drain3 ({error})", file=sys.stderr)
        return 2

    config = TemplateMinerConfig()
    if args.mask == "numbers":
        config.masking_instructions = [MaskingInstruction(NUMBERS, "NUM")]
    miner = TemplateMiner(config=config)
    add = miner.add_log_message
    limit: int = args.limit
    count = 0
    start = time.perf_counter()
    for raw in sys.stdin.buffer:
        if limit and count >= limit:
            break
        add(raw.decode("utf-8", "replace").rstrip("\r\n"))
        count += 1
    seconds = time.perf_counter() - start
    report = {
        "lines": count,
        "clusters": len(miner.drain.clusters),
        "seconds": round(seconds, 3),
        "drain3": metadata.version("drain3"),
        "mask": args.mask,
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
