"""Patterns compiled on first use behave as compiled patterns, and then are ones."""

from __future__ import annotations

import re
import types

from junidiag.text.patterns import lazy


def test_a_lazy_pattern_is_the_compiled_pattern_once_used() -> None:
    module = types.ModuleType("somewhere")
    exec(
        "from junidiag.text.patterns import lazy\n"
        "WORDS = lazy(r'[a-z]+', 2)\n"  # re.IGNORECASE
        "def words(text):\n    return WORDS.findall(text)\n",
        module.__dict__,
    )
    assert not isinstance(module.WORDS, re.Pattern)  # nothing compiled on import
    assert module.words("Kunde inte HÄMTA moms") == ["Kunde", "inte", "H", "MTA", "moms"]
    assert module.WORDS is re.compile(r"[a-z]+", re.IGNORECASE)  # in its place from now on


def test_a_lazy_pattern_imported_elsewhere_is_replaced_there_too() -> None:
    home = types.ModuleType("home")
    exec("from junidiag.text.patterns import lazy\nDIGITS = lazy(r'\\d+')\n", home.__dict__)
    user = types.ModuleType("user")
    user.__dict__["DIGITS"] = home.DIGITS
    exec("def numbers(text):\n    return DIGITS.findall(text)\n", user.__dict__)
    assert user.numbers("order 7 of 12") == ["7", "12"]
    assert isinstance(home.DIGITS, re.Pattern) and user.DIGITS is home.DIGITS
    assert lazy(r"x").sub("y", "xx") == "yy"
