#!/usr/bin/env python3
"""Fit the symptom tier's confidence (a logistic model over a few features).

    python benchmarks/calibrate.py [--check ../shared/eval/dev.jsonl]

Training data, all in this repository: the catalog's examples (positives) and
counterexamples (the symptom tier's top entry must not be theirs), the
lines of tests/data/negatives.txt (must not match), tests/data/paraphrases.jsonl
(descriptions written without sight of the catalog) and the fitting part of
tests/data/train/*.jsonl (complaints, retold messages, typos and negatives written
from the catalog's meaning; every fifth line, by a hash of its text, is held out for
tests/test_matching.py and never fitted on). Only texts that reach the
symptom tier count (exact and fuzzy message matches have their own scores). A
case is positive when the tier's top entry is the expected one, so the model
learns to be unsure when retrieval is unsure. Prints the weights to put into
`junidiag.matching` and the resulting hit and false-positive rates; `--check`
only reports on another set, it is never fitted on.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import zlib
from pathlib import Path

from junidiag import api
from junidiag.matching import matcher as matching
from junidiag.text.cleaning import clean, fold
from junidiag.text.envelope import message_parts, split_envelope

ROOT = Path(__file__).resolve().parents[1]
Case = tuple[str, list[str] | str]
"""A text and the entries it is (a list), or the one entry it must not be (a str)."""


def features(text: str) -> tuple[str, tuple[float, ...]] | None:
    """The symptom tier's top entry for `text` and its features; None if another tier decides."""
    m = api.matcher()
    level, message = split_envelope(text)
    cleaned = clean(message)
    parts = message_parts(cleaned)[:4]
    passed = m.gate.passed([text])
    if not cleaned or not passed or m.gate.scan(fold(cleaned), passed[0]) is None:
        return None
    if m.exact(parts, m.forms, level) or m.fuzzy(parts, m.forms, level)[0]:
        return None
    reading = m.read(text)
    candidates = m.index.rank(reading.terms)[:5]
    if not candidates or reading.cues.routine(reading.level):
        return None  # decided by rule, not by the model
    best = candidates[0]
    margin = m._margin(best, candidates)
    fit = m.systems_fit(best.entry, m.named_systems(reading.text))
    row = matching.symptom_features(best, margin, fit, reading.cues, reading.level)
    return m.entries[candidates[0].entry].id, row


def dataset(cases: list[Case]) -> tuple[list[tuple[float, ...]], list[int]]:
    xs, ys = [], []
    for text, expect in cases:
        found = features(text)
        if found is None or (isinstance(expect, str) and found[0] != expect):
            continue  # a counterexample that lands elsewhere says nothing either way
        xs.append(found[1])
        ys.append(int(isinstance(expect, list) and found[0] in expect))
    return xs, ys


FALSE_POSITIVE_COST = 2.0
"""A wrong confident answer is worse than none: negatives weigh this much more."""


def held_out(text: str) -> bool:
    """Whether a line of tests/data/train is kept out of the fit (every fifth, by hash)."""
    return zlib.crc32(text.encode("utf-8")) % 5 == 0


def training_lines(fitting: bool) -> list[Case]:
    """The lines of tests/data/train: the fitting part, or the held-out part."""
    cases: list[Case] = []
    for path in sorted((ROOT / "tests" / "data" / "train").glob("*.jsonl")):
        cases += [c for c in load(path) if held_out(c[0]) != fitting]
    return cases


def fit(xs: list[tuple[float, ...]], ys: list[int], steps: int = 4000) -> tuple[list[float], float]:
    """Class-balanced logistic regression by gradient descent on standardised features,
    with negatives weighing FALSE_POSITIVE_COST times more."""
    n = len(xs[0])
    mean = [sum(x[i] for x in xs) / len(xs) for i in range(n)]
    spread = [(sum((x[i] - mean[i]) ** 2 for x in xs) / len(xs)) ** 0.5 or 1.0 for i in range(n)]
    zs = [[(x[i] - mean[i]) / spread[i] for i in range(n)] for x in xs]
    positives = sum(ys)
    weight = {
        1: len(ys) / (2 * positives),
        0: FALSE_POSITIVE_COST * len(ys) / (2 * (len(ys) - positives)),
    }
    w, b = [0.0] * n, 0.0
    for _ in range(steps):
        grad, grad_b = [0.0] * n, 0.0
        for z, y in zip(zs, ys, strict=True):
            p = 1 / (1 + math.exp(-(b + sum(a * c for a, c in zip(w, z, strict=True)))))
            error = weight[y] * (p - y)
            grad = [g + error * c for g, c in zip(grad, z, strict=True)]
            grad_b += error
        rate = 0.5 / len(zs)
        w = [a - rate * (g + 0.02 * a) for a, g in zip(w, grad, strict=True)]
        b -= rate * grad_b
    raw = [w[i] / spread[i] for i in range(n)]
    return raw, b - sum(w[i] * mean[i] / spread[i] for i in range(n))


def report(name: str, xs: list[tuple[float, ...]], ys: list[int]) -> None:
    scores = [matching.symptom_score(x) for x in xs]
    hit = sum(1 for s, y in zip(scores, ys, strict=True) if y and s >= matching.THRESHOLD)
    false = sum(1 for s, y in zip(scores, ys, strict=True) if not y and s >= matching.THRESHOLD)
    wrong = len(ys) - sum(ys)
    print(f"{name}: right and confident {hit}/{sum(ys)}, confident but wrong {false}/{wrong}")


def load(path: Path) -> list[Case]:
    rows = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return [(row["text"], row["expect"]) for row in rows]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", type=Path, action="append", default=[])
    args = parser.parse_args()
    catalog = api.load_catalog()
    cases: list[Case] = [(t, [e.id]) for e in catalog for t in e.examples]
    cases += [(t, e.id) for e in catalog for t in e.counterexamples]
    negatives = (ROOT / "tests" / "data" / "negatives.txt").read_text(encoding="utf-8")
    cases += [
        (line, []) for line in negatives.splitlines() if line.strip() and not line.startswith("#")
    ]
    cases += load(ROOT / "tests" / "data" / "paraphrases.jsonl")
    cases += training_lines(fitting=True)
    xs, ys = dataset(cases)
    weights, bias = fit(xs, ys)
    print("SYMPTOM_FEATURES =", matching.SYMPTOM_FEATURES)
    print("SYMPTOM_WEIGHTS = (" + ", ".join(f"{w:.2f}" for w in weights) + ")")
    print(f"SYMPTOM_BIAS = {bias:.2f}")
    matching.SYMPTOM_WEIGHTS, matching.SYMPTOM_BIAS = tuple(weights), bias
    report("training", xs, ys)
    report("held out (tests/data/train)", *dataset(training_lines(fitting=False)))
    for path in args.check:
        report(path.stem, *dataset(load(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
