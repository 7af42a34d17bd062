"""JavaScript and TypeScript declaration pieces as documents, laid out as prettier lays them out.

Each function here builds the document prettier builds for the same construct (checked with
prettier's own ``printToDoc`` on samples, and by the tests, which run the pinned prettier
over all generated files and require no change). Only the constructs the backend emits are
covered: JSON values (schema literals), ``export const`` statements, object tables, export
lists, type expressions (names, literals, ``Array<T>``, string maps, unions), property and
method signatures and interface headings.

Literals come from ``literals`` (prettier's quotes, number forms and key quoting).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from specgen.backends.layout import BREAK_PARENT as BREAK_PARENT
from specgen.backends.layout import (
    HARD,
    LINE,
    SOFT,
    Align,
    ConditionalGroup,
    Doc,
    Fill,
    Group,
    IfBreak,
    Indent,
    IndentIfBreak,
    group_id,
    join,
    render,
    width,
)
from specgen.backends.typescript.literals import check_number, negative, ts_key, ts_number, ts_str

SHORT_KEY = 5  # prettier: a key narrower than tabWidth + 3 is never broken after


# -- JSON values --------------------------------------------------------------------------------
def value(data: Any) -> tuple[Doc, str]:
    """The document of a JSON value and its kind (how a property holding it may break)."""
    if data is None:
        return "null", "other"
    if isinstance(data, bool):
        return ("true" if data else "false"), "literal"
    if isinstance(data, int | float):
        text = ts_number(data)
        return ("-" + text, "other") if negative(data) else (text, "literal")
    if isinstance(data, str):
        return ts_str(data), "leaf"
    if isinstance(data, list | tuple):
        return array(list(data)), "other"
    if isinstance(data, dict):
        return obj([(str(k), v) for k, v in data.items()]), "other"
    raise ValueError(f"{data!r} is not JSON data")


def check_value(data: Any) -> None:
    """Raise the ValueError that ``value(data)`` raises, if any, without building a document.

    ``value`` refuses exactly two things: a number ``ts_number`` refuses and data that is not
    JSON; the first one met in document order (keys, strings and the rest never raise).
    """
    if data is None or isinstance(data, bool | str):
        return
    if isinstance(data, int | float):
        check_number(data)
    elif isinstance(data, list | tuple):
        for item in data:
            check_value(item)
    elif isinstance(data, dict):
        for item in data.values():
            check_value(item)
    else:
        raise ValueError(f"{data!r} is not JSON data")


def prop(key_doc: str, value_doc: Doc, kind: str) -> Doc:
    """``key: value`` with prettier's assignment layouts for an object property.

    ``kind``: "leaf" for strings and member expressions (broken after the colon when too
    long, unless the key is short), "literal" for numbers and booleans (never broken after
    the colon), "other" for everything else (the value breaks first, then the colon).
    """
    short = width(key_doc) < SHORT_KEY
    if short or kind == "literal":
        return Group([Group(key_doc), ":", " ", value_doc])
    if kind == "leaf":
        return Group([Group(key_doc), ":", Group(Indent([LINE, value_doc]))])
    gid = group_id()
    return Group([Group(key_doc), ":", Group(Indent(LINE), id=gid), IndentIfBreak(value_doc, gid)])


def obj(entries: list[tuple[str, Any]], *, force_break: bool = False) -> Doc:
    """An object literal of JSON values (keys as prettier prints them)."""
    if not entries:
        return Group(Group("{}"))
    props = [prop(ts_key(k, javascript=True), *value(v)) for k, v in entries]
    return table(props, force_break=force_break)


def table(props: list[Doc], *, force_break: bool = False) -> Doc:
    """An object literal of ready-made properties."""
    return Group(
        ["{", Indent([LINE, join([",", LINE], props)]), IfBreak(","), LINE, "}"],
        should_break=force_break,
    )


def _concise(items: list[Any]) -> bool:
    return len(items) > 1 and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in items
    )


def _breaks_as_rows(items: list[Any]) -> bool:
    """prettier breaks an array of 2+ objects (or 2+ arrays) that have 2+ entries each."""
    if len(items) < 2:
        return False
    kinds = {type(v) for v in items}
    if kinds not in ({dict}, {list}, {tuple}):
        return False
    return all(len(v) > 1 for v in items)


def array(items: list[Any]) -> Doc:
    if not items:
        return Group(["[", "]"])
    gid = group_id()
    if _concise(items):
        parts: list[Doc] = []
        for i, item in enumerate(items):
            doc, _ = value(item)
            last = i == len(items) - 1
            parts.append([doc, IfBreak(",", "", gid) if last else ","])
            if not last:
                parts.append(LINE)
        body: Doc = [SOFT, Fill(parts)]
        return Group(["[", Indent(body), SOFT, "]"], id=gid)
    elements = [Group(value(item)[0]) for item in items]
    body = [SOFT, join([",", LINE], elements), IfBreak(",")]
    return Group(["[", Indent(body), SOFT, "]"], should_break=_breaks_as_rows(items), id=gid)


# -- statements ------------------------------------------------------------------------------
def export_const_call(name: str, callee: str, argument: Doc) -> Doc:
    """``export const name = callee({...});`` with the object argument hugged (always broken)."""
    gid = group_id()
    hugged: list[Doc] = ["(", Group(argument, should_break=True), ")"]
    expanded = Group(["(", Indent([LINE, argument]), IfBreak(","), LINE, ")"], should_break=True)
    rhs: list[Doc] = [callee, BREAK_PARENT, ConditionalGroup([hugged, expanded])]
    return _export_const(name, [Group(Indent(LINE), id=gid), IndentIfBreak(rhs, gid)])


def export_const_string(name: str, text: str) -> Doc:
    """``export const name = "text";``: broken after ``=`` when too long."""
    return _export_const(name, [Group(Indent([LINE, ts_str(text)]))])


def export_const_value(name: str, value_doc: Doc, *, exported: bool = True) -> Doc:
    """``[export] const name = <object or call>;`` (the value breaks before the ``=`` does)."""
    gid = group_id()
    return _export_const(
        name, [Group(Indent(LINE), id=gid), IndentIfBreak(value_doc, gid)], exported=exported
    )


def _export_const(name: str, assignment: list[Doc], *, exported: bool = True) -> Doc:
    statement = Group(["const", " ", Group([Group(name), " =", *assignment]), ";"])
    return ["export", " ", statement] if exported else statement


def call(callee: str, arguments: Sequence[Doc]) -> Doc:
    """A call with plain arguments: ``callee(a, b)``, broken one per line when too long."""
    body: list[Doc] = [SOFT, join([",", LINE], arguments)]
    return Group([callee, Group(["(", Indent(body), IfBreak(","), SOFT, ")"])])


def export_names(names: list[str], source: str, *, type_only: bool = False) -> Doc:
    """``export { a, b } from "source";`` (``export type {...}`` when ``type_only``)."""
    opening = "export type" if type_only else "export"
    if not names:
        return [opening, " {} from ", ts_str(source), ";"]
    body = Group(["{", Indent([LINE, join([",", LINE], names)]), IfBreak(","), LINE, "}"])
    return [opening, " ", body, " from", " ", ts_str(source), ";"]


# -- TypeScript types ------------------------------------------------------------------------
class TsType:
    """A type expression: a name, keyword or literal, ``Name<T>``, ``{ [key: string]: T }``, a
    tuple ``[A?, ...Array<B>]`` or a union (flattened, without repeats; ``unknown`` absorbs
    the rest)."""

    def __init__(self, kind: str, text: str = "", members: tuple[TsType, ...] = ()) -> None:
        self.kind = kind  # "simple", "generic", "map", "tuple", "optional", "rest", "union"
        self.text = text
        self.members = members

    @staticmethod
    def simple(text: str) -> TsType:
        return TsType("simple", text)

    @staticmethod
    def generic(name: str, argument: TsType) -> TsType:
        return TsType("generic", name, (argument,))

    @staticmethod
    def array(item: TsType) -> TsType:
        return TsType.generic("Array", item)

    @staticmethod
    def map(values: TsType) -> TsType:
        return TsType("map", members=(values,))

    @staticmethod
    def tuple(elements: list[TsType]) -> TsType:
        return TsType("tuple", members=tuple(elements))

    @staticmethod
    def optional(element: TsType) -> TsType:
        """A tuple element that may be missing: ``T?``."""
        return TsType("optional", members=(element,))

    @staticmethod
    def rest(element: TsType) -> TsType:
        """The rest of a tuple: ``...T``."""
        return TsType("rest", members=(element,))

    @staticmethod
    def union(members: list[TsType]) -> TsType:
        flat: list[TsType] = []
        for member in members:
            flat.extend(member.members if member.kind == "union" else (member,))
        unique: list[TsType] = []
        for member in flat:
            if str(member) not in {str(u) for u in unique}:
                unique.append(member)
        if any(m.kind == "simple" and m.text == "unknown" for m in unique):
            return TsType.simple("unknown")
        return unique[0] if len(unique) == 1 else TsType("union", members=tuple(unique))

    def __str__(self) -> str:
        if self.kind == "generic":
            return f"{self.text}<{self.members[0]}>"
        if self.kind == "map":
            return f"{{ [key: string]: {self.members[0]} }}"
        if self.kind == "union":
            return " | ".join(str(m) for m in self.members)
        if self.kind == "tuple":
            return "[" + ", ".join(str(m) for m in self.members) + "]"
        if self.kind == "optional":
            inner = self.members[0]
            return f"({inner})?" if inner.kind == "union" else f"{inner}?"
        if self.kind == "rest":
            return f"...{self.members[0]}"
        return self.text

    def hugs(self) -> bool:
        """prettier keeps ``X | null`` joined when X is the only object-like member."""
        if self.kind != "union":
            return False
        objects = [m for m in self.members if _object_like(m)]
        others = [m for m in self.members if not _object_like(m)]
        return len(objects) == 1 and all(m.text in ("null", "undefined", "void") for m in others)


def _object_like(t: TsType) -> bool:
    return t.kind in ("generic", "map") or (t.kind == "simple" and _reference(t.text))


def _reference(text: str) -> bool:
    keywords = {"string", "number", "boolean", "null", "unknown", "never", "undefined", "any"}
    return text not in keywords and bool(re.match(r"^[A-Za-z_$]", text))


def _union_group(t: TsType) -> Doc:
    members = [Align(2, type_doc(m)) for m in t.members]
    return Group([IfBreak("| "), join([LINE, "| "], members)])


def type_doc(t: TsType) -> Doc:
    """A type where it stands alone (a union member, or under an enclosing layout)."""
    if t.kind == "simple":
        return t.text
    if t.kind == "union":
        return join(" | ", [type_doc(m) for m in t.members]) if t.hugs() else _union_group(t)
    if t.kind in ("tuple", "optional", "rest"):
        return _tuple_doc(t)
    if t.kind == "generic":
        item = t.members[0]
        hug = item.kind in ("simple", "map") or item.hugs()
        if hug:
            return [t.text, "<", type_doc(item), ">"]
        inner = _union_group(item) if item.kind == "union" else type_doc(item)
        return [t.text, Group(["<", Indent([SOFT, inner]), SOFT, ">"])]
    index = Group([Indent([SOFT, "key", ":", " ", "string"]), SOFT])
    entry = Group(["[", index, "]", ":", " ", annotation(t.members[0])])
    return Group(["{", Indent([LINE, entry, IfBreak(";")]), LINE, "}"])


def _tuple_doc(t: TsType) -> Doc:
    """A tuple, as prettier prints an array; an optional union element gets parentheses."""
    if t.kind == "tuple":
        if not t.members:
            return "[]"
        body: list[Doc] = [SOFT, join([",", LINE], [type_doc(m) for m in t.members])]
        return Group(["[", Indent(body), IfBreak(","), SOFT, "]"])
    inner = t.members[0]
    if t.kind == "rest":
        return ["...", type_doc(inner)]
    if inner.kind != "union":
        return [type_doc(inner), "?"]
    if inner.hugs():
        return ["(", join(" | ", [type_doc(m) for m in inner.members]), ")?"]
    members = [Align(2, type_doc(m)) for m in inner.members]
    union = Group([Indent([IfBreak([LINE, "| "]), join([LINE, "| "], members)]), SOFT])
    return ["(", union, ")?"]


def annotation(t: TsType) -> Doc:
    """A type after ``name: `` (property, index signature)."""
    if t.kind == "union" and not t.hugs():
        return Group(Indent([SOFT, _union_group(t)]))
    return type_doc(t)


def property_signature(name: str, t: TsType, *, optional: bool, readonly: bool = False) -> Doc:
    """``[readonly ]name[?]: type;`` in an interface."""
    head = ["readonly "] if readonly else []
    name_part = [*head, ts_key(name, javascript=False), "?" if optional else ""]
    return [Group([*name_part, ":", " ", annotation(t)]), ";"]


def type_alias(name: str, t: TsType) -> Doc:
    """``export type name = type;``."""
    left = Group(["type ", name])
    if t.kind == "union" and not t.hugs():
        return ["export", " ", Group([left, " =", Group(Indent([LINE, _union_group(t)]))]), ";"]
    gid = group_id()
    rhs: list[Doc] = [Group(Indent(LINE), id=gid), IndentIfBreak(type_doc(t), gid)]
    return ["export", " ", Group([left, " =", *rhs]), ";"]


def interface_heading(name: str, extends: str = "") -> Doc:
    """``export interface name[ extends base] {`` (the body follows)."""
    if not extends:
        return ["export interface ", name, " {"]
    heritage = Group([" ", name, Indent([LINE, Group(["extends ", extends])])], id=group_id())
    return ["export", " ", "interface", heritage, " ", "{"]


def method_signature(name: str, params: Sequence[Doc], returns: TsType) -> Doc:
    """``name(a: A, b: B): R;`` in a declared class."""
    body: list[Doc] = [SOFT, join([",", LINE], params)]
    tail: list[Doc] = [")", ":", " ", type_doc(returns)]
    return [name, Group(["(", Indent(body), IfBreak(","), SOFT, *tail]), ";"]


def class_heading(name: str, extends: str) -> Doc:
    """``export declare class name extends base {`` (the body follows)."""
    gid = group_id()
    heritage = Group([" ", name, Indent([LINE, Group(["extends ", extends])])], id=gid)
    return ["export", " ", "declare ", "class", heritage, IfBreak(HARD, " ", gid), "{"]


def block(lines: list[Doc]) -> Doc:
    """Members of a class or interface body, one per line (the caller adds the braces)."""
    return Indent([[HARD, line] for line in lines])


def body(lines: list[Doc]) -> str:
    """A class or interface body as text, without the braces: one member per line."""
    return render(block(lines)).removeprefix("\n")
