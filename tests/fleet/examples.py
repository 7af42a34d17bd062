"""The spec's example payloads (from generated/ir.json), by generated event class."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from specgen_runtime import Event

IR = Path(__file__).resolve().parents[2] / "generated" / "ir.json"


@functools.cache
def _examples() -> dict[str, Any]:
    ir = json.loads(IR.read_text(encoding="utf-8"))
    return {
        event["type"]: event["examples"][0]["payload"]
        for domain in ir["domains"]
        for event in domain["events"]
        if event["examples"]
    }


def example_data(cls: type[Event[Any]]) -> dict[str, Any]:
    """A copy of the first example payload of ``cls``'s event type."""
    return json.loads(json.dumps(_examples()[cls.SPEC.type]))
