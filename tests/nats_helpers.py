"""Helpers for tests against real nats-server processes."""

from __future__ import annotations

import asyncio
import time

from nats.js import JetStreamContext
from nats.js.api import ConsumerInfo

TIMEOUT = 5.0


async def settled_consumer(
    js: JetStreamContext, stream: str, name: str, timeout: float = TIMEOUT
) -> ConsumerInfo:
    """Consumer info once no ack is outstanding, or after ``timeout`` (the caller asserts).

    Plain acks, naks and terms are fire-and-forget and the server applies them asynchronously,
    so even after a flush the consumer may briefly still count the last one as pending.
    """
    deadline = time.monotonic() + timeout
    while True:
        info: ConsumerInfo = await js.consumer_info(stream, name)
        if info.num_ack_pending == 0 or time.monotonic() >= deadline:
            return info
        await asyncio.sleep(0.02)
