"""The payload types of ``models/``: one module per domain (types only its events use) and one
shared module, each declaration rendered as rustfmt lays it out.

Structs carry serde attributes only where they change something: ``rename`` when the field
name differs from the wire name, ``deserialize_with`` where JSON Schema's reading differs
from serde's (integers, arrays, maps, optional properties). Tagged unions use serde's own
``#[serde(tag = ...)]`` where the wire format allows it (``unions``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from specgen.backends.rust import conditions, layout
from specgen.backends.rust.checks import IND, Checks, Statics
from specgen.backends.rust.literals import doc_text, rust_str
from specgen.backends.rust.modules import ModulePlan, _refs, plan_modules
from specgen.backends.rust.names import field_name, variant_name
from specgen.backends.rust.typemap import RustTypes, UnionDef
from specgen.backends.rust.unions import Unions
from specgen.ir import SpecIR
from specgen.ir import types as t
from specgen.ir.naming import pascal

DERIVE = "#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]"
DERIVE_ENUM = (
    "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]"
)
_DESERIALIZER = "serde::Deserializer<'de>"
_DESERIALIZED = "Result<Self, D::Error>"
OPTIONAL = [
    "default",
    'deserialize_with = "schema::optional"',
    'skip_serializing_if = "Option::is_none"',
]


@dataclass
class ModelModule:
    name: str  # the module's identifier
    file: str  # its file name, without ``.rs``
    about: str  # its documentation
    statics: Statics = field(default_factory=Statics)
    blocks: list[list[str]] = field(default_factory=list)
    serde_types: list[str] = field(default_factory=list)
    uses_siblings: bool = False


def _docs(docs: t.Docs, indent: str = "") -> list[str]:
    return layout.doc_lines(
        doc_text(docs.title, docs.description, "Deprecated." if docs.deprecated else ""), indent
    )


def _impl_validate(name: str, checks: list[str]) -> list[str]:
    param = "path" if checks else "_path"
    return [
        f"impl Validate for {name} {{",
        f"{IND}fn validate_at(&self, {param}: &Path<'_>) -> schema::Result {{",
        *checks,
        f"{IND * 2}Ok(())",
        f"{IND}}}",
        "}",
    ]


class ModelBuilder:
    def __init__(self, ir: SpecIR) -> None:
        self.ir = ir
        self.types = RustTypes(ir)
        self.checks = Checks(self.types)
        self.plan: ModulePlan = plan_modules(ir, self.types.names.of)
        self.unions = Unions(ir, self.types, self.checks)
        self.modules = {
            m: ModelModule(m, m.removeprefix("r#"), self.plan.about[m]) for m in self.plan.modules
        }

    def build(self) -> list[ModelModule]:
        for decl in self.ir.types:
            module = self.modules[self.plan.of[decl.name]]
            before = len(self.types.unions)
            self._decl(decl, module)
            # Unions the declaration's types made go with it (and may make more).
            done = before
            while done < len(self.types.unions):
                self._union(self.types.unions[done], module)
                done += 1
        # rustfmt orders `mod` and `use` items by name: so does every list of modules.
        return sorted((m for m in self.modules.values() if m.blocks), key=lambda m: m.name)

    def _decl(self, decl: t.TypeDecl, module: ModelModule) -> None:
        if isinstance(decl, t.ObjectDecl):
            self._struct(decl, module)
        elif isinstance(decl, t.EnumDecl):
            self._enum(decl, module)
        elif isinstance(decl.type, t.UnionType):
            name = self.types.names.of(decl.name)
            self.types.union(decl.type, name, name=name, docs=decl.docs, owner=decl.name)
        elif decl.name in self.types.newtypes:
            self._newtype(decl, module)
        else:
            self._alias(decl, module)

    def _struct(self, decl: t.ObjectDecl, module: ModelModule) -> None:
        name = self.types.names.of(decl.name)
        lines, checks = self._fields(decl, name, module)
        other_lines, other_checks = self._others(decl, name, module)
        docs = _docs(decl.docs) or layout.doc_lines(f"The {decl.name} payload object.")
        head = [*docs, DERIVE]
        if decl.additional is None and not decl.keys.patterns:
            head.append("#[serde(deny_unknown_fields)]")
        lines += other_lines
        body = (
            [*head, f"pub struct {name} {{", *lines, "}"]
            if lines
            else [*head, f"pub struct {name} {{}}"]
        )
        checks += other_checks
        module.blocks.append([*body, "", *_impl_validate(name, checks)])
        module.serde_types.append(name)

    def _fields(
        self, decl: t.ObjectDecl, name: str, module: ModelModule
    ) -> tuple[list[str], list[str]]:
        """The struct's named fields and their checks."""
        dropped = self.unions.dropped_tag(decl.name)
        taken = {"additional_properties"}
        lines, checks = [], []
        for f in decl.fields:
            fname = field_name(f.json_name, taken)
            if f.json_name == dropped:
                continue  # the union's `#[serde(tag = ...)]` reads and writes it
            inner = self.types.rust(f.type, f"{name}{pascal(f.json_name)}", decl.name)
            self._note_refs(f.type, module)
            rtype = inner if f.required else f"Option<{inner}>"
            serde = (
                []
                if fname.removeprefix("r#") == f.json_name
                else [f"rename = {rust_str(f.json_name)}"]
            )
            if not f.required:
                serde += OPTIONAL
            elif self.types.needs_deser(f.type):
                serde.append('deserialize_with = "schema::required"')
            lines += _docs(f.docs, IND)
            lines += layout.attribute(IND, "serde", serde) if serde else []
            lines.append(f"{IND}pub {fname}: {rtype},")
            checks += self._field_checks(f, fname, f"{name}_{f.json_name}", module)
        return lines, checks

    def _field_checks(self, f: t.Field, fname: str, hint: str, module: ModelModule) -> list[str]:
        expr, at = f"&self.{fname}", f"&path.key({rust_str(f.json_name)})"
        if f.required:
            return self.checks.lines(f.type, expr, at, IND * 2, hint, module.statics)
        # An optional nullable property: `Some(None)` is a null, checked by its type.
        nested = isinstance(f.type, t.NullableType)
        kind = f.type.inner if isinstance(f.type, t.NullableType) else f.type
        pattern = "Some(Some(value))" if nested else "Some(value)"
        inner_checks = self.checks.lines(kind, "value", at, IND * 3, hint, module.statics)
        if not inner_checks:
            return []
        return [f"{IND * 2}if let {pattern} = {expr} {{", *inner_checks, f"{IND * 2}}}"]

    def _others(
        self, decl: t.ObjectDecl, name: str, module: ModelModule
    ) -> tuple[list[str], list[str]]:
        """The field of the properties the schema does not name, and the checks of them and
        of the object's keys. With ``patternProperties`` they are JSON values, checked by
        the key rules (each against the patterns its key matches, or as other properties)."""
        keys, additional = decl.keys, decl.additional
        self.types.key_types(keys, name)
        for ref in (*t.key_types(keys), *(() if additional is None else (additional,))):
            self._note_refs(ref, module)
        if keys.patterns:
            if additional is not None:
                self.types.condition_type(additional, f"{name}Additional")
            inner = "serde_json::Value"
            declared = tuple(f.json_name for f in decl.fields)
            rules = conditions.Rules(keys, declared, additional, closed=additional is None)
        elif additional is not None:
            inner = self.types.rust(additional, f"{name}Additional")
            rules = conditions.Rules(keys)
        else:
            rules = conditions.Rules(keys)
            return [], self.checks.key_lines(rules, "self", "path", IND * 2, name, module.statics)
        checks = self.checks.key_lines(rules, "self", "path", IND * 2, name, module.statics)
        lines = layout.doc_lines("Properties not named in the schema, in wire order.", IND)
        lines += layout.attribute(
            IND, "serde", ["flatten", 'deserialize_with = "schema::required"']
        )
        lines.append(f"{IND}pub additional_properties: indexmap::IndexMap<String, {inner}>,")
        if keys.patterns or additional is None:
            return lines, checks
        values = self.checks.lines(
            additional, "value", "&path.key(key)", IND * 3, f"{name}_additional", module.statics
        )
        if values:
            loop = f"{IND * 2}for (key, value) in &self.additional_properties {{"
            checks += [loop, *values, f"{IND * 2}}}"]
        return lines, checks

    def _enum(self, decl: t.EnumDecl, module: ModelModule) -> None:
        name = self.types.names.of(decl.name)
        taken: set[str] = set()
        lines = []
        for value in decl.values:
            variant = variant_name(value, taken)
            if variant != value:
                lines.append(f"{IND}#[serde(rename = {rust_str(value)})]")
            lines.append(f"{IND}{variant},")
        head = [*_docs(decl.docs), DERIVE_ENUM, f"pub enum {name} {{", *lines, "}"]
        module.blocks.append([*head, "", *_impl_validate(name, [])])
        module.serde_types.append(name)

    def _alias(self, decl: t.AliasDecl, module: ModelModule) -> None:
        name = self.types.names.of(decl.name)
        rtype = self.types.rust(decl.type, f"{name}Value", decl.name)
        self._note_refs(decl.type, module)
        block = [*_docs(decl.docs), f"pub type {name} = {rtype};"]
        checks = self.checks.lines(decl.type, "value", "path", IND, name, module.statics)
        if checks:
            fn = self.checks.alias_fn(decl.name)
            head = layout.signature(
                "", f"pub fn {fn}", [f"value: &{name}", "path: &Path<'_>"], " -> schema::Result {"
            )
            block += [
                "",
                *layout.doc_lines(f"Validate a value of the alias [`{name}`]."),
                *head,
                *checks,
                f"{IND}Ok(())",
                "}",
            ]
        module.blocks.append(block)

    def _newtype(self, decl: t.AliasDecl, module: ModelModule) -> None:
        """An alias that refers back to itself (``type Tree = Vec<Tree>`` is no Rust): a
        struct around the value, the same on the wire."""
        name = self.types.names.of(decl.name)
        rtype = self.types.rust(decl.type, f"{name}Value", decl.name)
        self._note_refs(decl.type, module)
        checks = self.checks.lines(decl.type, "&self.0", "path", IND * 2, name, module.statics)
        read = f"{IND * 2}schema::Deser::deser(deserializer).map(Self)"
        block = [
            *_docs(decl.docs),
            "#[derive(Debug, Clone, PartialEq, serde::Serialize)]",
            "#[serde(transparent)]",
            f"pub struct {name}(pub {rtype});",
            "",
            f"impl<'de> serde::Deserialize<'de> for {name} {{",
            f"{IND}fn deserialize<D: {_DESERIALIZER}>(deserializer: D) -> {_DESERIALIZED} {{",
            read,
            f"{IND}}}",
            "}",
            "",
            *_impl_validate(name, checks),
        ]
        module.blocks.append(block)
        module.serde_types.append(name)

    def _union(self, union: UnionDef, module: ModelModule) -> None:
        for variant in union.variants:
            self._note_refs(variant.ref, module)
        module.blocks.append(self.unions.render(union, module.statics))
        module.serde_types.append(union.name)

    def _note_refs(self, ref: t.TypeRef, module: ModelModule) -> None:
        """Whether the module names a declaration of another module (then it imports them)."""
        if any(self.plan.of.get(n) not in (None, module.name) for n in _refs(ref)):
            module.uses_siblings = True


def model_modules(ir: SpecIR) -> tuple[list[ModelModule], RustTypes, Checks]:
    builder = ModelBuilder(ir)
    return builder.build(), builder.types, builder.checks
