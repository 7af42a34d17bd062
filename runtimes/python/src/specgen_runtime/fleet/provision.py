"""Plan and apply the JetStream configuration of many sites and of the hub.

Everything goes through one client connected to the hub: site streams are reached through
the site's JetStream domain (``$JS.<site>.API``, over its leaf link), hub streams directly::

    plan = await make_plan(nc, topo, ["site-0001", "site-0002"], replicas=1)
    print(plan.summary())            # create / update / unchanged / refused per stream
    result = await apply_plan(nc, plan)
    again = await make_plan(nc, topo, [...])   # all unchanged: applying is idempotent

A plan against live state is the drift report (``plan.drift``). Destructive changes (see
``diff``) are ``REFUSED`` unless ``allow_destructive=True``. Sites are planned and applied
concurrently, at most ``concurrency`` at a time; ``progress(done, total, site)`` is called
after each site. The hub's cloud streams are applied last, after every site's UPLOAD exists.
By default the hub keeps sources of sites that are not listed (commissioning is additive);
``prune=True`` makes the listed sites the whole fleet, so other sources are dropped
(destructive).
"""

from __future__ import annotations

import asyncio
import enum
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nats.aio.client import Client

from specgen_runtime.fleet.diff import FieldChange, diff_stream
from specgen_runtime.fleet.errors import FleetError, JetStreamApiError
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.mqtt import mqtt_stream
from specgen_runtime.fleet.topology import StreamSpec, Topology

__all__ = [
    "Action",
    "ApplyResult",
    "Plan",
    "Progress",
    "StreamPlan",
    "TargetError",
    "TooFewServersError",
    "apply_plan",
    "make_plan",
]

Progress = Callable[[int, int, str], None]
HUB = "hub"


class Action(enum.Enum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@dataclass(frozen=True)
class StreamPlan:
    """What to do with one stream on one target (``HUB`` or a site id)."""

    target: str
    domain: str | None  # None: the connected server (the hub); else the site's domain
    stream: str
    action: Action
    changes: tuple[FieldChange, ...] = ()
    config: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def destructive(self) -> bool:
        return any(change.destructive for change in self.changes)


@dataclass(frozen=True)
class TargetError:
    """A site (or the hub) that could not be planned or applied."""

    target: str
    message: str


@dataclass(frozen=True)
class Plan:
    streams: tuple[StreamPlan, ...]
    errors: tuple[TargetError, ...] = ()
    allow_destructive: bool = False

    def count(self, action: Action) -> int:
        return sum(1 for s in self.streams if s.action is action)

    @property
    def refused(self) -> tuple[StreamPlan, ...]:
        return tuple(s for s in self.streams if s.action is Action.REFUSED)

    @property
    def drift(self) -> bool:
        """Whether live state differs from the desired configuration anywhere."""
        return any(s.action is not Action.UNCHANGED for s in self.streams)

    def targets(self) -> list[str]:
        return list(dict.fromkeys(s.target for s in self.streams))

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(a)} {a.value}" for a in Action)
        errors = f", {len(self.errors)} unreachable" if self.errors else ""
        return f"{len(self.targets())} target(s): {counts}{errors}"


@dataclass
class ApplyResult:
    applied: list[StreamPlan] = field(default_factory=list)
    skipped: list[StreamPlan] = field(default_factory=list)  # refused: not applied
    errors: list[TargetError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _plan_stream(
    target: str,
    domain: str | None,
    spec: StreamSpec,
    info: dict[str, Any] | None,
    *,
    allow_destructive: bool,
    keep_extra_sources: bool,
) -> StreamPlan:
    if info is None:
        return StreamPlan(target, domain, spec.name, Action.CREATE, (), spec.wire())
    diff = diff_stream(spec, info["config"], keep_extra_sources=keep_extra_sources)
    if not diff.changes:
        action = Action.UNCHANGED
    elif any(c.destructive for c in diff.changes) and not allow_destructive:
        action = Action.REFUSED
    else:
        action = Action.UPDATE
    return StreamPlan(target, domain, spec.name, action, diff.changes, diff.config)


async def _plan_target(
    api: JsApi,
    specs: Sequence[StreamSpec],
    *,
    allow_destructive: bool,
    keep_extra_sources: bool = False,
) -> list[StreamPlan]:
    plans = []
    for spec in specs:
        info = await api.stream_info(spec.name)
        plans.append(
            _plan_stream(
                api.target,
                api.domain,
                spec,
                info,
                allow_destructive=allow_destructive,
                keep_extra_sources=keep_extra_sources,
            )
        )
    return plans


async def _bounded_over_sites(
    sites: Sequence[str],
    work: Callable[[str], Any],
    concurrency: int,
    progress: Progress | None,
) -> None:
    semaphore = asyncio.Semaphore(max(1, concurrency))
    done = 0

    async def one(site: str) -> None:
        nonlocal done
        async with semaphore:
            await work(site)
        done += 1
        if progress is not None:
            progress(done, len(sites), site)

    await asyncio.gather(*(one(site) for site in sites))


async def make_plan(
    nc: Client,
    topology: Topology,
    sites: Iterable[str],
    *,
    replicas: int | None = None,
    hub_replicas: int | None = None,
    allow_destructive: bool = False,
    include_hub: bool = True,
    include_sites: bool = True,
    prune: bool = False,
    mqtt: bool = False,
    concurrency: int = 16,
    timeout: float = 5.0,
    progress: Progress | None = None,
) -> Plan:
    """Compare the desired configuration of ``sites`` (and the hub) with live state.

    ``replicas`` overrides the document's replicas of every stream; ``hub_replicas`` those
    of the hub's streams only (a hub cluster and a site cluster may differ in size).
    ``mqtt``: the sites serve MQTT, so their MQTT stream sources the QoS 1 events
    (``fleet.mqtt``).
    """
    checked = topology.check_sites(sites)
    by_site: dict[str, list[StreamPlan]] = {}
    errors: list[TargetError] = []

    async def plan_site(site: str) -> None:
        api = JsApi(nc, domain=site, target=site, timeout=timeout)
        specs = topology.site_streams(site, replicas=replicas)
        stream = mqtt_stream(topology, site, replicas=replicas) if mqtt else None
        specs += (stream,) if stream is not None else ()
        try:
            by_site[site] = await _plan_target(api, specs, allow_destructive=allow_destructive)
        except FleetError as exc:
            errors.append(TargetError(site, str(exc)))

    if include_sites:
        await _bounded_over_sites(checked, plan_site, concurrency, progress)
    streams = [p for site in checked for p in by_site.get(site, [])]
    if include_hub:
        api = JsApi(nc, domain=None, target=HUB, timeout=timeout)
        specs = topology.hub_streams(
            checked, replicas=replicas if hub_replicas is None else hub_replicas
        )
        try:
            streams += await _plan_target(
                api, specs, allow_destructive=allow_destructive, keep_extra_sources=not prune
            )
        except FleetError as exc:
            errors.append(TargetError(HUB, str(exc)))
    return Plan(tuple(streams), tuple(errors), allow_destructive)


# The server's answers when a stream wants more replicas than the cluster has servers.
_TOO_FEW_SERVERS = frozenset({10074, 10005, 10023})  # non-clustered, no peers, resources
_NOT_CLUSTERED = 10074  # certain at once; the others may mean a cluster still forming
SETTLE = 10.0
"""Seconds a clustered target may take to have every peer (a site started just before it is
commissioned) before too few servers for a stream's replicas is an error."""


async def _apply_one(api: JsApi, plan: StreamPlan, settle: float = SETTLE) -> None:
    deadline = time.monotonic() + settle
    while True:
        try:
            if plan.action is Action.CREATE:
                await api.create_stream(plan.config)
            elif plan.action is Action.UPDATE:
                await api.update_stream(plan.config)
            return
        except JetStreamApiError as exc:
            replicas = int(plan.config.get("num_replicas") or 1)
            if replicas <= 1 or exc.err_code not in _TOO_FEW_SERVERS:
                raise
            if exc.err_code == _NOT_CLUSTERED or time.monotonic() >= deadline:
                raise TooFewServersError(plan, replicas, exc) from exc
        await asyncio.sleep(0.25)  # a peer that has not joined the cluster yet


class TooFewServersError(FleetError):
    """A stream wants R``replicas`` but the target's JetStream cluster is smaller."""

    def __init__(self, plan: StreamPlan, replicas: int, cause: JetStreamApiError) -> None:
        where = "the hub" if plan.target == HUB else f"site {plan.target}"
        hint = (
            f"run {replicas} JetStream servers there (specgen-fleet server-config "
            f"{'hub' if plan.target == HUB else 'site ' + plan.target} --servers {replicas})"
            " or plan with --replicas 1"
        )
        super().__init__(
            f"{plan.target}: stream {plan.stream} wants {replicas} replicas, but the JetStream "
            f"cluster of {where} has fewer than {replicas} servers ({cause.description}); "
            f"{hint}"
        )
        self.target = plan.target
        self.replicas = replicas


async def apply_plan(
    nc: Client,
    plan: Plan,
    *,
    concurrency: int = 16,
    timeout: float = 5.0,
    progress: Progress | None = None,
    settle: float = SETTLE,
) -> ApplyResult:
    """Create and update what ``plan`` says, sites first (concurrently), then the hub.

    Refused streams are skipped. A failing target is reported in ``errors`` and stops only
    that target. Applying is idempotent: plan again afterwards to see everything unchanged.
    A clustered target that has too few servers for a stream's replicas is asked again for
    ``settle`` seconds first: a cluster started just before may still be admitting a member.
    """
    result = ApplyResult(errors=list(plan.errors))
    by_target: dict[str, list[StreamPlan]] = {}
    for stream in plan.streams:
        by_target.setdefault(stream.target, []).append(stream)

    async def apply_target(target: str) -> None:
        streams = by_target[target]
        api = JsApi(nc, domain=streams[0].domain, target=target, timeout=timeout)
        for stream in streams:
            if stream.action is Action.REFUSED:
                result.skipped.append(stream)
                continue
            try:
                await _apply_one(api, stream, settle)
            except FleetError as exc:
                result.errors.append(TargetError(target, str(exc)))
                return
            if stream.action is not Action.UNCHANGED:
                result.applied.append(stream)

    sites = [t for t in by_target if t != HUB]
    await _bounded_over_sites(sites, apply_target, concurrency, progress)
    if HUB in by_target:
        await apply_target(HUB)
    return result
