"""Compatibility modes: which directions must hold, per event type, per domain or project-wide.

Configured in the project file (``specgen.yaml``)::

    compatibility:
      mode: full                # backward | forward | full | none, each also "-transitive"
      open_content: strict      # strict | lenient: see diff.schema.objects
      categories: [CONTRACT, OPERATIONS, VERSION]
      release_tags: "v*"        # the released tags transitive modes also compare with
      domains:
        telemetry: {mode: backward}
      events:
        com.powerflex.telemetry.meter_reading.v1: {mode: none}

The default is ``full``: sites update over weeks, so old and new producers and consumers read
each other's events in both directions; ``backward`` fits a domain whose consumers are all
updated before any producer (for example events only the cloud reads). Transitive modes also
compare with every released tag, since a site may skip releases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from specgen.diagnostics import Diagnostic, Location, error
from specgen.diff.rules import BACKWARD, CATEGORIES, CONTRACT, FORWARD, OPERATIONS, VERSION

MODES = {"backward": {BACKWARD}, "forward": {FORWARD}, "full": {BACKWARD, FORWARD}, "none": set()}
DEFAULT_MODE = "full"
DEFAULT_CATEGORIES = (CONTRACT, OPERATIONS, VERSION)
OPEN_CONTENT = ("strict", "lenient")
KEYS = {"mode", "open_content", "categories", "release_tags", "domains", "events"}
HINT = "see `compatibility` in docs/compatibility.md"


@dataclass(frozen=True)
class Mode:
    name: str = DEFAULT_MODE
    transitive: bool = False
    open_content: str = "strict"

    @property
    def directions(self) -> set[str]:
        return MODES[self.name]

    @property
    def label(self) -> str:
        return self.name + ("-transitive" if self.transitive else "")


@dataclass
class Policy:
    default: Mode = Mode()
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    release_tags: str = "v*"
    domains: dict[str, Mode] = field(default_factory=dict)
    events: dict[str, Mode] = field(default_factory=dict)

    def mode_for(self, subject: str, domain: str) -> Mode:
        if subject in self.events:
            return self.events[subject]
        return self.domains.get(domain or subject.removeprefix("domain:"), self.default)

    def any_transitive(self) -> bool:
        modes = [self.default, *self.domains.values(), *self.events.values()]
        return any(m.transitive for m in modes)


def _mode(value: Any, base: Mode, where: Location, problems: list[Diagnostic]) -> Mode:
    if not isinstance(value, dict):
        problems.append(
            error("SG-DIFF-CONFIG", "expected a mapping with mode/open_content", where, HINT)
        )
        return base
    name, transitive, open_content = base.name, base.transitive, base.open_content
    for key, item in value.items():
        if key == "mode":
            text = str(item)
            transitive = text.endswith("-transitive")
            name = text.removesuffix("-transitive")
            if name not in MODES:
                problems.append(
                    error(
                        "SG-DIFF-CONFIG",
                        f"unknown compatibility mode {text!r}",
                        where,
                        "use backward, forward, full or none, optionally with -transitive",
                    )
                )
                name, transitive = base.name, base.transitive
        elif key == "open_content":
            if item not in OPEN_CONTENT:
                problems.append(
                    error(
                        "SG-DIFF-CONFIG",
                        f"open_content {item!r} is not strict or lenient",
                        where,
                        HINT,
                    )
                )
            else:
                open_content = str(item)
        elif key not in KEYS:
            problems.append(
                error("SG-DIFF-CONFIG", f"unknown key {key!r} in compatibility", where, HINT)
            )
    return Mode(name, transitive, open_content)


def read_policy(project: Any, locate: Any) -> tuple[Policy, list[Diagnostic]]:
    """The policy of a project file's ``compatibility`` mapping (defaults when absent)."""
    problems: list[Diagnostic] = []
    data = project.get("compatibility") if isinstance(project, dict) else None
    if data is None:
        return Policy(), problems
    where = locate("/compatibility")
    if not isinstance(data, dict):
        problems.append(error("SG-DIFF-CONFIG", "compatibility must be a mapping", where, HINT))
        return Policy(), problems
    default = _mode(
        {k: v for k, v in data.items() if k in ("mode", "open_content")}, Mode(), where, problems
    )
    policy = Policy(default)
    for key in data:
        if key not in KEYS:
            problems.append(
                error(
                    "SG-DIFF-CONFIG",
                    f"unknown key {key!r} in compatibility",
                    locate(f"/compatibility/{key}"),
                    HINT,
                )
            )
    categories = data.get("categories")
    if categories is not None:
        if not isinstance(categories, list) or not all(c in CATEGORIES for c in categories):
            problems.append(
                error(
                    "SG-DIFF-CONFIG",
                    "categories must list some of " + ", ".join(CATEGORIES),
                    locate("/compatibility/categories"),
                    HINT,
                )
            )
        else:
            policy.categories = tuple(categories)
    if isinstance(data.get("release_tags"), str):
        policy.release_tags = data["release_tags"]
    for table, target in (("domains", policy.domains), ("events", policy.events)):
        entries = data.get(table) or {}
        for name, value in entries.items() if isinstance(entries, dict) else ():
            target[str(name)] = _mode(
                value, default, locate(f"/compatibility/{table}/{name}"), problems
            )
    return policy, problems
