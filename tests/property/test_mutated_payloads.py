"""Payloads the JSON Schema says are invalid are rejected by the generated models.

Each spec example of each event is mutated in the ways its schema forbids: a required property
dropped, an unknown property added where ``additionalProperties`` is false, a value of the
wrong type, a number out of range or off its ``multipleOf``, a string off its pattern, format
or length, a value outside its ``enum``/``const``, an array below ``minItems`` or with a
duplicate under ``uniqueItems``. ``jsonschema`` (draft 7, with format checks) confirms each
mutation really is invalid (the others are skipped); the model must then reject it in Python
and in JSON mode. hypothesis picks which mutations of which example to combine.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import property_support as support
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

Path = tuple[str | int, ...]
EVENTS = support.event_types()
UNKNOWN = "zz_not_in_the_schema"


@dataclass(frozen=True)
class Mutation:
    what: str
    path: Path
    value: Any = None
    delete: bool = False

    def apply(self, payload: Any) -> Any:
        result = copy.deepcopy(payload)
        if not self.path:
            return self.value
        parent = result
        for token in self.path[:-1]:
            parent = parent[token]
        if self.delete:
            del parent[self.path[-1]]
        else:
            parent[self.path[-1]] = self.value
        return result


def _resolve(node: Any, root: dict[str, Any]) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = root["definitions"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _wrong_types(value: Any) -> list[Any]:
    candidates: list[Any] = ["a string", 12345, 1.5, True, None, [], {}]
    return [c for c in candidates if type(c) is not type(value)]


def _number_mutations(node: dict[str, Any], value: Any, path: Path) -> Iterator[Mutation]:
    for keyword, delta in (("maximum", 1), ("minimum", -1)):
        if keyword in node:
            yield Mutation(f"{keyword} {node[keyword]} crossed", path, node[keyword] + delta)
    for keyword in ("exclusiveMaximum", "exclusiveMinimum"):
        if keyword in node:
            yield Mutation(f"{keyword} reached", path, node[keyword])
    if "multipleOf" in node:
        yield Mutation("off multipleOf", path, value + node["multipleOf"] / 2)
    if node.get("type") == "integer" or "integer" in node.get("type", []):
        yield Mutation("fraction in integer", path, value + 0.5)


def _string_mutations(node: dict[str, Any], value: str, path: Path) -> Iterator[Mutation]:
    if "pattern" in node:
        yield Mutation("pattern broken", path, f"~{value}~")
        yield Mutation("pattern broken by a trailing newline", path, f"{value}\n")
    if "format" in node:
        yield Mutation(f"not a {node['format']}", path, f"not a {node['format']}!")
    if node.get("minLength", 0) > 0:
        yield Mutation("below minLength", path, value[: node["minLength"] - 1])
    if "maxLength" in node:
        yield Mutation("above maxLength", path, "x" * (node["maxLength"] + 1))


def mutations(node: Any, value: Any, root: dict[str, Any], path: Path = ()) -> Iterator[Mutation]:
    """Every mutation of ``value`` (valid for ``node``) that the schema should forbid."""
    node = _resolve(node, root)
    if not isinstance(node, dict):
        return
    for keyword in ("oneOf", "anyOf"):
        if keyword in node:
            for branch in node[keyword]:
                if support.Draft7Validator(_with_defs(branch, root)).is_valid(value):
                    yield from mutations(branch, value, root, path)
    for wrong in _wrong_types(value):
        yield Mutation(f"wrong type {type(wrong).__name__}", path, wrong)
    if "enum" in node or "const" in node:
        yield Mutation("not in enum/const", path, "zz-not-an-allowed-value")
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield from _number_mutations(node, value, path)
    elif isinstance(value, str):
        yield from _string_mutations(node, value, path)
    elif isinstance(value, list):
        yield from _array_mutations(node, value, root, path)
    elif isinstance(value, dict):
        yield from _object_mutations(node, value, root, path)


def _array_mutations(
    node: dict[str, Any], value: list[Any], root: dict[str, Any], path: Path
) -> Iterator[Mutation]:
    if node.get("minItems", 0) > 0:
        yield Mutation("below minItems", path, value[: node["minItems"] - 1])
    if "maxItems" in node and value:
        yield Mutation("above maxItems", path, value + [value[0]] * node["maxItems"])
    if node.get("uniqueItems") and value:
        yield Mutation("duplicate item", path, [*value, copy.deepcopy(value[0])])
    for i, item in enumerate(value):
        yield from mutations(node.get("items", True), item, root, (*path, i))


def _object_mutations(
    node: dict[str, Any], value: dict[str, Any], root: dict[str, Any], path: Path
) -> Iterator[Mutation]:
    for name in node.get("required", []):
        if name in value:
            yield Mutation(f"required {name!r} dropped", (*path, name), delete=True)
    if node.get("additionalProperties") is False:
        yield Mutation("unknown property", (*path, UNKNOWN), "surprise")
    for name, sub in node.get("properties", {}).items():
        if name in value:
            yield from mutations(sub, value[name], root, (*path, name))


def _with_defs(branch: Any, root: dict[str, Any]) -> Any:
    if isinstance(branch, dict):
        return {**branch, "definitions": root.get("definitions", {})}
    return branch


def rejects(model: type[BaseModel], payload: Any) -> tuple[bool, bool]:
    python = json_mode = False
    try:
        model.model_validate(payload)
    except ValidationError:
        python = True
    try:
        model.model_validate_json(json.dumps(payload))
    except ValidationError:
        json_mode = True
    return python, json_mode


def invalid_mutations(event_type: str) -> list[tuple[str, Mutation, Any]]:
    """(example name, mutation, mutated payload) for every mutation jsonschema calls invalid."""
    root = support.schema(event_type)
    check = support.validator(event_type)
    found = []
    for name, payload in support.examples(event_type):
        for mutation in mutations(root, payload, root):
            mutated = mutation.apply(payload)
            if not check.is_valid(mutated):
                found.append((name, mutation, mutated))
    return found


@pytest.mark.parametrize("event_type", EVENTS)
def test_every_invalid_mutation_is_rejected(event_type: str) -> None:
    assert support.examples(event_type), f"{event_type} has no examples in the spec"
    model = support.data_model(event_type)
    found = invalid_mutations(event_type)
    assert found, f"{event_type}: no invalid mutation found"
    accepted = [
        f"{name}: {m.what} at /{'/'.join(map(str, m.path))}: python/json rejected={verdict}"
        for name, m, mutated in found
        if (verdict := rejects(model, mutated)) != (True, True)
    ]
    assert not accepted, f"{len(accepted)} of {len(found)} invalid mutations accepted:\n" + (
        "\n".join(accepted[:20])
    )


@pytest.mark.parametrize("event_type", EVENTS)
def test_combined_mutations_are_rejected(event_type: str) -> None:
    """Several invalid mutations applied to one example, chosen by hypothesis."""
    model = support.data_model(event_type)
    check = support.validator(event_type)
    found = invalid_mutations(event_type)
    by_example: dict[str, list[Mutation]] = {}
    for name, mutation, _ in found:
        by_example.setdefault(name, []).append(mutation)
    payloads = dict(support.examples(event_type))

    @settings(max_examples=30, deadline=None)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(by_example)), label="example")
        chosen = data.draw(st.lists(st.sampled_from(by_example[name]), min_size=1, max_size=3))
        mutated = payloads[name]
        for mutation in chosen:
            try:
                mutated = mutation.apply(mutated)
            except (KeyError, IndexError, TypeError):
                continue  # an earlier mutation removed or replaced the place this one edits
        if check.is_valid(mutated):
            return
        assert rejects(model, mutated) == (True, True), json.dumps(mutated)[:300]

    run()
