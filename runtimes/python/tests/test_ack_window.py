"""The JetStream ack window against a real nats-server: every outcome of a pipelined publish.

Success only on a PubAck for the entry's own reply subject (duplicates included); failures for
no responders (503), JetStream API errors, timeouts and unreadable answers; results in input
order; a server restart mid-window never reports an unstored event as acknowledged. Where a
stream cannot be made to misbehave on demand (a late or unreadable answer), a second client on
the same server answers the publishes itself.
"""

from __future__ import annotations

import asyncio
import json

import nats
import pytest
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import StreamConfig
from sample_events import OrderCreatedV1, add_order_streams, order
from specgen_runtime import (
    EventPublisher,
    NotAcknowledgedError,
    PublishBatchError,
    PublishError,
    PublishResult,
)
from specgen_runtime.acks import Ack, AckFailure, AckInbox
from specgen_runtime.servers import NatsServer

SUBJECT = OrderCreatedV1.SPEC.subject_for(site_id="site-0001")


def _events(n: int, prefix: str = "e") -> list[OrderCreatedV1]:
    return [
        OrderCreatedV1.create(order(f"{prefix}-{i}"), id=f"{prefix}-{i}", site_id="site-0001")
        for i in range(n)
    ]


async def _stored_ids(js: nats.js.JetStreamContext, stream: str = "ORDERS") -> list[str]:
    info = await js.stream_info(stream)
    ids = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        msg = await js.get_msg(stream, seq)
        assert msg.headers is not None
        ids.append(msg.headers["Nats-Msg-Id"])
    return ids


async def test_results_follow_input_order_and_stream_order(nc: Client) -> None:
    js = nc.jetstream()
    await add_order_streams(js)
    events = _events(500)
    results = await EventPublisher(nc).publish_pipelined(((e, SUBJECT) for e in events), window=7)
    assert [r.seq for r in results] == list(range(1, 501))
    assert await _stored_ids(js) == [e.id for e in events]


async def test_duplicates_in_a_window_count_as_success(nc: Client) -> None:
    js = nc.jetstream()
    await add_order_streams(js)
    events = _events(50)
    items = [(e, SUBJECT) for e in events] * 2  # every event sent twice in one batch
    results = await EventPublisher(nc).publish_pipelined(items, window=32)
    assert [r.duplicate for r in results] == [False] * 50 + [True] * 50
    assert [r.seq for r in results[50:]] == [r.seq for r in results[:50]]
    assert (await js.stream_info("ORDERS")).state.messages == 50


async def test_no_responders_api_errors_and_successes_in_one_batch(nc: Client) -> None:
    js = nc.jetstream()
    await add_order_streams(js)
    await js.add_stream(StreamConfig(name="OTHER", subjects=["other.>"], duplicate_window=60.0))
    events = _events(9)
    subjects = [SUBJECT, "nowhere.orders.x", "other.orders.x"] * 3  # ok, 503, wrong stream
    with pytest.raises(PublishBatchError) as caught:
        await EventPublisher(nc).publish_pipelined(zip(events, subjects, strict=True), window=4)
    failures = {f.index: f.error for f in caught.value.failures}
    assert sorted(failures) == [1, 2, 4, 5, 7, 8]
    for index, error in failures.items():
        assert isinstance(error, NotAcknowledgedError) and error.maybe_stored is False
        expected = "no JetStream stream" if index % 3 == 1 else "error code 10060"
        assert expected in error.reason, error.reason
        assert error.event_id == events[index].id
    results = caught.value.results
    assert [r.seq if r else None for r in results] == [1, None, None, 2, None, None, 3, None, None]
    assert (await js.stream_info("OTHER")).state.messages == 0


async def test_unanswered_publish_times_out_as_maybe_stored(nc: Client) -> None:
    sink = await nc.subscribe("pf.site-0001.orders.>")  # a responder that never answers
    event = _events(1)[0]
    with pytest.raises(NotAcknowledgedError) as caught:
        await EventPublisher(nc, ack_timeout=0.3).publish(event, SUBJECT)
    assert caught.value.maybe_stored is True and "within 0.3s" in caught.value.reason
    assert isinstance(caught.value.__cause__, TimeoutError)
    assert (await sink.next_msg(timeout=2)).headers["Nats-Msg-Id"] == event.id


async def _answer_late(nc: Client, subject: str, delays: dict[int, float]) -> None:
    """Answer the n-th publish on ``subject`` with a PubAck of seq n after ``delays[n]``."""
    count = 0

    async def answer(msg: Msg) -> None:
        nonlocal count
        count += 1
        n = count
        await asyncio.sleep(delays.get(n, 0.0))
        await nc.publish(msg.reply, json.dumps({"stream": "FAKE", "seq": n}).encode())

    await nc.subscribe(subject, cb=answer)
    await nc.flush()


async def test_a_late_answer_never_settles_another_entry(nats_server: NatsServer) -> None:
    publisher_nc = await nats.connect(nats_server.url)
    responder_nc = await nats.connect(nats_server.url)
    try:
        # The first publish is answered after its window timed out; the second promptly.
        await _answer_late(responder_nc, "late.>", {1: 1.0})
        inbox = AckInbox(publisher_nc)
        first = inbox.window(timeout=0.3)
        await first.send(0, "late.one", b"{}", {})
        await first.wait_below(1)
        assert isinstance(first.outcomes[0], AckFailure) and first.outcomes[0].maybe_stored
        second = inbox.window(timeout=5.0)
        await second.send(0, "late.two", b"{}", {})
        await asyncio.sleep(1.0)  # the late answer to the first entry arrives meanwhile
        await second.wait_below(1)
        assert second.outcomes == [Ack("FAKE", 2, False)]
        assert isinstance(first.outcomes[0], AckFailure) and first.failed == 1
        await inbox.close()
    finally:
        await publisher_nc.close()
        await responder_nc.close()


async def test_unreadable_answer_is_a_failure_with_unknown_outcome(
    nats_server: NatsServer,
) -> None:
    publisher_nc = await nats.connect(nats_server.url)
    responder_nc = await nats.connect(nats_server.url)
    try:

        async def garbage(msg: Msg) -> None:
            await responder_nc.publish(msg.reply, b"<html>not a PubAck</html>")

        await responder_nc.subscribe("garbage.>", cb=garbage)
        await responder_nc.flush()
        window = AckInbox(publisher_nc).window(timeout=5.0)
        await window.send(0, "garbage.x", b"{}", {})
        await window.wait_below(1)
        outcome = window.outcomes[0]
        assert isinstance(outcome, AckFailure) and outcome.maybe_stored
        assert "unreadable PubAck" in outcome.reason
    finally:
        await publisher_nc.close()
        await responder_nc.close()


async def test_server_restart_mid_window_never_reports_an_unstored_event(
    nats_server: NatsServer,
) -> None:
    nc = await nats.connect(
        nats_server.url, max_reconnect_attempts=-1, reconnect_time_wait=0.1, connect_timeout=2
    )
    try:
        js = nc.jetstream()
        await add_order_streams(js)
        events = _events(3000, "r")

        async def restart_soon() -> None:
            await asyncio.sleep(0.05)
            await asyncio.to_thread(nats_server.restart)

        restart = asyncio.create_task(restart_soon())
        publisher = EventPublisher(nc, ack_timeout=2.0)
        try:
            results: list[PublishResult | None] = list(
                await publisher.publish_pipelined(((e, SUBJECT) for e in events), window=256)
            )
            failures: list[PublishError] = []
        except PublishBatchError as exc:
            results, failures = exc.results, [f.error for f in exc.failures]
        await restart
        stored = set(await _stored_ids(js))
        for event, result in zip(events, results, strict=True):
            if result is not None:  # acknowledged: must be stored
                assert event.id in stored
        for error in failures:  # unknown or refused, never silently dropped
            assert error.event_id not in stored or getattr(error, "maybe_stored", False)
        assert len(failures) + sum(r is not None for r in results) == len(events)
    finally:
        await nc.close()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"stream":"ORDERS","seq":12}', Ack("ORDERS", 12, False)),
        (b'{"stream":"ORDERS","seq":12,"duplicate":true}', Ack("ORDERS", 12, True)),
        (b'{"stream":"O","seq":3,"domain":"site-1","duplicate":true}', Ack("O", 3, True)),
        (b'{"seq":4,"stream":"ORDERS"}', Ack("ORDERS", 4, False)),  # any order: JSON path
        ('{"stream":"Bestellungen-ü","seq":5}'.encode(), Ack("Bestellungen-ü", 5, False)),
        (b'{"stream":"O","seq":6,"duplicate":false,"batch":"b1"}', Ack("O", 6, False)),
    ],
)
def test_pubacks_are_read_exactly(data: bytes, expected: Ack) -> None:
    from specgen_runtime.acks import parse_ack

    assert parse_ack(Msg(_client=None, subject="x", data=data)) == expected  # type: ignore[arg-type]


def test_status_and_api_error_answers_are_failures() -> None:
    from specgen_runtime.acks import parse_ack

    no_responders = parse_ack(Msg(_client=None, data=b"", headers={"Status": "503"}))  # type: ignore[arg-type]
    assert isinstance(no_responders, AckFailure) and not no_responders.maybe_stored
    error = b'{"error":{"code":503,"err_code":10077,"description":"maximum messages exceeded"}}'
    rejected = parse_ack(Msg(_client=None, data=error))  # type: ignore[arg-type]
    assert isinstance(rejected, AckFailure) and not rejected.maybe_stored
    assert "maximum messages exceeded (error code 10077)" in rejected.reason
