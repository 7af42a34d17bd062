"""YAML 1.2 core schema on top of PyYAML (which implements YAML 1.1).

AsyncAPI documents are YAML 1.2. PyYAML's resolvers are YAML 1.1: ``on``/``off``/``yes``/``no``
become booleans, ``12:30`` the sexagesimal number 750, ``0777`` the octal 511 and ``1_000`` the
number 1000. This module replaces the implicit resolvers with the 1.2 core schema's (YAML 1.2.2,
section 10.3.2) and constructs scalars itself:

=========  ===========================================================================
null       ``~``, ``null``, ``Null``, ``NULL`` and the empty scalar
bool       ``true``, ``True``, ``TRUE``, ``false``, ``False``, ``FALSE``
int        ``[-+]?[0-9]+`` (decimal, so ``0777`` is 777), ``0o[0-7]+``, ``0x[0-9a-fA-F]+``
float      ``[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?``, ``.inf``, ``.nan``
str        everything else, including ``on``, ``yes``, ``12:30``, ``2025-03-14``, ``1_000``
=========  ===========================================================================

Quoted scalars are always strings. Explicit tags (``!!int "12"``) are read with the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
STR = "tag:yaml.org,2002:str"
TEXT_TAGS = frozenset({"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"})
"""Explicit 1.1 tags that JSON has no type for: their text is kept, as a JSON reader would."""

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_DIGITS = list("-+0123456789")

CORE_RESOLVERS: list[tuple[str, re.Pattern[str], list[str]]] = [
    (NULL, _NULL, ["~", "n", "N", ""]),
    (BOOL, _BOOL, list("tTfF")),
    (INT, _INT, _DIGITS),
    (FLOAT, _FLOAT, [*_DIGITS, "."]),
]
MERGE = "tag:yaml.org,2002:merge"


def install_core_resolvers(loader: type[yaml.SafeLoader]) -> None:
    """Make ``loader`` resolve plain scalars as the YAML 1.2 core schema does.

    ``<<`` keeps its merge resolver so that a merge key is refused by name instead of being
    read as the text ``"<<"`` the author did not mean.
    """
    loader.yaml_implicit_resolvers = {}
    for tag, pattern, first in CORE_RESOLVERS:
        loader.add_implicit_resolver(tag, pattern, first)
    loader.add_implicit_resolver(MERGE, re.compile(r"^(?:<<)$"), ["<"])


class ScalarError(ValueError):
    """A scalar whose explicit tag does not fit its text (``!!int abc``)."""


def _int(text: str) -> int:
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _float(text: str) -> float:
    lowered = text.lower()
    if lowered.lstrip("+-") == ".inf":
        return float("-inf") if text.startswith("-") else float("inf")
    if lowered == ".nan":
        return float("nan")
    return float(text)


def _null(text: str) -> None:
    return None


def _bool(text: str) -> bool:
    return text.lower() == "true"


_CONSTRUCT: dict[str, tuple[re.Pattern[str], Callable[[str], Any]]] = {
    NULL: (_NULL, _null),
    BOOL: (_BOOL, _bool),
    INT: (_INT, _int),
    FLOAT: (_FLOAT, _float),
}


def construct_scalar(tag: str, text: str) -> Any:
    """The JSON value of a scalar with resolved ``tag``; raises ScalarError or KeyError."""
    if tag == STR or tag in TEXT_TAGS:
        return text
    pattern, build = _CONSTRUCT[tag]
    if pattern.match(text) is None:
        kind = tag.rsplit(":", 1)[-1]
        raise ScalarError(f"{text!r} is not a YAML 1.2 {kind}")
    return build(text)


def is_known(tag: str) -> bool:
    return tag == STR or tag in TEXT_TAGS or tag in _CONSTRUCT
