"""Constant envelope bytes: the CloudEvents attributes around an event's data, built once.

For one event class and one ``source``, everything a structured-mode payload carries besides
``id``, ``time``, ``subject``, extensions and ``data`` is the same for every event: those
bytes (and the constant ``ce-`` headers of binary mode) are made once and cached, and each
event joins them with its own few parts. Attribute order is fixed (see codec): specversion,
id, source, type, subject, time, datacontenttype, dataschema, extensions by name, data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from json.encoder import encode_basestring
from typing import Any
from urllib.parse import quote

from specgen_runtime.errors import EncodeError

__all__ = ["CONTENT_TYPE_STRUCTURED", "MSG_ID_HEADER", "Template", "percent_encode", "template"]

CONTENT_TYPE_STRUCTURED = "application/cloudevents+json"
CONTENT_TYPE_JSON = "application/json"
MSG_ID_HEADER = "Nats-Msg-Id"
_SAFE = "".join(c for c in map(chr, range(0x21, 0x7F)) if c not in '"%')
_HEAD = b'{"specversion":"1.0","id":'
_TIME = b',"time":"'
_DATA = b',"data":'
_MAX_TEMPLATES = 4096


def percent_encode(value: str) -> str:
    """Percent-encode a header value as the CloudEvents NATS/HTTP bindings prescribe."""
    return quote(value, safe=_SAFE, encoding="utf-8", errors="strict")


def quoted(text: str, what: str = "attribute") -> bytes:
    """``text`` as a JSON string in UTF-8; EncodeError for text that is not valid Unicode."""
    try:
        return encode_basestring(text).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise EncodeError(f"{what} is not valid Unicode: {exc}") from exc


def format_time(value: datetime) -> str:
    """RFC 3339 in UTC with a ``Z`` suffix."""
    if value.tzinfo is not UTC:  # Event normalises to UTC; only model_construct skips that
        if value.tzinfo is None:
            raise EncodeError("event time is not timezone-aware")
        value = value.astimezone(UTC)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


@dataclass(frozen=True, slots=True)
class Template:
    """The constant parts of one event class's messages for one ``source``."""

    after_id: bytes  # ,"source":...,"type":...
    after_time: bytes  # ","datacontenttype":"application/json"[,"dataschema":...]
    source_header: str
    type_header: str
    dataschema_header: str | None
    mqtt_qos1: bool = False  # the event type is served over MQTT at QoS 1 (see ``mqtt``)

    def structured(
        self,
        event_id: str,
        time: str,
        subject: str | None,
        extensions: Mapping[str, str],
        data: bytes,
    ) -> bytes:
        """The CloudEvents JSON format of one event."""
        parts = [_HEAD, quoted(event_id), self.after_id]
        if subject is not None:
            parts += (b',"subject":', quoted(subject))
        parts += (_TIME, time.encode("ascii"), self.after_time)
        for name in sorted(extensions):
            parts += (b',"', name.encode("ascii"), b'":', quoted(extensions[name]))
        parts += (_DATA, data, b"}")
        return b"".join(parts)

    def binary_headers(
        self, event_id: str, time: str, subject: str | None, extensions: Mapping[str, str]
    ) -> dict[str, str]:
        """The ``ce-`` headers of binary mode, in the codec's fixed order."""
        try:
            headers = {
                "ce-specversion": "1.0",
                "ce-id": percent_encode(event_id),
                "ce-source": self.source_header,
                "ce-type": self.type_header,
                "ce-time": time,
            }
            if subject is not None:
                headers["ce-subject"] = percent_encode(subject)
            if self.dataschema_header is not None:
                headers["ce-dataschema"] = self.dataschema_header
            for name in sorted(extensions):
                headers["ce-" + name] = percent_encode(extensions[name])
        except UnicodeEncodeError as exc:
            raise EncodeError(f"attribute is not valid Unicode: {exc}") from exc
        headers["Content-Type"] = CONTENT_TYPE_JSON
        headers[MSG_ID_HEADER] = event_id
        return headers


_TEMPLATES: dict[tuple[Any, str], Template] = {}


def template(event_cls: Any, source: str) -> Template:
    """The cached template of an Event class with ``source`` (keyed by the class itself)."""
    key = (event_cls, source)
    cached = _TEMPLATES.get(key)
    if cached is not None:
        return cached
    spec: Any = event_cls.SPEC
    after_time = b'","datacontenttype":"application/json"'
    if spec.dataschema is not None:
        after_time += b',"dataschema":' + quoted(spec.dataschema)
    try:
        made = Template(
            after_id=b',"source":' + quoted(source) + b',"type":' + quoted(spec.type),
            after_time=after_time,
            source_header=percent_encode(source),
            type_header=percent_encode(spec.type),
            dataschema_header=None if spec.dataschema is None else percent_encode(spec.dataschema),
            mqtt_qos1=spec.mqtt is not None and spec.mqtt.qos == 1,
        )
    except UnicodeEncodeError as exc:
        raise EncodeError(f"attribute is not valid Unicode: {exc}") from exc
    if len(_TEMPLATES) >= _MAX_TEMPLATES:  # many sources (a hub for many sites): start over
        _TEMPLATES.clear()
    _TEMPLATES[key] = made
    return made
