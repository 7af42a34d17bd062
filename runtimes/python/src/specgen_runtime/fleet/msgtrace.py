"""NATS message tracing (nats-server 2.11+, ADR-41): read what the servers report.

A message published with the header ``Nats-Trace-Dest: <subject>`` makes every server it
passes publish one trace message to that subject: the server (name, cluster, JetStream
domain, version), the ``Nats-Trace-Hop`` it arrived with (none at the origin; ``1``, ``1.1``
... downstream), and its events in order: ingress (``in``: from which connection), subject
mapping (``sm``), stream export/service import (``se``/``si``), JetStream (``js``: the stream
that stored it) and egress (``eg``: to which client, route, gateway or leaf link; a remote's
egress names the hop id that remote will report). With ``Nats-Trace-Only: true`` nothing is
delivered or stored, the servers only report where it would go.

A JetStream server replaces the header's value with ``trace disabled`` when it stores the
message, so the stream's later deliveries (sourcing into UPLOAD, over the leaf link into the
hub's cloud stream) are not traced: ``trace_path`` follows those copies through the streams.

:class:`TraceCollector` gathers the trace messages of one publish until every hop announced
by an egress has reported (or the time is up).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription

from specgen_runtime.fleet.errors import FleetError

__all__ = [
    "HOP_HEADER",
    "MIN_VERSION",
    "TRACE_DEST",
    "TRACE_ONLY",
    "ServerTrace",
    "Step",
    "TraceCollector",
    "check_version",
    "hop_order",
]

TRACE_DEST = "Nats-Trace-Dest"
TRACE_ONLY = "Nats-Trace-Only"
HOP_HEADER = "Nats-Trace-Hop"
MIN_VERSION = (2, 11)
KINDS = {0: "client", 1: "route", 2: "gateway", 3: "system", 4: "leaf link", 5: "JetStream",
         6: "account"}  # fmt: skip
REMOTES = ("route", "gateway", "leaf link")
NO_EVENT_FROM_REMOTE = "does not support message tracing"


def check_version(version: str, where: str) -> None:
    """FleetError when nats-server ``version`` (e.g. ``2.10.24``) predates message tracing."""
    found = tuple(int(p) for p in re.findall(r"\d+", version)[:2])
    if found < MIN_VERSION:
        wanted = ".".join(map(str, MIN_VERSION))
        raise FleetError(
            f"{where} runs nats-server {version}: message tracing needs {wanted} or later "
            "(upgrade the server, or publish at a newer one with --at)"
        )


def _when(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


@dataclass(frozen=True)
class Step:
    """One event of a server's trace: ``type`` is in, sm, se, si, js or eg."""

    type: str
    at: datetime | None
    kind: str = ""  # in/eg: the connection kind (client, route, gateway, leaf link...)
    name: str = ""  # in/eg: the client's name or the remote server's name
    account: str = ""
    subject: str = ""  # in: the subject; js: the stored subject; sm/se/si: mapped to
    stream: str = ""  # js
    hop: str = ""  # eg to a remote: the hop id it reports with
    error: str = ""
    no_interest: bool = False  # js: an interest stream had no interest

    @classmethod
    def parse(cls, event: Mapping[str, Any]) -> Step:
        kind = event.get("kind")
        return cls(
            type=str(event.get("type", "")),
            at=_when(event.get("ts")),
            kind=KINDS.get(kind, f"kind {kind}") if isinstance(kind, int) else "",
            name=str(event.get("name") or event.get("sub") or ""),
            account=str(event.get("acc") or ""),
            subject=str(event.get("subj") or event.get("subject") or event.get("to") or ""),
            stream=str(event.get("stream") or ""),
            hop=str(event.get("hop") or ""),
            error=str(event.get("error") or ""),
            no_interest=bool(event.get("nointerest")),
        )

    @property
    def to_remote(self) -> bool:
        return self.type == "eg" and self.kind in REMOTES


@dataclass(frozen=True)
class ServerTrace:
    """What one server did with the traced message."""

    server: str
    server_id: str
    cluster: str
    domain: str
    version: str
    hop: str  # "" at the origin server
    steps: tuple[Step, ...]

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> ServerTrace:
        server = data.get("server") or {}
        headers = (data.get("request") or {}).get("header") or {}
        hop = next((v[0] for k, v in headers.items() if k.lower() == HOP_HEADER.lower()), "")
        return cls(
            server=str(server.get("name", "?")),
            server_id=str(server.get("id", "")),
            cluster=str(server.get("cluster") or ""),
            domain=str(server.get("domain") or ""),
            version=str(server.get("ver") or ""),
            hop=str(hop),
            steps=tuple(Step.parse(e) for e in data.get("events") or () if isinstance(e, dict)),
        )

    @property
    def stored_in(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.type == "js")


def hop_order(hop: str) -> tuple[int, ...]:
    """Sort key of hop ids: the origin (""), then 1, 1.1, 1.2, 2..."""
    return tuple(int(p) for p in hop.split(".") if p.isdigit())


def missing_hops(traces: Iterable[ServerTrace]) -> list[str]:
    """Hop ids announced by an egress to a remote that no server has reported (yet)."""
    traces = list(traces)
    reported = {t.hop for t in traces}
    announced = {
        s.hop
        for t in traces
        for s in t.steps
        if s.to_remote and s.hop and NO_EVENT_FROM_REMOTE not in s.error
    }
    return sorted(announced - reported, key=hop_order)


class TraceCollector:
    """Subscribes to a fresh trace destination on one or more connections (the hub's sees
    every server's trace message that may cross the leaf links; the publishing connection's
    sees its own server's) and keeps each server's trace once."""

    def __init__(self, connections: Iterable[Client]) -> None:
        self.connections = list(dict.fromkeys(connections))
        self.dest = self.connections[0].new_inbox()
        self.traces: dict[tuple[str, str], ServerTrace] = {}
        self.unreadable = 0
        self._subs: list[Subscription] = []
        self._arrived = asyncio.Event()

    async def __aenter__(self) -> TraceCollector:
        for nc in self.connections:
            self._subs.append(await nc.subscribe(self.dest, cb=self._on_message))
            await nc.flush()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        for sub in self._subs:
            await sub.unsubscribe()

    async def _on_message(self, msg: Msg) -> None:
        try:
            trace = ServerTrace.parse(json.loads(msg.data))
        except (ValueError, AttributeError, TypeError):
            self.unreadable += 1  # compressed or not a trace message: not ours to read
            return
        self.traces.setdefault((trace.server_id or trace.server, trace.hop), trace)
        self._arrived.set()

    def ordered(self) -> list[ServerTrace]:
        return sorted(self.traces.values(), key=lambda t: hop_order(t.hop))

    def complete(self) -> bool:
        found = self.ordered()
        return any(t.hop == "" for t in found) and not missing_hops(found)

    async def wait(self, timeout: float, settle: float = 0.2) -> list[ServerTrace]:
        """The traces once the origin and every announced hop reported, else at ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self.complete() and loop.time() < deadline:
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                break
        await asyncio.sleep(settle)  # a JetStream event may follow its server's others
        return self.ordered()
