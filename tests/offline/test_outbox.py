"""The durable outbox and its relay against a real nats-server (one server)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from nats.aio.client import Client
from powerflex_events import OrdersPublisher, TelemetryPublisher
from powerflex_events.events import OrderCreatedV1
from specgen_runtime import NatsServer, encode
from specgen_runtime.outbox import Outbox, OutboxConfig, OutboxError, check_duplicate_window
from specgen_runtime.outbox_relay import OutboxRelay, RelayConfig

from tests.offline.helpers import (
    SITE,
    TIMEOUT,
    add_orders_stream,
    connect_reconnecting,
    duplicates,
    order_created,
    stream_count,
    stream_msg_ids,
    wait_for,
)

FAST = RelayConfig(retry_initial=0.02, retry_max=0.2, ack_timeout=2.0, idle_poll=0.2)


def rows_seen_by_another_connection(path: Path) -> list[tuple[str, str, str, bytes]]:
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT msg_id, subject, headers, payload FROM outbox ORDER BY seq"
        ).fetchall()


async def test_enqueue_is_committed_before_it_returns(tmp_path: Path, nc: Client) -> None:
    async with Outbox(tmp_path / "outbox.db") as outbox:
        result = await OrdersPublisher(nc, outbox=outbox).order_created_v1(
            order_created(1), site_id=SITE, id="evt-1"
        )
        assert result.enqueued and result.seq is None and result.stream == "ORDERS"
        rows = rows_seen_by_another_connection(tmp_path / "outbox.db")
    assert len(rows) == 1
    msg_id, subject, headers, payload = rows[0]
    assert (msg_id, subject) == ("evt-1", f"pf.{SITE}.orders.order_created.v1")
    assert json.loads(headers)["Nats-Msg-Id"] == "evt-1"
    event = OrderCreatedV1.create(order_created(1), id="evt-1", site_id=SITE)
    assert json.loads(payload)["data"] == json.loads(encode(event)[1])["data"]


async def test_database_uses_wal(tmp_path: Path) -> None:
    async with Outbox(tmp_path / "outbox.db"):
        with sqlite3.connect(tmp_path / "outbox.db") as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_relay_publishes_in_order_and_deletes_after_ack(tmp_path: Path, nc: Client) -> None:
    js = nc.jetstream()
    async with Outbox(tmp_path / "outbox.db") as outbox:
        publisher = OrdersPublisher(nc, outbox=outbox)
        ids = [f"evt-{i}" for i in range(300)]
        for n, event_id in enumerate(ids):
            await publisher.order_created_v1(order_created(n), site_id=SITE, id=event_id)
        async with OutboxRelay(outbox, nc, config=FAST) as relay:
            # No stream captures the subject yet: nothing is acknowledged, nothing deleted.
            assert await wait_for(lambda: _failed(relay), TIMEOUT)
            assert (await outbox.backlog()).pending == 300
            await add_orders_stream(js)
            assert await relay.wait_drained(TIMEOUT)
        assert relay.stats.acked == 300
        assert rows_seen_by_another_connection(tmp_path / "outbox.db") == []
    assert await stream_msg_ids(js, "ORDERS") == ids


async def _failed(relay: OutboxRelay) -> bool:
    return relay.stats.failed_rounds > 0


async def test_duplicate_ack_counts_as_success(tmp_path: Path, nc: Client) -> None:
    js = nc.jetstream()
    await add_orders_stream(js)
    direct = OrdersPublisher(nc)
    await direct.order_created_v1(order_created(1), site_id=SITE, id="evt-dup")
    async with Outbox(tmp_path / "outbox.db") as outbox:
        await OrdersPublisher(nc, outbox=outbox).order_created_v1(
            order_created(1), site_id=SITE, id="evt-dup"
        )
        async with OutboxRelay(outbox, nc, config=FAST) as relay:
            assert await relay.wait_drained(TIMEOUT)
        assert (relay.stats.acked, relay.stats.duplicates) == (1, 1)
    assert await stream_msg_ids(js, "ORDERS") == ["evt-dup"]


async def test_retries_while_server_down_then_drains(tmp_path: Path) -> None:
    with NatsServer("site", store_dir=tmp_path / "nats") as server:
        nc = await connect_reconnecting(server.url)
        try:
            js = nc.jetstream()
            await add_orders_stream(js)
            async with Outbox(tmp_path / "outbox.db") as outbox:
                async with OutboxRelay(outbox, nc, config=FAST) as relay:
                    server.stop()
                    publisher = OrdersPublisher(nc, outbox=outbox)
                    ids = [f"down-{i}" for i in range(100)]
                    for n, event_id in enumerate(ids):
                        await publisher.order_created_v1(
                            order_created(n), site_id=SITE, id=event_id
                        )
                    assert await wait_for(lambda: _failed(relay), TIMEOUT)
                    assert (await outbox.backlog()).pending == 100
                    server.start()
                    assert await relay.wait_drained(TIMEOUT * 2)
            got = await stream_msg_ids(js, "ORDERS")
            assert sorted(got) == sorted(ids) and not duplicates(got)
        finally:
            await nc.close()


async def test_process_started_before_its_server(tmp_path: Path) -> None:
    """Events are enqueued with a client that has never connected; they flow once it does."""
    nc = Client()
    async with Outbox(tmp_path / "outbox.db") as outbox:
        publisher = OrdersPublisher(nc, outbox=outbox)
        await publisher.order_created_v1(order_created(1), site_id=SITE, id="early-1")
        async with OutboxRelay(outbox, nc, config=FAST) as relay:
            await publisher.order_created_v1(order_created(2), site_id=SITE, id="early-2")
            with NatsServer("late", store_dir=tmp_path / "nats") as server:
                await nc.connect(server.url, connect_timeout=2, allow_reconnect=False)
                try:
                    await add_orders_stream(nc.jetstream())
                    assert await relay.wait_drained(TIMEOUT)
                    assert await stream_msg_ids(nc.jetstream(), "ORDERS") == ["early-1", "early-2"]
                finally:
                    await nc.close()


async def test_backlog_reports_count_and_age(tmp_path: Path, nc: Client) -> None:
    config = OutboxConfig(retry_horizon=0.001)
    async with Outbox(tmp_path / "outbox.db", config=config) as outbox:
        empty = await outbox.backlog()
        assert (empty.pending, empty.oldest_age, empty.beyond_horizon) == (0, None, False)
        publisher = OrdersPublisher(nc, outbox=outbox)
        await publisher.publish_pipelined(
            [
                (OrderCreatedV1.create(order_created(n), site_id=SITE), f"pf.{SITE}.orders.x")
                for n in range(5)
            ]
        )
        assert await wait_for(lambda: _older_than(outbox, 0.002))
        backlog = await outbox.backlog()
        assert backlog.pending == 5 and backlog.beyond_horizon


async def _older_than(outbox: Outbox, age: float) -> bool:
    oldest = (await outbox.backlog()).oldest_age
    return oldest is not None and oldest > age


async def test_duplicate_window_check(tmp_path: Path, nc: Client) -> None:
    js = nc.jetstream()
    await add_orders_stream(js, duplicate_window=60.0)
    with pytest.raises(OutboxError, match="duplicate_window"):
        check_duplicate_window("ORDERS", 60.0, 3600.0)
    check_duplicate_window("ORDERS", 7200.0, 3600.0)
    async with Outbox(tmp_path / "outbox.db", config=OutboxConfig(retry_horizon=3600)) as outbox:
        relay = OutboxRelay(outbox, nc, check_streams=["ORDERS"])
        with pytest.raises(OutboxError, match="retry horizon"):
            await relay.start()
        assert not relay.running
    async with Outbox(tmp_path / "ok.db", config=OutboxConfig(retry_horizon=30)) as outbox:
        async with OutboxRelay(outbox, nc, check_streams=["ORDERS"]) as relay:
            assert relay.running


async def test_core_events_bypass_the_outbox(tmp_path: Path, nc: Client) -> None:
    async with Outbox(tmp_path / "outbox.db") as outbox:
        from powerflex_events.events import EVENT_TYPES

        core = [cls for cls in EVENT_TYPES.values() if cls.SPEC.delivery.value == "core"]
        assert core, "the spec has core (telemetry) events"
        assert TelemetryPublisher(nc, outbox=outbox).publisher.outbox is outbox
        event_cls = core[0]
        data = event_cls.data_model().model_validate(_example(event_cls.SPEC.type))
        params = {p: SITE if p == "site_id" else "x" for p in event_cls.SPEC.parameters}
        event = event_cls.create(data, **params)
        with pytest.raises(OutboxError, match="core NATS"):
            await outbox.enqueue(event, event_cls.SPEC.subject_for(**params))
        result = await OrdersPublisher(nc, outbox=outbox).publisher.publish(
            event, event_cls.SPEC.subject_for(**params)
        )
        assert not result.enqueued and result.seq is None
        assert (await outbox.backlog()).pending == 0


def _example(event_type: str) -> object:
    ir = json.loads((Path(__file__).resolve().parents[2] / "generated/ir.json").read_text())
    for domain in ir["domains"]:
        for event in domain["events"]:
            if event["type"] == event_type:
                return event["examples"][0]["payload"]
    raise LookupError(event_type)


async def test_concurrent_enqueues_share_commits(tmp_path: Path, nc: Client) -> None:
    import asyncio

    async with Outbox(tmp_path / "outbox.db") as outbox:
        publisher = OrdersPublisher(nc, outbox=outbox)
        await asyncio.gather(
            *(
                publisher.order_created_v1(order_created(n), site_id=SITE, id=f"c-{n}")
                for n in range(200)
            )
        )
        assert (await outbox.backlog()).pending == 200
        js = nc.jetstream()
        await add_orders_stream(js)
        async with OutboxRelay(outbox, nc, config=FAST) as relay:
            assert await relay.wait_drained(TIMEOUT)
    assert await stream_count(js, "ORDERS") == 200


async def test_closed_outbox_refuses(tmp_path: Path, nc: Client) -> None:
    outbox = Outbox(tmp_path / "outbox.db")
    await outbox.close()
    with pytest.raises(OutboxError, match="closed"):
        await OrdersPublisher(nc, outbox=outbox).order_created_v1(order_created(1), site_id=SITE)
