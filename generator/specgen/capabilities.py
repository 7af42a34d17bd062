"""What ``generate`` would refuse, found without generating: the IR build and each backend's
capability check, for ``validate`` (so pre-commit catches it) and for ``generate`` itself.

Each backend's check is the part of it that can refuse (``BackendRefusal``): TypeScript's
integer range check, Rust's type mapping. A backend without a listed check is run in full.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import cast

from specgen.backends import BACKENDS, BackendRefusal
from specgen.diagnostics import Diagnostic, Location, error
from specgen.ir import SpecIR
from specgen.ir.build import build_ir
from specgen.model.spec import SpecModel

RULE = "SG-BACKEND"
_CHECKS = {
    "python": None,  # the Python backend can express every IR type
    "typescript": ("specgen.backends.typescript.capability", "check_capabilities"),
    "rust": ("specgen.backends.rust", "payload_modules"),
}


def _check(language: str) -> Callable[[SpecIR], object]:
    target = _CHECKS.get(language, ())
    if target is None:
        return lambda ir: None
    if not target:
        return BACKENDS[language]
    module, name = target
    return cast(Callable[[SpecIR], object], getattr(importlib.import_module(module), name))


def where_languages(model: SpecModel, language: str) -> Location:
    """The ``languages`` entry of the project file naming ``language``, else the first file."""
    source, project = model.loaded.project, model.project
    if source is not None and project is not None and language in project.languages:
        return source.value_location(f"/languages/{project.languages.index(language)}")
    if source is not None:
        return source.location("/languages")
    first = model.loaded.documents[0].display if model.loaded.documents else "<spec>"
    return Location(first, 1, 1, "")


def backend_error(model: SpecModel, language: str, message: str) -> Diagnostic:
    return error(
        RULE,
        f"{language}: {message}",
        where_languages(model, language),
        f"change the spec, or remove {language!r} from `languages` in the project file",
    )


def refusals(model: SpecModel, ir: SpecIR, languages: Sequence[str]) -> list[Diagnostic]:
    """SG-BACKEND for every language that cannot express ``ir``."""
    found = []
    for language in languages:
        if language not in BACKENDS:
            found.append(backend_error(model, language, "no such backend"))
            continue
        try:
            _check(language)(ir)
        except BackendRefusal as refusal:
            found.append(backend_error(model, language, str(refusal)))
    return found


def generator_diagnostics(
    model: SpecModel, languages: Sequence[str] | None
) -> tuple[SpecIR | None, list[Diagnostic]]:
    """The IR (None if it cannot be built) and everything generating it would refuse."""
    ir, diagnostics = build_ir(model)
    if ir is None:
        return None, diagnostics
    chosen = languages or ir.project.languages
    return ir, diagnostics + refusals(model, ir, chosen)
