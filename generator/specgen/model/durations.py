"""Durations as spec authors write them, parsed once, into whole milliseconds.

``<int><unit>`` with unit ``ms``, ``s``, ``m``, ``h`` or ``d`` (``500ms``, ``2h``, ``30d``).
Milliseconds are the smallest unit one can write, so every duration is a whole number in the
IR, in ``topology.json`` and in the runtime (which multiplies by 1,000,000 for JetStream's
nanoseconds). ``0`` of any unit is zero, which for ``max_age`` means unlimited.
"""

from __future__ import annotations

import re

DURATION = re.compile(r"(?P<value>[0-9]+)(?P<unit>ms|s|m|h|d)")
UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
MAX_MS = (2**63 - 1) // 1_000_000
"""JetStream durations are int64 nanoseconds: about 292 years."""
EXPECTED = "a duration like 30d, 12h, 90m, 30s or 500ms"
TOO_LONG = "a duration JetStream can hold (at most 106751d, about 292 years)"


def parse_ms(text: object) -> int | None:
    """Milliseconds of a ``<int><ms|s|m|h|d>`` duration, or None if it is not one (or too long)."""
    if not isinstance(text, str):
        return None
    match = DURATION.fullmatch(text)
    if match is None:
        return None
    value = int(match["value"]) * UNIT_MS[match["unit"]]
    return value if value <= MAX_MS else None


def format_ms(ms: int) -> str:
    """``ms`` in the largest unit that divides it: 7_200_000 -> ``2h``."""
    for unit in ("d", "h", "m", "s"):
        if ms and ms % UNIT_MS[unit] == 0:
            return f"{ms // UNIT_MS[unit]}{unit}"
    return f"{ms}ms"
