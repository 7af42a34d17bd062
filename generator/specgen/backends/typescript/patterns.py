"""The RE2 translations a data schema carries for the TypeScript runtime.

``@specgen/runtime`` runs every pattern on re2js, in linear time (docs/regex-dialect.md), in
the translation the generator's dialect makes: the embedded schema holds a table ECMA-262
source -> RE2 syntax under ``x-specgen-re2`` (its patterns, its ``patternProperties`` and the
subject parameters' patterns), so a pattern means in TypeScript what it means in Python and
Rust.
"""

from __future__ import annotations

from typing import Any

from specgen.schema.regex import to_re2

RE2_KEY = "x-specgen-re2"
_DATA = frozenset({"enum", "const", "default", "examples"})


def _schema_patterns(node: Any, found: dict[str, str]) -> None:
    if isinstance(node, list):
        for item in node:
            _schema_patterns(item, found)
    elif isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            found.setdefault(node["pattern"], to_re2(node["pattern"]))
        if isinstance(node.get("patternProperties"), dict):
            for source in node["patternProperties"]:
                found.setdefault(source, to_re2(source))
        for key, value in node.items():
            if key not in _DATA:
                _schema_patterns(value, found)


def with_re2(schema: Any, more: list[str] | None = None) -> Any:
    """The schema with the RE2 translation of each of its patterns, and of ``more``."""
    found: dict[str, str] = {p: to_re2(p) for p in more or ()}
    _schema_patterns(schema, found)
    if not found or not isinstance(schema, dict):
        return schema
    return {**schema, RE2_KEY: dict(sorted(found.items()))}
