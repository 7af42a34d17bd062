"""Shorten the cloud's catch-up after a site's link comes back, without losing or duplicating.

nats-server re-creates a broken source consumer from a health check every 10 s; when that
request went out while the link was still down, it waits 30 s for the reply before trying
again, so catch-up after an outage takes 25-40 s (bench/bench_catchup.py). Renewing the
site's source on the cloud stream (an update without it, then with it again, unchanged)
makes the server ask at once: a source re-added with the same configuration resumes right
after the last message the stream holds from it, as after a hub restart. A message the
abandoned request still delivers carries the same ``Nats-Msg-Id`` and is dropped by the
stream's ``duplicate_window``.

Crash safety: the update that drops the source also writes it into the stream's metadata
(``_specgen.renew.<site>``), and the update that re-adds it removes the note. Whoever finds
a note (the next renewal, ``fleet catch-up`` or ``fleet watch`` at start) finishes that
renewal, so a renewer killed half-way never leaves a site unsourced, and two renewers at
once never lose a source: the second sees the note and completes the first's work. Sources
added meanwhile by provisioning are kept, since the re-add reads the stream afresh.

Changing any field of the source instead would make it a new source starting from a time:
that is what this module never does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from nats.aio.client import Client

from specgen_runtime.fleet.errors import FleetError
from specgen_runtime.fleet.health import SiteState, fleet_health
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.topology import Topology

__all__ = ["catch_up", "finish_renewals", "renew_source"]

_NOTE = "_specgen.renew."


def _site_api(site: str) -> str:
    return f"$JS.{site}.API"


def _is_of(source: dict[str, Any], site: str) -> bool:
    return (source.get("external") or {}).get("api") == _site_api(site)


async def _config(api: JsApi, stream: str) -> dict[str, Any]:
    info = await api.stream_info(stream)
    if info is None:
        raise FleetError(f"{api.target}: stream {stream} does not exist")
    config: dict[str, Any] = info["config"]
    return config


async def renew_source(api: JsApi, stream: str, site: str) -> None:
    """Drop ``site``'s source from the cloud ``stream`` and add the very same source back."""
    config = await _config(api, stream)
    sources = list(config.get("sources") or [])
    mine = [s for s in sources if _is_of(s, site)]
    metadata = dict(config.get("metadata") or {})
    if not mine:
        if _NOTE + site in metadata:  # another renewer is half-way: finish its work
            await finish_renewals(api, stream, [site])
            return
        raise FleetError(f"{api.target}: {stream} has no source through {_site_api(site)}")
    metadata[_NOTE + site] = json.dumps(mine, sort_keys=True)
    keep = [s for s in sources if not _is_of(s, site)]
    await api.update_stream({**config, "sources": keep, "metadata": metadata})
    await finish_renewals(api, stream, [site])


async def finish_renewals(api: JsApi, stream: str, sites: Iterable[str] | None = None) -> list[str]:
    """Re-add every source noted as being renewed (only ``sites``' if given); clear notes."""
    config = await _config(api, stream)
    metadata = dict(config.get("metadata") or {})
    wanted = None if sites is None else set(sites)
    pending = [k for k in metadata if k.startswith(_NOTE)
               and (wanted is None or k.removeprefix(_NOTE) in wanted)]  # fmt: skip
    if not pending:
        return []
    sources = list(config.get("sources") or [])
    finished = []
    for key in sorted(pending):
        site = key.removeprefix(_NOTE)
        if not any(_is_of(s, site) for s in sources):
            sources += json.loads(metadata[key])
        del metadata[key]
        finished.append(site)
    await api.update_stream({**config, "sources": sources, "metadata": metadata})
    return finished


async def catch_up(
    nc: Client,
    topology: Topology,
    sites: Iterable[str] | None = None,
    *,
    stale_after: float = 5.0,
    timeout: float = 2.0,
) -> list[str]:
    """Renew the cloud sources of every site that answers again but is still stale.

    Renewals left half-way (by a renewer that died) are finished first. Sites whose link is
    down (UNREACHABLE) are left alone: renewing them would only start another request that
    cannot be answered. Returns the sites renewed.
    """
    api = JsApi(nc, domain=None, target="hub", timeout=timeout)
    for template in topology.cloud_templates:
        await finish_renewals(api, template.name)
    health = await fleet_health(nc, topology, sites, stale_after=stale_after, timeout=timeout)
    renewed = []
    for site in (h.site for h in health if h.state is SiteState.STALE):
        for template in topology.cloud_templates:
            await renew_source(api, template.name, site)
        renewed.append(site)
    return renewed
