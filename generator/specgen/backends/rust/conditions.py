"""Checks of what a schema says beyond a value's type (runtime ``schema::conditions``):
conditions (``not``, ``if``/``then``/``else``, ``allOf`` parts, ``oneOf``/``anyOf`` beside other
keywords), tuple items, ``contains`` and the rules on an object's keys.

Every other schema a value is checked against becomes a function of the module that reads
the JSON value as that schema's Rust type (``RustTypes.condition_type``) and checks its
constraints; the statement names it::

    schema::not(&self.note, &path.key("note"), not_order_note)?;

    fn not_order_note(value: &serde_json::Value, path: &Path<'_>) -> schema::Result {
        let value: String = schema::read(value, path)?;
        schema::min_length(&value, 3, path)?;
        Ok(())
    }
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from specgen.backends.rust import layout
from specgen.backends.rust.literals import rust_str
from specgen.backends.rust.statics import IND, Statics
from specgen.backends.rust.typemap import RustTypes
from specgen.ir import types as t

JSON = "serde_json::Value"


class Writer(Protocol):
    types: RustTypes
    statics: Statics
    hint: str

    def call(self, indent: str, callee: str, args: list[str]) -> list[str]: ...

    def check(self, ref: t.TypeRef, expr: str, path: str, ind: str, depth: int) -> list[str]: ...


def check_fn(w: Writer, ref: t.TypeRef, kind: str) -> str:
    """A function of the module checking a JSON value against ``ref``; its name."""
    name = w.statics.function_name(kind, w.hint)
    params = [f"value: &{JSON}", "path: &Path<'_>"]
    if isinstance(ref, t.AnyType):
        params, body = [f"_value: &{JSON}", "_path: &Path<'_>"], []
    else:
        rtype = w.types.condition_type(ref)
        checks = w.check(ref, "&value", "path", IND, 1)
        if checks:
            read = layout.assign(
                IND, f"let value: {rtype}", "schema::read", ["value", "path"], "?;"
            )
            body = [*read, *checks]
        else:
            body = layout.call(IND, f"schema::read::<{rtype}>", ["value", "path"], "?;")
    head = layout.signature("", f"fn {name}", params, " -> schema::Result {")
    w.statics.functions.append([*head, *body, f"{IND}Ok(())", "}"])
    return name


def _some(w: Writer, ref: t.TypeRef | None, kind: str) -> str:
    return "None" if ref is None else f"Some({check_fn(w, ref, kind)})"


def constrained(w: Writer, ref: t.ConstrainedType, expr: str, path: str, ind: str) -> list[str]:
    """The statements checking each condition of ``ref`` on ``expr``."""
    out = []
    for condition in ref.conditions:
        if isinstance(condition, t.NotCondition):
            out += w.call(ind, "schema::not", [expr, path, check_fn(w, condition.type, "not")])
        elif isinstance(condition, t.AllOfCondition):
            check = check_fn(w, condition.type, "all_of")
            out += w.call(ind, "schema::all_of", [expr, path, check])
        elif isinstance(condition, t.UnionCondition):
            kind = "one_of" if condition.exclusive else "any_of"
            branches = [check_fn(w, v, kind) for v in condition.variants]
            listed = w.statics.checks(w.hint, kind.upper(), branches)
            out += w.call(ind, f"schema::{kind}", [expr, path, listed])
        else:
            test = check_fn(w, condition.test, "if")
            then, otherwise = (
                _some(w, condition.then, "then"),
                _some(w, condition.otherwise, "else"),
            )
            out += w.call(ind, "schema::if_then_else", [expr, path, test, then, otherwise])
    return out


def contains(w: Writer, ref: t.TypeRef, expr: str, path: str, ind: str) -> list[str]:
    return w.call(ind, "schema::contains", [expr, path, check_fn(w, ref, "contains")])


def tuple_items(w: Writer, ref: t.ArrayType, expr: str, path: str, ind: str) -> list[str]:
    """Item ``i`` against ``prefix[i]``, the later ones against ``items``."""
    listed = w.statics.checks(w.hint, "ITEMS", [check_fn(w, p, "item") for p in ref.prefix])
    if t.is_never(ref.items):
        rest = "schema::Rest::Closed"
    elif isinstance(ref.items, t.AnyType):
        rest = "schema::Rest::Any"
    else:
        rest = f"schema::Rest::Check({check_fn(w, ref.items, 'rest')})"
    return w.call(ind, "schema::tuple", [expr, path, listed, rest])


@dataclass(frozen=True)
class Rules:
    """The key rules of an object, with what the code checks of its other properties:
    ``additional`` (their type, when they are JSON values) or ``closed`` (none allowed)."""

    keys: t.KeyRules
    declared: tuple[str, ...] = ()
    additional: t.TypeRef | None = None
    closed: bool = False


def key_rules(w: Writer, rules: Rules, expr: str, path: str, ind: str) -> list[str]:
    """``schema::keys(expr, path, &NAME_KEYS)?;``, or nothing when there is nothing to check."""
    keys, fields = rules.keys, []
    if keys.patterns:
        items = [
            [f"&{w.statics.static('pattern', w.hint, p.pattern)}", check_fn(w, p.type, "pattern")]
            for p in keys.patterns
        ]
        fields += layout.tuples(IND, "patterns: ", items, ",", borrowed=True)
    checked = rules.additional is not None and not isinstance(rules.additional, t.AnyType)
    if rules.additional is not None and checked:
        other = check_fn(w, rules.additional, "other")
        fields += layout.call(IND, "additional: Some", [other], ",")
    if rules.closed:
        fields.append(f"{IND}closed: true,")
    if keys.property_names is not None:
        names = check_fn(w, keys.property_names, "name")
        fields += layout.call(IND, "names: Some", [names], ",")
    for label, count in (("min", keys.min_properties), ("max", keys.max_properties)):
        if count is not None:
            fields.append(f"{IND}{label}: Some({count}),")
    if keys.dependencies:
        items = [
            [rust_str(d.property), _names(d.required), _some(w, d.type, "dependency")]
            for d in keys.dependencies
        ]
        fields += layout.tuples(IND, "dependencies: ", items, ",", borrowed=True)
    if not fields:
        return []
    if rules.declared and (keys.patterns or checked or rules.closed):
        declared = [rust_str(d) for d in rules.declared]
        fields = layout.array(IND, "declared: ", declared, ",") + fields
    return w.call(ind, "schema::keys", [expr, path, f"&{w.statics.keys(w.hint, fields)}"])


def _names(names: tuple[str, ...]) -> str:
    return "&[" + ", ".join(rust_str(n) for n in names) + "]"
