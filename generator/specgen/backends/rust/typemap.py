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
- ``not``: the base's type (``serde_json::Value`` alone); the negated schema gets a Rust type
  too (``negated_type``), used only by the check: the value, re-read as that type, must fail
  to deserialise or to validate.
- a direct (not through Vec/IndexMap) reference that closes a cycle of declarations is boxed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from specgen.backends import BackendRefusal
from specgen.backends.rust.names import TypeNames, variant_name
from specgen.ir import SpecIR
from specgen.ir import types as t

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
        self._negated: dict[int, str] = {}
        self._direct = {d.name: self._direct_refs(d) for d in ir.types}

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
            elif isinstance(ref, t.NotType):
                walk(ref.base)  # the negated type is never stored

        if isinstance(decl, t.ObjectDecl):
            for f in decl.fields:
                walk(f.type)
        elif isinstance(decl, t.AliasDecl):
            walk(decl.type)
        return refs

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
            return f"Vec<{self.rust(ref.items, hint + 'Item')}>"
        if isinstance(ref, t.MapType):
            return f"indexmap::IndexMap<String, {self.rust(ref.values, hint + 'Value')}>"
        if isinstance(ref, t.LiteralType):
            return "String" if self.string_literal(ref) else "serde_json::Value"
        if isinstance(ref, t.NullableType):
            return f"Option<{self.rust(ref.inner, hint, owner)}>"
        if isinstance(ref, t.UnionType):
            return self.union(ref, hint, owner=owner)
        if isinstance(ref, t.NotType):
            self.negated_type(ref, hint)
            return self.rust(ref.base, hint, owner)
        name = self.names.of(ref.name)
        if owner is not None and self.reaches(ref.name, owner):
            return f"Box<{name}>"
        return name

    def negated_type(self, ref: t.NotType, hint: str = "Negated") -> str:
        """The Rust type a value is re-read as to check a ``not`` (decided once per ref)."""
        key = id(ref)
        if key not in self._negated:
            self._negated[key] = self.rust(ref.negated, f"{hint}Not")
        return self._negated[key]

    def needs_deser(self, ref: t.TypeRef) -> bool:
        """Whether JSON Schema reads values of ``ref`` differently from serde (so a required
        field needs ``deserialize_with``): integers (``1.0`` is one), arrays, maps, nullables."""
        if isinstance(ref, t.IntegerType | t.ArrayType | t.MapType | t.NullableType):
            return True
        if isinstance(ref, t.NotType):
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
