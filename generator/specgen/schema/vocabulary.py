"""The keywords of the typed model: which field each one fills, what its value must be.

``KEYWORDS`` maps every draft-7 keyword, and the AsyncAPI Schema Object's additions, to the
:class:`~specgen.schema.model.Schema` attribute it fills and the kind of value it takes (the
reader's name for a meta-schema rule). ``json_equal`` is JSON's equality (``1 == 1.0``,
``true != 1``, key order ignored), which ``enum`` uniqueness and ``const`` use.
"""

from __future__ import annotations

from typing import Any

JSON_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")

KEYWORDS: dict[str, tuple[str, str]] = {
    # any instance
    "type": ("types", "types"),
    "enum": ("enum", "enum"),
    "const": ("const", "literal"),
    # numbers
    "multipleOf": ("multiple_of", "positive"),
    "maximum": ("maximum", "number"),
    "exclusiveMaximum": ("exclusive_maximum", "number"),
    "minimum": ("minimum", "number"),
    "exclusiveMinimum": ("exclusive_minimum", "number"),
    # strings
    "maxLength": ("max_length", "count"),
    "minLength": ("min_length", "count"),
    "pattern": ("pattern", "pattern"),
    "format": ("format", "string"),
    # arrays
    "items": ("items", "items"),
    "additionalItems": ("additional_items", "schema"),
    "maxItems": ("max_items", "count"),
    "minItems": ("min_items", "count"),
    "uniqueItems": ("unique_items", "bool"),
    "contains": ("contains", "schema"),
    # objects
    "maxProperties": ("max_properties", "count"),
    "minProperties": ("min_properties", "count"),
    "required": ("required", "names"),
    "properties": ("properties", "schema_map"),
    "patternProperties": ("pattern_properties", "pattern_map"),
    "additionalProperties": ("additional_properties", "schema"),
    "dependencies": ("dependencies", "dependencies"),
    "propertyNames": ("property_names", "schema"),
    # applicators
    "if": ("if_", "schema"),
    "then": ("then", "schema"),
    "else": ("else_", "schema"),
    "allOf": ("all_of", "schema_list"),
    "anyOf": ("any_of", "schema_list"),
    "oneOf": ("one_of", "schema_list"),
    "not": ("not_", "schema"),
    # identification
    "$id": ("id", "string"),
    "$schema": ("schema_uri", "string"),
    "definitions": ("definitions", "schema_map"),
    # annotations
    "title": ("title", "string"),
    "description": ("description", "string"),
    "default": ("default", "literal"),
    "examples": ("examples", "examples"),
    "readOnly": ("read_only", "bool"),
    "writeOnly": ("write_only", "bool"),
    "$comment": ("comment", "string"),
    "contentEncoding": ("content_encoding", "string"),
    "contentMediaType": ("content_media_type", "string"),
    # AsyncAPI Schema Object
    "discriminator": ("discriminator", "discriminator"),
    "externalDocs": ("external_docs", "external_docs"),
    "deprecated": ("deprecated", "bool"),
}

ANNOTATIONS = frozenset(
    {"$id", "$schema", "definitions", "title", "description", "default", "examples", "readOnly",
     "writeOnly", "$comment", "contentEncoding", "contentMediaType", "discriminator",
     "externalDocs", "deprecated"}
)  # fmt: skip
"""Keywords that never make an instance invalid."""


def canonical(value: Any) -> Any:
    """A hashable form of a JSON value; two values are JSON-equal when their forms are equal."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if isinstance(value, int | float):
        return ("number", value)  # Python's int/float equality is exact (1 == 1.0)
    if isinstance(value, list | tuple):
        return ("array", tuple(canonical(v) for v in value))
    if isinstance(value, dict):
        return ("object", frozenset((k, canonical(v)) for k, v in value.items()))
    return ("other", repr(value))


def json_equal(a: Any, b: Any) -> bool:
    return bool(canonical(a) == canonical(b))
