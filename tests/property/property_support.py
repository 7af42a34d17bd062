"""What the property tests share: the generated package's events, schemas and examples.

The spec is the oracle. Every event class of ``powerflex_events`` ships its data schema as
``powerflex_events/schemas/<type>.json``; the examples come from the IR dump
(``generated/ir.json``), which holds every message example of the spec.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import hypothesis.internal.conjecture.utils as conjecture_utils
import hypothesis_jsonschema._from_schema as hjs_from_schema
from hypothesis import strategies as st
from jsonschema import Draft7Validator, FormatChecker
from powerflex_events.events import EVENT_TYPES
from pydantic import BaseModel
from specgen_runtime import Event


class _LegacyMany:
    """hypothesis-jsonschema 0.23.1 drives ``many`` with ``more()``; hypothesis 6.170 only
    offers ``with many(...) as e: for _ in e:``. This adapts the new protocol to the old one
    (remove it once hypothesis-jsonschema supports the new API)."""

    def __init__(self, data: Any, **sizes: Any) -> None:
        self._many = conjecture_utils.many(data, **sizes)
        self._many.__enter__()
        self._elements = iter(self._many)

    def more(self) -> bool:
        try:
            next(self._elements)
        except StopIteration:
            self._many.__exit__(None)
            return False
        return True

    def reject(self, why: str | None = None) -> None:
        self._many.reject(why)


if not hasattr(conjecture_utils.many, "more"):
    hjs_from_schema.cu = SimpleNamespace(many=_LegacyMany)  # type: ignore[attr-defined]

REPO = Path(__file__).resolve().parents[2]
IR_FILE = REPO / "generated" / "ir.json"
TIME = datetime(2025, 3, 14, 9, 26, 53, 123456, tzinfo=UTC)
SITE = "site-0001"

# hypothesis-jsonschema has no strategy for `uuid` (a draft 2019-09 format); the others
# (date-time, date, email, ipv4, uri) are built in and checked against jsonschema's checkers.
CUSTOM_FORMATS = {"uuid": st.uuids().map(str)}


def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        return str(uuid.UUID(value)) == value.lower() and len(value) == 36
    except ValueError:
        return False


# Draft 7's format checker, plus `uuid` (RFC 4122 text form, as draft 2019-09 defines it).
FORMAT_CHECKER = FormatChecker(formats=list(Draft7Validator.FORMAT_CHECKER.checkers))
FORMAT_CHECKER.checks("uuid")(_is_uuid)


def event_types() -> list[str]:
    return sorted(EVENT_TYPES)


def event_class(event_type: str) -> type[Event[Any]]:
    return EVENT_TYPES[event_type]


def data_model(event_type: str) -> type[BaseModel]:
    return event_class(event_type).data_model()


@cache
def schema_text(event_type: str) -> str:
    return (
        resources.files("powerflex_events")
        .joinpath("schemas", f"{event_type}.json")
        .read_text(encoding="utf-8")
    )


def schema(event_type: str) -> dict[str, Any]:
    """A fresh copy of the event's data schema (callers may mutate it)."""
    loaded: dict[str, Any] = json.loads(schema_text(event_type))
    return loaded


def validator(event_type: str) -> Draft7Validator:
    return Draft7Validator(schema(event_type), format_checker=FORMAT_CHECKER)


@cache
def _ir_examples() -> dict[str, list[tuple[str, Any]]]:
    ir = json.loads(IR_FILE.read_text(encoding="utf-8"))
    return {
        event["type"]: [(ex["name"], ex["payload"]) for ex in event["examples"]]
        for domain in ir["domains"]
        for event in domain["events"]
    }


def examples(event_type: str) -> list[tuple[str, Any]]:
    return _ir_examples().get(event_type, [])


def make_event(event_type: str, data: BaseModel) -> Event[Any]:
    cls = event_class(event_type)
    params = {name: SITE for name in cls.SPEC.parameters}
    return cls.create(data, id="evt-property-1", time=TIME, subject="prop", **params)
