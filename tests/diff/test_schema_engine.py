"""The schema engine on its own: set semantics both ways, recursion, cannot-prove, witnesses."""

from __future__ import annotations

from typing import Any

import pytest
from specgen.diff.schema import compare, inline_refs
from specgen.diff.schema.values import Checker

S = {"type": "string"}


def obj(props: dict[str, Any], required: tuple[str, ...] = (), closed: bool = True) -> Any:
    out: dict[str, Any] = {"type": "object", "properties": props, "required": list(required)}
    if closed:
        out["additionalProperties"] = False
    return out


def verdicts(old: Any, new: Any, lenient: bool = False) -> tuple[str, str]:
    result = compare(old, new, lenient=lenient)
    return result.backward_verdict, result.forward_verdict


TREE = {
    "definitions": {
        "node": {
            "type": "object",
            "properties": {
                "value": {"type": "integer"},
                "children": {"type": "array", "items": {"$ref": "#/definitions/node"}},
            },
            "required": ["value"],
            "additionalProperties": False,
        }
    },
    "$ref": "#/definitions/node",
}


def test_identical_and_reordered_schemas_are_compatible() -> None:
    a = {"type": ["string", "null"], "enum": ["x", None, "y"]}
    b = {"enum": ["y", "x", None], "type": ["null", "string"]}
    assert verdicts(a, b) == ("compatible", "compatible")


def test_recursive_schema_against_itself() -> None:
    assert verdicts(inline_refs(TREE), inline_refs(TREE)) == ("compatible", "compatible")


def test_recursive_schema_changed_deep_inside() -> None:
    changed = inline_refs(TREE)
    changed["properties"]["value"]["maximum"] = 10
    result = compare(inline_refs(TREE), changed)
    assert result.backward_verdict == "breaking" and result.forward_verdict == "compatible"
    (reason,) = result.backward
    assert reason.facet == "maximum"
    assert Checker().accepts(inline_refs(TREE), reason.witness)
    assert not Checker().accepts(changed, reason.witness)


def test_the_famous_surprise_strict_and_lenient() -> None:
    old, new = (
        obj({"id": S}, closed=False),
        obj({"id": S, "extra": {"type": "integer"}}, closed=False),
    )
    assert verdicts(old, new) == ("breaking", "compatible")
    assert verdicts(old, new, lenient=True) == ("compatible", "compatible")


def test_optional_property_added_to_a_closed_object() -> None:
    assert verdicts(obj({"id": S}), obj({"id": S, "extra": S})) == ("compatible", "breaking")


def test_two_different_patterns_cannot_be_proven() -> None:
    old, new = {"type": "string", "pattern": "^a"}, {"type": "string", "pattern": "^b"}
    result = compare(old, new)
    assert result.backward and result.forward
    assert all(r.facet == "pattern" for r in result.backward + result.forward)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({"type": "integer"}, {"type": "number"}, ("compatible", "breaking")),
        (
            {"type": "integer", "minimum": 1},
            {"type": "integer", "exclusiveMinimum": 0},
            ("compatible", "compatible"),
        ),
        (
            {"type": "integer", "multipleOf": 4},
            {"type": "integer", "multipleOf": 2},
            ("compatible", "breaking"),
        ),
        (
            {"oneOf": [{"type": "integer"}, S]},
            {"anyOf": [S, {"type": "integer"}]},
            ("compatible", "compatible"),
        ),
        (
            {"type": "string", "maxLength": 3},
            {"anyOf": [{"type": "string", "maxLength": 5}]},
            ("compatible", "breaking"),
        ),
        ({"not": {"type": "string"}}, {"not": {"type": "string"}}, ("compatible", "compatible")),
        ({"type": "boolean"}, {"enum": [True, False]}, ("compatible", "compatible")),
        (
            {"type": "array", "items": S, "maxItems": 0},
            {"type": "array", "items": {"type": "integer"}},
            ("compatible", "breaking"),
        ),
        (
            {"if": {"required": ["a"]}, "then": {"required": ["b"]}},
            {"if": {"required": ["a"]}, "then": {"required": ["b"]}},
            ("compatible", "compatible"),
        ),
        (False, {"type": "string"}, ("compatible", "breaking")),
    ],
)
def test_set_semantics(old: Any, new: Any, expected: tuple[str, str]) -> None:
    assert verdicts(old, new) == expected


def test_every_breaking_reason_carries_a_confirmed_witness() -> None:
    checker = Checker()
    old = obj({"id": S, "n": {"type": "integer", "minimum": 0}, "k": {"enum": ["a", "b"]}}, ("id",))
    new = obj({"id": S, "n": {"type": "integer", "minimum": 5}, "k": {"enum": ["a"]}}, ("id", "n"))
    result = compare(old, new)
    assert {r.facet for r in result.backward} == {"minimum", "enum", "required"}
    for reason in result.backward:
        assert reason.certain
        assert checker.accepts(old, reason.witness) and not checker.accepts(new, reason.witness)
