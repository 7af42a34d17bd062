"""IR to JSON and back to plain data: the golden dump that shows parsing apart from any backend."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from specgen.ir import SpecIR
from specgen.ir.memo import per_ir

_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type in declared order; None for any other type."""
    try:
        return _FIELDS[kind]
    except KeyError:
        names = None
        if dataclasses.is_dataclass(kind):
            names = tuple(f.name for f in dataclasses.fields(kind))
        _FIELDS[kind] = names
        return names


def to_data(node: Any) -> Any:
    names = _field_names(type(node))
    if names is not None:
        return {name: to_data(getattr(node, name)) for name in names}
    if isinstance(node, tuple | list):
        return [to_data(item) for item in node]
    if isinstance(node, dict):
        return {str(k): to_data(v) for k, v in node.items()}
    return node


@per_ir
def dump_ir(ir: SpecIR) -> str:
    """Deterministic JSON text of the IR (field order as declared, two-space indent).

    Made once per IR object: ``ir.json`` and every package's build-info digest use it.
    """
    return json.dumps(to_data(ir), indent=2, ensure_ascii=False) + "\n"
