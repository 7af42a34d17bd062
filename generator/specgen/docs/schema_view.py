"""Payload types as readable tables: type text with links, constraints, field rows.

A type is shown as a sequence of ``Piece`` values (plain text or a link to a declaration),
so a template prints it with a loop and never decides anything. ``Linker`` says where a
declaration's table lives on the page being rendered (a local anchor on an event page, the
types page elsewhere).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from specgen.docs.text import json_text, number
from specgen.ir import SpecIR
from specgen.ir import types as t

Linker = Callable[[str], str]  # declaration name -> root-relative href


@dataclass(frozen=True)
class Piece:
    text: str
    href: str = ""


@dataclass(frozen=True)
class Constraint:
    """``label`` followed by values shown as code (``pattern`` ``^[a-z]+$``)."""

    label: str
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldRow:
    name: str
    type: tuple[Piece, ...]
    constraints: tuple[Constraint, ...]
    required: bool
    description: str
    deprecated: bool
    default: str  # JSON text, "" when the schema gives none
    examples: tuple[str, ...]  # JSON texts


@dataclass(frozen=True)
class DeclView:
    """One declaration: an object's fields, an enum's values or an alias's type."""

    name: str
    anchor: str
    kind: str  # "object", "enum" or "alias"
    title: str
    description: str
    deprecated: bool
    fields: tuple[FieldRow, ...] = ()
    others: str = ""  # what properties beyond the listed ones may hold (objects)
    others_type: tuple[Piece, ...] = ()
    values: tuple[str, ...] = ()  # enum values
    type: tuple[Piece, ...] = ()  # alias type
    constraints: tuple[Constraint, ...] = ()  # alias constraints
    examples: tuple[str, ...] = ()


class SchemaView:
    """Renders the IR's types for one page; ``link`` decides where declarations live."""

    def __init__(self, ir: SpecIR, link: Linker) -> None:
        self.decls = {decl.name: decl for decl in ir.types}
        self.link = link

    # -- type text -------------------------------------------------------------------------
    def type_text(self, ref: t.TypeRef) -> tuple[Piece, ...]:
        return tuple(_merge(self._pieces(ref)))

    def _pieces(self, ref: t.TypeRef, hint: bool = True) -> Iterator[Piece]:
        """``hint``: follow a named alias one level, ``Energy (number)``; never deeper, so
        recursive declarations end."""
        if isinstance(ref, t.Named):
            yield Piece(ref.name, self.link(ref.name))
            if hint:
                yield from self._kind_hint(ref.name)
        elif isinstance(ref, t.ArrayType):
            yield Piece("array of ")
            yield from self._grouped(ref.items, hint)
        elif isinstance(ref, t.MapType):
            yield Piece("map of string to ")
            yield from self._grouped(ref.values, hint)
        elif isinstance(ref, t.NullableType):
            yield from self._grouped(ref.inner, hint)
            yield Piece(" | null")
        elif isinstance(ref, t.UnionType):
            for i, variant in enumerate(ref.variants):
                yield Piece(" | " if i else "")
                yield from self._grouped(variant, hint)
        elif isinstance(ref, t.ConstrainedType):
            yield from self._pieces(ref.base, hint)
        elif isinstance(ref, t.LiteralType):
            yield Piece(" | ".join(dict.fromkeys(_json_kind(v) for v in ref.values)) or "never")
        else:
            yield Piece(_SCALAR_NAMES[ref.kind])

    def _grouped(self, ref: t.TypeRef, hint: bool) -> Iterator[Piece]:
        """A nested union in parentheses, so ``array of (A | B)`` reads right."""
        grouped = isinstance(ref, t.UnionType | t.NullableType)
        if grouped:
            yield Piece("(")
        yield from self._pieces(ref, hint)
        if grouped:
            yield Piece(")")

    def _kind_hint(self, name: str) -> Iterator[Piece]:
        decl = self.decls.get(name)
        if isinstance(decl, t.EnumDecl):
            yield Piece(" (enum)")
        elif isinstance(decl, t.AliasDecl) and not isinstance(decl.type, t.UnionType):
            yield Piece(" (")
            yield from self._pieces(decl.type, hint=False)
            yield Piece(")")

    # -- constraints -----------------------------------------------------------------------
    def constraints(self, ref: t.TypeRef, seen: frozenset[str] = frozenset()) -> list[Constraint]:
        """Every constraint a value of ``ref`` must meet, aliases and enums followed."""
        if isinstance(ref, t.Named):
            decl = self.decls.get(ref.name)
            if ref.name in seen or decl is None:
                return []
            if isinstance(decl, t.EnumDecl):
                return [Constraint("one of", decl.values)]
            if isinstance(decl, t.AliasDecl):
                return self.constraints(decl.type, seen | {ref.name})
            return []
        if isinstance(ref, t.NullableType):
            return self.constraints(ref.inner, seen)
        if isinstance(ref, t.ArrayType):
            own = _count("items", ref.min_items, ref.max_items)
            own += [Constraint("unique items")] if ref.unique_items else []
            inner = self.constraints(ref.items, seen)
            return own + [Constraint(f"each item: {c.label}", c.values) for c in inner]
        if isinstance(ref, t.MapType):
            inner = self.constraints(ref.values, seen)
            return [Constraint(f"each value: {c.label}", c.values) for c in inner]
        if isinstance(ref, t.ConstrainedType):
            own = self.constraints(ref.base, seen)
            for condition in ref.conditions:
                if isinstance(condition, t.NotCondition):
                    negated = "".join(p.text for p in self.type_text(condition.type))
                    own.append(Constraint("must not be", (negated,)))
                else:
                    own.append(Constraint(_CONDITIONS[condition.kind]))
            return own
        return _scalar_constraints(ref)

    # -- fields and declarations -----------------------------------------------------------
    def field_row(self, field: t.Field) -> FieldRow:
        docs = field.docs
        return FieldRow(
            name=field.json_name,
            type=self.type_text(field.type),
            constraints=tuple(self.constraints(field.type)),
            required=field.required,
            description=docs.description or docs.title,
            deprecated=docs.deprecated,
            default=json_text(docs.default) if docs.has_default else "",
            examples=tuple(json_text(e) for e in docs.examples),
        )

    def decl_view(self, decl: t.TypeDecl, anchor: str) -> DeclView:
        docs = decl.docs
        base = DeclView(
            name=decl.name,
            anchor=anchor,
            kind=decl.kind,
            title=docs.title,
            description=docs.description,
            deprecated=docs.deprecated,
            examples=tuple(json_text(e) for e in docs.examples),
        )
        if isinstance(decl, t.ObjectDecl):
            others, others_type = _others(decl.additional)
            return replace(
                base,
                fields=tuple(self.field_row(f) for f in decl.fields),
                others=others,
                others_type=self.type_text(others_type) if others_type else (),
            )
        if isinstance(decl, t.EnumDecl):
            return replace(base, values=decl.values)
        return replace(
            base, type=self.type_text(decl.type), constraints=tuple(self.constraints(decl.type))
        )

    def reachable(self, ref: t.TypeRef) -> list[str]:
        """Names of the declarations ``ref`` uses, depth first in field order, each once."""
        found: list[str] = []
        self._walk(ref, found)
        return found

    def _walk(self, ref: t.TypeRef, found: list[str]) -> None:
        for name in named_refs(ref):
            if name in found or name not in self.decls:
                continue
            found.append(name)
            decl = self.decls[name]
            if isinstance(decl, t.ObjectDecl):
                for field in decl.fields:
                    self._walk(field.type, found)
                if decl.additional is not None:
                    self._walk(decl.additional, found)
            elif isinstance(decl, t.AliasDecl):
                self._walk(decl.type, found)


def named_refs(ref: t.TypeRef) -> Iterator[str]:
    """The declaration names a type expression mentions directly, in order."""
    if isinstance(ref, t.Named):
        yield ref.name
    for child in t.children(ref):
        yield from named_refs(child)


_SCALAR_NAMES = {
    "any": "any",
    "null": "null",
    "boolean": "boolean",
    "integer": "integer",
    "number": "number",
    "string": "string",
}


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _merge(pieces: Iterator[Piece]) -> Iterator[Piece]:
    """Adjacent plain pieces joined, empty ones dropped: fewer nodes, identical text."""
    text = ""
    for piece in pieces:
        if piece.href:
            if text:
                yield Piece(text)
            text = ""
            yield piece
        else:
            text += piece.text
    if text:
        yield Piece(text)


def _count(what: str, low: int | None, high: int | None) -> list[Constraint]:
    if low is None and high is None:
        return []
    if low is not None and high is not None:
        value = str(low) if low == high else f"{low} to {high}"
        return [Constraint(f"{what}: {value}")]
    return [Constraint(f"{what}: at least {low}" if low is not None else f"{what}: at most {high}")]


_CONDITIONS = {
    "all_of": "also valid against an allOf part",
    "union": "matches one of its variants",
    "if": "if/then/else applies",
}


def _scalar_constraints(ref: t.TypeRef) -> list[Constraint]:
    if isinstance(ref, t.StringType):
        found = _count("length", ref.min_length, ref.max_length)
        if ref.format:
            found.append(Constraint("format", (ref.format,)))
        if ref.pattern is not None:
            found.append(Constraint("pattern", (ref.pattern,)))
        return found
    if isinstance(ref, t.IntegerType | t.NumberType):
        bounds = ref.bounds
        pairs = [
            ("minimum", bounds.minimum),
            ("maximum", bounds.maximum),
            ("greater than", bounds.exclusive_minimum),
            ("less than", bounds.exclusive_maximum),
            ("multiple of", bounds.multiple_of),
        ]
        return [Constraint(label, (number(v),)) for label, v in pairs if v is not None]
    if isinstance(ref, t.LiteralType):
        label = "equal to" if len(ref.values) == 1 else "one of"
        return [Constraint(label, tuple(json_text(v) for v in ref.values))]
    if isinstance(ref, t.UnionType):
        return _union_constraints(ref)
    return []


def _union_constraints(ref: t.UnionType) -> list[Constraint]:
    found = [Constraint("exactly one variant matches" if ref.exclusive else "any variant matches")]
    if ref.discriminator is not None:
        found.append(Constraint("variant chosen by property", (ref.discriminator,)))
        found += [Constraint(f"{ref.discriminator} = {tag}", (name,)) for tag, name in ref.mapping]
    return found


def _others(additional: t.TypeRef | None) -> tuple[str, t.TypeRef | None]:
    if additional is None:
        return "No other properties are allowed.", None
    if isinstance(additional, t.AnyType):
        return "Other properties are allowed, of any type.", None
    return "Other properties are allowed, of type:", additional
