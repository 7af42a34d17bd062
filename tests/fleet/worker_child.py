"""A worker process of the scale-out tests: the generated domain subscriber on a shared durable.

Usage: ``python worker_child.py URL DURABLE [HOLD_AFTER]`` takes every site_operations event
type (``SiteOperationsSubscriber.all_events``) on the shared durable consumer and, for each,
acknowledges it (confirmed by the server) and then prints ``acked <id> <deliveries> <class>``.
With ``HOLD_AFTER`` it stops acknowledging after that many events: it prints
``held <id>`` for each further one and keeps it unacknowledged until the parent kills it.
Prints ``ready`` once subscribed; ``dead <n>`` whenever it dead-lettered a message.
"""

from __future__ import annotations

import asyncio
import sys

import nats
from powerflex_events import SiteOperationsSubscriber


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def main(url: str, durable: str, hold_after: int | None) -> None:
    nc = await nats.connect(url, max_reconnect_attempts=-1)
    subscription = SiteOperationsSubscriber(nc).all_events(
        durable=durable, batch=8, fetch_timeout=0.5, ack_wait=2.0
    )
    acked = dead = 0
    async with subscription as sub:
        say("ready")
        async for received in sub:
            if hold_after is not None and acked >= hold_after:
                say(f"held {received.event.id}")
                continue
            await received.ack(confirm=True)
            acked += 1
            name = type(received.event).__name__
            say(f"acked {received.event.id} {received.num_delivered} {name}")
            if sub.dead_lettered > dead:
                dead = sub.dead_lettered
                say(f"dead {dead}")


if __name__ == "__main__":
    hold = int(sys.argv[3]) if len(sys.argv) > 3 else None
    asyncio.run(main(sys.argv[1], sys.argv[2], hold))
