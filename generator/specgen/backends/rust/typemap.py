"""IR types to Rust types, with the capability decisions of this backend.

- integers: ``i32``/``u32``/``i64``/``u64`` by ``IntegerType.signed/bits``; ``bits == 0``
  (bounds beyond 64 bits) is refused with ``RustBackendError``: Rust has no built-in big
  integer and a lossy type would break byte-identical re-encoding.
- numbers: ``serde_json::Number`` (keeps ``1`` and ``1.0`` apart, so re-encoding is exact).
- strings (any format): ``String``, validated; any value: ``serde_json::Value``; null: ``()``.
- arrays: ``Vec``; maps: ``indexmap::IndexMap`` (wire order kept); nullable: ``Option``.
- literals: ``String`` when every value is a string, else ``serde_json::Value``; both checked
  with JSON equality.
- unions: an enum per union (named by its alias, or synthesised from where it occurs).
- conditions (``ConstrainedType``: ``not``, ``if``, an ``allOf`` part, a ``oneOf`` beside other
  keywords): the base's type; each condition's schema gets a Rust type too
  (``condition_type``), used only by the check: the value, re-read as that type, must (or, for
  ``not``, must not) deserialise and validate. Tuple items, ``contains`` and the types of
  ``patternProperties`` are condition types as well; an array with tuple items is a
  ``Vec<serde_json::Value>``, a map or extra properties with patterns ``serde_json::Value``.
- a direct (not through Vec/IndexMap) reference that closes a cycle of declarations is boxed;
  an alias that refers back to itself (``type X = Vec<X>`` is no Rust) is a newtype struct.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from specgen.backends import BackendRefusal
from specgen.backends.rust.names import TypeNames, variant_name
from specgen.ir import SpecIR
from specgen.ir import types as t
from specgen.ir.naming import pascal

_NO_DOCS = t.Docs()
INT_TYPES = {(True, 32): "i32", (False, 32): "u32", (True, 64): "i64", (False, 64): "u64"}


class RustBackendError(BackendRefusal):
    """The IR holds something this backend cannot express faithfully."""


@dataclass
class Variant:
    name: str
    type: str
    ref: t.TypeRef
    tag: str | None = None  # discriminator value, for tagged unions


@dataclass
class UnionDef:
    name: str
    ref: t.UnionType
    variants: list[Variant] = field(default_factory=list)
    docs: t.Docs = t.Docs()


class RustTypes:
    """Maps TypeRefs of one SpecIR to Rust type expressions and collects synthesised enums."""

    def __init__(self, ir: SpecIR) -> None:
        self.decls = {d.name: d for d in ir.types}
        self.names = TypeNames([d.name for d in ir.types])
        self.unions: list[UnionDef] = []
        self._union_of: dict[int, str] = {}
        self._conditions: dict[int, str] = {}
        self._direct = {d.name: self._direct_refs(d) for d in ir.types}
        self.newtypes = self._recursive_aliases()

    # -- cycles --------------------------------------------------------------------------------
    def _direct_refs(self, decl: t.TypeDecl) -> set[str]:
        refs: set[str] = set()

        def walk(ref: t.TypeRef) -> None:
            if isinstance(ref, t.Named):
                refs.add(ref.name)
            elif isinstance(ref, t.NullableType):
                walk(ref.inner)
            elif isinstance(ref, t.UnionType):
                for v in ref.variants:
                    walk(v)
            elif isinstance(ref, t.ConstrainedType):
                walk(ref.base)  # condition types are never stored

        if isinstance(decl, t.ObjectDecl):
            for f in decl.fields:
                walk(f.type)
        elif isinstance(decl, t.AliasDecl):
            walk(decl.type)
        return refs

    def _recursive_aliases(self) -> set[str]:
        """Plain aliases whose type refers back to themselves through other plain aliases."""

        def named(ref: t.TypeRef) -> set[str]:
            if isinstance(ref, t.Named):
                return {ref.name}
            if isinstance(ref, t.ArrayType) and not ref.prefix:
                return named(ref.items)
            if isinstance(ref, t.MapType) and not ref.keys.patterns:
                return named(ref.values)
            if isinstance(ref, t.NullableType):
                return named(ref.inner)
            if isinstance(ref, t.ConstrainedType):
                return named(ref.base)
            return set()  # unions are enums: nominal types end a chain of aliases

        plain = {n: d for n, d in self.decls.items()
                 if isinstance(d, t.AliasDecl) and not isinstance(d.type, t.UnionType)}  # fmt: skip
        edges = {n: named(d.type) & set(plain) for n, d in plain.items()}
        found = set()
        for start in plain:
            seen, todo = set(), list(edges[start])
            while todo:
                name = todo.pop()
                if name == start:
                    found.add(start)
                    break
                if name not in seen:
                    seen.add(name)
                    todo.extend(edges[name])
        return found

    def reaches(self, start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            name = todo.pop()
            if name == goal:
                return True
            if name not in seen:
                seen.add(name)
                todo.extend(self._direct.get(name, ()))
        return False

    # -- types ---------------------------------------------------------------------------------
    def is_alias(self, ref: t.TypeRef) -> bool:
        """A Named ref to an alias that is a plain ``type X = ...`` (not a union enum)."""
        if not isinstance(ref, t.Named):
            return False
        decl = self.decls[ref.name]
        if ref.name in self.newtypes:
            return False
        return isinstance(decl, t.AliasDecl) and not isinstance(decl.type, t.UnionType)

    def rust(self, ref: t.TypeRef, hint: str, owner: str | None = None) -> str:
        """The Rust type of ``ref``; ``owner`` is the declaration it occurs in (for boxing)."""
        if isinstance(ref, t.AnyType):
            return "serde_json::Value"
        if isinstance(ref, t.NullType):
            return "()"
        if isinstance(ref, t.BoolType):
            return "bool"
        if isinstance(ref, t.IntegerType):
            if ref.bits not in (32, 64):
                raise RustBackendError(
                    f"{hint}: integer bounds beyond 64 bits are not supported by the Rust "
                    "backend (no lossless big-integer type); narrow the bounds"
                )
            return INT_TYPES[(ref.signed, ref.bits)]
        if isinstance(ref, t.NumberType):
            return "serde_json::Number"
        if isinstance(ref, t.StringType):
            return "String"
        if isinstance(ref, t.ArrayType):
            return self._array(ref, hint)
        if isinstance(ref, t.MapType):
            self.key_types(ref.keys, hint + "Value")
            if ref.keys.patterns:
                self.condition_type(ref.values, hint + "Value")
                return "indexmap::IndexMap<String, serde_json::Value>"
            return f"indexmap::IndexMap<String, {self.rust(ref.values, hint + 'Value')}>"
        if isinstance(ref, t.LiteralType):
            return "String" if self.string_literal(ref) else "serde_json::Value"
        if isinstance(ref, t.NullableType):
            return f"Option<{self.rust(ref.inner, hint, owner)}>"
        if isinstance(ref, t.UnionType):
            return self.union(ref, hint, owner=owner)
        if isinstance(ref, t.ConstrainedType):
            for condition in ref.conditions:
                for part in t.condition_types(condition):
                    self.condition_type(part, f"{hint}{pascal(condition.kind)}")
            return self.rust(ref.base, hint, owner)
        name = self.names.of(ref.name)
        if owner is not None and self.reaches(ref.name, owner):
            return f"Box<{name}>"
        return name

    def condition_type(self, ref: t.TypeRef, hint: str = "Condition") -> str:
        """The Rust type a value is re-read as to check it against ``ref`` (once per ref)."""
        key = id(ref)
        if key not in self._conditions:
            self._conditions[key] = self.rust(ref, hint)
        return self._conditions[key]

    def key_types(self, keys: t.KeyRules, hint: str) -> None:
        for i, pattern in enumerate(keys.patterns):
            self.condition_type(pattern.type, f"{hint}Pattern{i + 1}")
        if keys.property_names is not None:
            self.condition_type(keys.property_names, f"{hint}Key")
        for dependency in keys.dependencies:
            if dependency.type is not None:
                self.condition_type(dependency.type, f"{hint}Dependency")

    def _array(self, ref: t.ArrayType, hint: str) -> str:
        if ref.contains is not None:
            self.condition_type(ref.contains, hint + "Contains")
        if not ref.prefix:
            return f"Vec<{self.rust(ref.items, hint + 'Item')}>"
        for i, item in enumerate(ref.prefix):
            self.condition_type(item, f"{hint}Item{i + 1}")
        self.condition_type(ref.items, hint + "Item")
        return "Vec<serde_json::Value>"

    def needs_deser(self, ref: t.TypeRef) -> bool:
        """Whether JSON Schema reads values of ``ref`` differently from serde (so a required
        field needs ``deserialize_with``): integers (``1.0`` is one), arrays, maps, nullables."""
        if isinstance(ref, t.IntegerType | t.ArrayType | t.MapType | t.NullableType):
            return True
        if isinstance(ref, t.ConstrainedType):
            return self.needs_deser(ref.base)
        if isinstance(ref, t.Named) and self.is_alias(ref):
            decl = self.decls[ref.name]
            assert isinstance(decl, t.AliasDecl)
            return self.needs_deser(decl.type)
        return False

    @staticmethod
    def string_literal(ref: t.LiteralType) -> bool:
        return bool(ref.values) and all(isinstance(v, str) for v in ref.values)

    def union(
        self,
        ref: t.UnionType,
        hint: str,
        name: str | None = None,
        docs: t.Docs = _NO_DOCS,
        owner: str | None = None,
    ) -> str:
        key = id(ref)
        if key in self._union_of:
            return self._union_of[key]
        enum = name or self.names.synthesise(hint)
        self._union_of[key] = enum
        union = UnionDef(enum, ref, docs=docs)
        self.unions.append(union)
        taken: set[str] = set()
        tags = {decl: tag for tag, decl in ref.mapping}
        for i, variant in enumerate(ref.variants):
            label = _label(variant, self)
            vname = variant_name(label, taken)
            rtype = self.rust(variant, f"{enum}{vname}", owner)
            tag = tags.get(variant.name) if isinstance(variant, t.Named) else None
            if ref.discriminator is not None and tag is None:
                raise RustBackendError(f"{enum}: variant {i} has no discriminator value")
            union.variants.append(Variant(vname, rtype, variant, tag))
        return enum


def _label(ref: t.TypeRef, types: RustTypes) -> str:
    if isinstance(ref, t.Named):
        return types.names.of(ref.name)
    return {"map": "Object", "any": "Any", "null": "Null", "boolean": "Bool"}.get(
        ref.kind, ref.kind
    )
