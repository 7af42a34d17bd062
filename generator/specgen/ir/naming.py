"""Neutral names: words split from spec names, joined as PascalCase or snake_case.

Backends make these safe for their language (reserved words, collisions); this module only
turns arbitrary spec text into plain ASCII words.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")


def words(text: str) -> list[str]:
    return list(_words(text))


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    ascii_text = text.encode("ascii", "ignore").decode()
    return tuple(w.lower() for w in _WORD.findall(ascii_text))


def pascal(text: str) -> str:
    result = "".join(w[:1].upper() + w[1:] for w in words(text))
    if not result:
        return "Unnamed"
    return result if not result[0].isdigit() else f"T{result}"


def snake(text: str) -> str:
    result = "_".join(words(text))
    if not result:
        return "unnamed"
    return result if not result[0].isdigit() else f"n_{result}"


class NameAllocator:
    """Hands out unique names, suffixing 2, 3, ... in the (deterministic) order asked."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def allocate(self, wanted: str) -> str:
        name, n = wanted, 2
        while name in self._taken:
            name, n = f"{wanted}{n}", n + 1
        self._taken.add(name)
        return name
