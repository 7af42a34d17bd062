"""Validation code: the Rust statements that check a value against its IR type.

``Checks.lines(ref, expr, path, indent, hint)`` returns the statements for a value ``expr``
(an expression of type ``&T``) at the path expression ``path`` (of type ``&Path``), laid out
as rustfmt lays them out at ``indent``. Everything the JSON Schema states is checked; what
the Rust type already guarantees (a bool is a bool, an ``i32`` is in range, an enum is one of
its values) is not checked again.

Values the checks need that are fixed (patterns, sets of allowed values) become ``static``s
of the module (``statics``); what a schema says beyond a value's type (conditions, tuple
items, ``contains``, key rules) is checked by ``conditions``.
"""

from __future__ import annotations

from specgen.backends.rust import conditions, layout
from specgen.backends.rust.literals import json_text, num, rust_str
from specgen.backends.rust.names import fn_name
from specgen.backends.rust.statics import IND, Statics
from specgen.backends.rust.typemap import RustTypes
from specgen.ir import types as t

__all__ = ["IND", "Checks", "Statics"]


class Checks:
    def __init__(self, types: RustTypes) -> None:
        self.types = types

    def alias_fn(self, decl_name: str) -> str:
        return "check_" + fn_name(self.types.names.of(decl_name)).removeprefix("r#")

    def lines(
        self,
        ref: t.TypeRef,
        expr: str,
        path: str,
        indent: str,
        hint: str,
        statics: Statics,
        depth: int = 0,
    ) -> list[str]:
        """The statements checking ``expr`` (``&T``) at ``path`` (``&Path``)."""
        return _Writer(self, statics, hint).check(ref, expr, path, indent, depth)

    def key_lines(
        self,
        rules: conditions.Rules,
        expr: str,
        path: str,
        indent: str,
        hint: str,
        statics: Statics,
    ) -> list[str]:
        """The statement checking the key rules of the object ``expr``, if any."""
        return conditions.key_rules(_Writer(self, statics, hint), rules, expr, path, indent)


class _Writer:
    def __init__(self, checks: Checks, statics: Statics, hint: str) -> None:
        self.checks, self.types, self.statics, self.hint = checks, checks.types, statics, hint

    def call(self, indent: str, callee: str, args: list[str]) -> list[str]:
        return layout.call(indent, callee, args, "?;")

    def check(self, ref: t.TypeRef, expr: str, path: str, ind: str, depth: int) -> list[str]:
        if isinstance(ref, t.IntegerType | t.NumberType):
            return self._bounds(ref.bounds, expr, path, ind)
        if isinstance(ref, t.StringType):
            return self._string(ref, expr, path, ind)
        if isinstance(ref, t.ArrayType):
            return self._array(ref, expr, path, ind, depth)
        if isinstance(ref, t.MapType):
            return self._map(ref, expr, path, ind, depth)
        if isinstance(ref, t.LiteralType):
            return self._literal(ref, expr, path, ind)
        if isinstance(ref, t.NullableType):
            value = _local("value", depth)
            inner = self.check(ref.inner, value, path, ind + IND, depth + 1)
            return [f"{ind}if let Some({value}) = {expr} {{", *inner, f"{ind}}}"] if inner else []
        if isinstance(ref, t.UnionType):
            return self.call(ind, "Validate::validate_at", [expr, path])
        if isinstance(ref, t.ConstrainedType):
            base = self.check(ref.base, expr, path, ind, depth)
            return base + conditions.constrained(self, ref, expr, path, ind)
        if isinstance(ref, t.Named):
            return self._named(ref, expr, path, ind)
        return []  # any, null, boolean: the type says it all

    def _named(self, ref: t.Named, expr: str, path: str, ind: str) -> list[str]:
        decl = self.types.decls[ref.name]
        if isinstance(decl, t.EnumDecl):
            return []
        if self.types.is_alias(ref):
            assert isinstance(decl, t.AliasDecl)
            if not _Writer(self.checks, Statics(), "x").check(decl.type, "v", "p", "", 0):
                return []
            return self.call(ind, self.checks.alias_fn(ref.name), [expr, path])
        return self.call(ind, "Validate::validate_at", [expr, path])

    def _bounds(self, b: t.NumericBounds, expr: str, path: str, ind: str) -> list[str]:
        out = []
        for name, value in (
            ("minimum", b.minimum),
            ("maximum", b.maximum),
            ("exclusive_minimum", b.exclusive_minimum),
            ("exclusive_maximum", b.exclusive_maximum),
            ("multiple_of", b.multiple_of),
        ):
            if value is not None:
                out += self.call(ind, f"schema::{name}", [expr, num(value), path])
        return out

    def _string(self, ref: t.StringType, expr: str, path: str, ind: str) -> list[str]:
        out = []
        if ref.min_length is not None:
            out += self.call(ind, "schema::min_length", [expr, str(ref.min_length), path])
        if ref.max_length is not None:
            out += self.call(ind, "schema::max_length", [expr, str(ref.max_length), path])
        if ref.pattern is not None:
            static = self.statics.static("pattern", self.hint, ref.pattern)
            out += self.call(ind, "schema::pattern", [expr, f"&{static}", path])
        if ref.format is not None:
            out += self.call(ind, "schema::format", [expr, rust_str(ref.format), path])
        return out

    def _array(self, ref: t.ArrayType, expr: str, path: str, ind: str, depth: int) -> list[str]:
        out = []
        if ref.min_items is not None:
            out += self.call(ind, "schema::min_items", [expr, str(ref.min_items), path])
        if ref.max_items is not None:
            out += self.call(ind, "schema::max_items", [expr, str(ref.max_items), path])
        if ref.unique_items:
            out += self.call(ind, "schema::unique_items", [expr, path])
        if ref.contains is not None:
            out += conditions.contains(self, ref.contains, expr, path, ind)
        if ref.prefix:
            return out + conditions.tuple_items(self, ref, expr, path, ind)
        index, item = _local("i", depth), _local("item", depth)
        at = f"&{path.removeprefix('&')}.index({index})"
        inner = self.check(ref.items, item, at, ind + IND, depth + 1)
        if inner:
            iterate = f"{expr.removeprefix('&')}.iter().enumerate()"
            out += [f"{ind}for ({index}, {item}) in {iterate} {{", *inner, f"{ind}}}"]
        return out

    def _map(self, ref: t.MapType, expr: str, path: str, ind: str, depth: int) -> list[str]:
        if ref.keys.patterns:  # the values are JSON: the key rules check them all
            rest = None if t.is_never(ref.values) else ref.values
            rules = conditions.Rules(ref.keys, additional=rest, closed=rest is None)
            return conditions.key_rules(self, rules, expr, path, ind)
        out = conditions.key_rules(self, conditions.Rules(ref.keys), expr, path, ind)
        key, value = _local("key", depth), _local("value", depth)
        at = f"&{path.removeprefix('&')}.key({key})"
        inner = self.check(ref.values, value, at, ind + IND, depth + 1)
        if inner:
            out += [f"{ind}for ({key}, {value}) in {expr} {{", *inner, f"{ind}}}"]
        return out

    def _literal(self, ref: t.LiteralType, expr: str, path: str, ind: str) -> list[str]:
        if self.types.string_literal(ref):
            allowed = "\0".join(rust_str(str(v)) for v in ref.values)
            static = self.statics.static("values", self.hint, allowed)
            return self.call(ind, "schema::literal_str", [expr, static, path])
        text = json_text(list(ref.values))
        static = self.statics.static("literals", self.hint, text)
        return self.call(ind, "schema::literal", [expr, f"&{static}", path])


def _local(name: str, depth: int) -> str:
    return name if depth == 0 else f"{name}_{depth}"
