"""The compiled TypeScript package against a real nats-server, talking to the Python package.

Python (powerflex_events) publishes and node (scripts/live.mjs on the compiled
@powerflex/events) subscribes, and the other way round, in both CloudEvents content modes, for
durable JetStream events and core (fire-and-forget) events. The same event id sent from both
languages is stored once, and a malformed message reaching a running TypeScript subscriber
goes to the dead-letter stream while the subscriber carries on.

Streams come from generated/ir.json for one site (tests/e2e/site_streams.py). Every wait is
bounded (node's ``next(timeoutMs)``, ``readline`` under ``wait_for``, ``fetch(timeout=...)``);
nothing sleeps.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client
from nats.js.api import RetentionPolicy
from powerflex_events import OrdersPublisher
from specgen_runtime import Mode, Received, encode
from specgen_runtime.deadletter import EVENT_TYPE_HEADER, ORIGINAL_SUBJECT_HEADER, REASON_HEADER
from specgen_runtime.servers import NatsServer
from ts_support import NODE, SCRIPTS

from tests.e2e.site_streams import (
    SITE,
    Example,
    class_prefix,
    create_site_streams,
    domain_publisher,
    domain_subscriber,
    examples,
    fill,
    load_ir,
)
from tests.nats_helpers import settled_consumer

pytestmark = pytest.mark.nats

TIMEOUT = 5.0  # bound of every wait for one message, in seconds
NODE_TIMEOUT = 30.0  # bound of one node process from start to exit
TIME = datetime(2025, 3, 14, 9, 26, 53, 125000, tzinfo=UTC)
TIME_TEXT = "2025-03-14T09:26:53.125000Z"  # TIME as both runtimes write it
MODES = pytest.mark.parametrize("mode", [Mode.STRUCTURED, Mode.BINARY], ids=lambda m: m.value)
DEAD_LETTER_STREAM = load_ir()["topology"]["dead_letter_stream"]["name"]

# Durable (JetStream) events of three domains and one core (fire-and-forget) event.
EVENTS = ["OrderCreatedV1", "MeterValuesV1", "SetpointChangedV1", "BatteryStateV1"]
EPHEMERAL = "SetpointChangedV1"  # read by the TS subscriber through an ephemeral consumer


def examples_of(event_name: str) -> list[Example]:
    found = [ex for ex in examples() if ex.event["name"] == event_name]
    assert found, event_name
    return found


def camel(method: str) -> str:
    """The TypeScript method name of a Python one: ``order_created_v1`` -> ``orderCreatedV1``."""
    head, *rest = method.split("_")
    return head + "".join(part.capitalize() for part in rest)


def ts_names(ex: Example) -> dict[str, str]:
    prefix = class_prefix(ex.domain)
    return {
        "publisher": f"{prefix}Publisher",
        "subscriber": f"{prefix}Subscriber",
        "method": camel(ex.event["method"]),
    }


def lower_keys(headers: dict[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def assert_wire_mode(headers: dict[str, str], event_id: str, mode: Mode) -> None:
    h = lower_keys(headers)
    if mode is Mode.BINARY:
        assert h["ce-id"] == event_id
        assert h["content-type"] == "application/json"
    else:
        assert "ce-id" not in h
        assert h["content-type"] == "application/cloudevents+json"
    assert h["nats-msg-id"] == event_id


# -- running node -----------------------------------------------------------------------------


class Node:
    """One running ``live.mjs`` process: JSON lines out, bounded reads."""

    def __init__(self, process: asyncio.subprocess.Process, command: str) -> None:
        self.process = process
        self.command = command
        self.lines: list[Any] = []

    async def line(self, timeout: float = NODE_TIMEOUT) -> Any:
        assert self.process.stdout is not None
        raw = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        if not raw:
            await self.fail("exited early")
        value = json.loads(raw)
        if isinstance(value, dict) and "fatal" in value:
            await self.fail(f"failed: {value['fatal']}\n{value.get('stack', '')}")
        self.lines.append(value)
        return value

    async def until_done(self, timeout: float = NODE_TIMEOUT) -> tuple[list[Any], Any]:
        """Every line up to the final ``{"done": true, ...}``, and that line; then exit 0."""
        lines = []
        while True:
            value = await self.line(timeout)
            if isinstance(value, dict) and value.get("done") is True:
                break
            lines.append(value)
        code = await asyncio.wait_for(self.process.wait(), timeout)
        if code != 0:
            await self.fail(f"exit code {code}")
        return lines, value

    async def fail(self, why: str) -> None:
        assert self.process.stderr is not None
        if self.process.returncode is None:
            self.process.kill()
        stderr = (await asyncio.wait_for(self.process.stderr.read(), 5)).decode(errors="replace")
        raise AssertionError(f"node live.mjs {self.command} {why}\n{self.lines}\n{stderr[-4000:]}")


@asynccontextmanager
async def node(
    ts_package: Path, server: NatsServer, command: str, job: dict[str, Any]
) -> AsyncIterator[Node]:
    assert NODE is not None
    process = await asyncio.create_subprocess_exec(
        NODE,
        str(SCRIPTS / "live.mjs"),
        command,
        str(ts_package),
        server.url,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdin is not None
    process.stdin.write(json.dumps(job).encode())
    await process.stdin.drain()
    process.stdin.close()
    try:
        yield Node(process, command)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


def subscribe_job(subscriptions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"siteId": SITE, "timeoutMs": int(TIMEOUT * 1000), "subscriptions": subscriptions}


# -- 1. Python publishes, TypeScript subscribes -----------------------------------------------


@MODES
async def test_python_publishes_typescript_subscribes(
    nc: Client, nats_server: NatsServer, ts_package: Path, mode: Mode
) -> None:
    js = nc.jetstream()
    await create_site_streams(js)
    groups = [examples_of(name) for name in EVENTS]
    subscriptions = []
    for exs in groups:
        ex = exs[0]
        sub = {**ts_names(ex), "count": len(exs)}
        if ex.jetstream and ex.event["name"] != EPHEMERAL:
            sub["durable"] = f"ts_{ex.event['method']}"
        subscriptions.append(sub)

    async with node(ts_package, nats_server, "subscribe", subscribe_job(subscriptions)) as ts:
        # The TS subscriber is running (core subscriptions registered) before anything is sent.
        assert await ts.line() == {"ready": True}
        sent: list[list[str]] = []
        for exs in groups:
            ids = []
            publisher = domain_publisher(exs[0].domain)(nc, mode=mode)
            for index, ex in enumerate(exs):
                event_id = f"py-{mode.value}-{ex.event['method']}-{index}"
                method = getattr(publisher, ex.event["method"])
                result = await method(ex.data(), site_id=SITE, id=event_id, time=TIME)
                if ex.jetstream:
                    assert (result.stream, result.duplicate) == (ex.event["stream"], False)
                else:
                    assert (result.stream, result.seq) == (None, None)
                ids.append(event_id)
            sent.append(ids)
        await nc.flush(timeout=TIMEOUT)
        lines, done = await ts.until_done()

    assert done["deadLettered"] == [0] * len(groups)
    received: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for line in lines:
        received[line["sub"]].append(line)
    for index, exs in enumerate(groups):
        got = received[index]
        # What TypeScript received, in order, is exactly what Python sent.
        assert [(r["id"], r["type"], r["data"]) for r in got] == [
            (event_id, ex.event["type"], ex.payload)
            for event_id, ex in zip(sent[index], exs, strict=True)
        ]
        for r, ex in zip(got, exs, strict=True):
            assert r["source"] == fill(ex.event["source_template"], SITE)
            assert r["time"] == TIME_TEXT
            assert r["subject"] == ex.subject()
            assert r["numDelivered"] == 1
            assert_wire_mode(r["headers"], r["id"], mode)
            if ex.jetstream:
                assert isinstance(r["streamSeq"], int) and r["streamSeq"] >= 1
            else:
                assert r["streamSeq"] is None

    # Every durable consumer acknowledged everything; nothing was dead-lettered.
    for sub, exs in zip(subscriptions, groups, strict=True):
        if "durable" in sub:
            info = await settled_consumer(js, exs[0].event["stream"], sub["durable"])
            assert (info.num_pending, info.num_ack_pending, info.num_redelivered) == (0, 0, 0)
            assert info.delivered is not None and info.delivered.consumer_seq == len(exs)
    # The ephemeral consumer was deleted when the TS subscription closed.
    ephemeral = examples_of(EPHEMERAL)[0].event["stream"]
    assert (await js.stream_info(ephemeral)).state.consumer_count == 0
    assert (await js.stream_info(DEAD_LETTER_STREAM)).state.messages == 0


# -- 2. TypeScript publishes, Python subscribes -----------------------------------------------


@MODES
async def test_typescript_publishes_python_subscribes(
    nc: Client, nats_server: NatsServer, ts_package: Path, mode: Mode
) -> None:
    js = nc.jetstream()
    await create_site_streams(js)
    groups = [examples_of(name) for name in EVENTS]
    items = []
    expected: dict[str, tuple[str, Example]] = {}
    for exs in groups:
        for index, ex in enumerate(exs):
            event_id = f"ts-{mode.value}-{ex.event['method']}-{index}"
            names = ts_names(ex)
            items.append(
                {
                    "publisher": names["publisher"],
                    "method": names["method"],
                    "data": ex.payload,
                    "id": event_id,
                    "time": TIME_TEXT,
                }
            )
            expected[event_id] = (ex.event["type"], ex)

    async with AsyncExitStack() as stack:
        # Core NATS keeps nothing: the Python subscriber of the core event runs first.
        core_subs = {}
        for exs in groups:
            ex = exs[0]
            if not ex.jetstream:
                subscription = getattr(domain_subscriber(ex.domain)(nc), ex.event["method"])(
                    site_id=SITE
                )
                core_subs[ex.event["name"]] = await stack.enter_async_context(subscription)
        await nc.flush(timeout=TIMEOUT)

        job = {"siteId": SITE, "mode": mode.value, "items": items}
        async with node(ts_package, nats_server, "publish", job) as ts:
            results, _ = await ts.until_done()

        # Every JetStream publish resolved with the stream's PubAck; core ones with nulls.
        assert [r["id"] for r in results] == [item["id"] for item in items]
        seqs: dict[str, list[int]] = defaultdict(list)
        for r in results:
            assert "error" not in r, r
            ex = expected[r["id"]][1]
            if ex.jetstream:
                assert (r["stream"], r["duplicate"]) == (ex.event["stream"], False)
                seqs[r["stream"]].append(r["seq"])
            else:
                assert (r["stream"], r["seq"], r["duplicate"]) == (None, None, False)
        for stream, numbers in seqs.items():
            assert numbers == list(range(1, len(numbers) + 1)), stream

        seen: dict[str, Received[Any]] = {}
        for exs in groups:
            ex = exs[0]
            if ex.jetstream:
                subscription = getattr(domain_subscriber(ex.domain)(nc), ex.event["method"])(
                    site_id=SITE, durable=f"py_{ex.event['method']}"
                )
                async with subscription as sub:
                    for _ in exs:
                        received = await sub.next(timeout=TIMEOUT)
                        await received.ack(confirm=True)
                        seen[received.event.id] = received
                    assert sub.dead_lettered == 0
            else:
                sub = core_subs[ex.event["name"]]
                for _ in exs:
                    received = await sub.next(timeout=TIMEOUT)
                    seen[received.event.id] = received
                assert sub.dead_lettered == 0

    assert set(seen) == set(expected)
    for event_id, (event_type, ex) in expected.items():
        received = seen[event_id]
        event = received.event
        assert type(event) is ex.event_cls
        assert (event.id, event.type) == (event_id, event_type)
        assert event.source == fill(ex.event["source_template"], SITE)
        assert event.time == TIME
        assert received.subject == ex.subject()
        data = json.loads(event.data.model_dump_json(by_alias=True, exclude_unset=True))
        assert data == ex.payload
        assert_wire_mode(dict(received.headers), event_id, mode)
        assert received.num_delivered == 1
    assert (await js.stream_info(DEAD_LETTER_STREAM)).state.messages == 0


async def test_typescript_publish_not_stored_is_an_error(
    nc: Client, nats_server: NatsServer, ts_package: Path
) -> None:
    """Like the Python publisher, the TS publisher rejects with NotAcknowledgedError."""
    js = nc.jetstream()
    await create_site_streams(js, skip=frozenset({"ORDERS"}))
    ex = examples_of("OrderCreatedV1")[0]
    names = ts_names(ex)

    async def publish(event_id: str, ack_timeout_ms: int = 5000) -> dict[str, Any]:
        item = {**names, "data": ex.payload, "id": event_id, "time": TIME_TEXT}
        job = {"siteId": SITE, "mode": "structured", "ackTimeoutMs": ack_timeout_ms,
               "items": [item]}  # fmt: skip
        async with node(ts_package, nats_server, "publish", job) as ts:
            (result,), _ = await ts.until_done()
        assert (result["id"], result["subject"], result["eventId"]) == (
            event_id,
            ex.subject(),
            event_id,
        )
        return result

    # No stream captures the subject: nothing answers, certainly not stored.
    lost = await publish("lost")
    assert (lost["error"], lost["maybeStored"]) == ("NotAcknowledgedError", False), lost
    assert "no JetStream stream captures this subject" in lost["message"]

    # Something answers but never acknowledges: maybe stored, the caller must retry.
    silent = await nc.subscribe(ex.subject())
    try:
        await nc.flush(timeout=TIMEOUT)
        unanswered = await publish("unanswered", ack_timeout_ms=300)
    finally:
        await silent.unsubscribe()
    assert (unanswered["error"], unanswered["maybeStored"]) == ("NotAcknowledgedError", True)
    assert "no acknowledgement within 300ms" in unanswered["message"]

    # A stream that merely captures the subject is not the event's stream: refused.
    await js.add_stream(name="CATCH_ALL", subjects=[f"pf.{SITE}.orders.>"], duplicate_window=60.0)
    misrouted = await publish("misrouted")
    assert (misrouted["error"], misrouted["maybeStored"]) == ("NotAcknowledgedError", False)
    assert "expected stream does not match" in misrouted["message"]
    assert (await js.stream_info("CATCH_ALL")).state.messages == 0


# -- 3. one event id, two languages, stored once ----------------------------------------------


@MODES
async def test_same_event_from_both_languages_is_stored_once(
    nc: Client, nats_server: NatsServer, ts_package: Path, mode: Mode
) -> None:
    js = nc.jetstream()
    await create_site_streams(js)
    created, paid = examples_of("OrderCreatedV1")[0], examples_of("OrderPaidV1")[0]
    publisher = OrdersPublisher(nc, mode=mode)

    async def from_python(ex: Example, event_id: str) -> Any:
        method = getattr(publisher, ex.event["method"])
        return await method(ex.data(), site_id=SITE, id=event_id, time=TIME)

    async def from_typescript(ex: Example, event_id: str) -> dict[str, Any]:
        names = ts_names(ex)
        item = {
            "publisher": names["publisher"],
            "method": names["method"],
            "data": ex.payload,
            "id": event_id,
            "time": TIME_TEXT,
        }
        job = {"siteId": SITE, "mode": mode.value, "items": [item]}
        async with node(ts_package, nats_server, "publish", job) as ts:
            (result,), _ = await ts.until_done()
        assert "error" not in result, result
        assert result["id"] == event_id
        return result

    # Python first, then TypeScript: the TypeScript publish is the duplicate.
    first = await from_python(created, "same-python-first")
    again = await from_typescript(created, "same-python-first")
    assert (first.stream, first.duplicate) == ("ORDERS", False)
    assert (again["stream"], again["seq"], again["duplicate"]) == ("ORDERS", first.seq, True)

    # TypeScript first, then Python: the Python publish is the duplicate.
    ts_first = await from_typescript(paid, "same-typescript-first")
    py_again = await from_python(paid, "same-typescript-first")
    assert (ts_first["stream"], ts_first["duplicate"]) == ("ORDERS", False)
    assert (py_again.stream, py_again.seq, py_again.duplicate) == ("ORDERS", ts_first["seq"], True)

    info = await js.stream_info("ORDERS", subjects_filter=">")
    assert info.state.messages == 2
    assert info.state.subjects == {created.subject(): 1, paid.subject(): 1}

    # Both languages write the very same message: the stored bytes equal Python's encoding.
    for ex, event_id, seq in (
        (created, "same-python-first", first.seq),
        (paid, "same-typescript-first", ts_first["seq"]),
    ):
        event = ex.event_cls.create(ex.data(), id=event_id, time=TIME, site_id=SITE)
        headers, payload = encode(event, mode)
        stored = await js.get_msg("ORDERS", seq)
        assert stored.data == payload, event_id
        assert stored.headers is not None
        assert {k: stored.headers[k] for k in headers} == headers


# -- 4. a malformed message is dead-lettered, the subscriber carries on -----------------------


@pytest.mark.parametrize("event_name", ["OrderCreatedV1", "BatteryStateV1"])
async def test_malformed_message_is_dead_lettered_by_typescript(
    nc: Client, nats_server: NatsServer, ts_package: Path, event_name: str
) -> None:
    js = nc.jetstream()
    await create_site_streams(js)
    ex = examples_of(event_name)[0]
    subject = ex.subject()
    sub: dict[str, Any] = {**ts_names(ex), "count": 1}
    if ex.jetstream:
        sub["durable"] = "ts_dead_letter"
    bad = b'{"specversion": "1.0", "id": "bad-json", "data": {'
    bad_headers = {"Content-Type": "application/cloudevents+json", "Nats-Msg-Id": "bad-json"}

    async with node(ts_package, nats_server, "subscribe", subscribe_job([sub])) as ts:
        assert await ts.line() == {"ready": True}
        # The malformed message reaches the running subscriber first, then a valid event.
        if ex.jetstream:
            ack = await js.publish(subject, bad, headers=bad_headers, timeout=TIMEOUT)
            assert (ack.stream, ack.seq) == (ex.event["stream"], 1)
        else:
            await nc.publish(subject, bad, headers=bad_headers)
        publisher = domain_publisher(ex.domain)(nc)
        await getattr(publisher, ex.event["method"])(ex.data(), site_id=SITE, id="good", time=TIME)
        await nc.flush(timeout=TIMEOUT)
        (line,), done = await ts.until_done()

    assert (line["id"], line["type"], line["data"]) == ("good", ex.event["type"], ex.payload)
    assert line["streamSeq"] == (2 if ex.jetstream else None)
    assert done["deadLettered"] == [1]

    domain = next(d for d in load_ir()["domains"] if d["name"] == ex.domain)
    target = fill(domain["dead_letter_template"], SITE)
    assert target == f"pf.{SITE}.deadletter.{ex.domain}"
    dead_sub = await js.pull_subscribe(target, stream=DEAD_LETTER_STREAM)
    try:
        (dead,) = await dead_sub.fetch(1, timeout=TIMEOUT)
        await dead.ack()
    finally:
        await dead_sub.unsubscribe()
    assert dead.data == bad
    headers = dead.headers or {}
    assert "not valid JSON" in headers[REASON_HEADER], headers
    assert headers[ORIGINAL_SUBJECT_HEADER] == subject
    assert headers[EVENT_TYPE_HEADER] == ex.event["type"]
    assert headers["Specgen-Original-Nats-Msg-Id"] == "bad-json"
    dead_info = await js.stream_info(DEAD_LETTER_STREAM, subjects_filter=">")
    assert RetentionPolicy(dead_info.config.retention) is RetentionPolicy.LIMITS
    assert dead_info.state.subjects == {target: 1}

    if ex.jetstream:
        # The malformed message was terminated, the valid one acknowledged: nothing left over.
        info = await settled_consumer(js, ex.event["stream"], "ts_dead_letter")
        assert (info.num_pending, info.num_ack_pending, info.num_redelivered) == (0, 0, 0)
        stream = await js.stream_info(ex.event["stream"], subjects_filter=">")
        assert stream.state.subjects == {subject: 2}
