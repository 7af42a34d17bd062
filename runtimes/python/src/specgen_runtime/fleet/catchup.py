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

The same holds for a site's local sources (``UPLOAD`` sourcing ``ORDERS``...): when a domain
stream's leader moves, the source consumer that lived on the old leader is gone and the
site's own retry takes as long; ``renew_local_source`` renews it through the site's domain.

Changing any field of the source instead would make it a new source starting from a time:
that is what this module never does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from nats.aio.client import Client

from specgen_runtime.fleet.errors import FleetError
from specgen_runtime.fleet.health import SiteState, fleet_health
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.topology import Topology

__all__ = ["catch_up", "finish_renewals", "renew_local_source", "renew_source"]

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


def _ident(source: dict[str, Any]) -> str:
    api = (source.get("external") or {}).get("api")
    return f"{source.get('name')}@{api}" if api else str(source.get("name"))


async def _renew(api: JsApi, stream: str, key: str, pick: Callable[[dict[str, Any]], bool]) -> None:
    config = await _config(api, stream)
    sources = list(config.get("sources") or [])
    mine = [s for s in sources if pick(s)]
    metadata = dict(config.get("metadata") or {})
    if not mine:
        if _NOTE + key in metadata:  # another renewer is half-way: finish its work
            await finish_renewals(api, stream, [key])
            return
        raise FleetError(f"{api.target}: {stream} has no source {key}")
    metadata[_NOTE + key] = json.dumps(mine, sort_keys=True)
    keep = [s for s in sources if not pick(s)]
    await api.update_stream({**config, "sources": keep, "metadata": metadata})
    await finish_renewals(api, stream, [key])


async def renew_source(api: JsApi, stream: str, site: str) -> None:
    """Drop ``site``'s source from the cloud ``stream`` and add the very same source back."""
    await _renew(api, stream, site, lambda source: _is_of(source, site))


async def renew_local_source(api: JsApi, stream: str, name: str) -> None:
    """The same for a source of the local stream ``name`` (a site's UPLOAD sourcing ORDERS)."""

    def pick(source: dict[str, Any]) -> bool:
        return source.get("name") == name and not source.get("external")

    await _renew(api, stream, f"local.{name}", pick)


async def finish_renewals(api: JsApi, stream: str, keys: Iterable[str] | None = None) -> list[str]:
    """Re-add every source noted as being renewed (only ``keys``' if given); clear notes.

    A key is a site id (a cloud source) or ``local.<stream>`` (a site's local source).
    """
    config = await _config(api, stream)
    metadata = dict(config.get("metadata") or {})
    wanted = None if keys is None else set(keys)
    pending = [k for k in metadata if k.startswith(_NOTE)
               and (wanted is None or k.removeprefix(_NOTE) in wanted)]  # fmt: skip
    if not pending:
        return []
    sources = list(config.get("sources") or [])
    finished = []
    for note in sorted(pending):
        present = {_ident(s) for s in sources}
        sources += [s for s in json.loads(metadata[note]) if _ident(s) not in present]
        del metadata[note]
        finished.append(note.removeprefix(_NOTE))
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
    for row in (h for h in health if h.state is SiteState.STALE):
        site_api = JsApi(nc, domain=row.site, target=row.site, timeout=timeout)
        await finish_renewals(site_api, topology.upload_name)
        for source in row.upload:
            if source.active is None or source.active > stale_after:
                await renew_local_source(site_api, topology.upload_name, source.source)
        for template in topology.cloud_templates:
            await renew_source(api, template.name, row.site)
        renewed.append(row.site)
    return renewed
