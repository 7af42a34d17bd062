"""Shared pieces of the publish/outbox/catch-up benchmarks: a server, a stream, payloads."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from nats.js import JetStreamContext
from nats.js.api import StreamConfig
from powerflex_events import models

IR = Path(__file__).resolve().parents[1] / "generated" / "ir.json"
SITE = "site-0001"
SUBJECT = f"pf.{SITE}.orders.order_created.v1"


def order_payload() -> dict[str, Any]:
    ir = json.loads(IR.read_text(encoding="utf-8"))
    for domain in ir["domains"]:
        for event in domain["events"]:
            if event["type"] == "com.powerflex.orders.order_created.v1":
                payload: dict[str, Any] = event["examples"][0]["payload"]
                return payload
    raise LookupError("order_created example")


def order(n: int, payload: dict[str, Any]) -> models.OrderCreated:
    """Validate the example payload with a fresh order id (the 'validate' of each publish)."""
    return models.OrderCreated.model_validate(dict(payload, order_id=str(uuid.UUID(int=n))))


async def reset_orders(js: JetStreamContext) -> None:
    try:
        await js.delete_stream("ORDERS")
    except Exception:  # noqa: BLE001 - absent on the first run
        pass
    await js.add_stream(
        StreamConfig(name="ORDERS", subjects=["pf.*.orders.>"], duplicate_window=7200)
    )


async def timed(func: Callable[[], Awaitable[None]]) -> float:
    start = time.perf_counter()
    await func()
    return time.perf_counter() - start
