"""The JSON of an event's data, validated exactly once however the data was built.

:func:`validated` is the one validation of a payload on its way to the wire:

- a mapping (or, for a root model, its value) is validated in one pass into the data model,
  as ``model_validate`` would, then serialised once;
- a model instance may come from ``model_construct`` (which skips validation) or have been
  changed in place after it was validated (a list appended to), so it is serialised and its
  JSON validated; the instance validated from that JSON is what the event holds, so
  ``event.data`` always has the types of the model and is the event's own object.

``Event.create`` keeps the resulting bytes with the event (``SNAPSHOT`` in its ``__dict__``,
not a field: equality, repr and serialisation ignore it), tied to the data object they came
from. :func:`wire_json` sends those bytes as they are while the event still holds that
object (an event is a value: its data is not changed after create); an event whose data is
another object (``model_copy(update=...)``, the constructor, ``model_construct``) has its data
serialised and validated here. Nothing reaches the wire unvalidated, and nothing is
validated or serialised twice.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticSerializationError

from specgen_runtime.errors import EncodeError

__all__ = ["SNAPSHOT", "serialise", "snapshot", "validated", "wire_json"]

SNAPSHOT = "__specgen_data_json__"


def serialise(data: BaseModel, *, strict: bool = False) -> bytes:
    """The data's JSON: aliases, unset optional fields left out (absent is not null).

    ``strict`` turns pydantic's type warnings into errors (for callers that do not validate
    the result); otherwise a value of the wrong type is written as it is and the validation
    that follows names the field.
    """
    raw = data.__pydantic_serializer__.to_json(
        data, by_alias=True, exclude_unset=True, warnings="error" if strict else False
    )
    return bytes(raw)


def validated(model: type[BaseModel], data: Any) -> tuple[Any, bytes]:
    """``(instance, json)`` of ``data`` as a ``model``, validated exactly once.

    Raises pydantic's ValidationError for invalid data, EncodeError for data that cannot be
    serialised at all (an object JSON has no form for).
    """
    validator = model.__pydantic_validator__
    if not isinstance(data, model):  # a mapping, or the value of a root model
        instance = validator.validate_python(data)
        return instance, serialise(instance, strict=True)
    try:
        raw = serialise(data)
    except PydanticSerializationError as exc:
        raise EncodeError(f"data cannot be serialised: {exc}") from exc
    return validator.validate_json(raw), raw


def snapshot(instance: Any, raw: bytes) -> tuple[Any, bytes]:
    """What an event keeps under SNAPSHOT: the data object and its validated JSON."""
    return (instance, raw)


def wire_json(event: Any, *, validate: bool = True) -> bytes:
    """The JSON of ``event.data`` to send: create's validated bytes, or validated now.

    Raises pydantic's ValidationError for invalid data, EncodeError for unserialisable data.
    """
    data = event.data
    kept = event.__dict__.get(SNAPSHOT)
    if kept is not None and kept[0] is data:
        raw: bytes = kept[1]
        return raw
    try:
        raw = serialise(data, strict=not validate)
    except PydanticSerializationError as exc:
        raise EncodeError(f"event {event.id!r}: data cannot be serialised: {exc}") from exc
    if validate:
        type(data).__pydantic_validator__.validate_json(raw)
    return raw
