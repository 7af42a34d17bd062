"""Is sourcing flowing? Per site, from stream info of the hub and of the site.

For each site we read, through one client connected to the hub:

* the hub's cloud streams (FLEET): the source whose ``external.api`` is ``$JS.<site>.API``,
  with ``lag`` (messages behind), ``active`` (time since the source was last heard from) and
  ``error``;
* the site's UPLOAD stream, through the site's domain: its local sources and message count.

A site is ``UNREACHABLE`` when its domain does not answer (link or server down), ``ERROR``
when a source reports an error or is missing, ``STALE`` when a source was last heard from
more than ``stale_after`` seconds ago (while a link is down ``lag`` stays 0 and ``active``
grows: ``active`` is the staleness signal), else ``OK``. An optional ``backlog`` probe adds
the number of events waiting in the site's durable outbox.

With the servers' own facts (``serverfacts``, through the system account) a site is
``LINK_DOWN`` when the hub holds no leaf connection from it, ``ERROR`` when one of its
servers is out of storage or has JetStream off, and ``WARNING`` when one of its servers
does not fsync every write (``sync_interval: always``).
"""

from __future__ import annotations

import asyncio
import enum
import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from nats.aio.client import Client

from specgen_runtime.fleet.errors import FleetError
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.serverfacts import FleetFacts
from specgen_runtime.fleet.topology import NANOS, Topology

__all__ = [
    "BacklogProbe",
    "SiteHealth",
    "SiteState",
    "SourceHealth",
    "fleet_health",
    "outbox_backlog_probe",
]

BacklogProbe = Callable[[str], Awaitable[int | None] | int | None]


class SiteState(enum.IntEnum):
    OK = 0
    WARNING = 1
    STALE = 2
    ERROR = 3
    LINK_DOWN = 4
    UNREACHABLE = 5


@dataclass(frozen=True)
class SourceHealth:
    """One source of one stream: ``active`` in seconds (None: never heard from)."""

    stream: str
    source: str
    lag: int
    active: float | None
    error: str | None = None


@dataclass(frozen=True)
class SiteHealth:
    site: str
    state: SiteState
    reasons: tuple[str, ...]
    cloud: tuple[SourceHealth, ...]
    upload: tuple[SourceHealth, ...]
    upload_messages: int | None
    backlog: int | None = None

    @property
    def lag(self) -> int:
        return sum(s.lag for s in self.cloud)

    @property
    def active(self) -> float | None:
        """Seconds since the cloud last heard from the site (worst over cloud streams)."""
        values = [s.active for s in self.cloud]
        return None if not values or None in values else max(v for v in values if v is not None)


def _source_health(stream: str, raw: Mapping[str, Any]) -> SourceHealth:
    active = raw.get("active")
    error = raw.get("error")
    return SourceHealth(
        stream=stream,
        source=str(raw.get("name")),
        lag=int(raw.get("lag") or 0),
        active=active / NANOS if isinstance(active, int) and active >= 0 else None,
        error=str(error.get("description", error)) if isinstance(error, Mapping) else None,
    )


def _external_site(raw: Mapping[str, Any]) -> str | None:
    api = (raw.get("external") or {}).get("api") or ""
    parts = api.split(".")
    if len(parts) == 3 and parts[0] == "$JS" and parts[2] == "API":
        return parts[1]
    return None


async def _hub_sources(
    nc: Client, topology: Topology, timeout: float
) -> dict[str, dict[str, SourceHealth]]:
    """site -> cloud stream -> health of that site's source in it."""
    api = JsApi(nc, domain=None, target="hub", timeout=timeout)
    result: dict[str, dict[str, SourceHealth]] = {}
    for name in topology.cloud_stream_names:
        info = await api.stream_info(name)
        for raw in (info or {}).get("sources") or []:
            site = _external_site(raw)
            if site is not None:
                result.setdefault(site, {})[name] = _source_health(name, raw)
    return result


def _classify(
    cloud: Iterable[SourceHealth], upload: Iterable[SourceHealth], stale_after: float
) -> tuple[SiteState, list[str]]:
    state, reasons = SiteState.OK, []
    for src in (*cloud, *upload):
        where = f"{src.stream}<-{src.source}"
        if src.error:
            state = max(state, SiteState.ERROR)
            reasons.append(f"{where}: {src.error}")
        elif src.active is None or src.active > stale_after:
            state = max(state, SiteState.STALE)
            heard = "never" if src.active is None else f"{src.active:.0f}s ago"
            reasons.append(f"{where}: last heard {heard}")
    return state, reasons


async def _site_health(
    nc: Client,
    topology: Topology,
    site: str,
    cloud_sources: Mapping[str, SourceHealth],
    *,
    stale_after: float,
    timeout: float,
) -> SiteHealth:
    cloud = tuple(cloud_sources.values())
    state, reasons = _classify(cloud, (), stale_after)
    for name in topology.cloud_stream_names:
        if name not in cloud_sources:
            state = max(state, SiteState.ERROR)
            reasons.append(f"{name} does not source {topology.upload_name} of {site}")
    api = JsApi(nc, domain=site, target=site, timeout=timeout)
    try:
        info = await api.stream_info(topology.upload_name)
    except FleetError as exc:
        return SiteHealth(site, SiteState.UNREACHABLE, (str(exc), *reasons), cloud, (), None)
    if info is None:
        reasons.append(f"{topology.upload_name} does not exist at the site")
        return SiteHealth(site, SiteState.ERROR, tuple(reasons), cloud, (), None)
    upload = tuple(_source_health(topology.upload_name, s) for s in info.get("sources") or [])
    up_state, up_reasons = _classify((), upload, stale_after)
    messages = int((info.get("state") or {}).get("messages", 0))
    return SiteHealth(
        site, max(state, up_state), tuple(reasons + up_reasons), cloud, upload, messages
    )


def _with_facts(health: SiteHealth, facts: FleetFacts, account: str | None) -> SiteHealth:
    """``health`` worsened by what the site's servers and the hub's leaf links say."""
    state, reasons = health.state, list(health.reasons)
    if not facts.linked(health.site, account):
        state = SiteState.LINK_DOWN
        reasons.insert(0, "leaf link down: the hub holds no leaf connection from the site")
    for server in facts.servers_of(health.site):
        if not server.jetstream:
            state = max(state, SiteState.ERROR)
            reasons.append(f"{server.name}: JetStream is off (out of storage or disabled)")
        elif server.out_of_storage:
            state = max(state, SiteState.ERROR)
            reasons.append(
                f"{server.name}: out of storage ({server.storage}/{server.max_storage} bytes)"
            )
        if server.jetstream and not server.sync_always:
            every = (server.sync_interval_ns or 0) / NANOS
            state = max(state, SiteState.WARNING)
            reasons.append(f"{server.name}: fsyncs every {every:g}s, not every write "
                           "(set jetstream sync_interval: always)")  # fmt: skip
    return replace(health, state=state, reasons=tuple(reasons))


async def _probe(backlog: BacklogProbe | None, site: str) -> int | None:
    if backlog is None:
        return None
    value = backlog(site)
    if inspect.isawaitable(value):
        value = await value
    return value


async def fleet_health(
    nc: Client,
    topology: Topology,
    sites: Iterable[str] | None = None,
    *,
    stale_after: float = 30.0,
    timeout: float = 2.0,
    concurrency: int = 16,
    backlog: BacklogProbe | None = None,
    facts: FleetFacts | None = None,
    account: str | None = None,
) -> list[SiteHealth]:
    """Health of ``sites`` (default: every site a cloud stream sources), in site order.

    ``facts`` (``serverfacts.gather_facts``) adds the servers' own view; ``account`` is the
    fleet account's public key, so only its leaf links count as the site's link.
    """
    hub = await _hub_sources(nc, topology, timeout)
    checked = topology.check_sites(sorted(hub) if sites is None else sites)
    semaphore = asyncio.Semaphore(max(1, concurrency))

    async def one(site: str) -> SiteHealth:
        async with semaphore:
            health = await _site_health(
                nc, topology, site, hub.get(site, {}), stale_after=stale_after, timeout=timeout
            )
            pending = await _probe(backlog, site)
        if facts is not None:
            health = _with_facts(health, facts, account)
        return health if pending is None else _with_backlog(health, pending)

    return list(await asyncio.gather(*(one(site) for site in checked)))


def _with_backlog(health: SiteHealth, pending: int) -> SiteHealth:
    return replace(health, backlog=pending)


def outbox_backlog_probe(paths: Mapping[str, Path]) -> BacklogProbe:
    """A probe reading ``Outbox(path).backlog().pending`` for the sites in ``paths``.

    The outbox module is imported lazily; a site without a path, or whose file does not
    exist, has no backlog figure (None) rather than a freshly created empty outbox.
    """

    async def probe(site: str) -> int | None:
        path = paths.get(site)
        if path is None or not Path(path).is_file():
            return None
        from specgen_runtime.outbox import Outbox

        async with Outbox(path) as outbox:
            backlog = await outbox.backlog()
        return int(backlog.pending)

    return probe
