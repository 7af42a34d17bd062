"""The servers' own events, decoded per site and stream: JetStream advisories and leaf links.

Two sources, both at the hub:

* ``$JS.EVENT.ADVISORY.>`` in the fleet account: every server publishes its JetStream
  advisories there, and the sites' ones reach the hub over their leaf links. Each names its
  JetStream domain, which is the site id (or the cloud's domain).
* ``$SYS.ACCOUNT.*.CONNECT`` / ``DISCONNECT`` in the system account: a hub server reports
  every leaf connection it accepts or loses, naming the remote server (``<site>`` or
  ``<site>-<n>``) and the account it is bound to.

::

    async with EventFeed(ops_nc, sys_nc, sites=["site-0001"]) as feed:
        async for event in feed:
            print(event.text())      # 11:02:03.123 site-0001 leaf.disconnected ...

Events the operator rarely needs are left out: API audits that succeeded, client (not
leaf) connections, and a site server's own view of its outgoing leaf link (the hub's view
says the same). Credentials and JWTs in the raw events are never kept.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from types import TracebackType
from typing import Any, Self

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription

from specgen_runtime.fleet.serverfacts import site_of_server

__all__ = ["ADVISORIES", "EventFeed", "FleetEvent", "decode_event"]

ADVISORIES = "$JS.EVENT.ADVISORY.>"
LEAF_EVENTS = ("$SYS.ACCOUNT.*.CONNECT", "$SYS.ACCOUNT.*.DISCONNECT")

# subject prefix (after $JS.EVENT.ADVISORY.) -> kind; the next tokens are stream, consumer
_KINDS = {
    "STREAM.CREATED": "stream.created",
    "STREAM.DELETED": "stream.deleted",
    "STREAM.UPDATED": "stream.updated",
    "STREAM.LEADER_ELECTED": "stream.leader_elected",
    "STREAM.QUORUM_LOST": "stream.quorum_lost",
    "CONSUMER.CREATED": "consumer.created",
    "CONSUMER.DELETED": "consumer.deleted",
    "CONSUMER.LEADER_ELECTED": "consumer.leader_elected",
    "CONSUMER.QUORUM_LOST": "consumer.quorum_lost",
    "CONSUMER.MAX_DELIVERIES": "consumer.max_deliveries",
    "CONSUMER.MSG_NAKED": "consumer.nak",
    "CONSUMER.MSG_TERMINATED": "consumer.terminated",
    "SERVER.OUT_OF_STORAGE": "server.out_of_storage",
    "API.LIMIT_REACHED": "api.limit_reached",
}


@dataclass(frozen=True)
class FleetEvent:
    time: str  # ISO 8601 as the server wrote it
    site: str  # site id, or the cloud's domain
    kind: str  # stream.created, leaf.disconnected, api.error ...
    stream: str | None = None
    consumer: str | None = None
    server: str | None = None
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}

    def text(self) -> str:
        clock = self.time[11:23] if len(self.time) >= 23 else self.time
        where = ".".join(p for p in (self.stream, self.consumer) if p)
        parts = [clock, f"{self.site:<16}", f"{self.kind:<24}", where, self.detail]
        return " ".join(p for p in parts if p).rstrip()


def _advisory(subject: str, data: dict[str, Any], cloud: str) -> FleetEvent | None:
    rest = subject.removeprefix("$JS.EVENT.ADVISORY.")
    site = str(data.get("domain") or cloud)
    when = str(data.get("timestamp") or "")
    if rest == "API":  # audit of one JetStream API request: only failures are news
        response = json.loads(data.get("response") or "{}")
        error = response.get("error") if isinstance(response, dict) else None
        if not error:
            return None
        request = str(data.get("subject", ""))
        return FleetEvent(when, site, "api.error", server=data.get("server"),
                          detail=f"{request}: {error.get('description', error)}")  # fmt: skip
    for prefix, kind in _KINDS.items():
        if rest == prefix or rest.startswith(prefix + "."):
            return FleetEvent(when, site, kind, stream=data.get("stream"),
                              consumer=data.get("consumer"), server=data.get("server"),
                              detail=_detail(kind, data))  # fmt: skip
    return None


def _detail(kind: str, data: dict[str, Any]) -> str:
    if kind.endswith("leader_elected"):
        return f"leader {data.get('leader')}"
    if kind in ("consumer.max_deliveries", "consumer.nak", "consumer.terminated"):
        reason = f" ({data['reason']})" if data.get("reason") else ""
        return f"stream seq {data.get('stream_seq')}, {data.get('deliveries')} deliveries{reason}"
    if kind.endswith("quorum_lost"):
        return "replicas " + ", ".join(str(r.get("name")) for r in data.get("replicas") or [])
    return ""


def _leaf(subject: str, data: dict[str, Any], cloud: str, sites: Iterable[str],
          system_account: str | None) -> FleetEvent | None:  # fmt: skip
    client, server = data.get("client") or {}, data.get("server") or {}
    if client.get("kind") != "Leafnode" or (server.get("domain") or cloud) != cloud:
        return None
    remote = str(client.get("name") or "")
    site = site_of_server(remote, sites) or remote or "?"
    up = subject.endswith(".CONNECT")
    link = "system link" if client.get("acc") == system_account else "link"
    reason = "" if up else f" ({data.get('reason')})" if data.get("reason") else ""
    return FleetEvent(str(data.get("timestamp") or ""), site,
                      "leaf.connected" if up else "leaf.disconnected",
                      server=str(server.get("name") or ""),
                      detail=f"{link} from {remote}{reason}")  # fmt: skip


def decode_event(
    subject: str,
    payload: bytes,
    *,
    cloud_domain: str = "hub",
    sites: Iterable[str] = (),
    system_account: str | None = None,
) -> FleetEvent | None:
    """The event in one server message, or None when it is not one we show."""
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if subject.startswith("$JS.EVENT.ADVISORY."):
        return _advisory(subject, data, cloud_domain)
    if subject.startswith("$SYS.ACCOUNT."):
        return _leaf(subject, data, cloud_domain, sites, system_account)
    return None


class EventFeed:
    """Subscriptions to the advisories (``nc``) and, with ``sys_nc``, to leaf link events.

    An async iterator of :class:`FleetEvent`; ``sites`` limits the output to those sites
    (None: all) and names the servers of leaf events.
    """

    def __init__(
        self,
        nc: Client,
        sys_nc: Client | None = None,
        *,
        sites: Iterable[str] | None = None,
        cloud_domain: str = "hub",
        system_account: str | None = None,
    ) -> None:
        self._nc, self._sys = nc, sys_nc
        self._only = None if sites is None else frozenset(sites)
        self._sites = tuple(sites or ())
        self._cloud = cloud_domain
        self._system_account = system_account
        self._queue: asyncio.Queue[FleetEvent] = asyncio.Queue()
        self._subs: list[Subscription] = []

    async def start(self) -> Self:
        self._subs.append(await self._nc.subscribe(ADVISORIES, cb=self._on_message))
        await self._nc.flush()
        if self._sys is not None:
            for subject in LEAF_EVENTS:
                self._subs.append(await self._sys.subscribe(subject, cb=self._on_message))
            await self._sys.flush()
        return self

    async def _on_message(self, msg: Msg) -> None:
        event = decode_event(msg.subject, msg.data, cloud_domain=self._cloud,
                             sites=self._sites, system_account=self._system_account)  # fmt: skip
        if event is not None and (self._only is None or event.site in self._only):
            self._queue.put_nowait(event)

    async def next(self, timeout: float | None = None) -> FleetEvent:
        """The next event (raises TimeoutError when none came within ``timeout``)."""
        return await asyncio.wait_for(self._queue.get(), timeout=timeout)

    async def close(self) -> None:
        subs, self._subs = self._subs, []
        for sub in subs:
            await sub.unsubscribe()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> FleetEvent:
        return await self.next()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:  # fmt: skip
        await self.close()
