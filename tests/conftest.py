"""Shared fixtures: a real JetStream-enabled nats-server per test and a client connected to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import nats
import pytest
from nats.aio.client import Client
from specgen_runtime.servers import NatsServer


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    """A fresh JetStream-enabled nats-server on 127.0.0.1, stopped after the test."""
    with NatsServer("test", store_dir=tmp_path / "nats") as server:
        yield server


@pytest.fixture
async def nc(nats_server: NatsServer) -> AsyncIterator[Client]:
    """A nats-py client connected to ``nats_server``, closed after the test."""
    client = await nats.connect(
        nats_server.url, connect_timeout=5, max_reconnect_attempts=0, allow_reconnect=False
    )
    try:
        yield client
    finally:
        await client.close()
