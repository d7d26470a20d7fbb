"""The public, embeddable API: `diagnose(text)` and `load_catalog()`.

    >>> import junidiag
    >>> [m.id for m in junidiag.diagnose("Currency EUR and Currency SEK does not match")]
    ['FORTNOX_CURRENCY_MISMATCH']

The catalog and the compiled matcher are built once per process (and cached on
disk between processes, see `cache`; the bundled catalog's come compiled in the
wheel, see `shipped`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when used: `show` and `list` never load the matcher
    from junidiag.catalog import Catalog
    from junidiag.matching import Matcher
    from junidiag.matching.retrieval import SymptomIndex
    from junidiag.model import Match, Problem


def diagnose(text: str, catalog_dirs: Sequence[str | Path] = ()) -> list[Match]:
    """The catalog entries `text` is, best first; empty when nothing is confident.

    `text` may be a bare error message, a log line or JSON body containing one, or a
    plain-language description in English, Swedish or Norwegian. `catalog_dirs`
    adds user catalog directories (later ones override earlier ones and the bundled
    catalog), as `--catalog` does on the command line.
    """
    return matcher(tuple(str(d) for d in catalog_dirs)).diagnose(text)


def load_catalog(catalog_dirs: Sequence[str | Path] = ()) -> Catalog:
    """The bundled catalog merged with `catalog_dirs`; raises `CatalogError` if invalid."""
    return _catalog(tuple(str(d) for d in catalog_dirs))


def matcher(catalog_dirs: tuple[str, ...] = ()) -> Matcher:
    """The compiled matcher for the bundled catalog merged with `catalog_dirs`."""
    return _matcher(tuple(catalog_dirs))  # `matcher()` and `matcher(())` are one matcher


@lru_cache(maxsize=8)
def _matcher(catalog_dirs: tuple[str, ...]) -> Matcher:
    from junidiag import cache
    from junidiag.matching import Matcher

    shipped = _shipped_matcher(catalog_dirs)
    if shipped is not None:
        return shipped
    key = _fingerprint(catalog_dirs)
    built: list[Matcher] = []

    def build() -> Matcher:
        built.append(_compile(catalog_dirs))
        return built[0]

    def index(build_index: Callable[[], SymptomIndex]) -> SymptomIndex:
        from junidiag.matching.retrieval import SymptomIndex

        return cache.cached("index", key, build_index, SymptomIndex)

    compiled = cache.cached("matcher", key, build, Matcher)
    compiled.attach_entries(list(_catalog(catalog_dirs)))
    if built:  # the description index is cached on its own (see Matcher.index)
        index(lambda: built[0].index)
    else:
        compiled.attach_index(lambda: index(lambda: _compile(catalog_dirs).index))
    return compiled


def _shipped_matcher(catalog_dirs: tuple[str, ...]) -> Matcher | None:
    """The bundled catalog's matcher as the wheel ships it (see `shipped`), or None."""
    from junidiag import shipped
    from junidiag.matching import Matcher

    if not _bundled_only(catalog_dirs):
        return None
    compiled = shipped.load("matcher", Matcher)
    if compiled is None:
        return None
    compiled.attach_entries(list(_catalog(catalog_dirs)))
    compiled.attach_index(lambda: _shipped_index(catalog_dirs))
    return compiled


def _shipped_index(catalog_dirs: tuple[str, ...]) -> SymptomIndex:
    from junidiag import cache, shipped
    from junidiag.matching.retrieval import SymptomIndex

    found = shipped.load("index", SymptomIndex)
    if found is not None:
        return found
    key = _fingerprint(catalog_dirs)  # not shipped with its matcher: as any other catalog's
    return cache.cached("index", key, lambda: _compile(catalog_dirs).index, SymptomIndex)


def _compile(catalog_dirs: tuple[str, ...]) -> Matcher:
    from junidiag.matching import Matcher

    return Matcher(list(_catalog(catalog_dirs)))


@lru_cache(maxsize=8)
def _catalog(catalog_dirs: tuple[str, ...]) -> Catalog:
    from junidiag import cache, catalog, shipped

    sources = catalog.sources([Path(d) for d in catalog_dirs])
    if len(sources) == 1:  # the bundled catalog alone, as the wheel may ship it compiled
        found = shipped.load("catalog", catalog.Catalog)
        if found is not None:
            return found
    key = _fingerprint(catalog_dirs)
    return cache.cached("catalog", key, lambda: catalog.load(sources), catalog.Catalog)


def _bundled_only(catalog_dirs: tuple[str, ...]) -> bool:
    from junidiag import catalog

    return len(catalog.sources([Path(d) for d in catalog_dirs])) == 1


@lru_cache(maxsize=8)
def _fingerprint(catalog_dirs: tuple[str, ...]) -> str:
    from junidiag import cache, catalog

    sources = catalog.sources([Path(d) for d in catalog_dirs])
    return cache.fingerprint((s.name, s.directory) for s in sources)


def served_catalog(catalog_dirs: Sequence[str | Path] = ()) -> tuple[Catalog, list[Problem]]:
    """What the commands serve: the catalog, and what is wrong with the user catalogs.

    A directory that is not there, or a file that does not load, is left out and named
    in the problems, and the rest still serves (bundled entries and every valid user
    entry); `load_catalog` and `catalog check` stay strict. A clean catalog comes from
    the same cache as `load_catalog`'s.
    """
    catalog, problems, _ = _served(tuple(str(d) for d in catalog_dirs))
    return catalog, list(problems)


def served_matcher(catalog_dirs: Sequence[str | Path] = ()) -> Matcher:
    """The compiled matcher for what `served_catalog` serves."""
    dirs = tuple(str(d) for d in catalog_dirs)
    if _served(dirs)[2]:
        return matcher(dirs)
    return _partial_matcher(dirs)


@lru_cache(maxsize=8)
def _served(catalog_dirs: tuple[str, ...]) -> tuple[Catalog, tuple[Problem, ...], bool]:
    """The catalog, its problems, and whether it is whole (then `matcher` compiles it)."""
    from junidiag import catalog

    try:
        return _catalog(catalog_dirs), (), True
    except catalog.CatalogError:
        pass
    missing: list[Problem] = []
    sources = catalog.sources([Path(d) for d in catalog_dirs], missing=missing)
    usable, problems = catalog.load_usable(sources)
    return usable, (*missing, *problems), False


@lru_cache(maxsize=8)
def _partial_matcher(catalog_dirs: tuple[str, ...]) -> Matcher:
    """Compiled on every run while a user catalog is broken: that is meant to be brief."""
    from junidiag.matching import Matcher

    return Matcher(list(_served(catalog_dirs)[0]))


def forget() -> None:
    """Drop the catalogs and matchers this process has loaded (after editing catalog files)."""
    from junidiag import shipped

    shipped.key.cache_clear()
    _matcher.cache_clear()
    _catalog.cache_clear()
    _fingerprint.cache_clear()
    _served.cache_clear()
    _partial_matcher.cache_clear()
