"""The ``static``s and helper functions of one generated module, each made once.

Values the checks need that are fixed become ``static``s named after where they are used
first (``ORDER_LAST4_PATTERN``): patterns (with the dialect's translation into ``regex``
syntax, docs/regex-dialect.md), sets of allowed values, lists of checks and the rules on an
object's keys. A schema a value is checked against beyond its type (a ``not``, an ``if``,
tuple items, ...) becomes a function of the module (``not_order_note``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from specgen.backends.rust import layout
from specgen.backends.rust.literals import rust_str
from specgen.backends.rust.names import fn_name
from specgen.ir.naming import NameAllocator, snake
from specgen.schema.regex import to_rust

IND = layout.INDENT
_SUFFIX = {"pattern": "PATTERN", "values": "VALUES", "literals": "VALUES"}


@dataclass
class Statics:
    lines: list[str] = field(default_factory=list)
    functions: list[list[str]] = field(default_factory=list)
    _names: NameAllocator = field(default_factory=NameAllocator)
    _made: dict[tuple[str, str], str] = field(default_factory=dict)

    def _name(self, hint: str, suffix: str) -> str:
        return self._names.allocate(f"{snake(hint).upper()}_{suffix}")

    def static(self, kind: str, hint: str, value: str) -> str:
        """A static of ``kind`` holding ``value``: ``pattern`` (an ECMA-262 source),
        ``values`` (Rust string literals joined by NUL) or ``literals`` (a JSON text)."""
        key = (kind, value)
        if key not in self._made:
            name = self._made[key] = self._name(hint, _SUFFIX[kind])
            if kind == "pattern":
                args = [rust_str(value), rust_str(to_rust(value))]
                left = f"static {name}: schema::Pattern"
                self.lines += layout.assign("", left, "schema::Pattern::translated", args)
            elif kind == "literals":
                left = f"static {name}: schema::Literals"
                self.lines += layout.assign("", left, "schema::Literals::new", [rust_str(value)])
            else:
                self.lines += layout.static_array("", f"static {name}: &[&str]", value.split("\0"))
        return self._made[key]

    def checks(self, hint: str, suffix: str, functions: list[str]) -> str:
        """``static NAME: &[schema::Check] = &[f, g];``: the checks of several schemas."""
        name = self._name(hint, suffix)
        self.lines += layout.static_array("", f"static {name}: &[schema::Check]", functions)
        return name

    def keys(self, hint: str, fields: list[str]) -> str:
        """``static NAME: schema::Keys = schema::Keys { fields, ..schema::Keys::NONE };``."""
        name = self._name(hint, "KEYS")
        head = f"static {name}: schema::Keys = schema::Keys {{"
        self.lines += [head, *fields, f"{IND}..schema::Keys::NONE", "};"]
        return name

    def function_name(self, kind: str, hint: str) -> str:
        return self._names.allocate(fn_name(f"{kind}_{snake(hint)}").removeprefix("r#"))
