"""The typed CloudEvents 1.0 envelope; the event specifications come from
:mod:`specgen_runtime.event_spec` and are re-exported here.

An :class:`EventSpec` is the static description of one event type (CloudEvents ``type``,
templates for ``source`` and the NATS subject, delivery). An :class:`Event` subclass binds a
spec to a pydantic payload model::

    class OrderCreatedV1(Event[OrderCreated]):
        SPEC: ClassVar[EventSpec] = EventSpec(type=..., subject_template="pf.{site_id}.orders")

    event = OrderCreatedV1.create(OrderCreated(...), site_id="site-0001")
"""

from __future__ import annotations

import builtins
import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from specgen_runtime.errors import SubjectError
from specgen_runtime.event_spec import Delivery, EventSpec, validate_token
from specgen_runtime.payload_json import SNAPSHOT, snapshot, validated

__all__ = [
    "CORE_ATTRIBUTES",
    "Delivery",
    "Event",
    "EventSpec",
    "validate_token",
]

SPECVERSION = "1.0"
DATACONTENTTYPE = "application/json"

#: Attribute names defined by CloudEvents 1.0 (plus the JSON format's ``data_base64``).
#: Extensions must not shadow them.
CORE_ATTRIBUTES = frozenset(
    {
        "specversion",
        "id",
        "source",
        "type",
        "subject",
        "time",
        "datacontenttype",
        "dataschema",
        "data",
        "data_base64",
    }
)
_EXTENSION_NAME = re.compile(r"^[a-z0-9]{1,20}$")
# CloudEvents forbids U+0000-U+001F and U+007F-U+009F in string attribute values.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

DataT = TypeVar("DataT", bound=BaseModel)
E = TypeVar("E", bound="Event[Any]")


def _check_text(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters (U+0000-U+001F, U+007F-U+009F)")
    return value


class Event(BaseModel, Generic[DataT]):
    """A CloudEvents 1.0 event whose ``data`` is the pydantic model ``DataT``.

    Subclasses set ``SPEC``; ``type``, ``specversion``, ``datacontenttype`` and ``dataschema``
    come from it. Instances are frozen and validated on construction (``time`` is normalised
    to UTC). Extension attributes live in ``extensions``: names follow the CloudEvents rule
    ``[a-z0-9]{1,20}`` and must not shadow a core attribute.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    SPEC: ClassVar[EventSpec]

    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    time: datetime
    subject: str | None = None

    @field_validator("id", "source", "subject")
    @classmethod
    def _no_control_characters(cls, value: str | None) -> str | None:
        return None if value is None else _check_text(value)

    data: DataT
    extensions: dict[str, str] = Field(default_factory=dict)

    @field_validator("time")
    @classmethod
    def _aware_utc(cls, value: datetime) -> datetime:
        if value.tzinfo is UTC:
            return value
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("must be timezone-aware")
        return value.astimezone(UTC)

    @field_validator("extensions")
    @classmethod
    def _valid_extensions(cls, value: dict[str, str]) -> dict[str, str]:
        for name, text in value.items():
            if not _EXTENSION_NAME.fullmatch(name):
                raise ValueError(f"extension name {name!r} must match [a-z0-9]{{1,20}}")
            if name in CORE_ATTRIBUTES:
                raise ValueError(f"extension name {name!r} shadows a core attribute")
            _check_text(text)
        return value

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        spec = cls.__dict__.get("SPEC")
        if spec is not None and not isinstance(spec, EventSpec):
            raise TypeError(f"{cls.__name__}.SPEC must be an EventSpec, got {spec!r}")

    @classmethod
    def data_model(cls) -> builtins.type[BaseModel]:
        """The pydantic model class of ``data``."""
        cached: builtins.type[BaseModel] | None = cls.__dict__.get("__specgen_data_model__")
        if cached is not None:
            return cached
        annotation = cls.model_fields["data"].annotation
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            raise TypeError(f"{cls.__name__} is not parametrised with a pydantic model")
        type.__setattr__(cls, "__specgen_data_model__", annotation)
        return annotation

    @classmethod
    def create(
        cls,
        data: DataT | Mapping[str, Any],
        *,
        id: str | None = None,
        time: datetime | None = None,
        subject: str | None = None,
        extensions: dict[str, str] | None = None,
        **params: str,
    ) -> Self:
        """Build a validated event; ``params`` fill the source template (for example site_id).

        ``data`` is the payload model or a mapping of it (as ``model_validate`` takes); it is
        validated exactly once, also when it was built with ``model_construct``, and the
        event keeps the validated JSON for encoding. ``event.data`` is the event's own
        validated copy: treat it as read-only (an event is a value; to change one, build a
        new one, or ``model_copy(update={"data": ...})``, which is validated when sent).
        ``id`` defaults to a random UUID, ``time`` to now (UTC). Raises SubjectError for bad
        parameters and pydantic's ValidationError for invalid data or attributes.
        """
        spec = cls.SPEC
        for name in spec.parameters:
            if name not in params:
                raise SubjectError(f"missing parameter {name!r} for event {spec.type!r}")
        source = spec.source_for(**params)
        model, raw = validated(cls.data_model(), data)
        event = cls.assemble(
            {
                "id": _uuid4() if id is None else id,
                "source": source,
                "time": datetime.now(UTC) if time is None else time,
                "subject": subject,
                "data": model,
                "extensions": {} if extensions is None else extensions,
            }
        )
        event.__dict__[SNAPSHOT] = snapshot(model, raw)
        return event

    @classmethod
    def assemble(cls, values: dict[str, Any]) -> Self:
        """The event of these attribute values (every field), ``data`` already validated.

        Values the envelope validators would accept unchanged (the usual case: plain ids and
        sources, UTC times, well-formed extensions) are taken as they are; anything else goes
        through pydantic validation (which normalises or raises ValidationError).
        """
        time = values["time"]
        if type(time) is datetime and time.tzinfo is not UTC and time.utcoffset() is not None:
            values["time"] = time.astimezone(UTC)  # as the validator normalises it
        if _plain(values) and isinstance(values["data"], cls.data_model()):
            return _trusted(cls, values)
        return cls(**values)

    @property
    def type(self) -> str:
        """The CloudEvents ``type`` attribute, from SPEC."""
        return self.SPEC.type

    @property
    def specversion(self) -> str:
        """Always ``"1.0"``."""
        return SPECVERSION

    @property
    def datacontenttype(self) -> str:
        """Always ``"application/json"``."""
        return DATACONTENTTYPE

    @property
    def dataschema(self) -> str | None:
        """The CloudEvents ``dataschema`` attribute, from SPEC."""
        return self.SPEC.dataschema


_SET = object.__setattr__


def _trusted(cls: type[E], values: dict[str, Any]) -> E:
    """An instance of ``cls`` holding ``values`` (every field), as pydantic would build it.

    What ``model_construct`` does, without its per-field alias and default handling (which
    costs more than the rest of building an event).
    """
    event = cls.__new__(cls)
    _SET(event, "__dict__", values)
    _SET(event, "__pydantic_fields_set__", set(values))
    _SET(event, "__pydantic_extra__", None)
    _SET(event, "__pydantic_private__", None)
    return event


def _uuid4() -> str:
    """A random (version 4) UUID as text, as ``str(uuid.uuid4())`` but cheaper."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40
    raw[8] = raw[8] & 0x3F | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _text(value: object) -> bool:
    return type(value) is str and _CONTROL.search(value) is None


def _plain(values: dict[str, Any]) -> bool:
    """True if Event's validators would accept these attribute values unchanged."""
    id, source, time = values["id"], values["source"], values["time"]
    if not (id and source and _text(id) and _text(source)):
        return False
    if not (type(time) is datetime and time.tzinfo is UTC):
        return False
    subject, extensions = values["subject"], values["extensions"]
    if subject is not None and not _text(subject):
        return False
    if type(extensions) is not dict:
        return False
    return all(
        type(name) is str
        and _EXTENSION_NAME.fullmatch(name) is not None
        and name not in CORE_ATTRIBUTES
        and _text(text)
        for name, text in extensions.items()
    )


def format_validation_error(error: ValidationError, *, prefix: str = "") -> str:
    """Render a pydantic ValidationError as one precise sentence (location: message)."""
    parts: list[str] = []
    details = error.errors(include_url=False)
    for detail in details[:3]:
        loc = ".".join(str(p) for p in (*([prefix] if prefix else []), *detail["loc"]))
        parts.append(f"{loc or '<root>'}: {detail['msg']}")
    more = f" (and {len(details) - 3} more errors)" if len(details) > 3 else ""
    return "; ".join(parts) + more
