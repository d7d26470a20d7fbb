#!/usr/bin/env python3
"""Accuracy of the matcher, in-process, on labelled sets.

    python benchmarks/accuracy.py                       # the catalog and every set in tests/data
    python benchmarks/accuracy.py --set ../shared/eval/dev.jsonl --failures
    python benchmarks/accuracy.py --wrapped             # the catalog's examples in tickets and logs

Sets are JSON Lines of {"text", "expect": [ids] (empty: must not match), "kind"},
the format of `../shared/eval/score.py`, each reported by kind. tests/data/blind/
holds sets written blind (see its README) and never fitted on: they measure how well
the matcher generalises. tests/data/vendor-negatives.jsonl holds 150 real error texts of
the connected systems (each with its public source) that no entry describes: all must
stay unanswered; tests/data/near-misses.jsonl 200 more collected as near misses of
particular entries, of which those answered became those entries' counterexamples. The
catalog's own examples and counterexamples are always scored as well.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from junidiag import api

ROOT = Path(__file__).resolve().parents[1]


def catalog_cases() -> list[dict[str, object]]:
    cases: list[dict[str, object]] = []
    for entry in api.load_catalog():
        cases += [{"text": t, "expect": [entry.id], "kind": "example"} for t in entry.examples]
        cases += [
            {"text": t, "not": entry.id, "kind": "counterexample"} for t in entry.counterexamples
        ]
    return cases


WRAPPERS = {
    "ticket-en": (
        "Hi, since Monday we keep getting this in Junipeer and our customers are waiting for"
        " their parcels. We restarted the sync twice and logged out and back in, but nothing"
        " helps. {text} Could you have a look as soon as possible? Thanks, Anna at Shop Ltd"
    ),
    "ticket-sv": (
        "Hej! Sedan i måndags får vi det här i Junipeer och kunderna väntar på sina"
        " leveranser. Vi har startat om synken två gånger men inget hjälper. {text} Kan ni"
        " titta på det så snart som möjligt? Tack på förhand, Anna på Butiken AB"
    ),
    "log-line": (
        "2026-03-01T10:00:00.123Z ERROR [task 48213] Export Orders Shopify → Fortnox: {text}"
        " | request_id=9f2c1a retry=3/5"
    ),
}
"""How a catalog example reaches junidiag in real use: inside a support ticket's
pleasantries, or a log line's envelope (`--wrapped`). The labelled sets are short
texts; these are not."""


def wrapped_cases() -> list[dict[str, object]]:
    """Every one-line example of the catalog in the source tree, in each of `WRAPPERS`
    (read from the YAML files, so that another build scores the same texts)."""
    import yaml

    cases: list[dict[str, object]] = []
    for path in sorted((ROOT / "catalog").glob("*.yaml")):
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        for example in entry.get("examples") or []:
            if "\n" in example:
                continue
            for kind, wrapper in WRAPPERS.items():
                text = wrapper.format(text=example)
                cases.append({"text": text, "expect": [entry["id"]], "kind": kind})
    return cases


def load_set(path: Path) -> list[dict[str, object]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def score(name: str, cases: list[dict[str, object]], show: bool) -> None:
    matcher = api.matcher()
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    positives = Counter[bool]()
    negatives = Counter[bool]()
    misses = []
    start = time.perf_counter()
    for case in cases:
        text = str(case["text"])
        found = matcher.diagnose(text)
        got = found[0].id if found else None
        kind = str(case.get("kind", "?"))
        if "not" in case:
            ok = got != case["not"]
        elif case["expect"]:
            ok = got in case["expect"]  # type: ignore[operator]
            positives[ok] += 1
        else:
            ok = got is None
            negatives[ok] += 1
        totals[kind] += 1
        hits[kind] += ok
        if not ok:
            best = matcher.candidates(text, limit=2)
            detail = ", ".join(f"{m.id} {m.score} {m.basis}" for m in best)
            misses.append(
                f"  {kind:14} {text[:100]!r}\n{'':17}want {case.get('expect') or 'none'}"
                f"{' not ' + str(case['not']) if 'not' in case else ''} | got {detail}"
            )
    elapsed = time.perf_counter() - start
    if show:
        print("\n".join(misses))
    per_kind = "  ".join(f"{k} {hits[k]}/{totals[k]}" for k in sorted(totals))
    print(f"{name}: {per_kind}")
    parts = []
    if positives:
        right, total = positives[True], positives[True] + positives[False]
        parts.append(f"top-1 {right}/{total} ({100 * right / total:.1f}%)")
    if negatives:
        wrong, total = negatives[False], negatives[True] + negatives[False]
        parts.append(f"negatives answered {wrong}/{total} ({100 * wrong / total:.1f}%)")
    parts.append(f"{1000 * elapsed / max(1, len(cases)):.2f} ms/case")
    print(f"{name}: " + ", ".join(parts))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", type=Path, action="append", default=[])
    parser.add_argument("--failures", action="store_true")
    parser.add_argument("--wrapped", action="store_true")
    args = parser.parse_args()
    if args.wrapped:
        score("wrapped", wrapped_cases(), args.failures)
        return 0
    score("catalog", catalog_cases(), args.failures)
    data = ROOT / "tests" / "data"
    sets = args.set or [
        data / "paraphrases.jsonl",
        data / "vendor-negatives.jsonl",
        data / "near-misses.jsonl",
        *sorted((data / "blind").glob("*.jsonl")),
    ]
    for path in sets:
        score(path.stem, load_set(path), args.failures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
