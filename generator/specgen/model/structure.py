"""``check_structure``: validate every document against the typed model, as diagnostics.

Three passes per document: the version gate (only 3.0.0 and 3.1.0 are read at all), the model
(:class:`~specgen.model.document.AsyncAPI`, errors translated by
:mod:`specgen.model.errors`), and two checks the model cannot see on resolved data: component
names and fields that must be ``$ref``s (:mod:`specgen.model.references`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from specgen.diagnostics import Diagnostic, error, has_errors, warning
from specgen.load import LoadedSpec, SourceFile
from specgen.model.base import COMPONENT_KEY, SUPPORTED_VERSIONS, ValidationContext
from specgen.model.document import AsyncAPI, Components
from specgen.model.errors import REQUIRED, TYPE, ErrorTranslator
from specgen.model.references import check_ref_only_fields

VERSION = "SG-STRUCT-VERSION"
KEY = "SG-STRUCT-KEY"


def check_structure(spec: LoadedSpec) -> list[Diagnostic]:
    """Structural diagnostics for every document of ``spec``."""
    diagnostics: list[Diagnostic] = []
    for source in spec.documents:
        diagnostics.extend(parse_document(spec, source)[1])
    return unique(diagnostics)


def parse_document(
    spec: LoadedSpec, source: SourceFile
) -> tuple[AsyncAPI | None, list[Diagnostic]]:
    """The typed model of one (resolved) document, or None and the reasons why not."""
    gate = _check_version(spec, source)
    if gate is not None:
        return None, [gate]
    data = source.data
    context = ValidationContext(version=data["asyncapi"])
    diagnostics = _component_keys(spec, data) + check_ref_only_fields(spec, data)
    try:
        model = AsyncAPI.model_validate(data, context=context)
    except ValidationError as exc:
        translator = ErrorTranslator(spec, data, context)
        found = (translator.diagnostic(e) for e in exc.errors(include_url=False))
        diagnostics += [d for d in found if d is not None]
        return None, unique(diagnostics)
    return (None if has_errors(diagnostics) else model), unique(diagnostics)


def unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """One diagnostic per rule and offending value, sorted by place."""
    seen: dict[tuple[str, str, str], Diagnostic] = {}
    for d in diagnostics:
        seen.setdefault((d.rule, d.location.file, d.location.pointer), d)
    return sorted(seen.values(), key=Diagnostic.sort_key)


def _check_version(spec: LoadedSpec, source: SourceFile) -> Diagnostic | None:
    data = source.data
    if not isinstance(data, dict):
        return error(
            TYPE,
            "an AsyncAPI document must be a mapping at the top level",
            source.location(""),
            "start the file with 'asyncapi: 3.1.0' and 'info:'",
        )
    if "asyncapi" not in data:
        return error(
            REQUIRED,
            "the AsyncAPI document is missing the required field 'asyncapi'",
            source.location(""),
            "add 'asyncapi: 3.1.0' as the first line",
        )
    version = data["asyncapi"]
    if version in SUPPORTED_VERSIONS:
        return None
    hint = "write 'asyncapi: 3.1.0' (or 3.0.0)"
    if isinstance(version, str) and version.startswith("2."):
        hint = "AsyncAPI 2 documents must be converted first, e.g. with `asyncapi convert`"
    elif not isinstance(version, str):
        hint = "quote the version: asyncapi: '3.1.0'"
    return error(
        VERSION,
        f"unsupported AsyncAPI version {version!r}; specgen reads "
        + " and ".join(SUPPORTED_VERSIONS),
        spec.locate(data, "asyncapi"),
        hint,
    )


def _component_keys(spec: LoadedSpec, data: dict[str, Any]) -> list[Diagnostic]:
    components = data.get("components")
    if not isinstance(components, dict):
        return []
    found = []
    for field in Components.field_keys():
        mapping = components.get(field)
        if not isinstance(mapping, dict):
            continue
        for key in mapping:
            if not COMPONENT_KEY.search(key):
                suggestion = re.sub(r"[^\w.\-]", "_", key)
                found.append(
                    warning(
                        KEY,
                        f"component name {key!r} uses characters other than letters, digits, "
                        "'.', '-' and '_'",
                        spec.locate(mapping, key),
                        f"rename it, e.g. to {suggestion!r}; the official AsyncAPI schema does "
                        "not validate components with such names",
                    )
                )
    return found
