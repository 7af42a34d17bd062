"""SIGKILL a publishing process again and again: every enqueued event is stored exactly once.

A child publishes through the generated ``OrdersPublisher`` with an outbox and its relay
running, and prints each event id after its enqueue returned. The parent kills it with SIGKILL
at a random moment, many times, then lets a last child drain the outbox. Every printed id must
be in the stream exactly once, and no id may be there twice (events enqueued but killed before
the print may be there, also once).
"""

from __future__ import annotations

import asyncio
import random
import signal
import sys
from pathlib import Path

import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext

from tests.offline.helpers import add_orders_stream, duplicates, stream_msg_ids

CHILD = Path(__file__).with_name("outbox_child.py")
START_TIMEOUT = 30.0


async def run_and_kill(db: Path, url: str, prefix: str, rng: random.Random) -> list[str]:
    """Start a child, let it publish for a random while, SIGKILL it; the ids it printed."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(CHILD),
        str(db),
        url,
        prefix,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    try:
        async with asyncio.timeout(START_TIMEOUT):
            ready = await child.stdout.readline()
        assert ready == b"READY\n", ready
        await asyncio.sleep(rng.uniform(0.0, 0.4))
    finally:
        if child.returncode is None:
            child.send_signal(signal.SIGKILL)
        async with asyncio.timeout(START_TIMEOUT):
            out, _ = await child.communicate()
    assert child.returncode == -signal.SIGKILL
    return [line for line in out.decode().splitlines() if line]


async def drain(db: Path, url: str) -> tuple[int, int]:
    """Run a last child that only drains the outbox; (acked, duplicate acks) it saw."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, str(CHILD), str(db), url, "drain", stdout=asyncio.subprocess.PIPE
    )
    async with asyncio.timeout(90.0):
        out, _ = await child.communicate()
    word, acked, dups = out.decode().split()
    assert word == "DRAINED", out
    return int(acked), int(dups)


async def kill_loop(db: Path, url: str, kills: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    printed: list[str] = []
    for run in range(kills):
        printed += await run_and_kill(db, url, f"r{run}", rng)
    acked, dups = await drain(db, url)
    print(f"{kills} kills: {len(printed)} ids printed; final drain {acked} acks ({dups} dup)")
    return printed


def check_exactly_once(printed: list[str], stored: list[str]) -> None:
    assert printed, "the children printed no id: nothing was tested"
    twice = duplicates(stored)
    assert not twice, f"{len(twice)} ids stored more than once, e.g. {sorted(twice)[:5]}"
    missing = set(printed) - set(stored)
    assert not missing, f"{len(missing)} enqueued events never stored, e.g. {sorted(missing)[:5]}"


async def sigkill_single_server(tmp_path: Path, url: str, js: JetStreamContext, kills: int) -> None:
    await add_orders_stream(js)
    printed = await kill_loop(tmp_path / "outbox.db", url, kills, seed=kills)
    check_exactly_once(printed, await stream_msg_ids(js, "ORDERS", timeout=60.0))


async def test_sigkill_publisher_10_times(tmp_path: Path, nats_server_url: str, nc: Client) -> None:
    await sigkill_single_server(tmp_path, nats_server_url, nc.jetstream(), kills=10)


@pytest.mark.long
async def test_sigkill_publisher_100_times(
    tmp_path: Path, nats_server_url: str, nc: Client
) -> None:
    await sigkill_single_server(tmp_path, nats_server_url, nc.jetstream(), kills=100)
