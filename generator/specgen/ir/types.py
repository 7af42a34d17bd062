"""The neutral type model: what a payload schema means, independent of any language.

A payload schema is lowered into a tree of ``TypeRef`` values. Objects, string enumerations
and named aliases become declarations (``ObjectDecl``, ``EnumDecl``, ``AliasDecl``) that
types refer to by name with ``Named``; a recursive schema is a declaration that refers to
itself (through ``Named``), so every tree of ``TypeRef`` values is finite. Backends map each
kind onto their language; the semantics every backend must implement are those of JSON Schema
draft 7 (docs/json-schema.md):

- what a value *is* (the type a language stores it as) is the tree of kinds below;
- what a value must also satisfy without changing its type (``not``, ``if``/``then``/``else``,
  an ``allOf`` part or a ``oneOf``/``anyOf`` beside other keywords) is a ``ConstrainedType``
  whose ``conditions`` each say "the JSON value is (not) valid against these types".
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
    """An array. Item ``i`` has type ``prefix[i]`` when ``i < len(prefix)`` (tuple validation,
    shorter arrays are fine), every other item has type ``items``; at least one item must be
    valid against ``contains`` when it is set."""

    items: TypeRef
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    prefix: tuple[TypeRef, ...] = ()
    contains: TypeRef | None = None
    kind: str = field(default="array", init=False)


@dataclass(frozen=True)
class PatternField:
    """``patternProperties``: a key that matches ``pattern`` (ECMA-262, unanchored) has a
    value of type ``type``."""

    pattern: str
    type: TypeRef


@dataclass(frozen=True)
class Dependency:
    """``dependencies``: when ``property`` is present, so must be ``required``, and the whole
    object must be valid against ``type`` (when set)."""

    property: str
    required: tuple[str, ...] = ()
    type: TypeRef | None = None


@dataclass(frozen=True)
class KeyRules:
    """What an object says about its keys beyond its named properties.

    ``patterns`` apply to every key that is not a named property (a named property's type
    already includes the patterns its name matches); ``property_names`` (a string type) to
    every key; the counts to all properties present.
    """

    patterns: tuple[PatternField, ...] = ()
    property_names: TypeRef | None = None
    min_properties: int | None = None
    max_properties: int | None = None
    dependencies: tuple[Dependency, ...] = ()


@dataclass(frozen=True)
class MapType:
    """An object with no named properties.

    A value whose key matches one of ``keys.patterns`` has that pattern's type (every one it
    matches); any other value has type ``values`` (``LiteralType(())``: no other key allowed).
    """

    values: TypeRef
    keys: KeyRules = KeyRules()
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
class NotCondition:
    """``not``: the value must NOT be valid against ``type``."""

    type: TypeRef
    kind: str = field(default="not", init=False)


@dataclass(frozen=True)
class AllOfCondition:
    """An ``allOf`` part that does not merge into the base: the value must be valid against it."""

    type: TypeRef
    kind: str = field(default="all_of", init=False)


@dataclass(frozen=True)
class UnionCondition:
    """``oneOf`` (``exclusive``: exactly one) or ``anyOf`` (at least one) beside other keywords."""

    variants: tuple[TypeRef, ...]
    exclusive: bool
    kind: str = field(default="union", init=False)


@dataclass(frozen=True)
class IfCondition:
    """``if``/``then``/``else``: valid against ``then`` if valid against ``test``, else against
    ``otherwise`` (``None``: no constraint)."""

    test: TypeRef
    then: TypeRef | None = None
    otherwise: TypeRef | None = None
    kind: str = field(default="if", init=False)


Condition = NotCondition | AllOfCondition | UnionCondition | IfCondition


@dataclass(frozen=True)
class ConstrainedType:
    """A value of ``base`` (what it is stored as) that also satisfies every condition.

    A validator checks the conditions on the value as JSON data, after ``base`` accepted it.
    """

    base: TypeRef
    conditions: tuple[Condition, ...]
    kind: str = field(default="constrained", init=False)


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
    | ConstrainedType
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

    ``additional`` says what other properties (those that match no pattern of ``keys``) may
    hold: ``None`` forbids them, otherwise their type (``AnyType`` when the schema leaves them
    open).
    """

    name: str
    fields: tuple[Field, ...]
    additional: TypeRef | None
    docs: Docs = Docs()
    keys: KeyRules = KeyRules()
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


def is_never(ref: TypeRef) -> bool:
    """``LiteralType(())``: no value is valid (``false``, or an empty ``enum``)."""
    return isinstance(ref, LiteralType) and not ref.values


def key_types(keys: KeyRules) -> tuple[TypeRef, ...]:
    """The types an object's key rules check against (patterns, names, dependencies)."""
    found = [p.type for p in keys.patterns]
    if keys.property_names is not None:
        found.append(keys.property_names)
    found += [d.type for d in keys.dependencies if d.type is not None]
    return tuple(found)


def condition_types(condition: Condition) -> tuple[TypeRef, ...]:
    """The types a condition checks a value against."""
    if isinstance(condition, UnionCondition):
        return condition.variants
    if isinstance(condition, IfCondition):
        parts = (condition.test, condition.then, condition.otherwise)
        return tuple(c for c in parts if c is not None)
    return (condition.type,)


def children(ref: TypeRef) -> tuple[TypeRef, ...]:
    """Every type directly inside ``ref``: what its values are made of and what they are
    checked against (conditions, ``contains``, key rules)."""
    if isinstance(ref, ArrayType):
        contains = () if ref.contains is None else (ref.contains,)
        return (ref.items, *ref.prefix, *contains)
    if isinstance(ref, MapType):
        return (ref.values, *key_types(ref.keys))
    if isinstance(ref, NullableType):
        return (ref.inner,)
    if isinstance(ref, UnionType):
        return ref.variants
    if isinstance(ref, ConstrainedType):
        return (ref.base, *(c for cond in ref.conditions for c in condition_types(cond)))
    return ()


def decl_types(decl: TypeDecl) -> tuple[TypeRef, ...]:
    """The types directly inside a declaration (fields, other properties, key rules)."""
    if isinstance(decl, ObjectDecl):
        extra = () if decl.additional is None else (decl.additional,)
        return (*(f.type for f in decl.fields), *extra, *key_types(decl.keys))
    if isinstance(decl, AliasDecl):
        return (decl.type,)
    return ()
