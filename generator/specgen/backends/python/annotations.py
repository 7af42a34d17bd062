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


def _arguments(pairs: list[tuple[str, object]]) -> str:
    return ", ".join(f"{name}={py_value(value)}" for name, value in pairs if value is not None)


def _numeric(marker: str, bounds: t.NumericBounds, low: int | None, high: int | None) -> str:
    minimum = bounds.minimum
    maximum = bounds.maximum
    if low is not None and minimum is None and bounds.exclusive_minimum is None:
        minimum = low
    if high is not None and maximum is None and bounds.exclusive_maximum is None:
        maximum = high
    args = _arguments(
        [
            ("minimum", minimum),
            ("maximum", maximum),
            ("exclusive_minimum", bounds.exclusive_minimum),
            ("exclusive_maximum", bounds.exclusive_maximum),
            ("multiple_of", bounds.multiple_of),
        ]
    )
    return f"st.{marker}({args})"


def _integer(ref: t.IntegerType) -> str:
    low, high = INT_RANGES.get((ref.signed, ref.bits), (None, None))
    return f"Annotated[int, {_numeric('JsonInteger', ref.bounds, low, high)}]"


def _string(ref: t.StringType) -> str:
    args = _arguments(
        [
            ("min_length", ref.min_length),
            ("max_length", ref.max_length),
            ("pattern", ref.pattern),
            ("format", ref.format),
        ]
    )
    return f"Annotated[str, st.JsonString({args})]"


def _lazy(ref: t.TypeRef | None, name_of: NameOf) -> str:
    return "None" if ref is None else f"lambda: {annotation(ref, name_of)}"


def _never(ref: t.TypeRef) -> bool:
    return isinstance(ref, t.LiteralType) and not ref.values


def _array(ref: t.ArrayType, name_of: NameOf) -> str:
    markers = []
    if ref.min_items is not None:
        markers.append(f"MinLen({ref.min_items})")
    if ref.max_items is not None:
        markers.append(f"MaxLen({ref.max_items})")
    if ref.unique_items:
        markers.append("st.unique_items()")
    items = annotation(ref.items, name_of)
    if ref.prefix:
        heads = ", ".join(annotation(p, name_of) for p in ref.prefix)
        rest = "None" if _never(ref.items) else f"lambda: {items}"
        markers.append(f"st.tuple_items(lambda: [{heads}], {rest})")
        items = "JsonValue"
    if ref.contains is not None:
        markers.append(f"st.contains({_lazy(ref.contains, name_of)})")
    return _annotated(f"list[{items}]", markers)


def key_arguments(keys: t.KeyRules, name_of: NameOf) -> list[str]:
    """Arguments of ``st.key_rules``/``st.map_rules`` for what the key rules say."""
    args = []
    if keys.patterns:
        pairs = ", ".join(f"({py_str(p.pattern)}, {annotation(p.type, name_of)})"
                          for p in keys.patterns)  # fmt: skip
        args.append(f"patterns=lambda: [{pairs}]")
    if keys.property_names is not None:
        args.append(f"names={_lazy(keys.property_names, name_of)}")
    if keys.dependencies:
        rows = ", ".join(
            f"({py_str(d.property)}, {py_value(list(d.required))}, "
            f"{annotation(d.type, name_of) if d.type is not None else 'None'})"
            for d in keys.dependencies
        )
        args.append(f"dependencies=lambda: [{rows}]")
    return args


def _map(ref: t.MapType, name_of: NameOf) -> str:
    values = annotation(ref.values, name_of)
    keys = ref.keys
    markers = []
    if keys.min_properties is not None:
        markers.append(f"MinLen({keys.min_properties})")
    if keys.max_properties is not None:
        markers.append(f"MaxLen({keys.max_properties})")
    args = key_arguments(keys, name_of)
    if keys.patterns:
        args.append("closed=True" if _never(ref.values) else f"additional=lambda: {values}")
        values = "JsonValue"
    if args:
        markers.append(f"st.map_rules({', '.join(args)})")
    return _annotated(f"dict[str, {values}]", markers)


def _condition(condition: t.Condition, name_of: NameOf) -> str:
    if isinstance(condition, t.NotCondition):
        return f"st.not_({_lazy(condition.type, name_of)})"
    if isinstance(condition, t.AllOfCondition):
        return f"st.all_of({_lazy(condition.type, name_of)})"
    if isinstance(condition, t.UnionCondition):
        members = ", ".join(annotation(v, name_of) for v in condition.variants)
        return f"st.union(lambda: [{members}], exclusive={condition.exclusive})"
    test = _lazy(condition.test, name_of)
    then, otherwise = _lazy(condition.then, name_of), _lazy(condition.otherwise, name_of)
    return f"st.if_then_else({test}, {then}, {otherwise})"


def constrained(ref: t.ConstrainedType, name_of: NameOf) -> str:
    markers = [_condition(c, name_of) for c in ref.conditions]
    return f"Annotated[{annotation(ref.base, name_of)}, {', '.join(markers)}]"


def _literal(ref: t.LiteralType) -> str:
    if ref.values and all(isinstance(v, str) for v in ref.values):
        return f"Literal[{', '.join(py_str(v) for v in ref.values)}]"
    values = ", ".join(py_value(v) for v in ref.values)
    return f"Annotated[JsonValue, st.json_literal([{values}])]"


def _union(ref: t.UnionType, name_of: NameOf) -> str:
    members = [annotation(v, name_of) for v in ref.variants]
    joined = " | ".join(members)
    if ref.discriminator is not None and ref.mapping:
        field = getattr(name_of, "field", None)  # pydantic names the attribute, not the alias
        attribute = field(ref.mapping[0][1], ref.discriminator) if field else ref.discriminator
        return f"Annotated[{joined}, Field(discriminator={py_str(attribute)})]"
    check = "st.one_of" if ref.exclusive else "st.any_of"
    return f"Annotated[{joined}, {check}(lambda: [{', '.join(members)}])]"


def annotation(ref: t.TypeRef, name_of: NameOf) -> str:
    """The annotation text for ``ref``; ``name_of`` maps declaration names to Python names."""
    if isinstance(ref, t.AnyType):
        return "JsonValue"
    if isinstance(ref, t.NullType):
        return "Literal[None]"  # not bare `None`: `None | None` does not evaluate
    if isinstance(ref, t.BoolType):
        return "StrictBool"
    if isinstance(ref, t.IntegerType):
        return _integer(ref)
    if isinstance(ref, t.NumberType):
        return f"Annotated[float, {_numeric('JsonNumber', ref.bounds, None, None)}]"
    if isinstance(ref, t.StringType):
        return _string(ref)
    if isinstance(ref, t.ArrayType):
        return _array(ref, name_of)
    if isinstance(ref, t.MapType):
        return _map(ref, name_of)
    if isinstance(ref, t.LiteralType):
        return _literal(ref)
    if isinstance(ref, t.NullableType):
        return f"{annotation(ref.inner, name_of)} | None"
    if isinstance(ref, t.UnionType):
        return _union(ref, name_of)
    if isinstance(ref, t.ConstrainedType):
        return constrained(ref, name_of)
    return name_of(ref.name)


def is_nullable(ref: t.TypeRef) -> bool:
    if isinstance(ref, t.NullableType | t.NullType | t.AnyType):
        return True
    if isinstance(ref, t.LiteralType):
        return None in ref.values
    if isinstance(ref, t.UnionType):
        return any(is_nullable(v) for v in ref.variants)
    if isinstance(ref, t.ConstrainedType):
        return is_nullable(ref.base)  # null may still be refused by a condition
    return False


def dependencies(ref: t.TypeRef) -> set[str]:
    """Declaration names that the annotation of ``ref`` evaluates at once (not in lambdas)."""
    if isinstance(ref, t.Named):
        return {ref.name}
    if isinstance(ref, t.ArrayType):
        return set() if ref.prefix else dependencies(ref.items)
    if isinstance(ref, t.MapType):
        return set() if ref.keys.patterns else dependencies(ref.values)
    if isinstance(ref, t.NullableType):
        return dependencies(ref.inner)
    if isinstance(ref, t.UnionType):
        return set().union(*(dependencies(v) for v in ref.variants))
    if isinstance(ref, t.ConstrainedType):
        return dependencies(ref.base)  # the conditions' types are looked up lazily
    return set()
