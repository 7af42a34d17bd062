"""The project version must say what changed (semantic versioning).

A breaking change (a finding its mode judges breaking, accepted or not) needs a major bump,
any other finding a minor bump, a change of text only (descriptions, examples) a patch bump.
Before 1.0.0 the minor number plays the major's part, as npm and Cargo read ``^0.y``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$")
MAJOR, MINOR, PATCH, NOTHING = "major", "minor", "patch", "none"


@dataclass(frozen=True)
class VersionCheck:
    old: str
    new: str
    needed: str  # major, minor, patch or none
    required: str  # the lowest version that satisfies it
    ok: bool
    why: str


def parse(version: str) -> tuple[int, int, int] | None:
    match = _SEMVER.match(version.strip())
    return None if match is None else (int(match[1]), int(match[2]), int(match[3]))


def bump(version: tuple[int, int, int], needed: str) -> tuple[int, int, int]:
    major, minor, patch = version
    if needed == MAJOR:
        return (major + 1, 0, 0) if major > 0 else (0, minor + 1, 0)
    if needed == MINOR:
        return (major, minor + 1, 0) if major > 0 else (0, minor, patch + 1)
    if needed == PATCH:
        return (major, minor, patch + 1)
    return version


def check(old: str, new: str, needed: str, why: str) -> VersionCheck | None:
    """None when either version is not semantic versioning (nothing to check)."""
    before, after = parse(old), parse(new)
    if before is None or after is None:
        return None
    required = bump(before, needed)
    text = ".".join(map(str, required))
    return VersionCheck(old, new, needed, text, after >= required, why)
