"""Publishing against a real nats-server: acks, dedupe, pipelining, errors, core NATS."""

from __future__ import annotations

import nats.js.errors
import pytest
from nats.aio.client import Client
from nats.js.api import StreamConfig
from pydantic import ValidationError
from sample_events import (
    OrderCreated,
    OrderCreatedV1,
    PowerReadingV1,
    Reading,
    add_order_streams,
    order,
)
from specgen_runtime import (
    EncodeError,
    EventPublisher,
    Mode,
    NotAcknowledgedError,
    PublishBatchError,
    PublishResult,
    SubjectError,
    decode,
)

SUBJECT = OrderCreatedV1.SPEC.subject_for(site_id="site-0001")


async def test_publish_is_acknowledged_and_stored(nc: Client) -> None:
    js = nc.jetstream()
    await add_order_streams(js)
    event = OrderCreatedV1.create(order(), site_id="site-0001")
    result = await EventPublisher(nc).publish(event, SUBJECT)
    assert result == PublishResult(stream="ORDERS", seq=1, duplicate=False)
    stored = await js.get_msg("ORDERS", 1)
    assert stored.headers is not None and stored.headers["Nats-Msg-Id"] == event.id
    assert stored.data is not None
    assert decode(OrderCreatedV1, stored.headers, stored.data) == event


async def test_duplicate_event_is_acknowledged_as_duplicate_and_stored_once(nc: Client) -> None:
    js = nc.jetstream()
    await add_order_streams(js)
    publisher = EventPublisher(nc, mode=Mode.BINARY)
    event = OrderCreatedV1.create(order(), site_id="site-0001")
    first = await publisher.publish(event, SUBJECT)
    again = await publisher.publish(event, SUBJECT)
    assert (first.duplicate, again.duplicate) == (False, True)
    assert again.seq == first.seq
    assert (await js.stream_info("ORDERS")).state.messages == 1


async def test_no_stream_means_not_acknowledged(nc: Client) -> None:
    event = OrderCreatedV1.create(order(), site_id="site-0001")
    with pytest.raises(NotAcknowledgedError) as caught:
        await EventPublisher(nc, ack_timeout=2.0).publish(event, SUBJECT)
    assert caught.value.maybe_stored is False
    assert caught.value.event_id == event.id and caught.value.subject == SUBJECT
    assert isinstance(caught.value.__cause__, nats.js.errors.NoStreamResponseError)


async def test_wrong_stream_is_rejected_by_expected_stream_header(nc: Client) -> None:
    js = nc.jetstream()
    await js.add_stream(StreamConfig(name="OTHER", subjects=["pf.>"], duplicate_window=120.0))
    event = OrderCreatedV1.create(order(), site_id="site-0001")
    with pytest.raises(NotAcknowledgedError, match="rejected") as caught:
        await EventPublisher(nc).publish(event, SUBJECT)
    assert caught.value.maybe_stored is False
    assert (await js.stream_info("OTHER")).state.messages == 0


async def test_invalid_events_and_subjects_are_refused_before_sending(nc: Client) -> None:
    await add_order_streams(nc.jetstream())
    publisher = EventPublisher(nc)
    event = OrderCreatedV1.create(order(), site_id="site-0001")
    with pytest.raises(SubjectError):
        await publisher.publish(event, "pf.*.orders.order_created.v1")
    bogus = OrderCreated.model_construct(order_id="o", amount="lots")
    with pytest.raises(ValidationError, match="amount"):
        OrderCreatedV1.create(bogus, site_id="s1")
    unchecked = OrderCreatedV1(id="e1", source="/sites/s1/orders", time=event.time, data=bogus)
    with pytest.raises(EncodeError, match="amount"):
        await publisher.publish(unchecked, SUBJECT)
    assert (await nc.jetstream().stream_info("ORDERS")).state.messages == 0


async def test_pipelined_publish_with_window(nc: Client) -> None:
    js = nc.jetstream()
    await add_order_streams(js)
    events = [OrderCreatedV1.create(order(f"o-{i}"), site_id="site-0001") for i in range(300)]
    results = await EventPublisher(nc).publish_pipelined(((e, SUBJECT) for e in events), window=16)
    assert len(results) == 300
    assert sorted(r.seq for r in results if r.seq is not None) == list(range(1, 301))
    assert all(r.stream == "ORDERS" and not r.duplicate for r in results)
    assert (await js.stream_info("ORDERS")).state.messages == 300


async def test_pipelined_batch_error_names_exactly_the_failed_events(nc: Client) -> None:
    js = nc.jetstream()
    await add_order_streams(js)
    items = []
    for i in range(20):
        site = "site-0001" if i % 5 else "nowhere"
        subject = f"pf.{site}.orders.order_created.v1" if i % 5 else "elsewhere.orders"
        items.append((OrderCreatedV1.create(order(f"o-{i}"), site_id=site), subject))
    with pytest.raises(PublishBatchError) as caught:
        await EventPublisher(nc, ack_timeout=2.0).publish_pipelined(items, window=4)
    failed = {f.event_id for f in caught.value.failures}
    assert failed == {event.id for i, (event, _) in enumerate(items) if i % 5 == 0}
    assert all(isinstance(f.error, NotAcknowledgedError) for f in caught.value.failures)
    ok = [r for r in caught.value.results if r is not None]
    assert len(ok) == 16
    assert (await js.stream_info("ORDERS")).state.messages == 16


async def test_core_publish(nc: Client) -> None:
    subject = PowerReadingV1.SPEC.subject_for(site_id="s1", charger_id="c1")
    sub = await nc.subscribe(subject)
    event = PowerReadingV1.create(Reading(7.5), site_id="s1", charger_id="c1")
    result = await EventPublisher(nc).publish(event, subject)
    assert result == PublishResult(stream=None, seq=None, duplicate=False)
    msg = await sub.next_msg(timeout=5)
    assert decode(PowerReadingV1, msg.headers, msg.data) == event
