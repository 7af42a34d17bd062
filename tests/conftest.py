"""Shared fixtures: a real JetStream-enabled nats-server per test and a client connected to it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import nats
import pytest
from nats.aio.client import Client
from specgen_runtime.servers import NatsServer

from tests.helpers import shared_problem


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


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Conformance data missing: skip with the reason, or fail when CI is set."""
    problem = shared_problem(item)
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{problem}: CI must run every conformance suite (run .ci/fetch-conformance)")
    pytest.skip(f"{problem} (put ../shared next to the repository, or run .ci/fetch-conformance)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs_shared(path, what): reads conformance data")
