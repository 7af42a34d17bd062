"""Scale-out at the hub: 1 worker process vs 3 sharing one durable consumer.

Run: ``.venv/bin/python bench/bench_workers.py [--events 20000] [--rounds 3] [--work-ms 1]``

One nats-server; ``--events`` site_operations events are stored first. Each round starts
1 (then 3) worker processes that take every event type through the generated domain
subscriber (``SiteOperationsSubscriber.all_events(durable=...)``), decode and validate each
event and acknowledge it. Timing starts when every worker is subscribed and told to go and
ends when the consumer has nothing pending and nothing unacknowledged. Prints events/s per
round, the medians and the ratio 3 workers / 1 worker (same run). ``--work-ms`` adds a wait
per event in the handler (what a real consumer spends on its database): with it the
workers' latency, not the machine's cores, bounds one process. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
from powerflex_events import SiteOperationsPublisher, SiteOperationsSubscriber, models
from powerflex_events.events import ChargerStatusChangedV1
from specgen_runtime.fleet.topology import load_topology
from specgen_runtime.servers import NatsServer

SITE = "site-0001"


def _status(i: int) -> models.ChargerStatusChanged:
    return models.ChargerStatusChanged.model_validate(
        {"charger_id": f"CP-{i}", "connector_id": 1, "status": "available",
         "previous_status": None, "changed_at": datetime.now(UTC).isoformat(),
         "error_code": "no_error"}
    )  # fmt: skip


async def child(url: str, durable: str, work_ms: float) -> None:
    """A worker: subscribe, say ready, wait for go, then handle and ack every event until idle.

    ``work_ms`` stands for what a real handler waits for per event (a database write).
    """
    nc = await nats.connect(url)
    subscription = SiteOperationsSubscriber(nc).all_events(durable=durable, batch=256,
                                                           fetch_timeout=0.5)  # fmt: skip
    count = 0
    async with subscription as sub:
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        while True:
            try:
                received = await sub.next(timeout=2.0)
            except TimeoutError:
                break
            if work_ms:
                await asyncio.sleep(work_ms / 1000)
            await received.ack()
            count += 1
    await nc.close()
    print(f"done {count}", flush=True)


async def one_round(url: str, workers: int, total: int, work_ms: float) -> float:
    durable = f"w{workers}_{uuid.uuid4().hex[:8]}"
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--child", url, durable, str(work_ms),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(workers)
    ]  # fmt: skip
    for proc in procs:
        assert proc.stdout is not None
        assert (await proc.stdout.readline()).strip() == b"ready"
    nc = await nats.connect(url)
    js = nc.jetstream()
    start = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(b"go\n")
        await proc.stdin.drain()
    while True:
        info = await js.consumer_info("SITE_OPERATIONS", durable)
        if info.num_pending == 0 and info.num_ack_pending == 0 and info.delivered.stream_seq:
            break
        await asyncio.sleep(0.01)
    elapsed = time.perf_counter() - start
    counts = []
    for proc in procs:
        out, _ = await proc.communicate()
        counts.append(int(out.split()[-1]))
    await nc.close()
    if sum(counts) != total:
        print(f"  (workers acknowledged {sum(counts)} of {total})")
    return total / elapsed


async def main(args: Any) -> None:
    topology = load_topology(package="powerflex_events")
    with tempfile.TemporaryDirectory() as tmp, NatsServer("bench", Path(tmp)) as server:
        nc = await nats.connect(server.url)
        js = nc.jetstream()
        for spec in topology.site_streams(SITE, replicas=1):
            if spec.name in ("SITE_OPERATIONS", "DEADLETTER"):
                await js.add_stream(spec.stream_config())
        publisher = SiteOperationsPublisher(nc)
        events = (
            (ChargerStatusChangedV1.create(_status(i), site_id=SITE),
             ChargerStatusChangedV1.SPEC.subject_for(site_id=SITE))
            for i in range(args.events)
        )  # fmt: skip
        await publisher.publish_pipelined(events)
        await nc.close()
        rates: dict[int, list[float]] = {1: [], 3: []}
        for r in range(args.rounds):
            for workers in rates:
                rate = await one_round(server.url, workers, args.events, args.work_ms)
                rates[workers].append(rate)
                print(f"round {r}: {workers} worker(s): {rate:8.0f} events/s", flush=True)
        one, three = (statistics.median(rates[n]) for n in (1, 3))
        print(
            f"{args.events} events, {args.work_ms:g} ms of work each, median of {args.rounds} "
            f"rounds: 1 worker {one:.0f}/s, 3 workers {three:.0f}/s, ratio {three / one:.2f}x"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        asyncio.run(child(sys.argv[2], sys.argv[3], float(sys.argv[4])))
    else:
        parser = argparse.ArgumentParser(description=__doc__)
        parser.add_argument("--events", type=int, default=20000)
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument("--work-ms", type=float, default=0.0,
                            help="simulated I/O wait per event in the handler")  # fmt: skip
        asyncio.run(main(parser.parse_args()))
