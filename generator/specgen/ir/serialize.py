"""IR to JSON and back to plain data: the golden dump that shows parsing apart from any backend."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from specgen.ir import SpecIR


def to_data(node: Any) -> Any:
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return {f.name: to_data(getattr(node, f.name)) for f in dataclasses.fields(node)}
    if isinstance(node, tuple | list):
        return [to_data(item) for item in node]
    if isinstance(node, dict):
        return {str(k): to_data(v) for k, v in node.items()}
    return node


def dump_ir(ir: SpecIR) -> str:
    """Deterministic JSON text of the IR (field order as declared, two-space indent)."""
    return json.dumps(to_data(ir), indent=2, ensure_ascii=False) + "\n"
