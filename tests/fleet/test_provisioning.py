"""Plan / apply / drift against a real LocalFleet (hub + 2 sites, replicas overridden to 1)."""

from __future__ import annotations

from nats.aio.client import Client
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.provision import Action, Plan, apply_plan, make_plan
from specgen_runtime.fleet.topology import NANOS, Topology

from tests.fleet.conftest import SITES


async def _commission(hub: Client, topo: Topology) -> Plan:
    plan = await make_plan(hub, topo, SITES, replicas=1)
    result = await apply_plan(hub, plan)
    assert result.ok, result.errors
    return plan


async def test_apply_creates_everything_and_is_idempotent(
    fleet: LocalFleet, hub: Client, topo: Topology
) -> None:
    progress: list[tuple[int, int, str]] = []
    plan = await make_plan(hub, topo, SITES, replicas=1, progress=lambda *a: progress.append(a))
    assert {(s.target, s.action) for s in plan.streams} == {
        ("site-0001", Action.CREATE),
        ("site-0002", Action.CREATE),
        ("hub", Action.CREATE),
    }
    assert plan.count(Action.CREATE) == 2 * 6 + 1
    assert sorted(p[0] for p in progress) == [1, 2]
    result = await apply_plan(hub, plan)
    assert result.ok and len(result.applied) == 13
    again = await make_plan(hub, topo, SITES, replicas=1)
    assert not again.drift and again.count(Action.UNCHANGED) == 13
    second = await apply_plan(hub, again)
    assert second.ok and second.applied == []
    info = await JsApi(hub, domain="site-0002", target="site-0002").stream_info("ORDERS")
    assert info is not None and info["config"]["subjects"] == ["pf.site-0002.orders.>"]


async def test_drift_detected_and_repaired(hub: Client, topo: Topology) -> None:
    await _commission(hub, topo)
    site = JsApi(hub, domain="site-0001", target="site-0001")
    info = await site.stream_info("CHARGING")
    assert info is not None
    changed = dict(info["config"], max_age=40 * 86_400 * NANOS, duplicate_window=60 * NANOS)
    await site.update_stream(changed)  # by hand: longer max_age, shorter window
    plan = await make_plan(hub, topo, SITES, replicas=1)
    drifted = [s for s in plan.streams if s.action is not Action.UNCHANGED]
    assert [(s.target, s.stream, s.action) for s in drifted] == [
        ("site-0001", "CHARGING", Action.REFUSED)  # back to 30 days shrinks max_age
    ]
    fields = {c.field: c for c in drifted[0].changes}
    assert fields["max_age"].destructive and fields["max_age"].desired == "2.592e+06s"
    assert not fields["duplicate_window"].destructive
    allowed = await make_plan(hub, topo, SITES, replicas=1, allow_destructive=True)
    assert [s.action for s in allowed.streams if s.changes] == [Action.UPDATE]
    assert (await apply_plan(hub, allowed)).ok
    assert not (await make_plan(hub, topo, SITES, replicas=1)).drift


async def test_destructive_changes_refused_unless_allowed(hub: Client, topo: Topology) -> None:
    await _commission(hub, topo)
    site = JsApi(hub, domain="site-0002", target="site-0002")
    info = await site.stream_info("UPLOAD")
    assert info is not None
    extra = {"name": "DEADLETTER"}
    await site.update_stream(dict(info["config"], sources=[*info["config"]["sources"], extra]))
    orders = await site.stream_info("ORDERS")
    assert orders is not None
    subjects = [*orders["config"]["subjects"], "pf.site-0002.legacy.>"]
    await site.update_stream(dict(orders["config"], subjects=subjects))
    plan = await make_plan(hub, topo, SITES, replicas=1)
    refused = {s.stream: s for s in plan.refused}
    assert set(refused) == {"UPLOAD", "ORDERS"}
    assert refused["UPLOAD"].changes[0].field == "sources"
    assert refused["ORDERS"].changes[0].live == "- pf.site-0002.legacy.>"
    result = await apply_plan(hub, plan)
    assert {s.stream for s in result.skipped} == {"UPLOAD", "ORDERS"} and result.applied == []
    still = await site.stream_info("ORDERS")
    assert still is not None and len(still["config"]["subjects"]) == 2
    allowed = await make_plan(hub, topo, SITES, replicas=1, allow_destructive=True)
    assert (await apply_plan(hub, allowed)).ok
    assert not (await make_plan(hub, topo, SITES, replicas=1)).drift


async def test_hub_is_additive_unless_pruned(hub: Client, topo: Topology) -> None:
    await _commission(hub, topo)
    only_one = await make_plan(hub, topo, ["site-0001"], replicas=1)
    assert not only_one.drift  # site-0002 stays sourced: commissioning adds sites
    pruned = await make_plan(hub, topo, ["site-0001"], replicas=1, prune=True)
    (fleet_plan,) = [s for s in pruned.streams if s.target == "hub"]
    assert fleet_plan.action is Action.REFUSED
    assert fleet_plan.changes[0].live == "- UPLOAD@$JS.site-0002.API (deliver $JS.SRC.site-0002)"


async def test_plan_for_many_sites(hub: Client, topo: Topology) -> None:
    await _commission(hub, topo)
    absent = [f"site-{n:04d}" for n in range(3, 43)]
    plan = await make_plan(hub, topo, [*SITES, *absent], replicas=1, timeout=1.0)
    assert {e.target for e in plan.errors} == set(absent)  # no such domain: unreachable
    (fleet_plan,) = [s for s in plan.streams if s.target == "hub"]
    assert fleet_plan.action is Action.UPDATE
    assert fleet_plan.changes[0].desired.count("UPLOAD@") == 40
    assert all(s.action is Action.UNCHANGED for s in plan.streams if s.target != "hub")
