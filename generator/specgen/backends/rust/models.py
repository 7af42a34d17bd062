"""Views of the payload declarations for ``specgen/templates/rust/models.rs.jinja``."""

from __future__ import annotations

from dataclasses import dataclass, field

from specgen.backends.rust.checks import Checks
from specgen.backends.rust.literals import doc_attrs, rust_str
from specgen.backends.rust.names import field_name, variant_name
from specgen.backends.rust.typemap import RustTypes, UnionDef
from specgen.ir import SpecIR
from specgen.ir import types as t
from specgen.ir.naming import pascal

S = "schema"


@dataclass
class FieldView:
    name: str
    type: str
    serde: str
    docs: list[str]


@dataclass
class StructView:
    name: str
    docs: list[str]
    deny_unknown: bool
    fields: list[FieldView]
    checks: list[str]
    kind: str = "struct"


@dataclass
class EnumView:
    name: str
    docs: list[str]
    variants: list[tuple[str, str]]  # (variant, wire string literal)
    kind: str = "enum"


@dataclass
class AliasView:
    name: str
    docs: list[str]
    type: str
    check_fn: str
    checks: list[str]
    kind: str = "alias"


@dataclass
class VariantView:
    name: str
    type: str
    tag: str  # Rust literal of the discriminator value, "" when untagged
    checks: list[str]


@dataclass
class UnionView:
    name: str
    docs: list[str]
    exclusive: bool
    tag: str  # Rust literal of the discriminator property, "" when untagged
    tags_shown: str
    variants: list[VariantView]
    kind: str = "union"


@dataclass
class ModelsView:
    declarations: list[StructView | EnumView | AliasView | UnionView]
    regexes: list[str]  # Rust literals
    literals: list[str]  # Rust literals of JSON texts
    serde_types: list[str] = field(default_factory=list)


def _docs(docs: t.Docs) -> list[str]:
    extra = "Deprecated." if docs.deprecated else ""
    return doc_attrs(docs.title, docs.description, extra)


class ModelBuilder:
    def __init__(self, ir: SpecIR) -> None:
        self.ir = ir
        self.types = RustTypes(ir)
        self.checks = Checks(self.types)

    def build(self) -> ModelsView:
        decls: list[StructView | EnumView | AliasView | UnionView] = []
        for decl in self.ir.types:
            if isinstance(decl, t.ObjectDecl):
                decls.append(self._struct(decl))
            elif isinstance(decl, t.EnumDecl):
                decls.append(self._enum(decl))
            elif isinstance(decl.type, t.UnionType):
                name = self.types.names.of(decl.name)
                self.types.union(decl.type, name, name=name, docs=decl.docs, owner=decl.name)
            else:
                decls.append(self._alias(decl))
        done = 0
        while done < len(self.types.unions):  # unions may synthesise more unions
            decls.append(self._union(self.types.unions[done]))
            done += 1
        order = {d.name: i for i, d in enumerate(self.ir.types)}
        decls.sort(key=lambda d: (order.get(d.name, len(order)), d.name))
        serde = sorted(d.name for d in decls if not isinstance(d, AliasView))
        return ModelsView(
            decls,
            [rust_str(r) for r in self.checks.regexes],
            [rust_str(x) for x in self.checks.literals],
            serde,
        )

    def _struct(self, decl: t.ObjectDecl) -> StructView:
        name = self.types.names.of(decl.name)
        taken = {"additional_properties"}
        fields, checks = [], []
        for f in decl.fields:
            fname = field_name(f.json_name, taken)
            hint = f"{name}{pascal(f.json_name)}"
            inner = self.types.rust(f.type, hint, decl.name)
            rename = f"rename = {rust_str(f.json_name)}"
            if f.required:
                serde = f'{rename}, deserialize_with = "{S}::required"'
                rtype = inner
                body = self.checks.checks(f.type, f"&self.{fname}", "&pf")
                if body:
                    checks += ["{", f"let pf = path.key({rust_str(f.json_name)});", *body, "}"]
            else:
                serde = (
                    f'{rename}, default, deserialize_with = "{S}::optional", '
                    'skip_serializing_if = "Option::is_none"'
                )
                rtype = f"Option<{inner}>"
                body = self.checks.checks(f.type, "v", "&pf", 1)
                if body:
                    checks += [
                        f"if let Some(v) = &self.{fname} {{",
                        f"let pf = path.key({rust_str(f.json_name)});",
                        *body,
                        "}",
                    ]
            fields.append(FieldView(fname, rtype, serde, _docs(f.docs)))
        if decl.additional is not None:
            inner = self.types.rust(decl.additional, f"{name}Additional")
            body = self.checks.checks(decl.additional, "v", "&p", 1)
            if body:
                checks += [
                    "for (k, v) in &self.additional_properties {",
                    "let p = path.key(k);",
                    *body,
                    "}",
                ]
            fields.append(
                FieldView(
                    "additional_properties",
                    f"indexmap::IndexMap<String, {inner}>",
                    f'flatten, deserialize_with = "{S}::required"',
                    doc_attrs("Properties not named in the schema, in wire order."),
                )
            )
        return StructView(name, _docs(decl.docs), decl.additional is None, fields, checks)

    def _enum(self, decl: t.EnumDecl) -> EnumView:
        taken: set[str] = set()
        variants = [(variant_name(v, taken), rust_str(v)) for v in decl.values]
        return EnumView(self.types.names.of(decl.name), _docs(decl.docs), variants)

    def _alias(self, decl: t.AliasDecl) -> AliasView:
        name = self.types.names.of(decl.name)
        rtype = self.types.rust(decl.type, f"{name}Value", decl.name)
        checks = self.checks.checks(decl.type, "value", "path")
        return AliasView(name, _docs(decl.docs), rtype, self.checks.alias_fn(decl.name), checks)

    def _union(self, union: UnionDef) -> UnionView:
        variants = [
            VariantView(
                v.name,
                v.type,
                rust_str(v.tag) if v.tag is not None else "",
                self.checks.checks(v.ref, "v", "path"),
            )
            for v in union.variants
        ]
        ref = union.ref
        tag = rust_str(ref.discriminator) if ref.discriminator is not None else ""
        shown = rust_str(", ".join(v.tag for v in union.variants if v.tag is not None))
        return UnionView(union.name, _docs(union.docs), ref.exclusive, tag, shown, variants)


def model_view(ir: SpecIR) -> tuple[ModelsView, RustTypes, Checks]:
    builder = ModelBuilder(ir)
    return builder.build(), builder.types, builder.checks
