"""Payload declarations as TypeScript types: the declarations of ``models.d.ts``.

Each IR type becomes a ``TsType`` (``layout``), so long unions, arrays and maps are laid out
as prettier lays them out; names come from one ``NameMap`` for the whole package.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from specgen.backends.layout import HARD, Doc, render
from specgen.backends.typescript.layout import (
    TsType,
    block,
    interface_heading,
    property_signature,
    type_alias,
)
from specgen.backends.typescript.literals import jsdoc_lines, negative, ts_number, ts_str
from specgen.backends.typescript.names import type_name
from specgen.ir import SpecIR
from specgen.ir import types as t

NameOf = Callable[[str], str]


def ts_type(ref: t.TypeRef, name_of: NameOf) -> TsType:
    """The TypeScript type of an IR type."""
    simple = {t.AnyType: "unknown", t.NullType: "null", t.BoolType: "boolean",
              t.IntegerType: "number", t.NumberType: "number", t.StringType: "string"}  # fmt: skip
    if type(ref) in simple:
        return TsType.simple(simple[type(ref)])
    if isinstance(ref, t.Named):
        return TsType.simple(name_of(ref.name))
    if isinstance(ref, t.ArrayType):
        return _array(ref, name_of)
    if isinstance(ref, t.MapType):
        values = [ts_type(p.type, name_of) for p in ref.keys.patterns]
        if not t.is_never(ref.values):
            values.append(ts_type(ref.values, name_of))
        return TsType.map(TsType.union(values) if values else TsType.simple("never"))
    if isinstance(ref, t.LiteralType):
        literals = [TsType.simple(_literal(v)) for v in ref.values]
        return TsType.union(literals) if literals else TsType.simple("never")
    if isinstance(ref, t.NullableType):
        return TsType.union([ts_type(ref.inner, name_of), TsType.simple("null")])
    if isinstance(ref, t.UnionType):
        return TsType.union([ts_type(v, name_of) for v in ref.variants])
    if isinstance(ref, t.ConstrainedType):
        return ts_type(ref.base, name_of)  # the conditions themselves are checked by ajv
    raise TypeError(f"unknown IR type {ref!r}")


def _array(ref: t.ArrayType, name_of: NameOf) -> TsType:
    """``Array<T>``, or a tuple of optional items (tuple validation allows shorter arrays)."""
    items = ts_type(ref.items, name_of)
    if not ref.prefix:
        return TsType.array(items)
    heads = [TsType.optional(ts_type(p, name_of)) for p in ref.prefix]
    rest = [] if t.is_never(ref.items) else [TsType.rest(TsType.array(items))]
    return TsType.tuple([*heads, *rest])


def _literal(value: object) -> str:
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float):
        return ("-" if negative(value) else "") + ts_number(value)
    if isinstance(value, str):
        return ts_str(value)
    return "unknown"  # an object or array literal: checked by the validator


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


def _doc(docs: t.Docs, fallback: str = "") -> list[str]:
    parts = [docs.title, docs.description]
    if docs.deprecated:
        parts.append("@deprecated")
    return jsdoc_lines("\n\n".join(p for p in parts if p) or fallback)


def _interface(decl: t.ObjectDecl, name_of: NameOf) -> Doc:
    members: list[Doc] = []
    for f in decl.fields:
        members += _doc(f.docs)
        members.append(
            property_signature(f.json_name, ts_type(f.type, name_of), optional=not f.required)
        )
    if decl.additional is not None or decl.keys.patterns:
        members.append("[key: string]: unknown;")
    if not members:
        return ["export interface ", name_of(decl.name), " {}"]
    return [interface_heading(name_of(decl.name)), block(members), HARD, "}"]


def declarations(ir: SpecIR, name_of: NameOf) -> list[str]:
    """``models.d.ts``: one declaration per payload type, each with its documentation."""
    out = []
    for decl in sorted(ir.types, key=lambda d: name_of(d.name)):
        name = name_of(decl.name)
        if isinstance(decl, t.ObjectDecl):
            lines = _doc(decl.docs, f"The {decl.name} payload object.")
            doc = _interface(decl, name_of)
        else:
            lines = _doc(decl.docs)
            if isinstance(decl, t.EnumDecl):
                values = [TsType.simple(ts_str(v)) for v in decl.values]
                kind = TsType.union(values) if values else TsType.simple("never")
            else:
                kind = ts_type(decl.type, name_of)
            doc = type_alias(name, kind)
        out.append("\n".join([*lines, render(doc)]))
    return out
