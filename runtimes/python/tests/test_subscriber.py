"""Subscribing against a real nats-server: ack/nak/term, dead-lettering, core NATS."""

from __future__ import annotations

import contextlib
import json
import time

import pytest
from nats.aio.client import Client
from sample_events import (
    OrderCreatedV1,
    PowerReadingV1,
    Reading,
    add_dead_letter_stream,
    add_order_streams,
    order,
)
from specgen_runtime import DeadLetter, DecodeError, EventPublisher, Mode, encode, subscribe
from specgen_runtime.deadletter import EVENT_TYPE_HEADER, ORIGINAL_SUBJECT_HEADER, REASON_HEADER

from tests.nats_helpers import settled_consumer

SUBJECT = OrderCreatedV1.SPEC.subject_for(site_id="site-0001")
DEAD_LETTER = "pf.site-0001.deadletter.orders"


async def publish_orders(nc: Client, count: int, mode: Mode = Mode.STRUCTURED) -> list[str]:
    publisher = EventPublisher(nc, mode=mode)
    ids = []
    for i in range(count):
        event = OrderCreatedV1.create(order(f"o-{i}"), site_id="site-0001")
        await publisher.publish(event, SUBJECT)
        ids.append(event.id)
    return ids


@pytest.mark.parametrize("mode", [Mode.STRUCTURED, Mode.BINARY])
async def test_receive_and_ack(nc: Client, mode: Mode) -> None:
    await add_order_streams(nc.jetstream())
    ids = await publish_orders(nc, 3, mode)
    async with subscribe(nc, OrderCreatedV1, params={"site_id": "site-0001"}, durable="c1") as sub:
        received = [await sub.next(timeout=5) for _ in ids]
        assert [r.event.id for r in received] == ids
        assert [r.stream_seq for r in received] == [1, 2, 3]
        assert all(r.num_delivered == 1 and r.subject == SUBJECT for r in received)
        for r in received:
            await r.ack(confirm=True)
        info = await nc.jetstream().consumer_info("ORDERS", "c1")
        assert info.num_ack_pending == 0 and info.delivered.stream_seq == 3


async def test_all_sites_filter(nc: Client) -> None:
    await add_order_streams(nc.jetstream())
    publisher = EventPublisher(nc)
    for site in ("site-a", "site-b"):
        event = OrderCreatedV1.create(order(), site_id=site)
        await publisher.publish(event, OrderCreatedV1.SPEC.subject_for(site_id=site))
    async with subscribe(nc, OrderCreatedV1) as sub:
        sources = {(await sub.next(timeout=5)).event.source for _ in range(2)}
    assert sources == {"/sites/site-a/orders", "/sites/site-b/orders"}


async def test_nak_redelivers_and_term_does_not(nc: Client) -> None:
    await add_order_streams(nc.jetstream())
    first, second = await publish_orders(nc, 2)
    async with subscribe(nc, OrderCreatedV1, durable="c1") as sub:
        one = await sub.next(timeout=5)
        assert one.event.id == first
        await one.nak()
        two = await sub.next(timeout=5)
        assert (two.event.id, two.num_delivered) == (second, 1)
        await two.in_progress()
        await two.ack(confirm=True)
        again = await sub.next(timeout=5)
        assert (again.event.id, again.num_delivered, again.stream_seq) == (first, 2, 1)
        await again.term()
        info = await settled_consumer(nc.jetstream(), "ORDERS", "c1")
        assert info.num_ack_pending == 0 and info.num_pending == 0
        assert info.num_redelivered == 0  # terminated: nothing waits for redelivery


async def test_durable_consumer_resumes_after_close(nc: Client) -> None:
    await add_order_streams(nc.jetstream())
    ids = await publish_orders(nc, 2)
    async with subscribe(nc, OrderCreatedV1, durable="billing") as sub:
        await (await sub.next(timeout=5)).ack()
    async with subscribe(nc, OrderCreatedV1, durable="billing") as sub:
        assert (await sub.next(timeout=5)).event.id == ids[1]


async def test_ephemeral_consumer_is_deleted_on_close(nc: Client) -> None:
    js = nc.jetstream()
    await add_order_streams(js)
    async with subscribe(nc, OrderCreatedV1):
        assert (await js.stream_info("ORDERS")).state.consumer_count == 1
    assert (await js.stream_info("ORDERS")).state.consumer_count == 0


async def test_malformed_messages_are_dead_lettered_and_the_next_good_one_arrives(
    nc: Client,
) -> None:
    js = nc.jetstream()
    await add_order_streams(js)
    good_headers, good = encode(OrderCreatedV1.create(order(), site_id="site-0001"))
    document = json.loads(good)
    wrong_type = json.dumps({**document, "type": "com.example.other.v1"}).encode()
    bad_data = json.dumps({**document, "data": {"order_id": 5}}).encode()
    structured = {"Content-Type": "application/cloudevents+json", "X-Trace": "t1"}
    for payload in (b"{not json", wrong_type, bad_data):
        await js.publish(SUBJECT, payload, headers=structured)
    await js.publish(SUBJECT, good, headers=good_headers)

    async with subscribe(nc, OrderCreatedV1, durable="c1") as sub:
        received = await sub.next(timeout=5)
        assert received.event.id == good_headers["Nats-Msg-Id"]
        await received.ack()
        assert sub.dead_lettered == 3
        info = await settled_consumer(js, "ORDERS", "c1")
        assert info.num_ack_pending == 0  # the bad ones were terminated, the good one acked

    dead = [await js.get_msg("DEADLETTER", seq) for seq in (1, 2, 3)]
    assert [m.subject for m in dead] == [DEAD_LETTER] * 3
    assert [m.data for m in dead] == [b"{not json", wrong_type, bad_data]
    reasons = [m.headers[REASON_HEADER] for m in dead if m.headers]
    assert "not valid JSON" in reasons[0]
    assert "attribute 'type' is 'com.example.other.v1'" in reasons[1]
    assert "data.order_id" in reasons[2]
    for m in dead:
        assert m.headers is not None
        assert m.headers[ORIGINAL_SUBJECT_HEADER] == SUBJECT
        assert m.headers[EVENT_TYPE_HEADER] == OrderCreatedV1.SPEC.type
        assert m.headers["X-Trace"] == "t1"


async def test_failed_dead_letter_naks_so_nothing_is_lost(nc: Client) -> None:
    js = nc.jetstream()
    await add_order_streams(js, dead_letter=False)
    await js.publish(SUBJECT, b"garbage", headers={"Content-Type": "application/cloudevents+json"})
    config = DeadLetter(ack_timeout=1.0, retry_delay=0.2)
    async with subscribe(nc, OrderCreatedV1, durable="c1", dead_letter=config) as sub:
        with pytest.raises(TimeoutError):
            await sub.next(timeout=0.5)  # no stream takes the dead letter: nak-ed, kept
        assert sub.dead_lettered == 0
        info = await js.consumer_info("ORDERS", "c1")
        assert info.num_ack_pending + info.num_pending == 1
        await add_dead_letter_stream(js)
        ids = await publish_orders(nc, 1)
        assert (await sub.next(timeout=5)).event.id == ids[0]
        deadline = time.monotonic() + 10
        while sub.dead_lettered == 0 and time.monotonic() < deadline:
            with contextlib.suppress(TimeoutError):
                await sub.next(timeout=0.2)  # lets the redelivered message be dead-lettered
        assert sub.dead_lettered == 1
    dead = await js.get_msg("DEADLETTER", 1)
    assert dead.data == b"garbage"
    assert dead.headers is not None and "not valid JSON" in dead.headers[REASON_HEADER]


async def test_without_dead_letter_the_error_is_raised_and_the_subscription_goes_on(
    nc: Client,
) -> None:
    js = nc.jetstream()
    await add_order_streams(js)
    await js.publish(SUBJECT, b"garbage", headers={"Content-Type": "application/cloudevents+json"})
    ids = await publish_orders(nc, 1)
    async with subscribe(nc, OrderCreatedV1, dead_letter=False) as sub:
        with pytest.raises(DecodeError, match="not valid JSON"):
            await sub.next(timeout=5)
        assert (await sub.next(timeout=5)).event.id == ids[0]


async def test_core_subscribe_and_core_dead_letter(nc: Client) -> None:
    dead_sub = await nc.subscribe("pf.s1.deadletter.telemetry")
    subject = PowerReadingV1.SPEC.subject_for(site_id="s1", charger_id="c1")
    async with subscribe(nc, PowerReadingV1, params={"site_id": "s1"}) as sub:
        await nc.publish(subject, b'"not a cloudevent"', headers={"Content-Type": "text/plain"})
        event = PowerReadingV1.create(Reading(1.5), site_id="s1", charger_id="c1")
        await EventPublisher(nc, mode=Mode.BINARY).publish(event, subject)
        received = await sub.next(timeout=5)
        assert received.event == event and received.stream_seq is None
        await received.ack()  # a no-op for core NATS
    dead = await dead_sub.next_msg(timeout=5)
    assert dead.data == b'"not a cloudevent"'
    assert dead.headers is not None and "not a CloudEvent" in dead.headers[REASON_HEADER]


def test_subscribe_any_needs_one_stream_and_delivery(nc: Client) -> None:
    from specgen_runtime import subscribe_any

    with pytest.raises(ValueError, match="one stream"):
        subscribe_any(nc, (OrderCreatedV1, PowerReadingV1), dead_letter=False)
    with pytest.raises(ValueError, match="at least one event class"):
        subscribe_any(nc, (), dead_letter=False)
    sub = subscribe_any(nc, (OrderCreatedV1,), params={"site_id": "s1"}, dead_letter=False)
    assert sub.subjects == ("pf.s1.orders.order_created.v1",)
