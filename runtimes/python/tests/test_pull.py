"""The lean pull (specgen_runtime.pull) against a real nats-server: batches, close, statuses."""

from __future__ import annotations

import asyncio
import json

import pytest
from nats.aio.client import Client
from nats.aio.msg import Msg
from sample_events import OrderCreatedV1, add_order_streams, order
from specgen_runtime import EventPublisher, SubscribeError, subscribe
from specgen_runtime.pull import PullError, PullFetcher, api_prefix
from specgen_runtime.received import delivery

SUBJECT = OrderCreatedV1.SPEC.subject_for(site_id="site-0001")


async def publish_orders(nc: Client, count: int) -> list[str]:
    events = [OrderCreatedV1.create(order(f"o-{i}"), site_id="site-0001") for i in range(count)]
    async with EventPublisher(nc) as publisher:
        await publisher.publish_pipelined((e, SUBJECT) for e in events)
    return [e.id for e in events]


async def test_batches_follow_each_other_without_waiting_for_expiry(nc: Client) -> None:
    await add_order_streams(nc.jetstream())
    ids = await publish_orders(nc, 25)
    # Each request may linger 30 s: a batch that was not seen to be complete would stall the
    # next() after it past its 3 s timeout.
    async with subscribe(nc, OrderCreatedV1, batch=10, fetch_timeout=30) as sub:
        received = [await sub.next(timeout=3) for _ in ids]
        for r in received:
            await r.ack()
    assert [r.event.id for r in received] == ids
    assert [r.stream_seq for r in received] == list(range(1, 26))


async def test_an_event_stored_while_a_request_waits_is_handed_out(nc: Client) -> None:
    await add_order_streams(nc.jetstream())
    async with subscribe(nc, OrderCreatedV1, batch=50, fetch_timeout=30) as sub:
        waiting = asyncio.create_task(sub.next(timeout=10))
        await asyncio.sleep(0.2)  # the request is open on the server now
        (event_id,) = await publish_orders(nc, 1)
        assert (await waiting).event.id == event_id


async def test_close_naks_what_was_delivered_but_not_handed_out(nc: Client) -> None:
    await add_order_streams(nc.jetstream())
    ids = await publish_orders(nc, 5)
    async with subscribe(nc, OrderCreatedV1, durable="d", batch=10) as sub:
        first = await sub.next(timeout=5)
        await first.ack(confirm=True)
    # Without the nak the other four would come back only after ack_wait (30 s).
    async with subscribe(nc, OrderCreatedV1, durable="d", batch=10) as sub:
        again = [await sub.next(timeout=5) for _ in range(4)]
    assert sorted(r.event.id for r in again) == sorted(ids[1:])
    assert all(r.num_delivered == 2 for r in again)


async def test_a_deleted_consumer_is_reported_not_waited_for(nc: Client) -> None:
    js = nc.jetstream()
    await add_order_streams(js)
    async with subscribe(nc, OrderCreatedV1, durable="gone", fetch_timeout=30) as sub:
        waiting = asyncio.create_task(sub.next(timeout=20))
        await asyncio.sleep(0.2)
        await js.delete_consumer("ORDERS", "gone")
        with pytest.raises(SubscribeError, match="Consumer Deleted"):
            await waiting


async def test_a_request_beyond_the_consumer_limits_is_an_error(nc: Client) -> None:
    js = nc.jetstream()
    await add_order_streams(js)
    await publish_orders(nc, 3)
    # nats-py's ConsumerConfig has no max_batch: create the consumer through the API itself.
    config = {"durable_name": "small", "ack_policy": "explicit", "max_batch": 2}
    body = json.dumps({"stream_name": "ORDERS", "config": config}).encode()
    reply = await nc.request("$JS.API.CONSUMER.CREATE.ORDERS.small", body, timeout=5)
    assert "error" not in json.loads(reply.data)
    fetcher = PullFetcher(nc, api_prefix(None), "ORDERS", "small", batch=10, expires=5)
    await fetcher.start()
    try:
        with pytest.raises(PullError, match="409 Exceeded MaxRequestBatch"):
            await fetcher.next(5)
    finally:
        await fetcher.stop()


def test_api_prefix_of_a_domain() -> None:
    assert api_prefix(None) == "$JS.API"
    assert api_prefix("hub") == "$JS.hub.API"


@pytest.mark.parametrize(
    "reply",
    [
        "$JS.ACK.ORDERS.c1.3.17.12.1733050000000000000.4",
        "$JS.ACK.hub.ACCHASH.ORDERS.c1.3.17.12.1733050000000000000.4",
        "$JS.ACK.hub.ACCHASH.ORDERS.c1.3.17.12.1733050000000000000.4.rand",
        "$JS.ACK._.ACCHASH.ORDERS.c1.3.17.12.1733050000000000000.4.rand",
    ],
)
def test_delivery_count_and_sequence_read_from_the_ack_subject(reply: str) -> None:
    msg = Msg(_client=None, subject=SUBJECT, reply=reply)  # type: ignore[arg-type]
    meta = msg.metadata  # nats-py's own reading, the reference
    assert delivery(msg) == (meta.num_delivered, meta.sequence.stream) == (3, 17)
