"""python-jsonschema, imported without paying up front for format libraries a spec never uses.

``jsonschema`` imports its optional format libraries (``jsonschema[format-nongpl]``) when it
is imported. One of them, ``rfc3987_syntax``, compiles 39 grammars at import time, about a
second, although it only checks the ``iri`` and ``iri-reference`` formats. :func:`load`
imports jsonschema with a stand-in for ``rfc3987_syntax`` whose ``is_valid_syntax`` imports
the real package on its first call and then hands every call to it. The answers of the
format checker do not change: the same function runs, only later, and only for specs that
use those formats. A process that imported ``rfc3987_syntax`` or ``jsonschema`` already
gets them as they are.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any

__all__ = ["load"]

_DEFERRED = "rfc3987_syntax"


def _deferred_is_valid_syntax() -> Any:
    real: Any = None

    def is_valid_syntax(rule: str, value: str) -> bool:
        nonlocal real
        if real is None:
            stand_in = sys.modules.get(_DEFERRED)
            if stand_in is not None and getattr(stand_in, "__specgen_stand_in__", False):
                del sys.modules[_DEFERRED]
            real = importlib.import_module(_DEFERRED).is_valid_syntax
        return bool(real(rule, value))

    return is_valid_syntax


def load() -> ModuleType:
    """The ``jsonschema`` module (imported once, with ``rfc3987_syntax`` deferred)."""
    loaded = sys.modules.get("jsonschema")
    if loaded is not None:
        return loaded
    if _DEFERRED in sys.modules or importlib.util.find_spec(_DEFERRED) is None:
        return importlib.import_module("jsonschema")
    stand_in = ModuleType(_DEFERRED)
    stand_in.__dict__["is_valid_syntax"] = _deferred_is_valid_syntax()
    stand_in.__dict__["__specgen_stand_in__"] = True
    sys.modules[_DEFERRED] = stand_in
    try:
        return importlib.import_module("jsonschema")
    finally:
        if sys.modules.get(_DEFERRED) is stand_in:
            del sys.modules[_DEFERRED]  # a later `import rfc3987_syntax` gets the real one
