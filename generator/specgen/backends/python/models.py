"""The view of ``models.py``: payload declarations as Python classes and type aliases."""

from __future__ import annotations

from dataclasses import dataclass

from specgen.backends.python.annotations import (
    annotation,
    dependencies,
    is_nullable,
    key_arguments,
)
from specgen.backends.python.literals import docstring, py_str
from specgen.backends.python.names import class_name, field_name
from specgen.ir import SpecIR
from specgen.ir import types as t


@dataclass(frozen=True)
class FieldView:
    name: str
    annotation: str
    value: str  # right-hand side, or "" for a required field without options


@dataclass(frozen=True)
class ClassView:
    name: str
    name_literal: str
    docstring: str
    config: str
    fields: tuple[FieldView, ...]
    extra: str  # annotation of __pydantic_extra__ values, or ""
    key_rules: str = ""  # the st.key_rules(...) call, or ""
    kind: str = "class"


@dataclass(frozen=True)
class AliasView:
    name: str
    name_literal: str
    annotation: str
    docstring: str
    recursive: bool = False  # written as TypeAliasType("Name", "<annotation>")
    kind: str = "alias"


@dataclass(frozen=True)
class RootView:
    name: str
    name_literal: str
    annotation: str
    docstring: str
    kind: str = "root"


Declaration = ClassView | AliasView | RootView


def _doc(docs: t.Docs, fallback: str) -> str:
    text = "\n\n".join(part for part in (docs.title, docs.description) if part) or fallback
    return docstring(text) if text else ""


def _field(field: t.Field, name: str, name_of: NameMap) -> FieldView:
    base = annotation(field.type, name_of)
    options = []
    if name != field.json_name:
        options.append(f"alias={py_str(field.json_name)}")
    if field.docs.description:
        options.append(f"description={py_str(field.docs.description)}")
    if field.docs.deprecated:
        options.append("deprecated=True")
    if field.required:
        return FieldView(name, base, f"Field({', '.join(options)})" if options else "")
    if isinstance(field.type, t.ConstrainedType) and is_nullable(field.type):
        pass  # null is checked against the conditions too: no `| None` beside them
    elif not is_nullable(field.type):
        base = f"Annotated[{base} | None, st.NOT_NULL]"
    elif not base.endswith("| None"):
        base = f"{base} | None"
    return FieldView(name, base, f"Field({', '.join(['default=None', *options])})")


class NameMap:
    """Declaration name -> Python name, decided once for the whole package."""

    def __init__(self, ir: SpecIR) -> None:
        self.names = {decl.name: class_name(decl.name) for decl in ir.types}
        self.fields: dict[str, dict[str, str]] = {}
        for decl in ir.types:
            if isinstance(decl, t.ObjectDecl):
                taken: set[str] = set()
                self.fields[decl.name] = {f.json_name: field_name(f.json_name, taken)
                                          for f in decl.fields}  # fmt: skip

    def __call__(self, name: str) -> str:
        return self.names[name]

    def field(self, decl: str, json_name: str) -> str:
        """The attribute of wire property ``json_name`` in the class of ``decl``."""
        return self.fields[decl][json_name]


def _class(decl: t.ObjectDecl, name_of: NameMap) -> ClassView:
    fields = tuple(_field(f, name_of.field(decl.name, f.json_name), name_of) for f in decl.fields)
    extra = "" if decl.additional is None else annotation(decl.additional, name_of)
    config = "forbid" if decl.additional is None else "allow"
    keys = decl.keys
    args = key_arguments(keys, name_of)
    if keys.patterns:  # other keys: checked against the patterns, then `additional`
        args.append("closed=True" if decl.additional is None else f"additional=lambda: {extra}")
        config, extra = "allow", "JsonValue"
    counts = [("min_properties", keys.min_properties), ("max_properties", keys.max_properties)]
    args += [f"{label}={value}" for label, value in counts if value is not None]
    if args:
        declared = ", ".join(py_str(f.json_name) for f in decl.fields)
        args.insert(0, f"declared=({declared}{',' if len(decl.fields) == 1 else ''})")
    return ClassView(
        name_of(decl.name),
        py_str(name_of(decl.name)),
        _doc(decl.docs, f"The {decl.name} payload object."),
        py_str(config),
        fields,
        extra,
        f"st.key_rules({', '.join(args)})" if args else "",
    )


def _deps(decl: t.TypeDecl) -> set[str]:
    """What a declaration's definition evaluates at once (class fields: all of it)."""
    if isinstance(decl, t.ObjectDecl):
        refs = [f.type for f in decl.fields] + ([decl.additional] if decl.additional else [])
        return set().union(*(dependencies(r) for r in refs)) if refs else set()
    return dependencies(decl.type) if isinstance(decl, t.AliasDecl) else set()


def recursive_aliases(ir: SpecIR) -> set[str]:
    """Aliases whose value refers back to themselves through other aliases (not classes:
    class annotations are evaluated lazily)."""
    aliases = {d.name: d for d in ir.types if isinstance(d, t.AliasDecl)}
    found = set()
    for name in aliases:
        seen, todo = set(), list(_deps(aliases[name]))
        while todo:
            other = todo.pop()
            if other == name:
                found.add(name)
                break
            if other in aliases and other not in seen:
                seen.add(other)
                todo.extend(_deps(aliases[other]))
    return found


def _eager_closure(name: str, by_name: dict[str, t.TypeDecl]) -> set[str]:
    """The declarations an alias needs defined before it (through other aliases)."""
    found: set[str] = set()
    todo = [name]
    while todo:
        decl = by_name[todo.pop()]
        if isinstance(decl, t.AliasDecl):
            for dep in _deps(decl) - found:
                found.add(dep)
                todo.append(dep)
    return found


def _ordered(ir: SpecIR) -> list[t.TypeDecl]:
    """Declarations with every dependency first where possible (ties broken by name).

    An alias is evaluated at once, so what it names comes first; a class's fields are
    annotations (evaluated later), so a class only pulls in what does not need the class
    itself (a recursive schema: the alias that refers back to the class comes after it).
    """
    by_name = {decl.name: decl for decl in ir.types}
    done: set[str] = set()
    active: set[str] = set()
    ordered: list[t.TypeDecl] = []

    def visit(name: str) -> None:
        if name in done or name in active:
            return
        active.add(name)
        decl = by_name[name]
        for dep in sorted(_deps(decl)):
            if isinstance(decl, t.AliasDecl) or not (_eager_closure(dep, by_name) & active):
                visit(dep)
        active.discard(name)
        done.add(name)
        ordered.append(decl)

    for name in sorted(by_name):
        visit(name)
    return ordered


def payload_class(ir: SpecIR, decl_name: str, name_of: NameMap) -> str:
    """The pydantic class an event's ``data`` is: the object class, or a root-model wrapper."""
    decl = ir.type_named(decl_name)
    return name_of(decl_name) if isinstance(decl, t.ObjectDecl) else f"{name_of(decl_name)}Data"


def model_views(ir: SpecIR, name_of: NameMap) -> list[Declaration]:
    views: list[Declaration] = []
    recursive = recursive_aliases(ir)
    for decl in _ordered(ir):
        if isinstance(decl, t.ObjectDecl):
            views.append(_class(decl, name_of))
        elif isinstance(decl, t.EnumDecl):
            name = name_of(decl.name)
            literal = annotation(t.LiteralType(decl.values), name_of)
            views.append(AliasView(name, py_str(name), literal, _doc(decl.docs, "")))
        else:
            name = name_of(decl.name)
            text = annotation(decl.type, name_of)
            if decl.name in recursive:
                text = py_str(text)
            views.append(
                AliasView(name, py_str(name), text, _doc(decl.docs, ""), decl.name in recursive)
            )
    wrapped = sorted({e.payload.name for e in ir.events() if isinstance(e.payload, t.Named)})
    for name in wrapped:
        decl = ir.type_named(name)
        if not isinstance(decl, t.ObjectDecl):
            views.append(
                RootView(
                    f"{name_of(name)}Data",
                    py_str(f"{name_of(name)}Data"),
                    name_of(name),
                    _doc(decl.docs, f"Event data that is a single {name} value."),
                )
            )
    return views
