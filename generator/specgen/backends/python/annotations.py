"""Lower IR types to Python type annotations for pydantic v2 (see specgen_runtime.schema_types).

The Python backend's capability table: every IR kind is expressible, integers are arbitrary
precision (the 32/64-bit ranges of the IR are still enforced so all languages agree), strings
for date-time/uuid/uri stay strings (validated, byte-exact on the wire).
"""

from __future__ import annotations

from collections.abc import Callable

from specgen.backends.python.literals import py_str, py_value
from specgen.ir import types as t

INT_RANGES = {
    (True, 32): (-(2**31), 2**31 - 1),
    (False, 32): (0, 2**32 - 1),
    (True, 64): (-(2**63), 2**63 - 1),
    (False, 64): (0, 2**64 - 1),
}

NameOf = Callable[[str], str]


def _annotated(base: str, markers: list[str]) -> str:
    return f"Annotated[{base}, {', '.join(markers)}]" if markers else base


def _numeric_markers(bounds: t.NumericBounds) -> list[str]:
    markers = []
    for marker, value in (
        ("Ge", bounds.minimum),
        ("Le", bounds.maximum),
        ("Gt", bounds.exclusive_minimum),
        ("Lt", bounds.exclusive_maximum),
    ):
        if value is not None:
            markers.append(f"{marker}({py_value(value)})")
    if bounds.multiple_of is not None:
        markers.append(f"st.multiple_of({py_value(bounds.multiple_of)})")
    return markers


def _integer(ref: t.IntegerType) -> str:
    markers = ["st.INTEGER", "Strict()"]
    low, high = INT_RANGES.get((ref.signed, ref.bits), (None, None))
    b = ref.bounds
    if low is not None and b.minimum is None and b.exclusive_minimum is None:
        markers.append(f"Ge({low})")
    if high is not None and b.maximum is None and b.exclusive_maximum is None:
        markers.append(f"Le({high})")
    return _annotated("int", markers + _numeric_markers(b))


def _string(ref: t.StringType) -> str:
    markers = ["Strict()"]
    if ref.min_length is not None:
        markers.append(f"MinLen({ref.min_length})")
    if ref.max_length is not None:
        markers.append(f"MaxLen({ref.max_length})")
    if ref.pattern is not None:
        markers.append(f"st.pattern({py_str(ref.pattern)})")
    if ref.format is not None:
        markers.append(f"st.format_check({py_str(ref.format)})")
    return _annotated("str", markers)


def _array(ref: t.ArrayType, name_of: NameOf) -> str:
    markers = []
    if ref.min_items is not None:
        markers.append(f"MinLen({ref.min_items})")
    if ref.max_items is not None:
        markers.append(f"MaxLen({ref.max_items})")
    if ref.unique_items:
        markers.append("st.unique_items()")
    return _annotated(f"list[{annotation(ref.items, name_of)}]", markers)


def _literal(ref: t.LiteralType) -> str:
    if ref.values and all(isinstance(v, str) for v in ref.values):
        return f"Literal[{', '.join(py_str(v) for v in ref.values)}]"
    values = ", ".join(py_value(v) for v in ref.values)
    return f"Annotated[JsonValue, st.json_literal([{values}])]"


def _union(ref: t.UnionType, name_of: NameOf) -> str:
    members = [annotation(v, name_of) for v in ref.variants]
    joined = " | ".join(members)
    if ref.discriminator is not None and ref.mapping:
        return f"Annotated[{joined}, Field(discriminator={py_str(ref.discriminator)})]"
    check = "st.one_of" if ref.exclusive else "st.any_of"
    return f"Annotated[{joined}, {check}(lambda: [{', '.join(members)}])]"


def annotation(ref: t.TypeRef, name_of: NameOf) -> str:
    """The annotation text for ``ref``; ``name_of`` maps declaration names to Python names."""
    if isinstance(ref, t.AnyType):
        return "JsonValue"
    if isinstance(ref, t.NullType):
        return "Literal[None]"  # not bare `None`: `None | None` does not evaluate
    if isinstance(ref, t.BoolType):
        return "Annotated[bool, Strict()]"
    if isinstance(ref, t.IntegerType):
        return _integer(ref)
    if isinstance(ref, t.NumberType):
        return _annotated("int | float", ["st.NUMBER", *_numeric_markers(ref.bounds)])
    if isinstance(ref, t.StringType):
        return _string(ref)
    if isinstance(ref, t.ArrayType):
        return _array(ref, name_of)
    if isinstance(ref, t.MapType):
        return f"dict[str, {annotation(ref.values, name_of)}]"
    if isinstance(ref, t.LiteralType):
        return _literal(ref)
    if isinstance(ref, t.NullableType):
        return f"{annotation(ref.inner, name_of)} | None"
    if isinstance(ref, t.UnionType):
        return _union(ref, name_of)
    return name_of(ref.name)


def is_nullable(ref: t.TypeRef) -> bool:
    if isinstance(ref, t.NullableType | t.NullType | t.AnyType):
        return True
    if isinstance(ref, t.LiteralType):
        return None in ref.values
    if isinstance(ref, t.UnionType):
        return any(is_nullable(v) for v in ref.variants)
    return False


def dependencies(ref: t.TypeRef) -> set[str]:
    """Declaration names that ``ref`` mentions."""
    if isinstance(ref, t.Named):
        return {ref.name}
    if isinstance(ref, t.ArrayType):
        return dependencies(ref.items)
    if isinstance(ref, t.MapType):
        return dependencies(ref.values)
    if isinstance(ref, t.NullableType):
        return dependencies(ref.inner)
    if isinstance(ref, t.UnionType):
        return set().union(*(dependencies(v) for v in ref.variants))
    return set()
