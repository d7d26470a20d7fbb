"""Matching: input text → the catalog entries it is, with one comparable score.

`matcher` holds the three tiers (exact message, near copy, description) and the
memory of message shapes; `gate` decides cheaply what a line could match;
`templates` compiles messages with `{placeholders}`; `retrieval` and `terms` find
entries from plain-language descriptions through the glossary.
"""

from junidiag.matching.matcher import RUNNER_UP_MARGIN, THRESHOLD, Matcher

__all__ = ["RUNNER_UP_MARGIN", "THRESHOLD", "Matcher"]
