"""Unions (``oneOf``/``anyOf``) as Rust enums.

Where the wire format allows it, a union with a discriminator is serde's internally tagged
enum (``#[serde(tag = "kind")]``): every variant is an object whose *first* property is the
tag, a single string, and the variant's struct is used nowhere else, so it can leave the tag
to serde (serde writes the tag first, as the other languages do, and the bytes stay the
same). Other unions implement ``schema::Union``: the value is read as each variant, or as the
one its tag names, with JSON Schema's meaning of ``oneOf`` and ``anyOf``.
"""

from __future__ import annotations

from collections import Counter

from specgen.backends.rust import layout
from specgen.backends.rust.checks import IND, Checks, Statics
from specgen.backends.rust.literals import doc_text, rust_str
from specgen.backends.rust.modules import children, decl_refs
from specgen.backends.rust.typemap import RustTypes, UnionDef
from specgen.backends.templating import render
from specgen.ir import SpecIR
from specgen.ir import types as t


def _unions(ref: t.TypeRef) -> list[t.UnionType]:
    found = [ref] if isinstance(ref, t.UnionType) else []
    for child in children(ref, checked=False):
        found += _unions(child)
    return found


class Unions:
    def __init__(self, ir: SpecIR, types: RustTypes, checks: Checks) -> None:
        self.types, self.checks = types, checks
        self.decls = {d.name: d for d in ir.types}
        self._dropped: dict[str, str] = {}  # variant declaration -> tag it leaves to serde
        self._tagged: set[int] = set()  # ids of the unions serde reads by their tag
        self._decide(ir)

    def _decide(self, ir: SpecIR) -> None:
        unions: list[t.UnionType] = []
        uses: Counter[str] = Counter(
            e.payload.name for e in ir.events() if isinstance(e.payload, t.Named)
        )
        for decl in ir.types:
            roots = [f.type for f in decl.fields] if isinstance(decl, t.ObjectDecl) else []
            if isinstance(decl, t.ObjectDecl) and decl.additional is not None:
                roots.append(decl.additional)
            if isinstance(decl, t.AliasDecl):
                roots.append(decl.type)
            for root in roots:
                unions += _unions(root)
            uses.update(decl_refs(decl))
        as_variant: Counter[str] = Counter()
        candidates = [u for u in unions if self._taggable(u)]
        for union in candidates:
            as_variant.update(v.name for v in union.variants if isinstance(v, t.Named))
        for union in candidates:
            names = [v.name for v in union.variants if isinstance(v, t.Named)]
            # A variant struct named anywhere else keeps its tag field.
            if all(uses[n] == as_variant[n] == 1 for n in names):
                self._tagged.add(id(union))
                for name in names:
                    self._dropped[name] = str(union.discriminator)

    def _taggable(self, union: t.UnionType) -> bool:
        if union.discriminator is None or not union.variants:
            return False
        tags = {decl: tag for tag, decl in union.mapping}
        for variant in union.variants:
            if not isinstance(variant, t.Named) or variant.name not in tags:
                return False
            decl = self.decls.get(variant.name)
            if not isinstance(decl, t.ObjectDecl) or decl.additional is not None or not decl.fields:
                return False
            if decl.keys != t.KeyRules():  # the key rules see the object with its tag
                return False
            first = decl.fields[0]
            literal = first.type
            if first.json_name != union.discriminator or not first.required:
                return False
            if not (isinstance(literal, t.LiteralType) and literal.values == (tags[variant.name],)):
                return False
        return True

    def dropped_tag(self, decl_name: str) -> str | None:
        """The tag property the struct ``decl_name`` leaves to its union's serde tag."""
        return self._dropped.get(decl_name)

    def render(self, union: UnionDef, statics: Statics) -> list[str]:
        ref = union.ref
        tagged = id(ref) in self._tagged
        path, arms = self._arms(union, statics)
        docs = doc_text(
            union.docs.title, union.docs.description, "Deprecated." if union.docs.deprecated else ""
        )
        view = {
            "docs": layout.doc_lines(docs),
            "name": union.name,
            "tagged": tagged,
            "tag": rust_str(str(ref.discriminator)),
            "variants": [
                {"name": v.name, "type": v.type, "tag": rust_str(str(v.tag))}
                for v in union.variants
            ],
            "path": path,
            "arms": arms,
            "consts": [] if tagged else self._consts(union),
            "offers": [] if tagged else self._offers(union),
        }
        return render("rust/models/union.rs.jinja", **view).rstrip("\n").split("\n")

    def _arms(self, union: UnionDef, statics: Statics) -> tuple[str, list[str]]:
        """The ``match`` over the variants' checks, and the name of its path parameter."""
        arms = [f"{IND * 2}match self {{"]
        for v in union.variants:
            hint = f"{union.name}_{v.name}"
            checks = self.checks.lines(v.ref, "v", "path", IND * 4, hint, statics)
            if checks:
                arms += [f"{IND * 3}Self::{v.name}(v) => {{", *checks, f"{IND * 4}Ok(())"]
                arms.append(f"{IND * 3}}}")
            else:
                arms.append(f"{IND * 3}Self::{v.name}(_) => Ok(()),")
        used = any("(v) =>" in arm for arm in arms)
        return ("path" if used else "_path"), [*arms, f"{IND * 2}}}"]

    @staticmethod
    def _consts(union: UnionDef) -> list[str]:
        ref = union.ref
        consts = [f"{IND}const ONE_OF: bool = {'true' if ref.exclusive else 'false'};"]
        if ref.discriminator is not None:
            shown = ", ".join(str(v.tag) for v in union.variants if v.tag is not None)
            pair = f"({rust_str(ref.discriminator)}, {rust_str(shown)})"
            left = "const TAG: Option<(&'static str, &'static str)>"
            consts += layout.assign(IND, left, "Some", [pair])
        return consts

    @staticmethod
    def _offers(union: UnionDef) -> list[str]:
        offers = []
        for v in union.variants:
            if union.ref.discriminator is not None:
                args = ["found", "value", rust_str(str(v.tag)), f"Self::{v.name}"]
                offers += layout.call(IND * 2, "schema::Candidates::tagged", args, ";")
            else:
                args = ["found", "value", f"Self::{v.name}"]
                offers += layout.call(IND * 2, "schema::Candidates::try_as", args, ";")
        return offers
