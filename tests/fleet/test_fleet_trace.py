"""``specgen fleet trace SUBJECT`` (NATS message tracing) against a real LocalFleet.

The site is a cluster of three servers (R3 site streams), its leaf link to the hub behind the
link proxy, the hub's FLEET stream sourcing the site's UPLOAD. A traced event sent at the hub
crosses the leaf link into the site (hub: in from our client, out to the leaf link; the site
member on the link: in from the leaf link, then on to the stream leader if that is another
member) and is stored in SITE_OPERATIONS; JetStream then copies it into UPLOAD and, over the
link, into FLEET. Sent at a site member that does not lead the stream, it goes over the
site's route to the leader. ``--trace-only`` stores nothing. The text output is kept under
test-output/tracing/ for review.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.topology import load_topology

from tests.fleet.kit import stream_ids, stream_messages
from tests.trace_text import save

SPECGEN = str(Path(sys.executable).parent / "specgen")
SITE = "site-0001"
SUBJECT = f"pf.{SITE}.site_operations.charger_status_changed.v1"


async def _trace(*args: str) -> subprocess.CompletedProcess[str]:
    command = [SPECGEN, "fleet", "trace", *args]
    return await asyncio.to_thread(
        subprocess.run, command, capture_output=True, text=True, timeout=120
    )


async def _json(fleet: LocalFleet, *args: str) -> dict[str, Any]:
    done = await _trace(SUBJECT, "--server", fleet.hub_url, "--format", "json", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    out: dict[str, Any] = json.loads(done.stdout)
    return out


def _steps(server: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [s for s in server["steps"] if s["type"] == kind]


def _stored_by(path: dict[str, Any]) -> dict[str, Any]:
    found = [s for s in path["servers"] if _steps(s, "js")]
    assert len(found) == 1, path["servers"]
    return found[0]


@pytest.fixture
async def site_cluster(tmp_path: Path) -> Any:
    async with LocalFleet(tmp_path / "fleet", [SITE], site_servers=3) as fleet:
        hub = await fleet.hub_client()
        try:
            plan = await make_plan(hub, load_topology(package="powerflex_events"), [SITE],
                                   hub_replicas=1)  # fmt: skip
            assert (await apply_plan(hub, plan)).ok
        finally:
            await hub.close()
        yield fleet


async def test_trace_from_the_hub_over_the_leaf_link_into_every_stream(
    site_cluster: LocalFleet,
) -> None:
    fleet = site_cluster
    members = [s.name for s in fleet.site_members(SITE)]
    path = await _json(fleet)
    origin, *downstream = path["servers"]
    assert (origin["server"], origin["hop"]) == ("hub", "")
    assert [(s["kind"], s["name"]) for s in _steps(origin, "in")] == [
        ("client", "specgen fleet trace")
    ]
    out = _steps(origin, "eg")
    assert [(s["kind"], s["hop"]) for s in out] == [("leaf link", "1")]
    linked = next(s for s in downstream if s["hop"] == "1")
    assert linked["server"] == out[0]["name"] and linked["server"] in members
    assert [(s["kind"], s["name"]) for s in _steps(linked, "in")] == [("leaf link", "hub")]
    leader = _stored_by(path)
    assert _steps(leader, "js")[0]["stream"] == "SITE_OPERATIONS"
    assert leader["domain"] == SITE and leader["server"] in members
    if leader is not linked:  # the stream leader is another member: over the site's route
        assert [s["kind"] for s in _steps(linked, "eg")] == ["route"]
        assert leader["hop"] == "1.1"
    assert path["missing"] == [] and path["refused"] == ""
    assert path["stored"]["stream"] == "SITE_OPERATIONS" and path["stored"]["domain"] == SITE
    upload, cloud = path["copies"]
    assert (upload["stream"], upload["domain"]) == ("UPLOAD", SITE)
    assert upload["source"].startswith(f"SITE_OPERATIONS {path['stored']['seq']} ")
    assert (cloud["stream"], cloud["domain"]) == ("FLEET", "hub")
    assert cloud["source"].startswith("UPLOAD:") and f" {upload['seq']} " in cloud["source"]
    hub = await fleet.hub_client()
    try:
        assert path["event_id"] in await stream_ids(hub, "FLEET")
    finally:
        await hub.close()
    text = await _trace(SUBJECT, "--server", fleet.hub_url)
    assert text.returncode == 0 and "over the leaf link" in text.stdout, text.stdout
    save("fleet-trace-from-hub", f"$ specgen fleet trace {SUBJECT}\n{text.stdout}")


async def test_trace_at_a_site_member_takes_the_route_to_the_stream_leader(
    site_cluster: LocalFleet,
) -> None:
    fleet = site_cluster
    leader = await fleet.stream_leader(SITE, "SITE_OPERATIONS")
    member = (leader + 1) % 3
    at = fleet.site_urls(SITE)[member]
    done = await _trace(SUBJECT, "--server", fleet.hub_url, "--at", at)
    assert done.returncode == 0, done.stdout + done.stderr
    save("fleet-trace-at-site", f"$ specgen fleet trace {SUBJECT} --at <member>\n{done.stdout}")
    names = [s.name for s in fleet.site_members(SITE)]
    lines = done.stdout.splitlines()
    rows = [line.split(maxsplit=4) for line in lines[3:] if line.startswith("  ")]
    hops = [(hop, server, what.split(maxsplit=1)[0]) for hop, _, _, server, what in rows]
    assert hops[:4] == [
        ("-", names[member], "in"),
        ("-", names[member], "out"),
        ("1", names[leader], "in"),
        ("1", names[leader], "js"),
    ], done.stdout
    assert "out  to route" in lines[4] and "in   from route" in lines[5]
    assert "stored in stream SITE_OPERATIONS (domain site-0001)" in lines[6]
    assert "copied into stream UPLOAD (domain site-0001)" in lines[7]
    assert "copied into stream FLEET (domain hub)" in lines[8] and "over the leaf link" in lines[8]
    assert lines[-1].startswith("acknowledged by stream SITE_OPERATIONS in domain site-0001")


async def test_trace_only_reports_the_path_and_stores_nothing(site_cluster: LocalFleet) -> None:
    fleet = site_cluster
    api = JsApi(await fleet.hub_client(), domain=SITE, target=SITE)
    try:
        before = await stream_messages(api, "SITE_OPERATIONS")
        path = await _json(fleet, "--trace-only")
        assert path["trace_only"] and path["stored"] is None and path["copies"] == []
        assert _steps(_stored_by(path), "js")[0]["stream"] == "SITE_OPERATIONS"
        assert await stream_messages(api, "SITE_OPERATIONS") == before
    finally:
        await api.nc.close()


async def test_bad_subjects_and_unreachable_servers_are_one_line_errors(
    site_cluster: LocalFleet,
) -> None:
    fleet = site_cluster
    cases = {
        "pf.site-0001.nowhere.v1": "no event of package 'powerflex_events' is published on",
        "pf.Site_1.site_operations.charger_status_changed.v1": "is not a valid site id",
        "pf.site-0002.site_operations.charger_status_changed.v1": "site-0002: unreachable",
    }
    for subject, message in cases.items():
        done = await _trace(subject, "--server", fleet.hub_url, "--timeout", "2")
        assert done.returncode == 2 and message in done.stderr, (subject, done.stderr)
        assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    down = await _trace(SUBJECT, "--server", "nats://127.0.0.1:1", "--timeout", "1")
    assert down.returncode == 2 and "unreachable" in down.stderr and "Traceback" not in down.stderr
