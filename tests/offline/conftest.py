"""Fixtures of the offline-buffering tests (the server and client fixtures are in tests/)."""

from __future__ import annotations

import pytest
from specgen_runtime.servers import NatsServer


@pytest.fixture
def nats_server_url(nats_server: NatsServer) -> str:
    return nats_server.url
