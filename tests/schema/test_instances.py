"""The example checker's own decisions: what it leaves to python-jsonschema (``usable``), where
in a value it says the problem is, and the greatest fixed point on a schema that re-enters
itself. Its verdicts are proved on the JSON Schema suite in
tests/conformance/test_example_semantics.py."""

from __future__ import annotations

from typing import Any

import pytest
from specgen.diagnostics import Location
from specgen.schema import SchemaReader
from specgen.schema.instances import Instances, Issue, usable


def _read(raw: Any) -> Any:
    return SchemaReader(lambda *_, **__: Location("t.yaml", 1, 1, "")).read(raw)


def _issue(raw: Any, value: Any, formats: bool = True) -> Issue | None:
    return Instances(formats).check(_read(raw))(value)


@pytest.mark.parametrize(
    "raw",
    [
        {"type": "number", "minimum": True},  # a keyword the meta-schema refuses
        {"properties": {"a": {"$ref": "other.yaml#/Nowhere"}}},  # a $ref left unresolved
        {"pattern": "^(?=a)"},  # a lookahead: outside the dialect
        {"patternProperties": {"(a)\\1": {}}},  # a backreference
        {"$id": "not a uri ::"},
        {"items": {"$schema": "draft-07"}},  # $schema is a URI, not a name
    ],
)
def test_what_it_cannot_judge_is_left_to_jsonschema(raw: Any) -> None:
    assert not usable(_read(raw))


def test_a_clean_schema_is_judged() -> None:
    assert usable(_read({"$id": "urn:x:y", "type": "object", "pattern": "^\\p{L}+$"}))


def test_issues_say_where_in_the_value() -> None:
    schema = {
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"type": "object",
                                                            "required": ["sku"]}}},
        "additionalProperties": False,
    }  # fmt: skip
    assert _issue(schema, {"items": [{"sku": 1}, {}]}) == Issue(
        ("items", 1), "'sku' is a required property"
    )
    assert _issue(schema, {"extra": 1}) == Issue((), "additional property 'extra' is not allowed")
    assert _issue(schema, {"items": []}) is None


def test_formats_only_when_asserted_and_only_those_the_validators_check() -> None:
    assert _issue({"format": "date"}, "2025-02-30") == Issue((), "'2025-02-30' is not a 'date'")
    assert _issue({"format": "date"}, "2025-02-30", formats=False) is None
    assert _issue({"format": "hostname"}, "-not a host-") is None  # an annotation: unchecked
    assert _issue({"format": "date"}, 7) is None  # formats constrain strings only


def test_json_data_model() -> None:
    assert _issue({"type": "integer"}, 1.0) is None
    assert _issue({"type": "integer"}, True) is not None
    assert _issue({"enum": [1]}, True) is not None
    assert _issue({"const": {"a": [1, 2]}}, {"a": [1.0, 2]}) is None
    assert _issue({"multipleOf": 0.1}, 0.3) is None  # exact: 0.3 / 0.1 is 3
    assert _issue({"uniqueItems": True}, [{"a": 1}, {"a": 1.0}]) is not None


def test_a_child_that_extends_its_parent_is_the_greatest_fixed_point() -> None:
    pet: dict[str, Any] = {"type": "object", "required": ["kind"]}
    cat = {"allOf": [pet, {"properties": {"kind": {"const": "cat"}, "purrs": {"type": "boolean"}},
                           "required": ["purrs"]}]}  # fmt: skip
    dog = {"allOf": [pet, {"properties": {"kind": {"const": "dog"}}}]}
    pet["oneOf"] = [cat, dog]
    assert _issue(pet, {"kind": "cat", "purrs": True}) is None
    assert _issue(pet, {"kind": "dog"}) is None
    assert _issue(pet, {"kind": "cat"}) == Issue((), "it matches none of the 2 oneOf variants")
    assert _issue(pet, {}) == Issue((), "'kind' is a required property")


def test_deep_recursive_values_are_checked() -> None:
    tree: dict[str, Any] = {"type": "object", "properties": {"value": {"type": "integer"}}}
    tree["properties"]["next"] = tree
    value: dict[str, Any] = {"value": 0}
    node = value
    for i in range(1, 200):
        node["next"] = {"value": i}
        node = node["next"]
    assert _issue(tree, value) is None
    node["value"] = "x"
    issue = _issue(tree, value)
    assert issue is not None and issue.path == ("next",) * 199 + ("value",)
