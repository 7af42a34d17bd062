"""Plain-text renderings the catalog shows: durations, JSON values, ids safe for HTML.

Everything here returns text; escaping for HTML happens once, in the templates (autoescape).
"""

from __future__ import annotations

import json
import re
from typing import Any

_UNITS = (
    (86_400_000, "day"),
    (3_600_000, "hour"),
    (60_000, "minute"),
    (1000, "second"),
    (1, "millisecond"),
)
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def duration(ms: int) -> str:
    """Whole milliseconds (the IR's unit): ``2_592_000_000`` -> ``30 days``, ``1500`` ->
    ``1500 milliseconds``, ``0`` -> ``unlimited``."""
    if ms <= 0:
        return "unlimited"
    for size, unit in _UNITS:
        if ms >= size and ms % size == 0:
            count = ms // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    raise AssertionError("unreachable: every whole number of milliseconds divides by 1")


def json_text(value: Any) -> str:
    """A JSON value as compact, deterministic JSON text (``"a"``, ``1.5``, ``null``)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def json_block(value: Any) -> str:
    """A JSON value pretty-printed for a ``<pre>`` block (keys in the spec's order)."""
    return json.dumps(value, ensure_ascii=False, indent=2)


def number(value: float) -> str:
    """A bound as the spec wrote it: integers without a fraction, floats as JSON."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return json_text(value)


def safe_id(text: str) -> str:
    """Text made safe for an HTML id, a URL and a file name: ``[A-Za-z0-9_.-]`` stay, every
    other character becomes ``~xx`` (its UTF-8 bytes in hex; ``~`` itself is encoded too), so
    distinct inputs stay distinct and ids never collide. A leading ``.`` is encoded as well
    (never a hidden file); an empty text becomes ``~``.
    """
    encoded = _ID_UNSAFE.sub(lambda m: "".join(f"~{b:02x}" for b in m.group().encode()), text)
    if encoded.startswith("."):  # never a hidden file
        encoded = "~2e" + encoded[1:]
    return encoded or "~"


def count(number: int, word: str) -> str:
    """``count(1, "replica")`` -> ``1 replica``; ``count(3, "replica")`` -> ``3 replicas``."""
    return f"{number} {word}{'' if number == 1 else 's'}"


def humanize(snake_name: str) -> str:
    """``session_started`` -> ``Session started``."""
    text = snake_name.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else snake_name
