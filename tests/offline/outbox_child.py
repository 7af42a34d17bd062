"""Child process of the SIGKILL tests: publish through the generated publisher with an outbox.

Usage: ``python outbox_child.py DB URL PREFIX`` publishes events ``PREFIX-<n>`` for ever (the
parent kills it) and prints each id once its enqueue returned; ``PREFIX`` ``drain`` only runs
the relay until the outbox is empty, then prints ``DRAINED <acked> <duplicate acks>``.
Singles alternate with pipelined batches of 8, so kills land in both commit paths, in relay
rounds and in deletes.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import nats
from powerflex_events import OrdersPublisher
from powerflex_events.events import OrderCreatedV1
from specgen_runtime.outbox import Outbox
from specgen_runtime.outbox_relay import OutboxRelay, RelayConfig

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.offline.helpers import SITE, order_created  # noqa: E402

RELAY = RelayConfig(retry_initial=0.02, retry_max=0.5, ack_timeout=2.0, idle_poll=0.2)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def main(db: str, url: str, prefix: str) -> None:
    nc = await nats.connect(
        url,
        connect_timeout=5,
        allow_reconnect=True,
        max_reconnect_attempts=-1,
        reconnect_time_wait=0.1,
    )
    async with Outbox(db) as outbox, OutboxRelay(outbox, nc, config=RELAY) as relay:
        if prefix == "drain":
            drained = await relay.wait_drained(60.0)
            stats = relay.stats
            say(f"DRAINED {stats.acked} {stats.duplicates}" if drained else f"NOT DRAINED {stats}")
            await nc.close()
            return
        publisher = OrdersPublisher(nc, outbox=outbox)
        say("READY")
        n = 0
        while True:
            if n % 2:
                ids = [f"{prefix}-{n + i}" for i in range(8)]
                subject = OrderCreatedV1.SPEC.subject_for(site_id=SITE)
                await publisher.publish_pipelined(
                    (OrderCreatedV1.create(order_created(n), id=i, site_id=SITE), subject)
                    for i in ids
                )
                for event_id in ids:
                    say(event_id)
                n += 8
            else:
                event_id = f"{prefix}-{n}"
                await publisher.order_created_v1(order_created(n), site_id=SITE, id=event_id)
                say(event_id)
                n += 1


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
