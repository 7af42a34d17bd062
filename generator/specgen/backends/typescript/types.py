"""Payload declarations as TypeScript types, and what the TypeScript target can express.

Capability table (the quicktype idea: lower what the language can say, refuse the rest):

- objects, enums, literals, nullable, unions, arrays, maps, any: all expressible; ``not`` is
  its base type (``unknown`` alone), the check itself is ajv's, over the embedded schema;
- integers are JavaScript numbers, exact within +-(2^53 - 1). A schema whose *declared*
  integer bounds (or literal values) go beyond that is refused here, with the declaration and
  field named: generating ``number`` for it would round values silently. Integers without
  declared bounds (the IR's 64-bit default) are narrowed to the safe range at run time: the
  generated validator rejects larger values with a clear error, never rounds them, and
  decoding rejects any JSON integer literal a double cannot hold exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from specgen.backends import BackendRefusal
from specgen.backends.typescript.literals import MAX_SAFE_INTEGER, jsdoc, ts_str, ts_value
from specgen.backends.typescript.names import property_key, type_name
from specgen.ir import SpecIR
from specgen.ir import types as t

NameOf = Callable[[str], str]


class TypeScriptCapabilityError(BackendRefusal):
    """The spec asks for something the TypeScript target cannot represent exactly."""


def ts_type(ref: t.TypeRef, name_of: NameOf) -> str:
    """The TypeScript type expression of an IR type."""
    if isinstance(ref, t.Named):
        return name_of(ref.name)
    if isinstance(ref, t.AnyType):
        return "unknown"
    if isinstance(ref, t.NullType):
        return "null"
    if isinstance(ref, t.BoolType):
        return "boolean"
    if isinstance(ref, t.IntegerType | t.NumberType):
        return "number"
    if isinstance(ref, t.StringType):
        return "string"
    if isinstance(ref, t.ArrayType):
        return f"Array<{ts_type(ref.items, name_of)}>"
    if isinstance(ref, t.MapType):
        return f"{{ [key: string]: {ts_type(ref.values, name_of)} }}"
    if isinstance(ref, t.LiteralType):
        return _union([_literal(v) for v in ref.values]) if ref.values else "never"
    if isinstance(ref, t.NullableType):
        return _union([ts_type(ref.inner, name_of), "null"])
    if isinstance(ref, t.UnionType):
        return _union([ts_type(v, name_of) for v in ref.variants])
    if isinstance(ref, t.NotType):
        return ts_type(ref.base, name_of)  # the `not` itself is checked by ajv
    raise TypeError(f"unknown IR type {ref!r}")


def _literal(value: object) -> str:
    if value is None or isinstance(value, bool | int | float | str):
        return ts_str(value) if isinstance(value, str) else ts_value(value)
    return "unknown"  # an object or array literal: checked by the validator


def _union(parts: list[str]) -> str:
    unique = list(dict.fromkeys(parts))
    if "unknown" in unique:
        return "unknown"
    return " | ".join(unique)


@dataclass(frozen=True)
class FieldView:
    key: str
    optional: bool
    type: str
    doc: str


@dataclass(frozen=True)
class DeclView:
    kind: str  # "interface" or "alias"
    name: str
    doc: str
    fields: tuple[FieldView, ...] = ()
    index: str = ""  # index signature value type, "" when extra properties are forbidden
    type: str = ""


class NameMap:
    """Declaration name -> TypeScript name, decided once for the whole package."""

    def __init__(self, ir: SpecIR) -> None:
        self.names: dict[str, str] = {}
        taken: set[str] = set()
        for decl in ir.types:
            name, n = type_name(decl.name), 2
            while name in taken:
                name, n = f"{type_name(decl.name)}{n}", n + 1
            taken.add(name)
            self.names[decl.name] = name

    def __call__(self, name: str) -> str:
        return self.names[name]


def _doc(docs: t.Docs, fallback: str = "", indent: str = "") -> str:
    parts = [docs.title, docs.description]
    if docs.deprecated:
        parts.append("@deprecated")
    text = "\n\n".join(p for p in parts if p) or fallback
    return jsdoc(text, indent)


def decl_views(ir: SpecIR, name_of: NameOf) -> list[DeclView]:
    views = []
    for decl in sorted(ir.types, key=lambda d: name_of(d.name)):
        name = name_of(decl.name)
        if isinstance(decl, t.ObjectDecl):
            fields = tuple(
                FieldView(
                    property_key(f.json_name),
                    not f.required,
                    ts_type(f.type, name_of),
                    _doc(f.docs, indent="  "),
                )
                for f in decl.fields
            )
            index = "" if decl.additional is None else "unknown"
            doc = _doc(decl.docs, f"The {decl.name} payload object.")
            views.append(DeclView("interface", name, doc, fields, index))
        elif isinstance(decl, t.EnumDecl):
            literal = _union([ts_str(v) for v in decl.values]) or "never"
            views.append(DeclView("alias", name, _doc(decl.docs), type=literal))
        else:
            views.append(DeclView("alias", name, _doc(decl.docs), type=ts_type(decl.type, name_of)))
    return views


# -- capability ------------------------------------------------------------------------------
def _children(ref: t.TypeRef) -> Iterator[t.TypeRef]:
    if isinstance(ref, t.ArrayType):
        yield ref.items
    elif isinstance(ref, t.MapType):
        yield ref.values
    elif isinstance(ref, t.NullableType):
        yield ref.inner
    elif isinstance(ref, t.UnionType):
        yield from ref.variants
    elif isinstance(ref, t.NotType):
        yield from (ref.base, ref.negated)


def _problems(ref: t.TypeRef) -> Iterator[str]:
    if isinstance(ref, t.IntegerType):
        b = ref.bounds
        for label, value in (("minimum", b.minimum), ("maximum", b.maximum),
                             ("exclusiveMinimum", b.exclusive_minimum),
                             ("exclusiveMaximum", b.exclusive_maximum)):  # fmt: skip
            if value is not None and abs(value) > MAX_SAFE_INTEGER + 1:
                yield f"integer {label} {value} is outside +-(2^53 - 1)"
    if isinstance(ref, t.LiteralType):
        for value in ref.values:
            try:
                ts_value(value)
            except ValueError as exc:
                yield f"literal value: {exc}"
    for child in _children(ref):
        yield from _problems(child)


def check_capabilities(ir: SpecIR) -> None:
    """Refuse, with every offending place named, what TypeScript cannot represent exactly."""
    found = []
    for decl in ir.types:
        if isinstance(decl, t.ObjectDecl):
            refs = [(f"{decl.name}.{f.json_name}", f.type) for f in decl.fields]
            if decl.additional is not None:
                refs.append((f"{decl.name}.*", decl.additional))
        elif isinstance(decl, t.AliasDecl):
            refs = [(decl.name, decl.type)]
        else:
            refs = []
        found += [f"{where}: {p}" for where, ref in refs for p in _problems(ref)]
    for event in ir.events():
        try:
            ts_value(event.payload_schema)
        except ValueError as exc:
            found.append(f"data schema of {event.type}: {exc}")
    if found:
        raise TypeScriptCapabilityError(
            "the TypeScript backend cannot represent these integers exactly (JavaScript numbers "
            "hold integers up to 2^53 - 1); narrow the bounds or drop TypeScript from "
            "`languages`:\n  " + "\n  ".join(sorted(set(found)))
        )
