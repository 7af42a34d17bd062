"""Patterns of the spec, read with the dialect every generated validator runs.

The dialect is the runtimes' (``specgen_runtime/ecma_regex.py``, docs/regex-dialect.md); the
generator holds verbatim copies (``schema/ecma_*.py``, written by tools/sync_dialect.py,
so that specgen installs without the runtime) and reads patterns with the very parser the
Python validators compile them with: what ``validate`` accepts is what runs. Two questions,
two answers: is it ECMA-262 at all (a broken spec otherwise), and can the linear-time engines
run it (a limit of the generators).
"""

from __future__ import annotations

from functools import cache

from pydantic_core import SchemaValidator, ValidationError, core_schema

from specgen.diagnostics import Diagnostic, Location, error
from specgen.schema.ecma_regex import (
    PatternError,
    PatternSyntaxError,
    Unsupported,
    parse,
    to_re2,
    to_rust,
)

__all__ = ["dialect_error", "matches", "outside_dialect", "syntax_error", "to_re2", "to_rust"]


def _problem(source: str, kind: type[PatternError]) -> str | None:
    try:
        parse(source)
    except kind as problem:
        where = f"(at character {problem.position + 1})"
        return f"{getattr(problem, 'construct', problem.message)} {where}"
    except PatternError:
        return None
    return None


def syntax_error(source: str) -> str | None:
    """Why ``source`` is no ECMA-262 pattern (character index included), or None if it is."""
    return _problem(source, PatternSyntaxError)


def outside_dialect(source: str) -> str | None:
    """The construct of ``source`` the linear-time dialect refuses (a lookahead...), or None."""
    return _problem(source, Unsupported)


def dialect_error(keyword: str, source: str, problem: str, where: Location) -> Diagnostic:
    """SG-SCHEMA-PATTERN: the one diagnostic of a pattern outside the dialect (the rule and the
    lowering both report it, as the same value)."""
    return error(
        "SG-SCHEMA-PATTERN",
        f"{keyword} {source!r} uses {problem}, outside the regex dialect the generated "
        "validators run in linear time",
        where,
        "rewrite it without lookaround or backreferences (docs/regex-dialect.md)",
    )


@cache
def _matcher(source: str) -> SchemaValidator:
    return SchemaValidator(
        core_schema.str_schema(pattern=to_rust(source), regex_engine="rust-regex")
    )


def matches(source: str, text: str) -> bool:
    """Whether the ECMA-262 pattern ``source`` (in the dialect) finds a match in ``text``."""
    try:
        _matcher(source).validate_python(text)
    except ValidationError:
        return False
    return True
