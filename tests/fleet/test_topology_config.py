"""The desired JetStream configuration computed from the topology document (no servers)."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import powerflex_events
import pytest
from specgen_runtime.fleet import TopologyError
from specgen_runtime.fleet.serverconf import (
    HubServerConfig,
    SiteServerConfig,
    cluster_members,
    hub_config_text,
    site_config_text,
)
from specgen_runtime.fleet.topology import NANOS, Topology
from specgen_runtime.servers import find_nats_server

DAY = 86_400 * NANOS


def test_site_streams_exact(topo: Topology) -> None:
    streams = {s.name: s.wire() for s in topo.site_streams("site-0042", replicas=1)}
    assert list(streams) == [
        "ORDERS",
        "CHARGING",
        "LOAD_MANAGEMENT",
        "SITE_OPERATIONS",
        "DEADLETTER",
        "UPLOAD",
    ]
    assert streams["ORDERS"] == {
        "name": "ORDERS",
        "subjects": ["pf.site-0042.orders.>"],
        "retention": "limits",
        "storage": "file",
        "max_age": 30 * DAY,
        "max_msgs": -1,
        "max_bytes": -1,
        "num_replicas": 1,
        "duplicate_window": 7200 * NANOS,
        "discard": "old",
    }
    assert streams["UPLOAD"]["sources"] == [
        {"name": "ORDERS"},
        {"name": "CHARGING"},
        {"name": "LOAD_MANAGEMENT"},
        {"name": "SITE_OPERATIONS"},
    ]
    assert "subjects" not in streams["UPLOAD"]
    for config in streams.values():  # NATS.md trap 2: never left to nats-py's 0
        assert config["duplicate_window"] == 7200 * NANOS
        for source in config.get("sources", []):
            assert "external" not in source


def test_replicas_default_from_document(topo: Topology) -> None:
    assert {s.replicas for s in topo.site_streams("site-0001")} == {3}


def test_hub_streams_source_every_site_through_its_domain(topo: Topology) -> None:
    (fleet,) = topo.hub_streams(["site-0002", "site-0001"], replicas=1)
    config = fleet.wire()
    assert config["name"] == "FLEET"
    assert config["max_age"] == 365 * DAY
    assert config["duplicate_window"] == 7200 * NANOS
    assert "subjects" not in config
    assert config["sources"] == [
        {
            "name": "UPLOAD",
            "external": {"api": "$JS.site-0001.API", "deliver": "$JS.SRC.site-0001"},
        },
        {
            "name": "UPLOAD",
            "external": {"api": "$JS.site-0002.API", "deliver": "$JS.SRC.site-0002"},
        },
    ]
    typed = fleet.stream_config()
    assert typed.duplicate_window == 7200.0
    assert typed.sources is not None and typed.sources[0].external is not None
    assert typed.sources[0].external.api == "$JS.site-0001.API"


@pytest.mark.parametrize(
    "site", ["Site-1", "s", "hub", "site.1", "site*", "site>", "", "a" * 40, "site 1", "1site"]
)
def test_invalid_site_ids_refused(topo: Topology, site: str) -> None:
    with pytest.raises(TopologyError):
        topo.site_streams(site)
    with pytest.raises(TopologyError):
        topo.hub_streams([site])


def test_duplicate_sites_refused(topo: Topology) -> None:
    with pytest.raises(TopologyError, match="duplicate"):
        topo.hub_streams(["site-0001", "site-0001"])


def _doc() -> dict[str, Any]:
    return copy.deepcopy(powerflex_events.topology())


def test_subject_without_site_refused() -> None:
    doc = _doc()
    doc["site_streams"][0]["subjects"] = ["orders.>"]
    with pytest.raises(TopologyError, match="leaks across sites"):
        Topology.from_document(doc)


def test_zero_duplicate_window_refused() -> None:
    doc = _doc()
    doc["upload_stream"]["duplicate_window_ms"] = 0
    with pytest.raises(TopologyError, match="duplicate_window"):
        Topology.from_document(doc)


def test_unknown_upload_source_refused() -> None:
    doc = _doc()
    doc["upload_stream"]["sources"].append("NOPE")
    with pytest.raises(TopologyError, match="NOPE"):
        Topology.from_document(doc)


def test_server_config_text() -> None:
    hub = hub_config_text(HubServerConfig(store_dir="/data/js", leaf_port=7422))
    assert 'domain: "hub"' in hub and "no_advertise: true" in hub
    assert "listen: 127.0.0.1:7422" in hub
    site = site_config_text(
        SiteServerConfig(
            site_id="site-0001", store_dir="/data/js", hub_leaf_urls=("nats-leaf://h:7422",)
        )
    )
    for line in (
        'server_name: "site-0001"',
        'domain: "site-0001"',
        "sync_interval: always",
        "reconnect: 1",
        'urls: ["nats-leaf://h:7422"]',
        'deny_imports: ["$MQTT.>"]',  # the server's MQTT state stays at its site
        'deny_exports: ["$MQTT.>"]',
    ):
        assert line in site


def test_cluster_members_are_unique_and_route_to_each_other() -> None:
    members = cluster_members("hub", 13)
    assert [m.server_name for m in members] == [f"hub-{i}" for i in range(1, 14)]
    assert len({m.port for m in members}) == len({m.cluster_port for m in members}) == 13
    spread = cluster_members("site-0001", 3, hosts=("10.0.0.1", "10.0.0.2", "10.0.0.3"))
    assert {m.port for m in spread} == {4222} and {m.cluster_port for m in spread} == {6222}
    assert spread[1].route_url == "nats-route://10.0.0.2:6222"
    with pytest.raises(ValueError, match="one host or 3 hosts"):
        cluster_members("site-0001", 3, hosts=("a", "b"))


def _server_config(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).parent / "specgen-fleet"), "server-config", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_hub_cluster_of_13_configs_are_accepted_by_nats_server(tmp_path: Path) -> None:
    out = tmp_path / "conf"
    written = _server_config(
        "hub", "--servers", "13", "--store-dir", str(tmp_path), "--out", str(out)
    )
    assert written.returncode == 0, written.stderr
    files = sorted(out.glob("*.conf"))
    assert len(files) == 13
    names, routes = set(), set()
    for path in files:
        text = path.read_text()
        assert 'domain: "hub"' in text and 'name: "hub"' in text
        assert text.count("nats-route://") == 13
        names.add(text.split('server_name: "', 1)[1].split('"', 1)[0])
        routes.add(tuple(line.strip() for line in text.splitlines() if "nats-route" in line))
        check = subprocess.run(
            [str(find_nats_server()), "-t", "-c", str(path)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout + check.stderr
    assert len(names) == 13 and len(routes) == 1  # unique names, the same routes everywhere


def test_site_cluster_member_config() -> None:
    one = _server_config("site", "site-0001", "--servers", "3", "--member", "2")
    assert one.returncode == 0, one.stderr
    assert 'server_name: "site-0001-2"' in one.stdout
    assert 'domain: "site-0001"' in one.stdout and 'name: "site-0001"' in one.stdout
    assert "sync_interval: always" in one.stdout and "listen: 127.0.0.1:4223" in one.stdout
    missing = _server_config("site", "site-0001", "--servers", "3")
    assert missing.returncode == 2 and "--member 1..3 or --out DIR" in missing.stderr
    bad = _server_config("site", "Site_1", "--servers", "3", "--member", "1")
    assert bad.returncode == 2 and "invalid site id 'Site_1'" in bad.stderr
