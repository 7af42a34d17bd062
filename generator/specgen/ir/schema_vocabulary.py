"""Small facts the lowering needs about schemas and neutral types.

Which keywords constrain which JSON type; the JSON type of a value; how integer bounds choose
32/64-bit storage; how inline types get names; what a schema documents.
"""

from __future__ import annotations

from typing import Any

from specgen.ir import types as t
from specgen.ir.naming import pascal
from specgen.schema import Schema, SchemaNode

FORMATS = frozenset(
    {"date-time", "date", "time", "uuid", "uri", "uri-reference", "email", "ipv4", "ipv6"}
)
"""Formats the runtimes check (docs/formats.md); any other format is an annotation."""

TYPE_FIELDS = {
    "object": ("properties", "required", "additional_properties", "pattern_properties",
               "property_names", "dependencies", "min_properties", "max_properties"),
    "array": ("items", "additional_items", "contains", "min_items", "max_items",
              "unique_items"),
    "string": ("min_length", "max_length", "pattern", "format"),
    "number": ("minimum", "maximum", "exclusive_minimum", "exclusive_maximum", "multiple_of"),
    "integer": ("minimum", "maximum", "exclusive_minimum", "exclusive_maximum", "multiple_of"),
    "boolean": (),
    "null": (),
}  # fmt: skip
JSON_TYPES = tuple(TYPE_FIELDS)
INT64 = (-(2**63), 2**63 - 1)
_DEFAULTS = {"required": (), "properties": {}, "pattern_properties": {}, "dependencies": {},
             "unique_items": False}  # fmt: skip


def constrains(schema: Schema, type_name: str) -> list[str]:
    """The keywords of ``schema`` that constrain values of ``type_name`` (Python names)."""
    return [
        name
        for name in TYPE_FIELDS[type_name]
        if getattr(schema, name) not in (None, _DEFAULTS.get(name, None))
    ]


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


def docs_of(schema: SchemaNode) -> t.Docs:
    if isinstance(schema, bool):
        return t.Docs()
    return t.Docs(
        title=schema.title or "",
        description=schema.description or "",
        deprecated=schema.deprecated,
        examples=schema.examples or (),
        default=schema.default.value if schema.default else None,
        has_default=schema.default is not None,
    )


def accepts_null(ref: t.TypeRef, decls: dict[str, t.TypeDecl]) -> bool:
    if isinstance(ref, t.Named):
        decl = decls.get(ref.name)
        return isinstance(decl, t.AliasDecl) and accepts_null(decl.type, decls)
    if isinstance(ref, t.LiteralType):
        return None in ref.values
    if isinstance(ref, t.UnionType):
        return any(accepts_null(v, decls) for v in ref.variants)
    if isinstance(ref, t.ConstrainedType):
        return accepts_null(ref.base, decls)  # the conditions may refuse it: count it as not
    return isinstance(ref, t.NullableType | t.NullType | t.AnyType)


def variant_hint(hint: str, branch: SchemaNode, index: int, component: str | None) -> str:
    title = branch.title if isinstance(branch, Schema) else None
    if title:
        return f"{hint}{pascal(title)}"
    return f"{hint}{component}" if component else f"{hint}Option{index + 1}"


def integer_type(bounds: t.NumericBounds) -> t.IntegerType:
    """The smallest storage for integers within ``bounds``, among 32/64-bit signed/unsigned.

    A bound beyond what 64 bits hold on the loose side is vacuous for that storage
    (``maximum: 2^64`` on a signed integer changes nothing); only bounds that leave no 64-bit
    value at all need arbitrary precision (``bits == 0``).
    """
    low = max((b for b in (bounds.minimum, bounds.exclusive_minimum) if b is not None),
              default=None)  # fmt: skip
    high = min((b for b in (bounds.maximum, bounds.exclusive_maximum) if b is not None),
               default=None)  # fmt: skip
    if (low is not None and low > 2**64 - 1) or (high is not None and high < INT64[0]):
        return t.IntegerType(bounds, signed=True, bits=0)
    if low is not None and low >= 0:
        small = high is not None and high <= 2**32 - 1
        return t.IntegerType(bounds, signed=False, bits=32 if small else 64)
    if low is not None and low >= -(2**31) and high is not None and high <= 2**31 - 1:
        return t.IntegerType(bounds, signed=True, bits=32)
    return t.IntegerType(bounds, signed=True, bits=64)
