"""Languages are data: one file each, and a new one needs no code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from junidiag.text import languages
from junidiag.text.language import language

ZORBISH = """\
    # A made-up language, to prove that adding one is one data file.
    name: Zorbish
    letters: ŧ
    detect.distinctive: nix findo
    negations: nix
    negation.core: nix
    problem: nix brokko
    stopwords: da ka
    glossary:
    VAT: grogŧax* | grogtax*
"""

ZORBISH_ENTRY = """\
    id: ACME_ZORB_VAT
    title: VAT rate not found, in Zorbish
    severity: error
    kind: code
    systems: [Fortnox]
    messages:
      - text: Nix findo grogŧax {rate} ka Fortnox
        lang: xz
        translation: Could not find VAT rate {rate} in Fortnox
    cause: >-
      The VAT rate is not set up in Fortnox.
    solution:
      - Add the VAT rate in Fortnox, then retry the task.
    symptoms:
      - the VAT rate is missing in Fortnox
    related: []
    examples:
      - Nix findo grogŧax 25% ka Fortnox
"""


def _junidiag(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "junidiag", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def test_a_language_added_as_one_file_is_matched_named_and_translated(tmp_path: Path) -> None:
    language_file = tmp_path / "xz.txt"
    language_file.write_text(textwrap.dedent(ZORBISH), encoding="utf-8")
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "ACME_ZORB_VAT.yaml").write_text(textwrap.dedent(ZORBISH_ENTRY), encoding="utf-8")
    env = {"JUNIDIAG_LANGUAGES": str(language_file), "JUNIDIAG_CACHE_DIR": str(tmp_path / "c")}

    found = _junidiag(
        "--catalog", str(catalog), "explain", "--json", "nix findo grogŧax 12 ka Fortnox", env=env
    )
    assert found.returncode == 0, found.stderr
    best = json.loads(found.stdout)["matches"][0]
    assert (best["id"], best["basis"], best["language"]) == ("ACME_ZORB_VAT", "exact", "xz")
    assert best["translation"] == "Could not find VAT rate 12 in Fortnox"

    # its glossary line makes `grogtax` the concept VAT, which the English symptom names
    read = subprocess.run(
        [
            sys.executable,
            "-c",
            "from junidiag import api; print(api.matcher().read('nix grogtax brokko').terms)",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )
    assert read.stdout.strip() == "['VAT', 'brokko']", read.stderr  # nix: a negation

    shown = _junidiag(
        "--catalog", str(catalog), "explain", "Nix findo grogŧax 6 ka Fortnox", env=env
    )
    assert "Zorbish" in shown.stdout
    assert "Could not find VAT rate 6 in Fortnox" in shown.stdout


def test_a_message_in_an_unregistered_language_is_a_catalog_error(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "ACME_ZORB_VAT.yaml").write_text(textwrap.dedent(ZORBISH_ENTRY), encoding="utf-8")
    checked = _junidiag(
        "catalog", "check", str(catalog), env={"JUNIDIAG_CACHE_DIR": str(tmp_path / "c")}
    )
    assert checked.returncode == 2
    assert "ACME_ZORB_VAT.yaml:8: messages.lang: 'xz' is not one of en, sv, no" in checked.stderr


def test_each_bundled_language_defines_the_words_the_code_reads() -> None:
    kinds = ("levels.quiet", "stopwords", "problem", "question", "success", "negations")
    for code in languages.BUNDLED:
        lang = languages.named(code)
        assert lang is not None
        assert lang.name and lang.glossary, code
        for kind in kinds:
            assert kind in lang.lists, (code, kind)


def test_a_word_is_read_in_the_language_whose_letters_or_words_it_has() -> None:
    assert language("Kunde inte hämta moms") == "sv"
    assert language("Kunne ikke hente mva for ordren") == "no"
    assert language("kunde inte hamta moms") == "sv"
    assert language("Regnskapsår er ikke tilgjengelig") == "no"
    assert language("Fiscal year not available") == "en"


def test_a_file_replacing_a_bundled_language_keeps_the_kinds_it_does_not_name(
    tmp_path: Path,
) -> None:
    """An `sv.txt` written for an older version (here: one without `code_labels`) changes
    what it names and leaves the rest as bundled: a Swedish code label still reads."""
    bundled = (Path(languages.__file__).parents[1] / "languages" / "sv.txt").read_text("utf-8")
    older = "\n".join(line for line in bundled.splitlines() if not line.startswith("code_labels"))
    older = older.replace("name: Swedish", "name: Svenska")
    (tmp_path / "sv.txt").write_text(older, encoding="utf-8")
    env = {
        "JUNIDIAG_LANGUAGES": str(tmp_path / "sv.txt"),
        "JUNIDIAG_CACHE_DIR": str(tmp_path / "c"),
    }

    found = _junidiag("explain", "--json", "Exporten stoppade, felkod 2000433", env=env)
    best = json.loads(found.stdout)["matches"][0]
    assert (best["id"], best["basis"]) == ("CUSTOMER_ID_NOT_FOUND", "code")
    shown = _junidiag("explain", "Kunde inte hitta moms", env=env)
    assert "Svenska" in shown.stdout
