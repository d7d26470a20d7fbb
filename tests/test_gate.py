"""The gate's first look at a log: which lines are routine traffic, skipped unread.

Every line of a log goes through it, so its rules are spelt out here line by line:
an INFO/DEBUG/TRACE/NOTICE line (the first level word within 60 characters of its
start) holding no problem word and no rare message word is routine; anything else
is read, with the level it names (-1 quiet, 1 loud, 0 none) and whether it holds a
problem word.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junidiag import api

TS = "2026-01-02T07:20:00.117Z"
LOOKS = {
    f"{TS} INFO [task 1] Export Orders Shopify → Fortnox: order 7 exported": None,
    f"{TS} DEBUG [task 1] order 7 exported": None,
    "Jan  2 07:20:00 worker-1 junipeer[77]: NOTICE sync done": None,
    f"{TS} TRACE order 7 exported": None,
    '{"ts":"2026-01-02T07:20:00Z","level":"info","msg":"order 7 exported"}': None,
    f"{TS} INFO [task 1] 12 orders exported, 0 failed": None,
    f"{TS} WARN [task 1] order 7 exported": (1, False, False),
    "order 7 exported": (0, False, False),
    f"{TS} INFO [task 1] order 7 not exported": (-1, True, True),
    f"{TS} INFO [task 1] ERROR in order 7": (-1, True, True),
    f"{TS} WARNING [task 1] info: order 7 exported": (1, False, False),
    f"{TS} DEBUG [task 1] invalid_grant from Fortnox": (-1, True, True),
    f"{TS} DEBUG [task 1] order 7: FAILED": (-1, True, True),
    "x" * 70 + " INFO order 7 exported": (0, False, False),
    "x" * 58 + " WARN order 7 exported": (1, False, False),
    "x" * 59 + " WARN order 7 exported": (0, False, False),
    "x" * 58 + " DEBUG order 7 exported": None,
    "": (0, False, False),
}


def test_a_batch_of_lines_is_sorted_into_routine_and_read() -> None:
    lines = list(LOOKS)
    looks = api.matcher().gate.passed(lines)
    assert {lines[n]: look for n, look in looks.items()} == {
        line: look for line, look in LOOKS.items() if look is not None
    }


@pytest.mark.parametrize("line", list(LOOKS))
def test_a_line_alone_gets_the_look_it_gets_in_a_batch(line: str) -> None:
    looks = api.matcher().gate.passed([line])
    assert looks.get(0) == LOOKS[line]


WORDS = ["INFO", "info", "DEBUG", "WARN", "ERROR", "notice", "order", "7", "0", "failed"]
WORDS += ["not", "exported", "x" * 25, "[task 1]", "level=info", '"level":"warn"', "→", ""]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join), max_size=30))
def test_a_line_gets_the_same_look_in_any_batch(lines: list[str]) -> None:
    gate = api.matcher().gate
    batch = gate.passed(lines)
    assert batch == {
        n: look for n, line in enumerate(lines) if (look := gate.passed([line]).get(0))
    }


def _gate_keys() -> dict[str, tuple[frozenset[int], bool]]:
    return api.matcher().gate._keys


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(sorted(_gate_keys())),
            st.sampled_from(sorted(_gate_keys())).map(lambda key: key[: len(key) // 2 + 1]),
            st.sampled_from([" ", "  ", "?", "n't", "x", "\u00e4".encode().decode("latin-1")]),
        ),
        max_size=24,
    ).map("".join)
)
def test_a_pasted_message_finds_the_keys_the_automaton_finds(text: str) -> None:
    """The gate looks a message's words up until a log makes its automaton pay: both find
    every occurrence of every key, so a message gets the same hits either way."""
    from junidiag.matching.gate import _LookedUp

    looked_up = _LookedUp(_gate_keys())
    data = text.encode("latin-1")
    first = looked_up.items_in(data)
    looked_up.LOOKUPS = 0  # this one's next look goes to the automaton
    looked_up._automaton = None
    assert sorted(first) == sorted(looked_up.items_in(data))
