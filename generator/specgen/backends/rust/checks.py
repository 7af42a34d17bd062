"""Validation code: the Rust statements that check a value against its IR type.

``checks(ref, expr, path)`` returns statements for a value ``expr`` (an expression of type
``&T``) at the validation path variable ``path`` (a ``&schema::Path``). Everything the
JSON Schema states is checked here; what the Rust type already guarantees (a bool is a bool,
an ``i32`` is in range, an enum is one of its values) is not checked again.
"""

from __future__ import annotations

from specgen.backends.rust.literals import json_text, num, rust_str
from specgen.backends.rust.names import fn_name
from specgen.backends.rust.typemap import RustTypes
from specgen.ir import types as t

S = "schema"  # generated modules `use specgen_runtime::schema`


class Checks:
    def __init__(self, types: RustTypes) -> None:
        self.types = types
        self.regexes: list[str] = []  # pattern sources, index = static number
        self.literals: list[str] = []  # JSON texts of non-string literal sets

    def alias_fn(self, decl_name: str) -> str:
        return "check_" + fn_name(self.types.names.of(decl_name)).removeprefix("r#")

    def checks(self, ref: t.TypeRef, expr: str, path: str, depth: int = 0) -> list[str]:
        if isinstance(ref, t.IntegerType | t.NumberType):
            return self._bounds(ref.bounds, expr, path)
        if isinstance(ref, t.StringType):
            return self._string(ref, expr, path)
        if isinstance(ref, t.ArrayType):
            return self._array(ref, expr, path, depth)
        if isinstance(ref, t.MapType):
            inner = self.checks(ref.values, f"v{depth}", f"&p{depth}", depth + 1)
            if not inner:
                return []
            return [
                f"for (k{depth}, v{depth}) in ({expr}).iter() {{",
                f"let p{depth} = ({path}).key(k{depth});",
                *inner,
                "}",
            ]
        if isinstance(ref, t.LiteralType):
            return [self._literal(ref, expr, path)]
        if isinstance(ref, t.NullableType):
            inner = self.checks(ref.inner, f"v{depth}", path, depth + 1)
            return [f"if let Some(v{depth}) = {expr} {{", *inner, "}"] if inner else []
        if isinstance(ref, t.UnionType):
            return [f"{expr}.validate_at({path})?;"]
        if isinstance(ref, t.NotType):
            return self.checks(ref.base, expr, path, depth) + self._not(ref, expr, path, depth)
        if isinstance(ref, t.Named):
            decl = self.types.decls[ref.name]
            if isinstance(decl, t.EnumDecl):
                return []
            if self.types.is_alias(ref):
                assert isinstance(decl, t.AliasDecl)
                if not self.checks(decl.type, "v", "path"):
                    return []
                return [f"{self.alias_fn(ref.name)}({expr}, {path})?;"]
            return [f"{S}::Validate::validate_at({expr}, {path})?;"]
        return []  # any, null, boolean: the type says it all

    def _not(self, ref: t.NotType, expr: str, path: str, depth: int) -> list[str]:
        """Re-read the value as the negated type: it must fail to deserialise or validate."""
        negated = self.types.negated_type(ref)
        value, at = f"n{depth}", f"q{depth}"
        body = self.checks(ref.negated, value, at, depth + 1)
        if not body:
            value, at = "_", "_"
        closure = f"|{value}: &{negated}, {at}: &{S}::Path<'_>| -> {S}::Result {{"
        return [f"{S}::not::<{negated}, _, _>({expr}, {path}, {closure}", *body, "Ok(())", "})?;"]

    def _bounds(self, b: t.NumericBounds, expr: str, path: str) -> list[str]:
        out = []
        for name, value in (
            ("minimum", b.minimum),
            ("maximum", b.maximum),
            ("exclusive_minimum", b.exclusive_minimum),
            ("exclusive_maximum", b.exclusive_maximum),
            ("multiple_of", b.multiple_of),
        ):
            if value is not None:
                out.append(f"{S}::{name}({expr}, {num(value)}, {path})?;")
        return out

    def _string(self, ref: t.StringType, expr: str, path: str) -> list[str]:
        out = []
        if ref.min_length is not None:
            out.append(f"{S}::min_length({expr}, {ref.min_length}, {path})?;")
        if ref.max_length is not None:
            out.append(f"{S}::max_length({expr}, {ref.max_length}, {path})?;")
        if ref.pattern is not None:
            if ref.pattern not in self.regexes:
                self.regexes.append(ref.pattern)
            n = self.regexes.index(ref.pattern)
            out.append(f"{S}::pattern({expr}, &RE_{n}, {path})?;")
        if ref.format is not None:
            out.append(f"{S}::format({expr}, {rust_str(ref.format)}, {path})?;")
        return out

    def _array(self, ref: t.ArrayType, expr: str, path: str, depth: int) -> list[str]:
        out = []
        if ref.min_items is not None:
            out.append(f"{S}::min_items({expr}, {ref.min_items}, {path})?;")
        if ref.max_items is not None:
            out.append(f"{S}::max_items({expr}, {ref.max_items}, {path})?;")
        if ref.unique_items:
            out.append(f"{S}::unique_items({expr}, {path})?;")
        inner = self.checks(ref.items, f"v{depth}", f"&p{depth}", depth + 1)
        if inner:
            out += [
                f"for (i{depth}, v{depth}) in ({expr}).iter().enumerate() {{",
                f"let p{depth} = ({path}).index(i{depth});",
                *inner,
                "}",
            ]
        return out

    def _literal(self, ref: t.LiteralType, expr: str, path: str) -> str:
        if self.types.string_literal(ref):
            allowed = ", ".join(rust_str(v) for v in ref.values)
            return f"{S}::literal_str({expr}, &[{allowed}], {path})?;"
        text = json_text(list(ref.values))
        if text not in self.literals:
            self.literals.append(text)
        n = self.literals.index(text)
        return f"{S}::literal({expr}, &LIT_{n}, {path})?;"
