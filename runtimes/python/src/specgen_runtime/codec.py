"""The CloudEvents NATS protocol binding: events to NATS messages and back.

Structured mode (the default, and the only mode of the released NATS binding 1.0.2): the
payload is the CloudEvents JSON format, header ``Content-Type: application/cloudevents+json``.
Attributes are written in a fixed order (specversion, id, source, type, subject, time,
datacontenttype, dataschema, extensions sorted by name, data), so one event always gives the
same bytes. ``time`` is RFC 3339 in UTC with a ``Z`` suffix.

Binary mode (NATS binding 1.0.3 draft): the payload is the data JSON, attributes are
``ce-<name>`` headers and ``Content-Type: application/json``. Header values are
percent-encoded as the binding prescribes: UTF-8 bytes of space, double-quote, percent and
every character outside printable ASCII (U+0021-U+007E) become ``%XY`` (upper-case hex).
Decoding first removes RFC 7230 double-quoting, then percent-decodes once and rejects byte
sequences that are not valid UTF-8. Header names are matched case-insensitively.

Both modes always carry ``Nats-Msg-Id: <event id>`` so JetStream deduplicates retries, and
events of a type served over MQTT at QoS 1 ``Nmqtt-Pub: 1`` (``specgen_runtime.mqtt``).

Decoding validates everything in JSON mode in one pydantic pass (``validate_json``), which
is both the fastest path and the correct one for strict payload models: strict validation of
``json.loads`` output would reject the ISO strings of datetime fields.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import unquote

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from specgen_runtime.envelope import (
    CONTENT_TYPE_STRUCTURED,
    MSG_ID_HEADER,
    format_time,
    percent_encode,
    template,
)
from specgen_runtime.errors import DecodeError, EncodeError
from specgen_runtime.events import (
    DATACONTENTTYPE,
    SPECVERSION,
    Event,
    format_validation_error,
)
from specgen_runtime.mqtt import QOS_HEADER
from specgen_runtime.payload_json import SNAPSHOT, wire_json

__all__ = [
    "CONTENT_TYPE_JSON",
    "CONTENT_TYPE_STRUCTURED",
    "MSG_ID_HEADER",
    "Mode",
    "create_encoded",
    "decode",
    "encode",
    "encode_parts",
    "percent_decode",
    "percent_encode",
]

E = TypeVar("E", bound=Event[Any])

CONTENT_TYPE_JSON = DATACONTENTTYPE
_BINARY_KNOWN = frozenset({"specversion", "id", "source", "type", "subject", "time", "dataschema"})
_WIRE_ATTR = "__specgen_wire__"


class Mode(enum.Enum):
    """CloudEvents content mode on NATS."""

    STRUCTURED = "structured"
    BINARY = "binary"


def percent_decode(value: str) -> str:
    """Undo RFC 7230 double-quoting, then one round of strict UTF-8 percent-decoding."""
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        out: list[str] = []
        chars = iter(value[1:-1])
        for char in chars:
            out.append(next(chars, "\\") if char == "\\" else char)
        value = "".join(out)
    return unquote(value, encoding="utf-8", errors="strict")


def encode(
    event: Event[Any],
    mode: Mode = Mode.STRUCTURED,
    *,
    validate: bool = True,
    added: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], bytes]:
    """Serialise ``event`` to ``(headers, payload)`` for a NATS message.

    The data is validated exactly once (see ``specgen_runtime.payload_json``): an event made
    by ``Event.create`` carries the JSON it validated, which is written as it is; the data of
    any other event (the constructor, ``model_construct``, ``model_copy(update=...)``) is
    serialised and validated here. ``validate=False`` skips that validation (for callers that
    validated these bytes themselves). ``added``: extension attributes written besides the
    event's own (the publisher's trace context; names the event has win).
    """
    try:
        data = wire_json(event, validate=validate)
        return encode_parts(event, data, mode, added)
    except ValidationError as exc:
        reason = format_validation_error(exc, prefix="data")
        raise EncodeError(f"event {event.id!r}: data is invalid: {reason}") from exc
    except EncodeError as exc:
        if str(exc).startswith("event "):
            raise
        raise EncodeError(f"event {event.id!r}: {exc}") from exc


def create_encoded(
    event_cls: type[E],
    data: Any,
    params: Mapping[str, str],
    mode: Mode = Mode.STRUCTURED,
    *,
    id: str | None = None,
    time: datetime | None = None,
    subject: str | None = None,
    extensions: dict[str, str] | None = None,
) -> tuple[E, dict[str, str], bytes]:
    """``Event.create`` and ``encode`` in one step: the data validated once, serialised once.

    ``params`` fill the source template; the other arguments are create's.
    """
    event = event_cls.create(
        data, id=id, time=time, subject=subject, extensions=extensions, **params
    )
    return (event, *encode_parts(event, event.__dict__[SNAPSHOT][1], mode))


def encode_parts(
    event: Event[Any], data: bytes, mode: Mode, added: Mapping[str, str] | None = None
) -> tuple[dict[str, str], bytes]:
    """``(headers, payload)`` of ``event`` around ``data``, its data's validated JSON."""
    parts = template(type(event), event.source)
    time = format_time(event.time)
    extensions = event.extensions if not added else {**added, **event.extensions}
    if mode is Mode.BINARY:
        headers = parts.binary_headers(event.id, time, event.subject, extensions)
    else:
        headers = {"Content-Type": CONTENT_TYPE_STRUCTURED, MSG_ID_HEADER: event.id}
        data = parts.structured(event.id, time, event.subject, extensions, data)
    if parts.mqtt_qos1:
        headers[QOS_HEADER] = "1"
    return headers, data


def decode(event_cls: type[E], headers: Mapping[str, str] | None, payload: bytes) -> E:
    """Parse a NATS message into an ``event_cls`` event, in either content mode.

    Binary mode is recognised by a ``ce-specversion`` header (names are case-insensitive).
    Raises DecodeError whose ``reason`` names the attribute or data field at fault.
    """
    lower = {k.lower(): v for k, v in headers.items()} if headers else {}
    if "ce-specversion" in lower:
        return _decode_binary(event_cls, lower, payload)
    content_type = lower.get("content-type")
    if content_type is not None and not content_type.startswith(CONTENT_TYPE_STRUCTURED):
        raise DecodeError(
            f"not a CloudEvent: no ce-specversion header (binary mode) and Content-Type "
            f"{content_type!r} is not {CONTENT_TYPE_STRUCTURED!r} (structured mode)"
        )
    return _decode_structured(event_cls, payload)


def _check_type(event_cls: type[Event[Any]], specversion: object, event_type: object) -> None:
    if specversion != SPECVERSION:
        raise DecodeError(f"attribute 'specversion' is {specversion!r}, expected '1.0'")
    expected = event_cls.SPEC.type
    if event_type != expected:
        raise DecodeError(f"attribute 'type' is {event_type!r}, expected {expected!r}")


def _build(event_cls: type[E], attributes: dict[str, Any]) -> E:
    try:
        return event_cls.assemble(attributes)
    except ValidationError as exc:
        reason = format_validation_error(exc)
        raise DecodeError(f"invalid attribute: {reason}") from exc


def _decode_binary(event_cls: type[E], headers: dict[str, str], payload: bytes) -> E:
    attrs: dict[str, str] = {}
    extensions: dict[str, str] = {}
    for key, raw in headers.items():
        if not key.startswith("ce-"):
            continue
        name = key[3:]
        try:
            value = percent_decode(raw)
        except UnicodeDecodeError as exc:
            raise DecodeError(f"header {key!r} is not percent-encoded UTF-8: {exc}") from exc
        (attrs if name in _BINARY_KNOWN else extensions)[name] = value
    _check_type(event_cls, attrs.get("specversion"), attrs.get("type"))
    content_type = headers.get("content-type", CONTENT_TYPE_JSON)
    if not content_type.startswith(CONTENT_TYPE_JSON):
        raise DecodeError(f"Content-Type is {content_type!r}, expected {CONTENT_TYPE_JSON!r}")
    for name in ("id", "source", "time"):
        if name not in attrs:
            raise DecodeError(f"missing required attribute {name!r} (header 'ce-{name}')")
    try:
        time = datetime.fromisoformat(attrs["time"])
    except ValueError as exc:
        raise DecodeError(f"attribute 'time' is not RFC 3339: {attrs['time']!r}") from exc
    model = event_cls.data_model()
    try:
        data = model.__pydantic_validator__.validate_json(payload)
    except ValidationError as exc:
        raise DecodeError(_wire_reason(exc, payload, in_data=True)) from exc
    return _build(
        event_cls,
        {
            "id": attrs["id"],
            "source": attrs["source"],
            "time": time,
            "subject": attrs.get("subject"),
            "data": data,
            "extensions": extensions,
        },
    )


def _wire_model(event_cls: type[Event[Any]]) -> type[BaseModel]:
    wire = event_cls.__dict__.get(_WIRE_ATTR)
    if wire is None:
        wire = create_model(
            f"{event_cls.__name__}Wire",
            __config__=ConfigDict(extra="allow", strict=True),
            specversion=(str, ...),
            id=(str, ...),
            source=(str, ...),
            type=(str, ...),
            subject=(str | None, None),
            time=(datetime, ...),
            datacontenttype=(str | None, None),
            dataschema=(str | None, None),
            data=(event_cls.data_model(), ...),
        )
        type.__setattr__(event_cls, _WIRE_ATTR, wire)
    assert isinstance(wire, type) and issubclass(wire, BaseModel)
    return wire


def _decode_structured(event_cls: type[E], payload: bytes) -> E:
    try:
        wire = _wire_model(event_cls).__pydantic_validator__.validate_json(payload)
    except ValidationError as exc:
        _explain_type_mismatch(event_cls, payload)
        raise DecodeError(_wire_reason(exc, payload, in_data=False)) from exc
    values = wire.__dict__
    _check_type(event_cls, values["specversion"], values["type"])
    content_type = values["datacontenttype"]
    if content_type is not None and not content_type.startswith(CONTENT_TYPE_JSON):
        raise DecodeError(
            f"attribute 'datacontenttype' is {content_type!r}, expected {CONTENT_TYPE_JSON!r}"
        )
    extensions = {name: _extension_text(name, v) for name, v in wire.__pydantic_extra__.items()}
    return _build(
        event_cls,
        {
            "id": values["id"],
            "source": values["source"],
            "time": values["time"],
            "subject": values["subject"],
            "data": values["data"],
            "extensions": extensions,
        },
    )


def _extension_text(name: str, value: object) -> str:
    if name == "data_base64":
        raise DecodeError("binary data ('data_base64') is not supported: data must be JSON")
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    raise DecodeError(f"extension attribute {name!r} must be a string, got {value!r}")


def _explain_type_mismatch(event_cls: type[Event[Any]], payload: bytes) -> None:
    """On the error path, prefer 'wrong event type' over complaints about its data."""
    try:
        document = json.loads(payload)
    except ValueError:
        return
    if isinstance(document, dict) and "type" in document:
        _check_type(event_cls, document.get("specversion"), document["type"])


def _wire_reason(exc: ValidationError, payload: bytes, *, in_data: bool) -> str:
    details = exc.errors(include_url=False)
    first = details[0]
    if first["type"] == "json_invalid":
        try:
            payload.decode("utf-8")
        except UnicodeDecodeError as err:
            return f"payload is not valid UTF-8: {err}"
        return f"payload is not valid JSON: {first['msg']}"
    if in_data:
        return "invalid data: " + format_validation_error(exc, prefix="data")
    if not first["loc"]:
        return "payload must be a JSON object (the CloudEvents JSON format)"
    if first["loc"][0] == "data":
        return "invalid data: " + format_validation_error(exc)
    name = first["loc"][0]
    if first["type"] == "missing":
        return f"missing required attribute {name!r}"
    return f"attribute {name!r}: {first['msg']}"
