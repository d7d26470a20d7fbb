"""junidiag: name a Junipeer sync error, why it happened and how to fix it — offline.

The public API is small and typed::

    >>> import junidiag
    >>> best = junidiag.diagnose("Kunde inte hitta moms")[0]
    >>> best.id, best.language, best.translation
    ('FORTNOX_VAT_NOT_FOUND', 'sv', 'Could not find VAT')

Heavy modules load on first use, so `import junidiag` stays cheap.
"""

from __future__ import annotations

import os as _os
import signal as _signal
import sys as _sys


def interrupted_while_starting(number: int, frame: object) -> None:
    """Ctrl-C while Python still loads the command: one line and exit 130, never a
    KeyboardInterrupt traceback from inside an import (`running.prepare` hands Ctrl-C
    back to the command once it runs)."""
    try:  # noqa: SIM105 (contextlib is one more import before the handler is in place)
        _os.write(2, b"junidiag: Interrupted.\n")
    except OSError:
        pass
    _os._exit(130)


def _quiet_ctrl_c_while_starting() -> None:
    """Installed here, before any other import, when the program is the `junidiag`
    command: importing `typing` and the rest takes tens of milliseconds, and a Ctrl-C
    in them would otherwise end in a traceback. A program that imports junidiag as a
    library is never touched."""
    arguments = getattr(_sys, "argv", None) or [""]
    program = _os.path.basename(arguments[0])  # noqa: PTH119 (pathlib: 4 ms more to wait)
    if not program.startswith("junidiag"):
        return
    try:
        if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
            _signal.signal(_signal.SIGINT, interrupted_while_starting)
    except ValueError:
        pass  # not the main thread


_quiet_ctrl_c_while_starting()

from typing import TYPE_CHECKING, Any  # noqa: E402 (after the Ctrl-C handler, on purpose)

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
