"""Compare one desired stream (``StreamSpec``) with its live configuration.

Destructive changes, refused by the planner unless explicitly allowed:

* ``retention`` or ``storage`` changed (the server cannot convert stored data; storage cannot
  be changed in place at all: delete and re-create the stream by hand),
* a subject removed (events on it would no longer be stored),
* a source dropped (a site or domain stops flowing to the cloud),
* ``max_age`` / ``max_msgs`` / ``max_bytes`` / ``replicas`` shrunk (stored data is deleted or
  redundancy lost).

Growing limits, adding subjects or sources and changing ``duplicate_window`` are safe.
Unmanaged fields of the live configuration (``allow_direct``, ``metadata``...) are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from specgen_runtime.fleet.topology import NANOS, SourceSpec, StreamSpec

__all__ = ["FieldChange", "StreamDiff", "diff_stream"]

_UNLIMITED = float("inf")


@dataclass(frozen=True)
class FieldChange:
    """One managed field that differs: rendered values, and whether the change is destructive."""

    field: str
    live: str
    desired: str
    destructive: bool = False


@dataclass(frozen=True)
class StreamDiff:
    changes: tuple[FieldChange, ...]
    config: dict[str, Any]  # what to send: live config with the managed fields replaced


def _limit(value: Any) -> float:
    return _UNLIMITED if not isinstance(value, int) or value <= 0 else float(value)


def _show_limit(value: Any, unit: str = "") -> str:
    if not isinstance(value, int) or value <= 0:
        return "unlimited"
    if unit == "ns":
        return f"{value / NANOS:g}s"
    return str(value)


def _sources(live: dict[str, Any]) -> list[SourceSpec]:
    return [SourceSpec.from_wire(s) for s in live.get("sources") or []]


def _limit_changes(desired: dict[str, Any], live: dict[str, Any]) -> list[FieldChange]:
    changes = []
    for field, unit in (("max_age", "ns"), ("max_msgs", ""), ("max_bytes", "")):
        want, have = _limit(desired[field]), _limit(live.get(field))
        if want != have:
            changes.append(
                FieldChange(
                    field,
                    _show_limit(live.get(field), unit),
                    _show_limit(desired[field], unit),
                    destructive=want < have,
                )
            )
    if desired["num_replicas"] != live.get("num_replicas", 1):
        have_r = int(live.get("num_replicas", 1))
        changes.append(
            FieldChange(
                "replicas",
                str(have_r),
                str(desired["num_replicas"]),
                destructive=desired["num_replicas"] < have_r,
            )
        )
    return changes


def _set_changes(
    field: str, have: list[str], want: list[str], keep_extra: bool
) -> tuple[list[FieldChange], list[str]]:
    added = [x for x in want if x not in have]
    removed = [] if keep_extra else [x for x in have if x not in want]
    result = want + [x for x in have if x not in want] if keep_extra else want
    changes = []
    if added:
        changes.append(FieldChange(field, "", "+ " + ", ".join(added)))
    if removed:
        changes.append(FieldChange(field, "- " + ", ".join(removed), "", destructive=True))
    return changes, result


def diff_stream(
    spec: StreamSpec, live: dict[str, Any], *, keep_extra_sources: bool = False
) -> StreamDiff:
    """Differences between ``spec`` and the live ``config`` of the same stream."""
    desired = spec.wire()
    changes: list[FieldChange] = []
    for field in ("retention", "storage"):
        if desired[field] != live.get(field):
            changes.append(FieldChange(field, str(live.get(field)), desired[field], True))
    subject_changes, subjects = _set_changes(
        "subjects", list(live.get("subjects") or []), list(spec.subjects), False
    )
    changes += subject_changes
    changes += _limit_changes(desired, live)
    if desired["duplicate_window"] != live.get("duplicate_window"):
        changes.append(
            FieldChange(
                "duplicate_window",
                _show_limit(live.get("duplicate_window"), "ns"),
                _show_limit(desired["duplicate_window"], "ns"),
            )
        )
    live_sources = {s.label(): s for s in _sources(live)}
    want_sources = {s.label(): s for s in spec.sources}
    source_changes, labels = _set_changes(
        "sources", list(live_sources), list(want_sources), keep_extra_sources
    )
    changes += source_changes
    config = dict(live)
    config.update(desired)
    if subjects:
        config["subjects"] = subjects
    else:
        config.pop("subjects", None)
    merged = {**live_sources, **want_sources}
    raw_live = {SourceSpec.from_wire(s).label(): s for s in live.get("sources") or []}
    sources = [raw_live.get(label) or merged[label].wire() for label in labels]
    if sources:
        config["sources"] = sources
    else:
        config.pop("sources", None)
    return StreamDiff(tuple(changes), config)
