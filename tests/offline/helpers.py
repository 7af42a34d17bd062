"""Helpers of the offline-buffering tests: streams, reading what a stream holds, waiting."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StreamConfig
from powerflex_events import models

TIMEOUT = 10.0
SITE = "site-0001"
ORDERS_SUBJECTS = ["pf.*.orders.>"]
_IR = Path(__file__).resolve().parents[2] / "generated" / "ir.json"


def _order_example() -> dict[str, Any]:
    ir = json.loads(_IR.read_text(encoding="utf-8"))
    for domain in ir["domains"]:
        for event in domain["events"]:
            if event["type"] == "com.powerflex.orders.order_created.v1":
                payload: dict[str, Any] = event["examples"][0]["payload"]
                return payload
    raise LookupError("no order_created example in the IR")


_ORDER_EXAMPLE = _order_example()


def order_created(n: int) -> models.OrderCreated:
    """The spec's OrderCreated example with ``order_id`` numbered ``n`` (a valid payload)."""
    payload = dict(_ORDER_EXAMPLE, order_id=str(uuid.UUID(int=n)))
    return models.OrderCreated.model_validate(payload)


async def add_orders_stream(js: JetStreamContext, duplicate_window: float = 7200.0) -> None:
    await js.add_stream(
        StreamConfig(name="ORDERS", subjects=ORDERS_SUBJECTS, duplicate_window=duplicate_window)
    )


async def stream_msg_ids(js: JetStreamContext, stream: str, timeout: float = TIMEOUT) -> list[str]:
    """The Nats-Msg-Id of every message in ``stream``, in stream order (ephemeral consumer)."""
    info = await js.stream_info(stream)
    total = info.state.messages
    ids: list[str] = []
    if total == 0:
        return ids
    config = ConsumerConfig(ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL)
    sub = await js.pull_subscribe("", stream=stream, config=config)
    deadline = time.monotonic() + timeout
    try:
        while len(ids) < total and time.monotonic() < deadline:
            try:
                msgs = await sub.fetch(min(500, total - len(ids)), timeout=1.0)
            except TimeoutError:
                continue
            for msg in msgs:
                ids.append((msg.headers or {}).get("Nats-Msg-Id", ""))
    finally:
        await sub.unsubscribe()
    return ids


def duplicates(ids: list[str]) -> dict[str, int]:
    return {k: v for k, v in Counter(ids).items() if v > 1}


async def wait_for(
    predicate: Callable[[], Awaitable[bool]], timeout: float = TIMEOUT, interval: float = 0.1
) -> bool:
    """Poll ``predicate`` until it is true (True) or ``timeout`` passes (False)."""
    deadline = time.monotonic() + timeout
    while True:
        if await predicate():
            return True
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(interval)


async def stream_count(js: JetStreamContext, stream: str) -> int:
    return (await js.stream_info(stream)).state.messages


async def connect_reconnecting(url: str) -> Client:
    """A client that keeps reconnecting quickly (a site process next to its server)."""
    import nats

    return await nats.connect(
        url,
        connect_timeout=2,
        allow_reconnect=True,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.1,
    )
