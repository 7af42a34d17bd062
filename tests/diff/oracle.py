"""Random schema pairs for the property test, and the generated Python models as the oracle.

``pairs(seed, count)`` draws schemas from a small grammar (objects, arrays, scalars with
bounds, lengths, enums, nullability, formats, oneOf with a discriminator, anyOf) and pairs
each with a mutation of itself (a bound moved, a value or property added or removed, a type
widened...), or, now and then, with an unrelated schema. ``Oracle`` puts every schema of
every pair into one AsyncAPI document, generates the Python package with the real pipeline
once and imports it: ``accepts(i, side, value)`` is what the generated validators say.
"""

from __future__ import annotations

import copy
import importlib
import json
import random
import sys
import uuid
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from specgen import writer
from specgen.backends.python import generate
from specgen.diagnostics import Level
from specgen.ir.build import build_ir
from specgen.load import load_spec

Schema = dict[str, Any]
WORDS = ("a", "b", "c", "on", "n", "")


# -- the grammar ---------------------------------------------------------------------------------
def scalar(rng: random.Random) -> Schema:
    kind = rng.choice(("integer", "number", "string", "string", "boolean", "enum", "const"))
    if kind in ("integer", "number"):
        out: Schema = {"type": kind}
        if rng.random() < 0.6:
            out["minimum"] = rng.randint(-5, 5)
        if rng.random() < 0.5:
            out["maximum"] = out.get("minimum", -5) + rng.randint(0, 20)
        if kind == "integer" and rng.random() < 0.2:
            out["multipleOf"] = rng.choice((2, 3, 5))
        return out
    if kind == "string":
        out = {"type": "string"}
        if rng.random() < 0.2:
            out["format"] = rng.choice(("date", "uuid"))
        elif rng.random() < 0.4:
            out["maxLength"] = rng.randint(1, 8)
        elif rng.random() < 0.3:
            out["minLength"] = rng.randint(0, 3)
        return out
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "enum":
        return {"type": "string", "enum": rng.sample(WORDS[:5], rng.randint(1, 4))}
    return {"const": rng.choice(("x", 1, True))}


def schema(rng: random.Random, depth: int = 0) -> Schema:
    roll = rng.random()
    if depth >= 2 or roll < 0.45:
        node = scalar(rng)
        if rng.random() < 0.15 and "type" in node and "enum" not in node:
            node["type"] = [node["type"], "null"]
        return node
    if roll < 0.6:
        node = {"type": "array", "items": schema(rng, depth + 1)}
        if rng.random() < 0.4:
            node["maxItems"] = rng.randint(1, 4)
        if rng.random() < 0.2:
            node["minItems"] = 1
        return node
    if roll < 0.7 and depth == 0:
        return {"oneOf": [variant(rng, tag) for tag in rng.sample(("p", "q", "r"), 2)]}
    if roll < 0.75:
        return {"anyOf": [scalar(rng), scalar(rng)]}
    return obj(rng, depth)


def obj(rng: random.Random, depth: int) -> Schema:
    names = rng.sample(("k", "m", "n", "p"), rng.randint(1, 3))
    node: Schema = {"type": "object", "properties": {n: schema(rng, depth + 1) for n in names}}
    node["required"] = [n for n in names if rng.random() < 0.5]
    if rng.random() < 0.6:
        node["additionalProperties"] = False
    return node


def variant(rng: random.Random, tag: str) -> Schema:
    body = obj(rng, 1)
    body["properties"]["kind"] = {"const": tag}
    body["required"] = sorted({*body["required"], "kind"})
    return body


# -- mutations -------------------------------------------------------------------------------
def _nodes(node: Any, found: list[Schema]) -> list[Schema]:
    if isinstance(node, dict):
        found.append(node)
        for key in ("items",):
            if isinstance(node.get(key), dict):
                _nodes(node[key], found)
        for sub in (node.get("properties") or {}).values():
            _nodes(sub, found)
        for key in ("oneOf", "anyOf"):
            for sub in node.get(key) or []:
                _nodes(sub, found)
    return found


def _bound(rng: random.Random, node: Schema) -> bool:
    if node.get("type") not in ("integer", "number", ["integer", "null"], ["number", "null"]):
        return False
    key = rng.choice(("minimum", "maximum", "multipleOf"))
    if key in node and rng.random() < 0.3:
        del node[key]
    elif key == "multipleOf":
        node[key] = rng.choice((1, 2, 4))
    else:
        node[key] = node.get(key, 0) + rng.choice((-2, -1, 1, 2))
    return True


def _mutate_one(rng: random.Random, node: Schema) -> bool:
    choices = [
        lambda: _bound(rng, node),
        lambda: _enum(rng, node),
        lambda: _nullable(node),
        lambda: _type(rng, node),
        lambda: _properties(rng, node),
        lambda: _length(rng, node),
        lambda: _branches(rng, node),
    ]
    return bool(rng.choice(choices)())


def _enum(rng: random.Random, node: Schema) -> bool:
    values = node.get("enum")
    if not isinstance(values, list):
        return False
    if len(values) > 1 and rng.random() < 0.5:
        values.remove(rng.choice(values))
    else:
        values.append(rng.choice([w for w in WORDS if w not in values] or ["zz"]))
    return True


def _nullable(node: Schema) -> bool:
    kind = node.get("type")
    if isinstance(kind, str) and kind != "object":
        node["type"] = [kind, "null"]
    elif isinstance(kind, list):
        node["type"] = kind[0]
    else:
        return False
    return True


def _type(rng: random.Random, node: Schema) -> bool:
    swaps = {"integer": "number", "number": "integer", "string": ["string", "integer"]}
    kind = node.get("type")
    if not isinstance(kind, str) or kind not in swaps or "enum" in node:
        return False
    node["type"] = swaps[kind]
    if kind == "string":
        for key in ("format", "minLength", "maxLength"):
            node.pop(key, None)
    return True


def _properties(rng: random.Random, node: Schema) -> bool:
    props = node.get("properties")
    if not isinstance(props, dict):
        return False
    action = rng.choice(("add", "remove", "require", "close"))
    free = [n for n in ("k", "m", "n", "p", "z") if n not in props]
    if action == "add" and free:
        props[rng.choice(free)] = scalar(rng)
    elif action == "remove" and len(props) > 1:
        gone = rng.choice([n for n in props if n != "kind"] or list(props))
        del props[gone]
        node["required"] = [n for n in node.get("required", []) if n != gone]
    elif action == "require":
        name = rng.choice(list(props))
        required = node.setdefault("required", [])
        required.remove(name) if name in required and name != "kind" else required.append(name)
        node["required"] = sorted(set(required))
    else:
        if node.pop("additionalProperties", None) is None:
            node["additionalProperties"] = False
    return True


def _length(rng: random.Random, node: Schema) -> bool:
    if node.get("type") != "string" or "enum" in node or "format" in node:
        return False
    key = rng.choice(("minLength", "maxLength"))
    node[key] = max(0, node.get(key, 3) + rng.choice((-1, 1, 2)))
    if node.get("minLength", 0) > node.get("maxLength", 99):
        node.pop("minLength")
    return True


def _branches(rng: random.Random, node: Schema) -> bool:
    branches = node.get("oneOf") or node.get("anyOf")
    if not isinstance(branches, list):
        return False
    if "oneOf" in node and len(branches) < 3 and rng.random() < 0.6:
        tags = {b["properties"]["kind"]["const"] for b in branches}
        branches.append(variant(rng, next(t for t in ("p", "q", "r", "s") if t not in tags)))
    elif len(branches) > 1:
        branches.pop(rng.randrange(len(branches)))
    else:
        return False
    return True


def mutated(rng: random.Random, base: Schema) -> Schema:
    result = copy.deepcopy(base)
    for _ in range(rng.choice((1, 1, 2))):
        nodes = _nodes(result, [])
        for _attempt in range(10):
            if _mutate_one(rng, rng.choice(nodes)):
                break
    return result


def pairs(seed: int, count: int) -> list[tuple[Schema, Schema]]:
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        base = schema(rng)
        other = schema(rng) if rng.random() < 0.1 else mutated(rng, base)
        found.append((base, other))
    return found


# -- the oracle: generated Python models -----------------------------------------------------------
class Oracle:
    def __init__(self, cases: list[tuple[Schema, Schema]], workdir: Path) -> None:
        self.module = f"sgdiffprop_{uuid.uuid4().hex[:8]}"
        self.root = workdir / "project"
        self.refused: set[int] = set()
        self._write(cases)
        spec = load_spec([self.root])
        ir, diagnostics = build_ir(spec)
        assert ir is not None, [str(d) for d in diagnostics]
        for d in spec.diagnostics + diagnostics:
            if d.level is Level.ERROR and "/components/schemas/Case" in d.location.pointer:
                self.refused.add(int(d.location.pointer.split("/")[3][4:].split("_")[0]))
        writer.write(writer.format_files(generate(ir)), self.root / "out")
        sys.path.insert(0, str(self.root / "out" / "python" / "src"))
        self.events = importlib.import_module(f"{self.module}.events")

    def close(self) -> None:
        sys.path.remove(str(self.root / "out" / "python" / "src"))
        for name in [m for m in sys.modules if m.split(".")[0] == self.module]:
            del sys.modules[name]

    def _write(self, cases: list[tuple[Schema, Schema]]) -> None:
        self.root.mkdir(parents=True)
        schemas, messages, channels = {}, {}, {}
        for i, (old, new) in enumerate(cases):
            for side, body in (("old", old), ("new", new)):
                key = f"case{i}_{side}"
                schemas[f"Case{i}_{side}"] = body
                messages[key] = {
                    "name": key,
                    "contentType": "application/json",
                    "payload": {"$ref": f"#/components/schemas/Case{i}_{side}"},
                    "x-cloudevents": {"type": f"prop.diff.{key}.v1"},
                }
                channels[key] = {
                    "address": f"prop.{{site_id}}.{key}",
                    "parameters": {"site_id": {"description": "Site."}},
                    "messages": {key: {"$ref": f"#/components/messages/{key}"}},
                }
        document = {
            "asyncapi": "3.0.0",
            "info": {"title": "diff property", "version": "1.0.0"},
            "x-domain": "diff",
            "channels": channels,
            "components": {"schemas": schemas, "messages": messages},
        }
        project = {
            "project": "sgdiffprop",
            "documents": ["doc.json"],
            "version": "0.0.1",
            "languages": ["python"],
            "packages": {
                "python": {"distribution": self.module.replace("_", "-"), "module": self.module}
            },
        }
        (self.root / "specgen.yaml").write_text(json.dumps(project), encoding="utf-8")
        (self.root / "doc.json").write_text(json.dumps(document), encoding="utf-8")

    def accepts(self, index: int, side: str, value: Any) -> bool:
        model = self.events.EVENT_TYPES[f"prop.diff.case{index}_{side}.v1"].data_model()
        try:
            model.model_validate_json(json.dumps(value))
        except ValidationError:
            return False
        return True
