"""Shorten the cloud's catch-up after a site's link comes back, without losing or duplicating.

nats-server re-creates a broken source consumer from a health check every 10 s; when that
request went out while the link was still down, it waits 30 s for the reply before trying
again, so catch-up after an outage takes 25-40 s (bench/bench_catchup.py). Renewing the
site's source on the cloud stream (an update without it, then with it again, unchanged)
makes the server ask at once: a source re-added with the same configuration resumes right
after the last message the stream holds from it, as after a hub restart. A message the
abandoned request still delivers carries the same ``Nats-Msg-Id`` and is dropped by the
stream's ``duplicate_window``.

Changing any field of the source instead would make it a new source starting from a time:
that is what this module never does.
"""

from __future__ import annotations

from collections.abc import Iterable

from nats.aio.client import Client

from specgen_runtime.fleet.errors import FleetError
from specgen_runtime.fleet.health import SiteState, fleet_health
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.topology import Topology

__all__ = ["catch_up", "renew_source"]


async def renew_source(api: JsApi, stream: str, site: str) -> None:
    """Drop ``site``'s source from the cloud ``stream`` and add the very same source back."""
    info = await api.stream_info(stream)
    if info is None:
        raise FleetError(f"{api.target}: stream {stream} does not exist")
    config = info["config"]
    sources = list(config.get("sources") or [])
    prefix = f"$JS.{site}.API"
    keep = [s for s in sources if (s.get("external") or {}).get("api") != prefix]
    if len(keep) == len(sources):
        raise FleetError(f"{api.target}: {stream} has no source through {prefix}")
    await api.update_stream({**config, "sources": keep})
    await api.update_stream({**config, "sources": sources})


async def catch_up(
    nc: Client,
    topology: Topology,
    sites: Iterable[str] | None = None,
    *,
    stale_after: float = 5.0,
    timeout: float = 2.0,
) -> list[str]:
    """Renew the cloud sources of every site that answers again but is still stale.

    Sites whose link is down (UNREACHABLE) are left alone: renewing them would only start
    another request that cannot be answered. Returns the sites renewed.
    """
    health = await fleet_health(nc, topology, sites, stale_after=stale_after, timeout=timeout)
    api = JsApi(nc, domain=None, target="hub", timeout=timeout)
    renewed = []
    for site in (h.site for h in health if h.state is SiteState.STALE):
        for template in topology.cloud_templates:
            await renew_source(api, template.name, site)
        renewed.append(site)
    return renewed
