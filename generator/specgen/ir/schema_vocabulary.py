"""The JSON Schema vocabulary the generators understand, and small facts about it.

Which keywords are supported, which are annotations and which are refused by name; the JSON
type of a value; how integer bounds choose 32/64-bit storage; how inline types get names.
"""

from __future__ import annotations

from typing import Any

from specgen.ir import types as t
from specgen.ir.naming import pascal

SUPPORTED = frozenset(
    {
        "type", "properties", "required", "additionalProperties", "items", "minItems",
        "maxItems", "uniqueItems", "enum", "const", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern", "format",
        "oneOf", "anyOf", "allOf", "not", "discriminator",
    }
)  # fmt: skip
ANNOTATIONS = frozenset(
    {
        "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly",
        "$comment", "$schema", "definitions", "externalDocs", "contentEncoding",
        "contentMediaType",
    }
)  # fmt: skip
REFUSED = frozenset(
    {
        "if", "then", "else", "patternProperties", "propertyNames",
        "dependencies", "contains", "additionalItems", "minProperties", "maxProperties", "$id",
        "$ref",
    }
)  # fmt: skip
FORMATS = frozenset({"date-time", "date", "time", "uuid", "uri", "email", "ipv4", "ipv6"})
TYPE_KEYWORDS = {
    "object": {"properties", "required", "additionalProperties"},
    "array": {"items", "minItems", "maxItems", "uniqueItems"},
    "string": {"minLength", "maxLength", "pattern", "format"},
    "number": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
    "integer": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
    "boolean": set(),
    "null": set(),
}
JSON_TYPES = tuple(TYPE_KEYWORDS)
INT64 = (-(2**63), 2**63 - 1)
UNSUPPORTED_HINT = (
    "rewrite the schema without it (see docs/spec-conventions.md for the supported keywords)"
)


def json_type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def docs_of(schema: dict[str, Any]) -> t.Docs:
    examples = schema.get("examples")
    return t.Docs(
        title=str(schema.get("title", "")),
        description=str(schema.get("description", "")),
        deprecated=schema.get("deprecated") is True,
        examples=tuple(examples) if isinstance(examples, list) else (),
        default=schema.get("default"),
        has_default="default" in schema,
    )


def has_no_effect(schema: dict[str, Any], keyword: str) -> bool:
    """``additionalItems`` only applies after a tuple ``items``; anywhere else it does nothing."""
    return keyword == "additionalItems" and not isinstance(schema.get("items"), list)


def accepts_null(ref: t.TypeRef, decls: dict[str, t.TypeDecl]) -> bool:
    if isinstance(ref, t.Named):
        decl = decls.get(ref.name)
        return isinstance(decl, t.AliasDecl) and accepts_null(decl.type, decls)
    if isinstance(ref, t.LiteralType):
        return None in ref.values
    if isinstance(ref, t.UnionType):
        return any(accepts_null(v, decls) for v in ref.variants)
    # a `not` may accept null (whether it does depends on values): count it as accepting it
    return isinstance(ref, t.NullableType | t.NullType | t.AnyType | t.NotType)


def variant_hint(hint: str, branch: Any, index: int) -> str:
    title = branch.get("title") if isinstance(branch, dict) else None
    return (
        f"{hint}{pascal(title)}" if isinstance(title, str) and title else f"{hint}Option{index + 1}"
    )


def integer_type(bounds: t.NumericBounds) -> t.IntegerType:
    low = max((b for b in (bounds.minimum, bounds.exclusive_minimum) if b is not None),
              default=None)  # fmt: skip
    high = min((b for b in (bounds.maximum, bounds.exclusive_maximum) if b is not None),
               default=None)  # fmt: skip
    if low is not None and low >= 0 and high is not None and high <= 2**32 - 1:
        return t.IntegerType(bounds, signed=False, bits=32)
    if low is not None and low >= -(2**31) and high is not None and high <= 2**31 - 1:
        return t.IntegerType(bounds, signed=True, bits=32)
    if low is not None and low >= 0 and (high is None or high <= 2**64 - 1):
        return t.IntegerType(bounds, signed=False, bits=64)
    if (low is None or low >= INT64[0]) and (high is None or high <= INT64[1]):
        return t.IntegerType(bounds, signed=True, bits=64)
    return t.IntegerType(bounds, signed=True, bits=0)
