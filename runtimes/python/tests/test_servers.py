"""The local nats-server manager used by tests, demos and benchmarks."""

from __future__ import annotations

from pathlib import Path

import nats
import pytest
from sample_events import add_order_streams
from specgen_runtime import NatsServer, ServerError, find_nats_server, free_port


def test_find_binary_honours_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert find_nats_server().name == "nats-server"
    monkeypatch.setenv("NATS_SERVER_BIN", str(tmp_path / "missing"))
    with pytest.raises(ServerError, match="NATS_SERVER_BIN"):
        find_nats_server()


def test_bad_config_fails_with_log_tail(tmp_path: Path) -> None:
    server = NatsServer("bad", store_dir=tmp_path, extra_config="this is { not valid")
    with pytest.raises(ServerError, match="exited"):
        server.start()
    assert not server.running


async def test_restart_keeps_the_store(tmp_path: Path) -> None:
    with NatsServer("r", store_dir=tmp_path, port=free_port(), sync_interval="always") as server:
        assert "sync_interval: always" in server.config_path.read_text()
        nc = await nats.connect(server.url, allow_reconnect=False)
        await add_order_streams(nc.jetstream(), dead_letter=False)
        await nc.jetstream().publish("pf.s1.orders.x", b"kept")
        await nc.close()
        server.restart()
        assert server.running
        nc = await nats.connect(server.url, allow_reconnect=False)
        try:
            assert (await nc.jetstream().get_msg("ORDERS", 1)).data == b"kept"
        finally:
            await nc.close()
    assert not server.running


def test_kill(tmp_path: Path) -> None:
    server = NatsServer("k", store_dir=tmp_path).start()
    server.kill()
    assert not server.running
