"""Reading NATS message traces (ADR-41 format) and writing their path as text.

The trace messages here have the shape nats-server 2.11+ publishes (checked against a real
fleet in tests/fleet/test_fleet_trace.py); these tests pin the parts a live fleet rarely
shows: a hop that never reports, a remote without tracing support, errors, a server too old.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from specgen_runtime.fleet.errors import FleetError
from specgen_runtime.fleet.msgtrace import ServerTrace, check_version, hop_order, missing_hops
from specgen_runtime.fleet.trace_path import Stored, StoredCopy, TracePath
from specgen_runtime.fleet.trace_render import render_trace

SUBJECT = "pf.site-0001.orders.order_created.v1"


def _message(name: str, hop: str | None, events: list[dict[str, Any]]) -> dict[str, Any]:
    header = {"Nats-Trace-Dest": ["_INBOX.x"]} | ({"Nats-Trace-Hop": [hop]} if hop else {})
    return {
        "server": {"name": name, "id": f"N{name}", "domain": name.split("-")[0], "ver": "2.15.1"},
        "request": {"header": header, "msgsize": 100},
        "events": events,
    }


def _ts(ms: int) -> str:
    return f"2026-01-02T03:04:05.{ms:03d}123456Z"


HUB = _message("hub", None, [
    {"type": "in", "ts": _ts(0), "kind": 0, "cid": 5, "name": "app", "acc": "A", "subj": SUBJECT},
    {"type": "eg", "ts": _ts(1), "kind": 4, "cid": 9, "name": "site-1", "hop": "1"},
    {"type": "eg", "ts": _ts(1), "kind": 4, "cid": 10, "name": "site-old", "hop": "2",
     "error": "Message delivered but remote does not support message tracing so no trace "
              "event generated from there"},
])  # fmt: skip
SITE = _message("site-1", "1", [
    {"type": "in", "ts": _ts(2), "kind": 4, "cid": 3, "name": "hub", "acc": "A", "subj": SUBJECT},
    {"type": "eg", "ts": _ts(3), "kind": 1, "cid": 4, "name": "site-2", "hop": "1.1"},
])  # fmt: skip


def test_a_trace_message_is_read_step_by_step() -> None:
    site = ServerTrace.parse(SITE)
    assert (site.server, site.hop, site.domain, site.version) == ("site-1", "1", "site", "2.15.1")
    inbound, outbound = site.steps
    assert (inbound.type, inbound.kind, inbound.name, inbound.account) == ("in", "leaf link",
                                                                           "hub", "A")  # fmt: skip
    assert inbound.at == datetime(2026, 1, 2, 3, 4, 5, 2123, UTC)
    assert (outbound.kind, outbound.hop, outbound.to_remote) == ("route", "1.1", True)


def test_a_hop_that_never_reported_is_missing_unless_its_server_cannot_trace() -> None:
    traces = [ServerTrace.parse(HUB), ServerTrace.parse(SITE)]
    assert missing_hops(traces) == ["1.1"]  # hop 2 cannot report: not counted
    leader = _message("site-2", "1.1", [{"type": "js", "ts": _ts(4), "stream": "ORDERS"}])
    assert missing_hops([*traces, ServerTrace.parse(leader)]) == []
    assert sorted(["2", "1.1", "", "1", "1.10", "1.2"], key=hop_order) == [
        "", "1", "1.1", "1.2", "1.10", "2",
    ]  # fmt: skip


@pytest.mark.parametrize("version", ["2.10.24", "2.9.0", "1.4.1"])
def test_servers_before_2_11_are_refused_with_the_reason(version: str) -> None:
    with pytest.raises(FleetError, match=rf"runs nats-server {version}: .* needs 2.11 or later"):
        check_version(version, "nats://hub:4222")


def test_servers_from_2_11_trace() -> None:
    for version in ("2.11.0", "2.15.1", "3.0.0-beta.1"):
        check_version(version, "hub")


def test_the_text_names_each_hop_the_copies_and_what_went_wrong() -> None:
    hub, site = ServerTrace.parse(HUB), ServerTrace.parse(SITE)
    copies = (
        StoredCopy("UPLOAD", "site-0001", 7, datetime(2026, 1, 2, 3, 4, 5, 900000, UTC),
                   "site-1", "ORDERS 3 > > " + SUBJECT + " abc"),
        StoredCopy("FLEET", "hub", 12, datetime(2026, 1, 2, 3, 4, 7, 0, UTC), "hub",
                   "UPLOAD:Xy12 7 > > " + SUBJECT + " def"),
    )  # fmt: skip
    path = TracePath(
        subject=SUBJECT, event_id="trace-1", event_type="t.v1", site="site-0001",
        trace_only=False, servers=(hub, site), missing=("1.1",),
        stored=Stored("ORDERS", "site-0001", 3, False), refused="", copies=copies,
        not_reached=("EXTRA (domain hub)",),
    )  # fmt: skip
    lines = render_trace(path).splitlines()
    assert lines[0] == f"trace of {SUBJECT} (stored)"
    assert 'in   from client "app" (account A)' in lines[3] and "+0.0 ms" in lines[3]
    assert "out  to leaf link site-1 (hop 1)" in lines[4]
    assert "! Message delivered but remote does not support" in lines[6]
    assert lines[7].split()[:2] == ["1", "+2.0"] and "in   from leaf link hub" in lines[7]
    assert (
        "copied into stream UPLOAD (domain site-0001) seq 7, sourced from ORDERS seq 3"
        in (lines[9])
    )
    assert lines[10].endswith("sourced from UPLOAD seq 7 of site-0001 over the leaf link")
    assert "+2.00 s" in lines[10]
    assert lines[11].startswith("hop 1.1 reported nothing")
    assert lines[12] == "acknowledged by stream ORDERS in domain site-0001, seq 3"
    assert lines[13].startswith("never reached EXTRA (domain hub)")
