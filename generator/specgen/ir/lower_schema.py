"""Lower typed JSON Schemas (draft 7, ``specgen.schema``) into the neutral types of ``ir.types``.

Every keyword of draft 7 is lowered exactly: what a value *is* becomes its type (objects,
maps, arrays, strings, numbers, unions...), what it must also satisfy becomes a condition of a
``ConstrainedType``. Schemas defined under ``components/schemas`` keep their component name;
inline objects and enums are named after the place they appear (``Parent`` + ``Property``).

Recursion. A schema met again *below* itself (a tree's children) is a reference to its
declaration (``Named``), so recursive schemas become recursive declarations. A schema met
again on the *same value* (a child that ``allOf``-extends a parent whose ``oneOf`` lists the
child) would be checked forever; it is taken as satisfied there (the greatest fixed point, as
for coinductive types), which is what such polymorphism means. Because that makes a schema's
meaning depend on what is being checked around it on the same value, results are memoised
per (schema, the enclosing same-value schemas it can reach).

Nothing is refused but what no language can run: a pattern outside the linear-time dialect
(SG-SCHEMA-PATTERN, the same diagnostic ``validate`` reports). Located warnings: formats that
are not checked, untyped keywords, a discriminator that cannot select.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from specgen.diagnostics import Diagnostic
from specgen.ir import types as t
from specgen.ir.all_of import Synthesis, fold_all_of
from specgen.ir.lower_kinds import KindLowering
from specgen.ir.naming import NameAllocator, pascal
from specgen.ir.schema_vocabulary import accepts_null, docs_of, variant_hint
from specgen.schema import Schema, SchemaNode, SchemaReader

ComponentName = Callable[[Any], str | None]
Same = tuple[int, ...]
_IN_PLACE = ("all_of", "any_of", "one_of")
_IN_PLACE_ONE = ("not_", "if_", "then", "else_")


class SchemaLowering(KindLowering):
    """Lowers schemas one by one, sharing declarations between them."""

    def __init__(self, reader: SchemaReader, component_name: ComponentName) -> None:
        self.reader = reader
        self._component_of_raw = component_name
        self.decls: dict[str, t.TypeDecl] = {}
        self.diagnostics: list[Diagnostic] = []
        self.synth = Synthesis()
        self._names = NameAllocator()
        self._memo: dict[tuple[int, frozenset[int]], t.TypeRef] = {}
        self._active: dict[tuple[int, frozenset[int]], str | None] = {}
        self._registered: dict[tuple[int, frozenset[int]], t.Named] = {}
        self._key_stack: list[tuple[int, frozenset[int]]] = []
        self._closures: dict[int, frozenset[int]] = {}

    # -- entry -----------------------------------------------------------------------------
    def lower_named(self, raw: Any, name_hint: str) -> t.Named:
        """Lower a payload: the result is always a declaration, wrapping non-objects in an alias."""
        schema = self.reader.read(raw)
        self.diagnostics.extend(self.reader.diagnostics)
        self.reader.diagnostics.clear()
        ref = self.lower(schema, name_hint)
        if isinstance(ref, t.Named):
            return ref
        name = self._names.allocate(pascal(name_hint))
        self.decls[name] = t.AliasDecl(name, ref, docs_of(schema))
        return t.Named(name)

    def component(self, schema: SchemaNode) -> str | None:
        raw = self.reader.raw_of(schema) if isinstance(schema, Schema) else None
        return self._component_of_raw(raw) if raw is not None else None

    def lower(self, schema: SchemaNode, hint: str, same: Same = ()) -> t.TypeRef:
        """``schema`` as a type; ``same`` lists the schemas being checked on this same value."""
        if schema is True:
            return t.AnyType()
        if schema is False:
            return t.LiteralType(())  # no value is valid: an empty set of allowed values
        if id(schema) in same:
            return t.AnyType()  # already being checked on this value: satisfied (see above)
        key = (id(schema), self._closure(schema) & frozenset(same))
        if key in self._memo:
            return self._memo[key]
        if key in self._registered:  # met again below itself: the object being declared
            return self._registered[key]
        if key in self._active:  # met again below itself: a recursive type
            name = self._active[key] or self._names.allocate(self.component(schema) or pascal(hint))
            self._active[key] = name
            return t.Named(name)
        self._active[key] = None
        self._key_stack.append(key)
        component = self.component(schema)
        try:
            lowered = self._lower(schema, component or hint, (*same, id(schema)))
        finally:
            self._key_stack.pop()
        placeholder = self._active.pop(key)
        self._registered.pop(key, None)
        if placeholder is not None or (component and not isinstance(lowered, t.Named | t.AnyType)):
            name = placeholder or self._names.allocate(component or pascal(hint))
            self.decls[name] = t.AliasDecl(name, lowered, docs_of(schema))
            lowered = t.Named(name)
        self._memo[key] = lowered
        return lowered

    def register(self, name: str) -> None:
        """The name of the object declaration that the schema being lowered *is* (no
        conditions around it), known before its fields: references back land on it."""
        self._registered[self._key_stack[-1]] = t.Named(name)

    def _closure(self, schema: Schema) -> frozenset[int]:
        """The schemas ``schema`` can reach without leaving its value (for the memo key)."""
        done = self._closures.get(id(schema))
        if done is not None:
            return done
        seen: set[int] = set()
        stack: list[SchemaNode] = [schema]
        while stack:
            node = stack.pop()
            if isinstance(node, bool) or id(node) in seen:
                continue
            seen.add(id(node))
            for name in _IN_PLACE:
                stack.extend(getattr(node, name) or ())
            stack.extend(n for n in (getattr(node, k) for k in _IN_PLACE_ONE) if n is not None)
            stack.extend(d for d in node.dependencies.values() if not isinstance(d, tuple))
        self._closures[id(schema)] = frozenset(seen)
        return self._closures[id(schema)]

    # -- dispatch --------------------------------------------------------------------------
    def _lower(self, schema: Schema, hint: str, same: Same) -> t.TypeRef:
        alone = self._reference_alone(schema, same)
        if alone is not None:
            return self.lower(alone, hint, same)
        folded, residual, parts = fold_all_of(schema, lambda part: id(part) in same, self.synth)
        if folded is False:
            return t.LiteralType(())
        same = (*same, *(id(p) for p in parts if isinstance(p, Schema)))
        if folded is True:
            folded = self.synth.schema(schema)
        conditions: list[t.Condition] = [
            t.AllOfCondition(self.lower(part, f"{hint}AllOf{i + 1}", same))
            for i, part in enumerate(residual)
        ]
        if folded.not_ is not None:
            conditions.append(t.NotCondition(self.lower(folded.not_, f"{hint}Not", same)))
        if folded.if_ is not None and (folded.then is not None or folded.else_ is not None):
            conditions.append(self._if(folded, hint, same))
        base = self._applied(folded, hint, same, conditions)
        if conditions and isinstance(base, t.LiteralType) and not base.values:
            return base
        return t.ConstrainedType(base, tuple(conditions)) if conditions else base

    def _reference_alone(self, schema: Schema, same: Same) -> SchemaNode | None:
        """The one ``allOf`` branch of an inline schema that adds nothing else (``allOf:
        [{$ref: X}]``, perhaps with a description): that branch's type, shared, not a copy."""
        branches = [b for b in schema.all_of or () if b is not True and id(b) not in same]
        if len(branches) != 1 or self.component(schema) is not None:
            return None
        own = self.synth.copy(schema)
        own.all_of = None
        applied = (own.one_of, own.any_of, own.not_, own.if_)
        return None if self.has_type_keywords(own) or any(applied) else branches[0]

    def _if(self, schema: Schema, hint: str, same: Same) -> t.IfCondition:
        assert schema.if_ is not None
        then = self.lower(schema.then, f"{hint}Then", same) if schema.then is not None else None
        other = self.lower(schema.else_, f"{hint}Else", same) if schema.else_ is not None else None
        return t.IfCondition(self.lower(schema.if_, f"{hint}If", same), then, other)

    def _applied(
        self, schema: Schema, hint: str, same: Same, conditions: list[t.Condition]
    ) -> t.TypeRef:
        """The value's type: its own keywords, with ``oneOf``/``anyOf`` folded in."""
        unions = [(name, getattr(schema, name)) for name in ("one_of", "any_of")]
        unions = [(name, branches) for name, branches in unions if branches]
        if not unions:
            return self.typed(schema, hint, register=not conditions)
        (first, branches), *others = unions
        for name, more in others:
            variants = tuple(self._variant(b, hint, i, same) for i, b in enumerate(more))
            conditions.append(t.UnionCondition(variants, exclusive=name == "one_of"))
        own = self.synth.copy(schema)
        own.one_of = own.any_of = None
        if not self.has_type_keywords(own):
            return self._union(schema, branches, first == "one_of", hint, same)
        distributed = self._distribute(own, branches, first == "one_of", hint, same)
        if distributed is not None:
            return distributed
        variants = tuple(self._variant(b, hint, i, same) for i, b in enumerate(branches))
        conditions.append(t.UnionCondition(variants, exclusive=first == "one_of"))
        return self.typed(own, hint)

    def _variant(self, branch: SchemaNode, hint: str, index: int, same: Same) -> t.TypeRef:
        return self.lower(branch, variant_hint(hint, branch, index, self.component(branch)), same)

    def _distribute(
        self, own: Schema, branches: tuple[SchemaNode, ...], exclusive: bool, hint: str, same: Same
    ) -> t.TypeRef | None:
        """``own`` AND one of ``branches`` as one of (``own`` AND branch), when each merges
        exactly: more precise types (one object per variant) with the same meaning."""
        merged: list[SchemaNode] = []
        for branch in branches:
            if isinstance(branch, bool):
                merged.append(own if branch else False)
                continue
            both = self.synth.schema(own, all_of=(own, branch))
            folded, residual, _ = fold_all_of(both, lambda part: id(part) in same, self.synth)
            if residual or isinstance(folded, Schema) and (folded.one_of or folded.any_of):
                return None
            merged.append(folded)
        return self._union(own, tuple(merged), exclusive, hint, same, names=branches)

    def _union(
        self,
        schema: Schema,
        branches: tuple[SchemaNode, ...],
        exclusive: bool,
        hint: str,
        same: Same,
        names: tuple[SchemaNode, ...] | None = None,
    ) -> t.TypeRef:
        named = names or branches
        hints = [variant_hint(hint, b, i, self.component(b)) for i, b in enumerate(named)]
        variants = tuple(self.lower(b, h, same) for b, h in zip(branches, hints, strict=True))
        discriminator = schema.discriminator
        rest = tuple(v for v in variants if not isinstance(v, t.NullType))
        if discriminator is None and len(rest) == len(variants) - 1 and rest:
            if not any(accepts_null(v, self.decls) for v in rest):
                inner = rest[0] if len(rest) == 1 else t.UnionType(rest, exclusive)
                return t.NullableType(inner)
        if discriminator is None:
            return t.UnionType(variants, exclusive=exclusive)
        mapping = self._mapping(schema, variants, discriminator)
        return t.UnionType(variants, exclusive, discriminator if mapping else None, mapping)

    def _mapping(
        self, schema: Schema, variants: tuple[t.TypeRef, ...], discriminator: str
    ) -> tuple[tuple[str, str], ...]:
        """Tag value -> declaration, when every variant fixes the discriminator to one string;
        otherwise the union stays untagged (the discriminator is an annotation)."""
        mapping: list[tuple[str, str]] = []
        for variant in variants:
            decl = self.decls.get(variant.name) if isinstance(variant, t.Named) else None
            field = None
            if isinstance(decl, t.ObjectDecl):
                field = next((f for f in decl.fields if f.json_name == discriminator), None)
            literal = field.type if field is not None and field.required else None
            if not (isinstance(literal, t.LiteralType) and len(literal.values) == 1
                    and isinstance(literal.values[0], str)):  # fmt: skip
                return ()
            mapping.append((literal.values[0], decl.name))  # type: ignore[union-attr]
        if len({tag for tag, _ in mapping}) != len(mapping):
            self.warn(
                "SG-SCHEMA-DISCRIMINATOR",
                f"discriminator {discriminator!r}: two variants share a tag, so the "
                "discriminator cannot select one; the union is checked without it",
                schema.at("discriminator"),
                "give every variant its own tag",
            )
            return ()
        return tuple(mapping)
