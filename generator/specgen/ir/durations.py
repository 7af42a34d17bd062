"""Durations as spec authors write them: ``<int><unit>`` with unit ms, s, m, h or d."""

from __future__ import annotations

import re

_DURATION = re.compile(r"^(\d+)(ms|s|m|h|d)$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: object) -> float:
    """Seconds in ``text``; raises ValueError naming the accepted form."""
    match = _DURATION.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"duration {text!r} is not <int><ms|s|m|h|d>, e.g. 2h or 30d")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
