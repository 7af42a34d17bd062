"""Three worker processes share one durable consumer through the generated domain subscriber.

Every event is acknowledged exactly once overall; a worker killed with SIGKILL has its
unacknowledged events redelivered to the others; undecodable messages are dead-lettered as
with one subscriber. Real processes, one real nats-server.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import nats
from nats.aio.client import Client
from powerflex_events import SiteOperationsPublisher, models
from powerflex_events.events import ChargerRegisteredV1
from specgen_runtime.fleet.topology import Topology
from specgen_runtime.servers import NatsServer

from tests.fleet.examples import example_data
from tests.fleet.kit import status_event

SITE = "site-0001"
WORKER = Path(__file__).with_name("worker_child.py")
DURABLE = "workers"
EVENTS = 240
MALFORMED = 5
WAIT = 60.0


class Worker:
    def __init__(self, url: str, hold_after: int | None = None) -> None:
        self.url, self.hold_after = url, hold_after
        self.lines: list[str] = []
        self.process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        hold = [] if self.hold_after is None else [str(self.hold_after)]
        args = [str(WORKER), self.url, DURABLE, *hold]
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, *args, stdout=asyncio.subprocess.PIPE, cwd=str(WORKER.parents[2])
        )
        self._reader = asyncio.create_task(self._read())
        await self.wait_for(lambda: "ready" in self.lines)

    async def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        while line := await self.process.stdout.readline():
            self.lines.append(line.decode().strip())

    async def wait_for(self, done: object) -> None:
        assert callable(done)
        deadline = time.monotonic() + WAIT
        while not done():
            assert time.monotonic() < deadline, f"worker stuck: {self.lines[-5:]}"
            await asyncio.sleep(0.05)

    def words(self, kind: str) -> list[list[str]]:
        return [line.split()[1:] for line in self.lines if line.startswith(kind + " ")]

    async def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(sig)
            await self.process.wait()
        if self._reader is not None:
            await self._reader


async def _streams(nc: Client, topo: Topology) -> None:
    js = nc.jetstream()
    for spec in topo.site_streams(SITE, replicas=1):
        if spec.name in ("SITE_OPERATIONS", "DEADLETTER"):
            await js.add_stream(spec.stream_config())


async def _publish(nc: Client) -> list[str]:
    """EVENTS events of two types, and MALFORMED messages that are no event at all."""
    publisher = SiteOperationsPublisher(nc)
    ids = []
    for i in range(EVENTS):
        event_id = str(uuid.uuid4())
        if i % 2:
            await publisher.charger_status_changed_v1(status_event(i), site_id=SITE, id=event_id)
        else:
            data = models.ChargerRegistered.model_validate(_registered(i))
            await publisher.charger_registered_v1(data, site_id=SITE, id=event_id)
        ids.append(event_id)
    subject = f"pf.{SITE}.site_operations.charger_status_changed.v1"
    for i in range(MALFORMED):
        await nc.jetstream().publish(subject, b"{not json", headers={"Nats-Msg-Id": f"bad-{i}"})
    return ids


def _registered(i: int) -> dict[str, object]:
    data = dict(example_data(ChargerRegisteredV1))
    data["charger_id"] = f"CP-{i}"
    return data


async def test_three_workers_share_the_events_and_a_killed_one_is_made_good(
    nats_server: NatsServer, topo: Topology
) -> None:
    nc = await nats.connect(nats_server.url)
    try:
        await _streams(nc, topo)
        ids = await _publish(nc)
        victim = Worker(nats_server.url, hold_after=10)
        others = [Worker(nats_server.url) for _ in range(2)]
        for worker in (victim, *others):
            await worker.start()
        await victim.wait_for(lambda: len(victim.words("held")) >= 3)
        await victim.stop(signal.SIGKILL)
        held = {w[0] for w in victim.words("held")}
        everyone = [victim, *others]
        await others[0].wait_for(lambda: sum(len(w.words("acked")) for w in everyone) >= EVENTS)
        await asyncio.sleep(2.5)  # past ack_wait: anything unacknowledged would come again
        for worker in others:
            await worker.stop()
        acked = Counter(w[0] for worker in everyone for w in worker.words("acked"))
        assert sorted(acked) == sorted(ids) and set(acked.values()) == {1}
        again = {w[0]: int(w[1]) for worker in others for w in worker.words("acked")}
        assert held and all(again[event_id] >= 2 for event_id in held)  # redelivered
        assert all(len(worker.words("acked")) > 0 for worker in everyone)  # the work was shared
        kinds = Counter(w[2] for worker in everyone for w in worker.words("acked"))
        assert kinds == {"ChargerStatusChangedV1": EVENTS // 2, "ChargerRegisteredV1": EVENTS // 2}
        js = nc.jetstream()
        assert (await js.stream_info("DEADLETTER")).state.messages == MALFORMED
        info = await js.consumer_info("SITE_OPERATIONS", DURABLE)
        assert info.num_pending == 0 and info.num_ack_pending == 0
    finally:
        await nc.close()
