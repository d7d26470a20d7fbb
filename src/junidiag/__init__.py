"""junidiag: name a Junipeer sync error, why it happened and how to fix it — offline.

The public API is small and typed::

    >>> import junidiag
    >>> best = junidiag.diagnose("Kunde inte hitta moms")[0]
    >>> best.id, best.language, best.translation
    ('FORTNOX_VAT_NOT_FOUND', 'sv', 'Could not find VAT')

Heavy modules load on first use, so `import junidiag` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Catalog",
    "CatalogError",
    "Entry",
    "Match",
    "Message",
    "Severity",
    "__version__",
    "diagnose",
    "load_catalog",
]

if TYPE_CHECKING:
    from junidiag.api import diagnose, load_catalog
    from junidiag.catalog import Catalog, CatalogError
    from junidiag.model import Entry, Match, Message, Severity

_LAZY = {
    "diagnose": "junidiag.api",
    "load_catalog": "junidiag.api",
    "Catalog": "junidiag.catalog",
    "CatalogError": "junidiag.catalog",
    "Entry": "junidiag.model",
    "Match": "junidiag.model",
    "Message": "junidiag.model",
    "Severity": "junidiag.model",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'junidiag' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
