"""The typed JSON Schema model: one object per schema, cycles for recursive schemas, and a
located error for every keyword value the draft-07 meta-schema (or AsyncAPI) refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from specgen.diagnostics import Level
from specgen.load import load_spec
from specgen.pipeline import validate
from specgen.schema import Schema, schemas_of, walk

HEAD = "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\ncomponents:\n  schemas:\n"


def document(tmp_path: Path, schemas: str) -> Path:
    path = tmp_path / "asyncapi.yaml"
    path.write_text(HEAD + schemas, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ("{type: number, minimum: true}", "`minimum` must be a number, not true"),
        ("{type: object, required: x}", "`required` must be an array of property names"),
        ("{required: [a, a]}", "a name is listed twice"),
        ("{discriminator: {propertyName: kind}}", "`discriminator` must be the name of a property"),
        ("{type: strings}", "'strings' is no JSON type"),
        ("{type: [string, string]}", "'string' is listed twice"),
        ("{enum: []}", "`enum` must be a non-empty array"),
        ("{enum: [1, 1.0]}", "item 1 repeats an earlier one"),
        ("{multipleOf: 0}", "`multipleOf` must be a number greater than 0"),
        ("{maxLength: -1}", "`maxLength` must be a non-negative integer"),
        ("{minItems: 1.5}", "`minItems` must be a non-negative integer"),
        ("{items: [1]}", "item 0 is 1"),
        ("{properties: {a: 3}}", "'a' is 3"),
        ("{pattern: '[z-a]'}", "range out of order"),
        ("{patternProperties: {'(': {}}}", "unterminated group"),
        ("{dependencies: {a: 3}}", "'a' is 3"),
        ("{allOf: []}", "`allOf` must be a non-empty array of schemas"),
        ("{not: 3}", "`not` must be a schema (an object or a boolean), not 3"),
        ("{uniqueItems: 'yes'}", "`uniqueItems` must be true or false"),
        ("{externalDocs: {description: x}}", "External Documentation Object with a `url`"),
    ],
)
def test_wrong_keyword_values_are_located_errors(tmp_path: Path, schema: str, message: str) -> None:
    path = document(tmp_path, f"    S: {schema}\n")
    for ruleset in ("asyncapi", "specgen"):
        found = [d for d in validate([path], ruleset=ruleset).diagnostics
                 if d.rule == "SG-SCHEMA-INVALID"]  # fmt: skip
        assert len(found) == 1, found
        assert message in found[0].message
        assert found[0].level is Level.ERROR
        assert found[0].location.line == 5 and found[0].location.pointer.startswith(
            "/components/schemas/S/"
        )


def test_a_valid_schema_has_no_finding(tmp_path: Path) -> None:
    path = document(
        tmp_path,
        "    S:\n      type: [object, 'null']\n      discriminator: kind\n"
        "      properties: {kind: {type: string}, n: {type: integer, minimum: 0}}\n"
        "      required: [kind]\n      deprecated: true\n"
        "      externalDocs: {url: 'https://example.com'}\n      x-note: anything\n",
    )
    assert [d for d in validate([path]).diagnostics if d.rule.startswith("SG-SCHEMA")] == []


def test_unknown_keywords_are_warnings(tmp_path: Path) -> None:
    path = document(tmp_path, "    S: {type: string, nullable: true}\n")
    found = [d for d in validate([path]).diagnostics if d.rule.startswith("SG-SCHEMA")]
    assert [(d.rule, d.level) for d in found] == [("SG-SCHEMA-UNKNOWN-KEYWORD", Level.WARNING)]


def test_lookahead_is_refused_by_name_in_the_specgen_ruleset_only(tmp_path: Path) -> None:
    path = document(tmp_path, "    S: {type: string, pattern: '^(?=a)a$'}\n")
    specgen = [d for d in validate([path], ruleset="specgen").diagnostics
               if d.rule == "SG-SCHEMA-PATTERN"]  # fmt: skip
    assert len(specgen) == 1 and "lookahead" in specgen[0].message
    assert specgen[0].location.line == 5
    plain = validate([path], ruleset="asyncapi").diagnostics
    assert not [d for d in plain if d.rule == "SG-SCHEMA-PATTERN"]


def test_one_object_per_schema_and_cycles_for_recursion(tmp_path: Path) -> None:
    path = document(
        tmp_path,
        "    Tree:\n      type: object\n      properties:\n"
        "        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}\n"
        "        best: {$ref: '#/components/schemas/Tree'}\n",
    )
    spec = load_spec([path], root=tmp_path)
    reader = schemas_of(spec)
    raw = spec.documents[0].data["components"]["schemas"]["Tree"]
    tree = reader.read(raw)
    assert isinstance(tree, Schema) and reader.read(raw) is tree
    children = tree.properties["children"]
    assert isinstance(children, Schema) and children.items is tree
    assert tree.properties["best"] is tree
    assert len(list(walk(tree))) == 2  # Tree and the children array: walk ends on cycles
    assert schemas_of(spec) is reader
