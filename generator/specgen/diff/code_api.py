"""Generated-code findings: what breaks users' code while the wire may stay the same.

Read from the IR, which every backend generates from: package names, event class and method
names, the payload declarations an event uses (by name), their fields and enum members, and
each field's neutral type (a field that became nullable, or changed width, is a new type in
every language).
"""

from __future__ import annotations

from typing import Any

from specgen.diagnostics import Location
from specgen.diff.findings import Finding, found
from specgen.diff.side import Side
from specgen.ir import types as t
from specgen.ir.naming import pascal
from specgen.ir.serialize import to_data

_PACKAGE_FIELDS = (
    ("python_distribution", "Python distribution"),
    ("python_module", "Python module"),
    ("typescript_name", "npm package"),
    ("rust_crate", "crate"),
)


def compare_code(old: Side, new: Side) -> list[Finding]:
    findings: list[Finding] = []
    if new.has_project and not old.has_project:
        findings.append(
            found(
                "PROJECT_FILE_ADDED",
                "the project file was added: package "
                "names, dataschema, dead letters and topology are set from "
                "here on",
                None,
                new.at_project(""),
                "project",
            )
        )
    if old.has_project and new.has_project:
        for attribute, label in _PACKAGE_FIELDS:
            was = getattr(old.ir.project.packages, attribute)
            now = getattr(new.ir.project.packages, attribute)
            if was != now:
                findings.append(
                    found(
                        "PACKAGE_RENAMED",
                        f"{label} {was} is now {now}",
                        old.at_project("/packages"),
                        new.at_project("/packages"),
                        "project",
                    )
                )
    reported: set[str] = set()
    for event_type, before in old.events.items():
        after = new.events.get(event_type)
        if after is None:
            continue
        domain = after.domain.name
        for name in _reachable(old, before.event.payload):
            if name not in reported:
                reported.add(name)
                findings += _declaration(old, new, name, event_type, domain)
    return findings


def _reachable(side: Side, root: t.TypeRef) -> list[str]:
    names: list[str] = []
    pending: list[Any] = [root]
    decls = {d.name: d for d in side.ir.types}
    while pending:
        node = pending.pop()
        if isinstance(node, t.Named):
            if node.name not in names and node.name in decls:
                names.append(node.name)
                pending.append(decls[node.name])
        elif isinstance(node, tuple | list):
            pending.extend(node)
        elif hasattr(node, "__dataclass_fields__"):
            pending.extend(getattr(node, f) for f in node.__dataclass_fields__ if f != "docs")
    return names


def _locate_type(side: Side, name: str) -> Location | None:
    """Where the component schema a generated type is named after is written (any file)."""
    for source in side.spec.files.values():
        data = source.data if isinstance(source.data, dict) else {}
        components = data.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        for key in schemas if isinstance(schemas, dict) else ():
            if pascal(key) == name:
                return side.show(source.location(f"/components/schemas/{key}"))
    return None


# what a generated type is made of; constraints (bounds, lengths, patterns, formats, the
# values of a literal) change what validation accepts, which the WIRE rules report
_CONSTRAINTS = frozenset(
    {
        "docs",
        "bounds",
        "min_length",
        "max_length",
        "pattern",
        "format",
        "min_items",
        "max_items",
        "unique_items",
        "exclusive",
    }
)


def _shape(ref: Any) -> Any:
    return _strip(to_data(ref))


def _strip(data: Any) -> Any:
    if isinstance(data, dict):
        if data.get("kind") == "literal":
            return {"kind": "literal"}
        return {k: _strip(v) for k, v in data.items() if k not in _CONSTRAINTS}
    if isinstance(data, list):
        return [_strip(v) for v in data]
    return data


def _declaration(old: Side, new: Side, name: str, subject: str, domain: str) -> list[Finding]:
    before = next(d for d in old.ir.types if d.name == name)
    after = next((d for d in new.ir.types if d.name == name), None)
    old_at = _locate_type(old, name) or old.at_event(subject, "payload")
    new_at = _locate_type(new, name) or new.at_event(subject, "payload")
    changes: list[tuple[str, str]] = []  # (rule, message)
    if after is None:
        changes.append(("TYPE_RENAMED", f"generated type {name} was removed or renamed"))
    elif after.kind != before.kind:
        article = "an" if after.kind[0] in "aeiou" else "a"
        changes.append(("TYPE_RENAMED", f"generated type {name} is now {article} {after.kind}"))
    elif isinstance(before, t.ObjectDecl) and isinstance(after, t.ObjectDecl):
        changes += _fields(name, before, after)
    elif isinstance(before, t.EnumDecl) and isinstance(after, t.EnumDecl):
        changes += [
            ("ENUM_MEMBER_REMOVED", f"member {value!r} of {name} was removed")
            for value in before.values
            if value not in after.values
        ]
    return [found(rule, text, old_at, new_at, subject, domain) for rule, text in changes]


def _fields(name: str, before: t.ObjectDecl, after: t.ObjectDecl) -> list[tuple[str, str]]:
    fields = {f.json_name: f for f in after.fields}
    changes = []
    for field in before.fields:
        other = fields.get(field.json_name)
        if other is None:
            changes.append(("FIELD_REMOVED", f"field {field.json_name} of {name} was removed"))
        elif _shape(field.type) != _shape(other.type) or field.required != other.required:
            change = "a new type"
            if field.required != other.required:
                change = "become optional" if field.required else "become required"
            changes.append(
                (
                    "FIELD_TYPE_CHANGED",
                    f"field {field.json_name} of {name} has {change} in the generated code",
                )
            )
    return changes
