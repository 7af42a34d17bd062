"""Rust names: reserved words, casing and collisions, decided in one place.

Types are PascalCase, fields, functions and modules snake_case. Keywords become raw identifiers
(``r#type``) except the few that cannot be raw (``self``, ``Self``, ``super``, ``crate``,
``extern``), which get a ``_`` suffix. Type names that would shadow what generated code uses
unqualified (``Option``, ``Vec``, ``String``, ``Box``, ``Result``...) get a ``Type`` suffix.
"""

from __future__ import annotations

from specgen.ir.naming import NameAllocator, pascal, snake

KEYWORDS = frozenset(
    "as async await break const continue crate dyn else enum extern false fn for if impl in "
    "let loop match mod move mut pub ref return self Self static struct super trait true type "
    "unsafe use where while abstract become box do final macro override priv try typeof "
    "unsized virtual yield gen union".split()
)
NOT_RAW = frozenset({"self", "Self", "super", "crate", "extern", "_"})
# Names generated code uses unqualified, and std prelude types: a type must not shadow them.
PRELUDE_TYPES = frozenset(
    "Option Some None Result Ok Err Vec String Box Clone Copy Default Debug Eq PartialEq Ord "
    "PartialOrd Hash Send Sync Sized Fn FnMut FnOnce Drop Iterator IntoIterator ToString "
    "ToOwned From Into TryFrom TryInto AsRef AsMut Extend".split()
)


def ident(name: str) -> str:
    """Make a snake_case or PascalCase word a legal Rust identifier."""
    if name in NOT_RAW:
        return f"{name}_"
    return f"r#{name}" if name in KEYWORDS else name


def type_name(neutral: str) -> str:
    name = pascal(neutral)
    return f"{name}Type" if name in PRELUDE_TYPES or name in KEYWORDS else name


def field_name(json_name: str, taken: set[str]) -> str:
    """A snake_case field for a wire property, unique within its struct."""
    base = snake(json_name)
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return ident(name)


def variant_name(value: str, taken: set[str]) -> str:
    """A PascalCase enum variant for a wire string, unique within its enum."""
    base = pascal(value)
    if base == "Self":
        base = "SelfValue"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    taken.add(name)
    return name


def fn_name(neutral: str) -> str:
    return ident(snake(neutral))


def module_name(neutral: str) -> str:
    return ident(snake(neutral))


class TypeNames:
    """Rust type names of one module: IR declarations first, then synthesised ones."""

    def __init__(self, decl_names: list[str]) -> None:
        self._alloc = NameAllocator()
        self._of: dict[str, str] = {}
        for name in decl_names:
            self._of[name] = self._alloc.allocate(type_name(name))

    def of(self, decl: str) -> str:
        return self._of[decl]

    def synthesise(self, hint: str) -> str:
        return self._alloc.allocate(type_name(hint))
