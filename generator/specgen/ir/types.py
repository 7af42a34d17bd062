"""The neutral type model: what a payload schema means, independent of any language.

A payload schema is lowered into a tree of ``TypeRef`` values. Objects, string enumerations
and named aliases become declarations (``ObjectDecl``, ``EnumDecl``, ``AliasDecl``) that
types refer to by name with ``Named``. Backends map each kind onto their language; the
semantics every backend must implement are those of JSON Schema draft 7 for the keywords
kept here (see docs/architecture.md, "Type semantics").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JsonValue = Any


@dataclass(frozen=True)
class AnyType:
    """Any JSON value."""

    kind: str = field(default="any", init=False)


@dataclass(frozen=True)
class NullType:
    kind: str = field(default="null", init=False)


@dataclass(frozen=True)
class BoolType:
    kind: str = field(default="boolean", init=False)


@dataclass(frozen=True)
class NumericBounds:
    minimum: int | float | None = None
    maximum: int | float | None = None
    exclusive_minimum: int | float | None = None
    exclusive_maximum: int | float | None = None
    multiple_of: int | float | None = None


@dataclass(frozen=True)
class IntegerType:
    """A JSON number with no fractional part (``1.0`` counts); never a boolean.

    ``bits`` is the smallest of 32/64 signed or unsigned storage that holds the bounds, or 0
    when the bounds do not fit 64 bits (arbitrary precision).
    """

    bounds: NumericBounds = NumericBounds()
    signed: bool = True
    bits: int = 64
    kind: str = field(default="integer", init=False)


@dataclass(frozen=True)
class NumberType:
    bounds: NumericBounds = NumericBounds()
    kind: str = field(default="number", init=False)


@dataclass(frozen=True)
class StringType:
    """Lengths count Unicode code points; ``pattern`` is an ECMA-262 regex, unanchored."""

    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    format: str | None = None
    kind: str = field(default="string", init=False)


@dataclass(frozen=True)
class ArrayType:
    items: TypeRef
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    kind: str = field(default="array", init=False)


@dataclass(frozen=True)
class MapType:
    """An object with no named properties whose values all share one type."""

    values: TypeRef
    kind: str = field(default="map", init=False)


@dataclass(frozen=True)
class LiteralType:
    """One of a fixed set of JSON values (``enum``; ``const`` is a set of one).

    Equality is JSON equality: ``1`` equals ``1.0``, ``true`` never equals ``1``.
    """

    values: tuple[JsonValue, ...]
    kind: str = field(default="literal", init=False)


@dataclass(frozen=True)
class NullableType:
    inner: TypeRef
    kind: str = field(default="nullable", init=False)


@dataclass(frozen=True)
class UnionType:
    """``oneOf`` (exclusive: exactly one variant matches) or ``anyOf`` (at least one).

    With a ``discriminator`` every variant is a named object whose property of that name is
    a single string literal, listed in ``mapping`` (tag value -> declaration name).
    """

    variants: tuple[TypeRef, ...]
    exclusive: bool
    discriminator: str | None = None
    mapping: tuple[tuple[str, str], ...] = ()
    kind: str = field(default="union", init=False)


@dataclass(frozen=True)
class NotType:
    """``not``: a value of ``base`` that is NOT valid against ``negated``.

    ``base`` holds the schema's other keywords (``AnyType`` when ``not`` stands alone); the
    value's type is the base's, and a validator must reject every value ``negated`` accepts.
    """

    negated: TypeRef
    base: TypeRef = AnyType()
    kind: str = field(default="not", init=False)


@dataclass(frozen=True)
class Named:
    """A reference to a declaration in ``SpecIR.types`` by its name."""

    name: str
    kind: str = field(default="named", init=False)


TypeRef = (
    AnyType
    | NullType
    | BoolType
    | IntegerType
    | NumberType
    | StringType
    | ArrayType
    | MapType
    | LiteralType
    | NullableType
    | UnionType
    | NotType
    | Named
)


@dataclass(frozen=True)
class Docs:
    title: str = ""
    description: str = ""
    deprecated: bool = False
    examples: tuple[JsonValue, ...] = ()
    default: JsonValue = None
    has_default: bool = False


@dataclass(frozen=True)
class Field:
    """A property of an object. ``json_name`` is the wire name, exactly as in the spec."""

    json_name: str
    type: TypeRef
    required: bool
    docs: Docs = Docs()


@dataclass(frozen=True)
class ObjectDecl:
    """A JSON object with named properties.

    ``additional`` says what other properties may hold: ``None`` forbids them, otherwise
    their type (``AnyType`` when the schema leaves them open).
    """

    name: str
    fields: tuple[Field, ...]
    additional: TypeRef | None
    docs: Docs = Docs()
    kind: str = field(default="object", init=False)


@dataclass(frozen=True)
class EnumDecl:
    """A named set of strings."""

    name: str
    values: tuple[str, ...]
    docs: Docs = Docs()
    kind: str = field(default="enum", init=False)


@dataclass(frozen=True)
class AliasDecl:
    """A named non-object type (a constrained string, a payload that is a number, ...)."""

    name: str
    type: TypeRef
    docs: Docs = Docs()
    kind: str = field(default="alias", init=False)


TypeDecl = ObjectDecl | EnumDecl | AliasDecl
