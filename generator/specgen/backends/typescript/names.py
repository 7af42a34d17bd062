"""TypeScript names: reserved words, casing and collisions, decided in one place."""

from __future__ import annotations

import re

from specgen.ir.naming import pascal, words

# ECMAScript reserved and contextual words, TypeScript type keywords, and the global names a
# generated declaration must not shadow.
RESERVED = frozenset(
    """
    break case catch class const continue debugger default delete do else enum export extends
    false finally for function if import in instanceof new null return super switch this throw
    true try typeof var void while with implements interface let package private protected
    public static yield await abstract any as asserts async bigint boolean constructor declare
    get infer is keyof module namespace never number object readonly require set string symbol
    type undefined unique unknown from of global satisfies accessor out override arguments eval
    Array ArrayBuffer BigInt Boolean DataView Date Error Function Infinity JSON Map Math NaN
    Number Object Partial Pick Promise Readonly Record ReadonlyArray RegExp Required Set String
    Symbol Uint8Array WeakMap WeakSet Omit Exclude Extract NonNullable ReturnType Awaited
    """.split()
)
# Names generated modules use themselves (namespace imports and runtime classes).
MODULE_NAMES = frozenset({"rt", "models", "schemas", "Event", "EventSpec", "NatsConnection"})
_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def type_name(neutral: str) -> str:
    """A PascalCase type or class name that is safe at module level."""
    name = pascal(neutral)
    return f"{name}_" if name in RESERVED or name in MODULE_NAMES else name


def camel(neutral: str) -> str:
    parts = words(neutral)
    if not parts:
        return "unnamed"
    name = parts[0] + "".join(w[:1].upper() + w[1:] for w in parts[1:])
    return name if not name[0].isdigit() else f"n{name}"


def member_name(neutral: str, taken: set[str]) -> str:
    """A camelCase method or option name, unique within its class or options object."""
    name = camel(neutral)
    if name in RESERVED:
        name = f"{name}_"
    base, n = name, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    taken.add(name)
    return name


def property_key(json_name: str) -> str:
    """A property key of an interface: the wire name itself, quoted unless an identifier."""
    from specgen.backends.typescript.literals import ts_str

    return json_name if _IDENTIFIER.match(json_name) else ts_str(json_name)


def module_file(neutral: str) -> str:
    """A file name (without extension) for a domain module: snake_case words, kebab-joined."""
    name = "-".join(words(neutral)) or "domain"
    return f"{name}-domain" if name in {"index", "events", "models", "runtime"} else name
