"""Shared pieces of the publish/outbox/catch-up benchmarks: a server, a stream, payloads."""

from __future__ import annotations

import json
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from nats.js import JetStreamContext
from nats.js.api import StreamConfig

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


def order(n: int, payload: dict[str, Any]) -> dict[str, Any]:
    """The example payload with a fresh order id, as a caller holds it before publishing.

    Creating the event (or the publisher method) validates it: the 'validate' of a publish.
    """
    return dict(payload, order_id=str(uuid.UUID(int=n)))


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


def paired(rates: dict[str, list[float]], path: str, baseline: str) -> tuple[float, float, float]:
    """(median rate of ``path``, median rate of ``baseline``, median of the per-round ratios).

    Rounds alternate the paths, so the two rates of one round saw about the same load from
    the rest of the machine; the median of per-round ratios is the figure least moved by
    load that changes from round to round.
    """
    ratios = [a / b for a, b in zip(rates[path], rates[baseline], strict=True)]
    return (
        statistics.median(rates[path]),
        statistics.median(rates[baseline]),
        statistics.median(ratios),
    )
