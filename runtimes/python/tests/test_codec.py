"""The CloudEvents NATS binding: both content modes, determinism, errors, SDK interop."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from cloudevents.core.bindings.http import HTTPMessage, from_binary, to_binary
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from pydantic import ValidationError
from sample_events import LineItem, OrderCreated, OrderCreatedV1, PowerReadingV1, Reading, order
from specgen_runtime import DecodeError, EncodeError, Mode, decode, encode
from specgen_runtime.codec import percent_decode, percent_encode

TIME = datetime(2025, 3, 14, 9, 26, 53, 123456, tzinfo=UTC)


def make_event(**overrides: object) -> OrderCreatedV1:
    values: dict[str, object] = {
        "site_id": "site-0001",
        "id": "evt-1",
        "time": TIME,
        "subject": "charger 7 – café 100%",
        "extensions": {"traceparent": "00-abc-def-01", "note": 'ünïcødé "quoted" 50%'},
    }
    values.update(overrides)
    return OrderCreatedV1.create(order(), **values)  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", [Mode.STRUCTURED, Mode.BINARY])
def test_round_trip(mode: Mode) -> None:
    event = make_event()
    headers, payload = encode(event, mode)
    assert headers["Nats-Msg-Id"] == "evt-1"
    assert decode(OrderCreatedV1, headers, payload) == event


def test_structured_layout() -> None:
    headers, payload = encode(make_event())
    assert headers == {"Content-Type": "application/cloudevents+json", "Nats-Msg-Id": "evt-1"}
    document = json.loads(payload, object_pairs_hook=list)
    assert [key for key, _ in document] == [
        "specversion", "id", "source", "type", "subject", "time",
        "datacontenttype", "dataschema", "note", "traceparent", "data",
    ]  # fmt: skip
    values = dict(document)
    assert values["time"] == "2025-03-14T09:26:53.123456Z"
    assert values["note"] == 'ünïcødé "quoted" 50%'
    assert dict(values["data"])["created_at"] == "2025-03-14T09:26:53Z"


def test_binary_headers_are_percent_encoded() -> None:
    headers, payload = encode(make_event(), Mode.BINARY)
    assert headers["ce-specversion"] == "1.0"
    assert headers["ce-type"] == "com.example.orders.order_created.v1"
    assert headers["ce-time"] == "2025-03-14T09:26:53.123456Z"
    assert headers["ce-subject"] == "charger%207%20%E2%80%93%20caf%C3%A9%20100%25"
    assert headers["ce-note"] == "%C3%BCn%C3%AFc%C3%B8d%C3%A9%20%22quoted%22%2050%25"
    assert headers["ce-traceparent"] == "00-abc-def-01"
    assert headers["Content-Type"] == "application/json"
    assert all(0x21 <= ord(c) <= 0x7E for v in headers.values() for c in v)
    assert json.loads(payload)["order_id"] == "o-1"


def test_binary_header_names_are_case_insensitive() -> None:
    event = make_event()
    headers, payload = encode(event, Mode.BINARY)
    shouted = {key.upper(): value for key, value in headers.items()}
    assert decode(OrderCreatedV1, shouted, payload) == event


def test_percent_encoding_follows_the_binding() -> None:
    assert percent_encode("Euro € 😀") == "Euro%20%E2%82%AC%20%F0%9F%98%80"
    assert percent_decode("Euro%20%e2%82%ac") == "Euro €"  # lower-case hex accepted
    assert percent_decode('"a\\"b%20c"') == 'a"b c'  # RFC 7230 quoted string first
    with pytest.raises(UnicodeDecodeError):
        percent_decode("%C0%A0")  # overlong encoding of U+0020 must be rejected


def test_overlong_percent_encoding_is_a_decode_error() -> None:
    headers, payload = encode(make_event(), Mode.BINARY)
    headers["ce-subject"] = "%C0%A0"
    with pytest.raises(DecodeError, match="ce-subject"):
        decode(OrderCreatedV1, headers, payload)


@pytest.mark.parametrize("mode", [Mode.STRUCTURED, Mode.BINARY])
def test_encoding_is_deterministic(mode: Mode) -> None:
    first = make_event(extensions={"b": "2", "a": "1", "c": "3"})
    second = make_event(extensions={"c": "3", "a": "1", "b": "2"})
    assert encode(first, mode) == encode(second, mode) == encode(first, mode)


def test_root_model_payload_round_trip() -> None:
    event = PowerReadingV1.create(Reading(3.25), site_id="s1", charger_id="c1", time=TIME)
    headers, payload = encode(event)
    assert json.loads(payload)["data"] == 3.25
    assert decode(PowerReadingV1, headers, payload) == event


def test_model_construct_data_is_rejected_by_create_and_by_encode() -> None:
    bogus = OrderCreated.model_construct(order_id="", amount=-1.0, created_at=TIME, line_items=[])
    with pytest.raises(ValidationError, match="order_id"):
        OrderCreatedV1.create(bogus, site_id="s1")
    # Put together without create (the constructor does not revalidate a model instance):
    event = OrderCreatedV1(id="e1", source="/sites/s1/orders", time=TIME, data=bogus)
    with pytest.raises(EncodeError, match="order_id"):
        encode(event)


def test_an_event_sends_what_create_validated_and_copies_are_validated_again() -> None:
    data = order()
    event = OrderCreatedV1.create(data, site_id="s1")
    assert event.data == data and event.data is not data  # the event's own validated copy
    data.line_items.append(LineItem.model_construct(line_no=0, description="x"))
    assert len(json.loads(encode(event)[1])["data"]["line_items"]) == 1  # unaffected
    bad = order()
    bad.line_items.append(LineItem.model_construct(line_no=0, description="x"))
    with pytest.raises(EncodeError, match="line_no"):
        encode(event.model_copy(update={"data": bad}))
    good = order("o-2")
    assert (
        json.loads(encode(event.model_copy(update={"data": good}))[1])["data"]["order_id"] == "o-2"
    )


def test_create_accepts_a_mapping_and_holds_the_model() -> None:
    payload = order().model_dump()  # validated as OrderCreated.model_validate would
    event = OrderCreatedV1.create(payload, site_id="site-0001")
    assert isinstance(event.data, OrderCreated) and event.data == order()
    with pytest.raises(ValidationError, match="amount"):
        OrderCreatedV1.create(dict(payload, amount=-5), site_id="site-0001")


def test_create_of_a_model_construct_instance_holds_model_types() -> None:
    loose = OrderCreated.model_construct(
        order_id="o-1", amount=12.5, created_at=TIME.isoformat(), line_items=[]
    )
    event = OrderCreatedV1.create(loose, site_id="s1")
    assert event.data.created_at == TIME  # a datetime again, not the string it was given


def _structured(**changes: object) -> bytes:
    document = json.loads(encode(make_event())[1])
    for key, value in changes.items():
        if value is None:
            document.pop(key)
        else:
            document[key] = value
    return json.dumps(document).encode()


STRUCTURED = {"Content-Type": "application/cloudevents+json"}


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b'{"specversion": "1.0", ', "not valid JSON"),
        (b'{"id": "\xff"}', "not valid UTF-8"),
        (b"[1, 2]", "must be a JSON object"),
        (_structured(type="com.example.other.v1"), "attribute 'type' is 'com.example.other.v1'"),
        (_structured(specversion="0.3"), "attribute 'specversion' is '0.3'"),
        (_structured(id=None), "missing required attribute 'id'"),
        (_structured(time="yesterday"), "attribute 'time'"),
        (_structured(time="2025-01-01T00:00:00"), "timezone-aware"),
        (_structured(id=""), "id"),
        (_structured(data={"order_id": "o"}), "data.amount: Field required"),
        (_structured(data=dict(json.loads(_structured())["data"], amount="12")), "data.amount"),
        (
            _structured(data=dict(json.loads(_structured())["data"], line_items=[{}])),
            "data.line_items.0.line_no",
        ),
        (_structured(datacontenttype="text/xml"), "datacontenttype"),
        (_structured(data_base64="AAAA"), "data_base64"),
        (_structured(Bad="x"), "extension name 'Bad'"),
    ],
)
def test_structured_decode_errors_name_the_problem(payload: bytes, reason: str) -> None:
    with pytest.raises(DecodeError) as caught:
        decode(OrderCreatedV1, STRUCTURED, payload)
    assert reason in caught.value.reason


def test_binary_decode_errors_name_the_problem() -> None:
    headers, payload = encode(make_event(), Mode.BINARY)
    with pytest.raises(DecodeError, match="attribute 'type'"):
        decode(OrderCreatedV1, {**headers, "ce-type": "x"}, payload)
    with pytest.raises(DecodeError, match="'ce-source'"):
        decode(OrderCreatedV1, {k: v for k, v in headers.items() if k != "ce-source"}, payload)
    with pytest.raises(DecodeError, match="data.order_id"):
        decode(OrderCreatedV1, headers, payload.replace(b'"o-1"', b"1"))
    with pytest.raises(DecodeError, match="not valid JSON"):
        decode(OrderCreatedV1, headers, b"{")


def test_plain_json_is_not_a_cloudevent() -> None:
    with pytest.raises(DecodeError, match="not a CloudEvent"):
        decode(OrderCreatedV1, {"Content-Type": "application/json"}, b'{"order_id": "o"}')


def test_sdk_reads_our_structured_json() -> None:
    event = make_event()
    parsed = JSONFormat().read(None, encode(event)[1])
    assert parsed.get_id() == "evt-1"
    assert parsed.get_type() == event.type
    assert parsed.get_source() == event.source
    assert parsed.get_subject() == event.subject
    assert parsed.get_time() == TIME
    assert parsed.get_dataschema() == event.dataschema
    assert parsed.get_extension("traceparent") == "00-abc-def-01"
    assert parsed.get_data() == json.loads(event.data.model_dump_json())


def test_sdk_reads_our_binary_headers() -> None:
    event = make_event()
    headers, payload = encode(event, Mode.BINARY)
    parsed = from_binary(HTTPMessage(headers=headers, body=payload), JSONFormat())
    assert parsed.get_subject() == event.subject
    assert parsed.get_extension("note") == event.extensions["note"]
    assert parsed.get_time() == TIME


def _sdk_event() -> CloudEvent:
    return CloudEvent(
        {
            "id": "sdk-1",
            "type": OrderCreatedV1.SPEC.type,
            "source": "/sites/s1/orders",
            "time": TIME,
            "subject": "ü 1",
            "datacontenttype": "application/json",
            "traceparent": "00-1",
        },
        json.loads(order().model_dump_json()),
    )


def test_we_read_sdk_structured_json() -> None:
    payload = JSONFormat().write(_sdk_event())
    event = decode(OrderCreatedV1, STRUCTURED, payload)
    assert (event.id, event.subject, event.time) == ("sdk-1", "ü 1", TIME)
    assert event.extensions == {"traceparent": "00-1"}
    assert event.data == order()


def test_we_read_sdk_binary_message() -> None:
    message = to_binary(_sdk_event(), JSONFormat())
    event = decode(OrderCreatedV1, message.headers, message.body)
    assert (event.id, event.subject, event.data) == ("sdk-1", "ü 1", order())
