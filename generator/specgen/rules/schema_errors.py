"""Turn a ``jsonschema`` validation error into the one message a spec author needs.

``best_match`` does not descend into ``oneOf``/``anyOf`` when every variant fails, which
leaves "<the whole object> is not valid under any of the given schemas". Here a discriminated
union (AsyncAPI's ``discriminator: <property>``) is followed to the variant the example
selects, and any other union is summarised variant by variant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

UNIONS = ("oneOf", "anyOf")
MAX_VARIANT_MESSAGE = 90


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _order(error: ValidationError) -> tuple[list[str], str]:
    return [str(p) for p in error.absolute_path], error.message


def _tag(variant: Any, prop: str) -> Any:
    properties = variant.get("properties") if isinstance(variant, dict) else None
    spec = properties.get(prop) if isinstance(properties, dict) else None
    if not isinstance(spec, dict):
        return None
    if "const" in spec:
        return spec["const"]
    enum = spec.get("enum")
    return enum[0] if isinstance(enum, list) and len(enum) == 1 else None


def _branch(error: ValidationError, index: int) -> list[ValidationError]:
    return [
        e
        for e in error.context or []
        if e.relative_schema_path and e.relative_schema_path[0] == index
    ]


def _discriminated(error: ValidationError) -> ValidationError | str | None:
    """The failing variant the discriminator selects, why none is selected, or None."""
    schema, instance, variants = error.schema, error.instance, error.validator_value
    prop = schema.get("discriminator") if isinstance(schema, dict) else None
    if not (isinstance(prop, str) and isinstance(instance, dict) and isinstance(variants, list)):
        return None
    if prop not in instance:
        return f"the discriminator property {prop!r} is missing"
    tags = [_tag(variant, prop) for variant in variants]
    if instance[prop] not in tags:
        known = ", ".join(repr(t) for t in tags if t is not None)
        return f"{prop} {instance[prop]!r} is none of the discriminator values {known}"
    branch = _branch(error, tags.index(instance[prop]))
    return min(branch, key=_order) if branch else None


def _summary(error: ValidationError) -> str:
    variants = error.validator_value if isinstance(error.validator_value, list) else []
    parts = []
    for index in range(len(variants)):
        from jsonschema.exceptions import best_match

        best = best_match(_branch(error, index))
        if best is not None:
            parts.append(f"variant {index + 1}: {_clip(best.message, MAX_VARIANT_MESSAGE)}")
    return (
        f"it matches none of the {len(variants)} {error.validator} variants ("
        + "; ".join(parts)
        + ")"
    )


def explain(error: ValidationError) -> tuple[ValidationError, str]:
    """The error to point at (deepest useful one) and the message to show."""
    deep = error
    while deep.validator in UNIONS and deep.context:
        chosen = _discriminated(deep)
        if isinstance(chosen, str):
            return deep, chosen
        if chosen is None:
            return deep, _summary(deep)
        deep = chosen
    return deep, deep.message
