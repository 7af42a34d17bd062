"""End to end on a real nats-server with JetStream: the generated powerflex_events package
publishes and receives every example of the spec for one site, in both content modes.

Streams come from generated/ir.json (see site_streams.py). Every wait is bounded: a
subscription's ``next(timeout=...)`` or a pull ``fetch(timeout=...)``; nothing sleeps.
"""

from __future__ import annotations

import copy
import json
from collections import Counter, defaultdict
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import jsonschema
import pytest
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import RetentionPolicy, StorageType
from powerflex_events import (
    OrdersPublisher,
    OrdersSubscriber,
    TelemetryPublisher,
    TelemetrySubscriber,
)
from site_streams import (  # type: ignore[import-not-found]
    SITE,
    Example,
    create_site_streams,
    domain_publisher,
    domain_subscriber,
    examples,
    fill,
    load_ir,
    site_stream_configs,
    subject_matches,
)
from specgen_runtime import (
    Mode,
    NotAcknowledgedError,
    PublishBatchError,
    Received,
    encode,
)
from specgen_runtime.deadletter import EVENT_TYPE_HEADER, ORIGINAL_SUBJECT_HEADER, REASON_HEADER

from tests.nats_helpers import settled_consumer

TIMEOUT = 5.0  # bound of every wait for a message
TIME = datetime(2025, 3, 14, 9, 26, 53, 125000, tzinfo=UTC)
MODES = pytest.mark.parametrize("mode", [Mode.STRUCTURED, Mode.BINARY], ids=lambda m: m.value)
DEAD_LETTER_STREAM = load_ir()["topology"]["dead_letter_stream"]["name"]


def first_example(event_name: str) -> Example:
    return next(ex for ex in examples() if ex.event["name"] == event_name)


def wire_json(data: Any) -> Any:
    """The data as it goes on the wire (absent optional properties stay absent)."""
    return json.loads(data.model_dump_json(by_alias=True, exclude_unset=True))


def assert_wire_mode(received: Received[Any], mode: Mode) -> None:
    headers = {k.lower(): v for k, v in received.headers.items()}
    if mode is Mode.BINARY:
        assert headers["ce-id"] == received.event.id
        assert headers["content-type"] == "application/json"
    else:
        assert "ce-id" not in headers
        assert headers["content-type"] == "application/cloudevents+json"
    assert headers["nats-msg-id"] == received.event.id


def assert_received(received: Received[Any], event_id: str, example: Example) -> None:
    event = received.event
    assert type(event) is example.event_cls
    assert event.id == event_id
    assert event.type == example.event["type"]
    assert event.source == fill(example.event["source_template"], SITE)
    assert event.time == TIME
    assert received.subject == example.subject()
    assert wire_json(event.data) == example.payload


async def fetch_one(js: JetStreamContext, stream: str, subject: str) -> Msg:
    """The first message of ``subject`` in ``stream`` (bounded wait), acknowledged."""
    sub = await js.pull_subscribe(subject, stream=stream)
    try:
        (msg,) = await sub.fetch(1, timeout=TIMEOUT)
        await msg.ack()
        return msg
    finally:
        await sub.unsubscribe()


# -- the streams ------------------------------------------------------------------------------


async def test_site_streams_match_the_ir(nc: Client) -> None:
    ir = load_ir()
    infos = {info.config.name: info for info in await create_site_streams(nc.jetstream())}
    expected = [d["stream"] for d in ir["domains"] if d["stream"]]
    expected.append(ir["topology"]["dead_letter_stream"])
    assert set(infos) == {s["name"] for s in expected}
    for stream in expected:
        config = infos[stream["name"]].config
        assert config.subjects == [fill(s, SITE) for s in stream["subjects"]]
        assert all("{" not in s for s in config.subjects or [])
        assert config.num_replicas == 1
        assert config.duplicate_window == stream["duplicate_window_ms"] / 1000
        assert config.max_age == stream["max_age_ms"] / 1000
        assert RetentionPolicy(config.retention) is RetentionPolicy(stream["retention"])
        assert StorageType(config.storage) is StorageType(stream["storage"])

    def capturing(subject: str) -> list[str]:
        return [
            c.name
            for c in site_stream_configs(SITE)
            if any(subject_matches(p, subject) for p in c.subjects or [])
        ]

    for domain in ir["domains"]:
        assert capturing(fill(domain["dead_letter_template"], SITE)) == [DEAD_LETTER_STREAM]
        for event in domain["events"]:
            stored_in = capturing(fill(event["subject_template"], SITE))
            # A JetStream event is captured by exactly its own stream; core NATS by none.
            assert stored_in == ([event["stream"]] if event["delivery"] == "jetstream" else [])


# -- every example, both modes ----------------------------------------------------------------


@MODES
async def test_every_example_round_trips(nc: Client, mode: Mode) -> None:
    js = nc.jetstream()
    await create_site_streams(js)
    every = list(examples())
    events = {ex.event["type"]: ex for ex in every}
    all_types = {e["type"] for d in load_ir()["domains"] for e in d["events"]}
    assert set(events) == all_types, "every event of the spec needs at least one example"

    sent: dict[str, list[tuple[str, Example]]] = defaultdict(list)
    async with AsyncExitStack() as stack:
        # Core NATS keeps nothing: subscribe before publishing.
        core_subs = {}
        for event_type, ex in events.items():
            if not ex.jetstream:
                subscriber = domain_subscriber(ex.domain)(nc)
                subscription = getattr(subscriber, ex.event["method"])(site_id=SITE)
                core_subs[event_type] = await stack.enter_async_context(subscription)
        await nc.flush(timeout=5)  # the server has registered the subscriptions

        publishers = {ex.domain: domain_publisher(ex.domain)(nc, mode=mode) for ex in every}
        for index, ex in enumerate(every):
            event_id = f"{mode.value}-{index:03d}-{ex.name}"
            method = getattr(publishers[ex.domain], ex.event["method"])
            result = await method(ex.data(), site_id=SITE, id=event_id, time=TIME)
            if ex.jetstream:
                assert (result.stream, result.duplicate) == (ex.event["stream"], False)
                assert isinstance(result.seq, int) and result.seq >= 1
            else:
                assert (result.stream, result.seq, result.duplicate) == (None, None, False)
            sent[ex.event["type"]].append((event_id, ex))

        for event_type, items in sent.items():
            ex = items[0][1]
            if ex.jetstream:
                subscriber = domain_subscriber(ex.domain)(nc)
                durable = f"e2e_{ex.event['method']}"
                subscription = getattr(subscriber, ex.event["method"])(
                    site_id=SITE, durable=durable
                )
                async with subscription as sub:
                    for event_id, example in items:
                        received = await sub.next(timeout=TIMEOUT)
                        assert_received(received, event_id, example)
                        assert_wire_mode(received, mode)
                        assert received.num_delivered == 1
                        await received.ack()
                    assert sub.dead_lettered == 0
                info = await settled_consumer(js, ex.event["stream"], durable)
                assert (info.num_pending, info.num_ack_pending) == (0, 0), (event_type, info)
                assert info.delivered is not None and info.delivered.consumer_seq == len(items)
            else:
                sub = core_subs[event_type]
                for event_id, example in items:
                    received = await sub.next(timeout=TIMEOUT)
                    assert_received(received, event_id, example)
                    assert_wire_mode(received, mode)
                    assert received.stream_seq is None
                    await received.ack()  # a no-op for core NATS, must not fail

    # Each stream holds exactly the durable examples of its domain, once, on their subjects.
    per_stream: dict[str, Counter[str]] = defaultdict(Counter)
    for ex in every:
        if ex.jetstream:
            per_stream[ex.event["stream"]][ex.subject()] += 1
    for stream, subjects in per_stream.items():
        stream_info = await js.stream_info(stream, subjects_filter=">")
        assert stream_info.state.messages == sum(subjects.values())
        assert stream_info.state.subjects == dict(subjects)
    dead = await js.stream_info(DEAD_LETTER_STREAM)
    assert dead.state.messages == 0


# -- deduplication ----------------------------------------------------------------------------


@MODES
async def test_same_event_id_is_stored_once(nc: Client, mode: Mode) -> None:
    js = nc.jetstream()
    await create_site_streams(js)
    ex = first_example("OrderCreatedV1")
    publisher = OrdersPublisher(nc, mode=mode)

    first = await publisher.order_created_v1(ex.data(), site_id=SITE, id="dup-1", time=TIME)
    again = await publisher.order_created_v1(ex.data(), site_id=SITE, id="dup-1", time=TIME)
    assert (first.stream, first.duplicate) == ("ORDERS", False)
    assert (again.stream, again.seq, again.duplicate) == ("ORDERS", first.seq, True)
    info = await js.stream_info("ORDERS", subjects_filter=">")
    assert info.state.messages == 1
    assert info.state.subjects == {ex.subject(): 1}

    # Dedupe is by event id only; a new id is a new event.
    other = await publisher.order_created_v1(ex.data(), site_id=SITE, id="dup-2", time=TIME)
    assert first.seq is not None and (other.duplicate, other.seq) == (False, first.seq + 1)
    info = await js.stream_info("ORDERS", subjects_filter=">")
    assert info.state.messages == 2
    assert info.state.subjects == {ex.subject(): 2}


# -- dead letters -----------------------------------------------------------------------------


def _violate(event_name: str, payload: Any) -> Any:
    """A copy of an example payload that breaks the event's JSON Schema."""
    bad = copy.deepcopy(payload)
    if event_name == "OrderCreatedV1":
        bad["total"]["amount_minor"] = -1  # minimum 0
    elif event_name == "BatteryStateV1":
        bad["soc"] = 101  # a percentage
    else:
        raise AssertionError(event_name)
    return bad


def _bad_message(kind: str, ex: Example, wrong: Example) -> tuple[dict[str, str], bytes, str]:
    """(headers, payload, expected fragment of the dead-letter reason) of a malformed message."""
    good = ex.event_cls.create(ex.data(), id=f"bad-{kind}", time=TIME, site_id=SITE)
    if kind == "bad_json":
        headers = {"Content-Type": "application/cloudevents+json"}
        return headers, b'{"specversion": "1.0", "id": "bad-json", "data": {', "not valid JSON"
    if kind == "wrong_type":
        other = wrong.event_cls.create(wrong.data(), id="bad-type", time=TIME, site_id=SITE)
        headers, payload = encode(other)
        return headers, payload, "attribute 'type'"
    bad_data = _violate(ex.event["name"], ex.payload)
    schema_file = resources.files("powerflex_events") / "schemas" / f"{ex.event['type']}.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):  # truly a schema violation
        jsonschema.validate(bad_data, schema)
    if kind == "schema_violation":
        headers, payload = encode(good)
        document = json.loads(payload)
        document["data"] = bad_data
        return headers, json.dumps(document).encode(), "invalid data"
    assert kind == "schema_violation_binary"
    headers, _ = encode(good, Mode.BINARY)
    return headers, json.dumps(bad_data).encode(), "invalid data"


BAD_KINDS = pytest.mark.parametrize(
    "kind", ["bad_json", "wrong_type", "schema_violation", "schema_violation_binary"]
)


def _assert_dead_letter(
    msg: Msg, payload: bytes, fragment: str, subject: str, event_type: str
) -> None:
    assert msg.data == payload
    headers = msg.headers or {}
    assert fragment in headers[REASON_HEADER], headers[REASON_HEADER]
    assert headers[ORIGINAL_SUBJECT_HEADER] == subject
    assert headers[EVENT_TYPE_HEADER] == event_type


@BAD_KINDS
async def test_malformed_jetstream_message_is_dead_lettered(nc: Client, kind: str) -> None:
    js = nc.jetstream()
    await create_site_streams(js)
    ex, wrong = first_example("OrderCreatedV1"), first_example("OrderPaidV1")
    headers, payload, fragment = _bad_message(kind, ex, wrong)
    subject = ex.subject()
    await js.publish(subject, payload, headers=headers, timeout=TIMEOUT)  # stored, raw
    await OrdersPublisher(nc).order_created_v1(ex.data(), site_id=SITE, id="good", time=TIME)

    subscription = OrdersSubscriber(nc).order_created_v1(site_id=SITE, durable="dl")
    async with subscription as sub:
        received = await sub.next(timeout=TIMEOUT)
        assert_received(received, "good", ex)
        assert received.stream_seq == 2  # the malformed message was seq 1
        assert sub.dead_lettered == 1
        await received.ack()
    consumer = await settled_consumer(js, "ORDERS", "dl")
    assert (consumer.num_pending, consumer.num_ack_pending, consumer.num_redelivered) == (0, 0, 0)

    target = fill(load_ir()["domains"][0]["dead_letter_template"], SITE)
    assert target == f"pf.{SITE}.deadletter.orders"
    dead = await fetch_one(js, DEAD_LETTER_STREAM, target)
    _assert_dead_letter(dead, payload, fragment, subject, ex.event["type"])
    assert (await js.stream_info(DEAD_LETTER_STREAM)).state.messages == 1


@BAD_KINDS
async def test_malformed_core_message_is_dead_lettered(nc: Client, kind: str) -> None:
    js = nc.jetstream()
    await create_site_streams(js)
    ex, wrong = first_example("BatteryStateV1"), first_example("SolarOutputV1")
    headers, payload, fragment = _bad_message(kind, ex, wrong)
    subject = ex.subject()
    async with TelemetrySubscriber(nc).battery_state_v1(site_id=SITE) as sub:
        await nc.flush(timeout=5)
        await nc.publish(subject, payload, headers=headers)
        await TelemetryPublisher(nc).battery_state_v1(ex.data(), site_id=SITE, id="good", time=TIME)
        received = await sub.next(timeout=TIMEOUT)
        assert_received(received, "good", ex)
        assert sub.dead_lettered == 1

    dead = await fetch_one(js, DEAD_LETTER_STREAM, f"pf.{SITE}.deadletter.telemetry")
    _assert_dead_letter(dead, payload, fragment, subject, ex.event["type"])


# -- the caller learns when an event was not stored -------------------------------------------


async def test_publish_without_stream_raises_not_acknowledged(nc: Client) -> None:
    js = nc.jetstream()
    await create_site_streams(js, skip=frozenset({"ORDERS"}))
    ex = first_example("OrderCreatedV1")
    with pytest.raises(NotAcknowledgedError) as caught:
        await OrdersPublisher(nc).order_created_v1(ex.data(), site_id=SITE, id="lost")
    assert caught.value.maybe_stored is False
    assert caught.value.event_id == "lost"
    assert caught.value.subject == ex.subject()


async def test_publish_into_a_foreign_stream_is_refused(nc: Client) -> None:
    """A stream that merely captures the subject is not the event's stream: not stored."""
    js = nc.jetstream()
    await create_site_streams(js, skip=frozenset({"ORDERS"}))
    await js.add_stream(name="CATCH_ALL", subjects=[f"pf.{SITE}.orders.>"], duplicate_window=60.0)
    ex = first_example("OrderCreatedV1")
    with pytest.raises(NotAcknowledgedError) as caught:
        await OrdersPublisher(nc).order_created_v1(ex.data(), site_id=SITE, id="misrouted")
    assert caught.value.maybe_stored is False
    assert (await js.stream_info("CATCH_ALL")).state.messages == 0


async def test_pipelined_publish_without_stream_names_every_failure(nc: Client) -> None:
    ex = first_example("OrderCreatedV1")
    items = [
        (ex.event_cls.create(ex.data(), id=f"lost-{i}", site_id=SITE), ex.subject())
        for i in range(3)
    ]
    with pytest.raises(PublishBatchError) as caught:
        await OrdersPublisher(nc).publish_pipelined(items, window=2)
    assert [f.event_id for f in caught.value.failures] == ["lost-0", "lost-1", "lost-2"]
    assert all(isinstance(f.error, NotAcknowledgedError) for f in caught.value.failures)
    assert caught.value.results == [None, None, None]


# -- pipelining -------------------------------------------------------------------------------


@MODES
async def test_pipelined_publish_of_500_events(nc: Client, mode: Mode) -> None:
    js = nc.jetstream()
    await create_site_streams(js)
    orders = [ex for ex in examples() if ex.domain == "orders"]
    count = 500
    items = []
    for i in range(count):
        ex = orders[i % len(orders)]
        event = ex.event_cls.create(ex.data(), id=f"pipe-{i:04d}", time=TIME, site_id=SITE)
        items.append((event, ex.subject()))

    results = await OrdersPublisher(nc, mode=mode).publish_pipelined(items, window=64)
    assert len(results) == count
    assert all(r.stream == "ORDERS" and not r.duplicate for r in results)
    assert sorted(r.seq or 0 for r in results) == list(range(1, count + 1))

    info = await js.stream_info("ORDERS", subjects_filter=">")
    assert info.state.messages == count
    assert info.state.subjects == dict(Counter(subject for _, subject in items))

    # Read back one event type: every one is there, intact.
    expected = {e.id: e for e, _ in items if e.type == "com.powerflex.orders.order_created.v1"}
    seen = {}
    async with OrdersSubscriber(nc).order_created_v1(site_id=SITE, batch=64) as sub:
        for _ in expected:
            received = await sub.next(timeout=TIMEOUT)
            seen[received.event.id] = received.event
            await received.ack()
    assert seen == expected


# -- the IR itself ---------------------------------------------------------------------------


def test_ir_has_examples_for_both_deliveries() -> None:
    every = list(examples())
    assert len(every) >= 21
    assert {ex.jetstream for ex in every} == {True, False}
