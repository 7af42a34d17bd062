"""Python names: reserved words, casing and collisions, decided in one place."""

from __future__ import annotations

import builtins
import keyword

from pydantic import BaseModel, RootModel

from specgen.ir.naming import pascal, snake

# Names a generated module uses itself, and attributes a field must not shadow.
_MODULE_NAMES = {
    "Annotated", "Any", "BaseModel", "ClassVar", "ConfigDict", "Field", "Literal", "RootModel",
    "TypeAlias", "annotations", "st",
}  # fmt: skip
RESERVED = frozenset(
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | set(dir(builtins))
    | set(dir(BaseModel))
    | set(dir(RootModel))
    | _MODULE_NAMES
)


def class_name(neutral: str) -> str:
    name = pascal(neutral)
    return f"{name}_" if name in RESERVED else name


def field_name(json_name: str, taken: set[str]) -> str:
    """A snake_case attribute for a wire property, unique within its class."""
    name = snake(json_name)
    if name in RESERVED or name.startswith("model_"):
        name = f"{name}_"
    base, n = name, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def method_name(neutral: str) -> str:
    name = snake(neutral)
    return f"{name}_" if name in RESERVED else name


def module_name(neutral: str) -> str:
    name = snake(neutral)
    return f"{name}_" if keyword.iskeyword(name) else name
