"""``specgen fleet trace``: one traced event, the path its servers report, and its copies.

The event is published with ``Nats-Trace-Dest`` (see :mod:`msgtrace`), at the hub (it then
crosses the site's leaf link to the site stream) or at a site server (``publish_nc``). The
servers' trace messages give the hops up to the stream that stored it. JetStream stops the
trace there (a stored message is delivered again without it), so the rest of the path is read
from the streams themselves: the site's upload stream sources the domain stream, and the
hub's cloud streams source every site's upload stream over the leaf link. Each copy is found
by subject after the stream's last sequence before the publish, and recognised by its
``Nats-Msg-Id`` (the CloudEvent id); its ``Nats-Stream-Source`` header names where it came
from. With ``trace_only`` nothing is stored and the servers report where it would go.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import nats.errors
from nats.aio.client import Client

from specgen_runtime.fleet.errors import FleetError, JetStreamApiError, UnreachableError
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.msgtrace import (
    TRACE_DEST,
    TRACE_ONLY,
    ServerTrace,
    TraceCollector,
    missing_hops,
)
from specgen_runtime.fleet.topology import Topology

__all__ = ["StoredCopy", "Stored", "TracePath", "trace_path"]

NO_MESSAGE = 10037  # JetStream: no message found


@dataclass(frozen=True)
class Stored:
    """The acknowledgement of the traced publish."""

    stream: str
    domain: str
    seq: int
    duplicate: bool


@dataclass(frozen=True)
class StoredCopy:
    """The event as a stream holds it: where, when, on which server, sourced from where."""

    stream: str
    domain: str
    seq: int
    at: datetime | None
    leader: str
    source: str  # the Nats-Stream-Source header ("" in the stream it was published to)


@dataclass(frozen=True)
class TracePath:
    subject: str
    event_id: str
    event_type: str
    site: str
    trace_only: bool
    servers: tuple[ServerTrace, ...]
    missing: tuple[str, ...]  # hops announced but never reported
    stored: Stored | None
    refused: str  # why the publish was not acknowledged ("" when it was, or trace only)
    copies: tuple[StoredCopy, ...] = ()
    not_reached: tuple[str, ...] = field(default=())  # "STREAM (domain)" not found in time


@dataclass(frozen=True)
class _Watch:
    stream: str
    domain: str
    after: int  # the stream's last sequence before the publish


def _matches(pattern: str, subject: str) -> bool:
    """NATS subject matching: ``*`` one token, a final ``>`` one or more."""
    want, tokens = pattern.split("."), subject.split(".")
    for i, token in enumerate(want):
        if token == ">":
            return len(tokens) > i
        if i >= len(tokens) or token not in ("*", tokens[i]):
            return False
    return len(want) == len(tokens)


def _chain(topo: Topology, site: str, subject: str) -> list[tuple[str, str]]:
    """(stream, domain) the event should reach after its domain stream: upload, then cloud."""
    uploaded = [s for s in topo.site_streams(site)[:-1] if s.name in topo.upload_template.sources]
    if not any(_matches(p, subject) for s in uploaded for p in s.subjects):
        return []
    return [(topo.upload_name, site)] + [(n, topo.cloud_domain) for n in topo.cloud_stream_names]


async def _watches(hub: Client, chain: Sequence[tuple[str, str]], timeout: float) -> list[_Watch]:
    out = []
    for stream, domain in chain:
        info = await JsApi(hub, domain=domain, target=domain, timeout=timeout).stream_info(stream)
        if info is None:
            raise FleetError(
                f"stream {stream} does not exist in domain {domain}: provision the fleet first "
                "(specgen site apply SITE)"
            )
        out.append(_Watch(stream, domain, int(info["state"]["last_seq"])))
    return out


def _headers(raw: str | None) -> dict[str, str]:
    """The headers of a stored message (``NATS/1.0`` block, base64 in the API's answer)."""
    if not raw:
        return {}
    lines = base64.b64decode(raw).decode("utf-8", "replace").split("\r\n")[1:]
    pairs = (line.split(":", 1) for line in lines if ":" in line)
    return {k.strip(): v.strip() for k, v in pairs}


async def _find(hub: Client, watch: _Watch, subject: str, event_id: str, timeout: float
                ) -> StoredCopy | None:  # fmt: skip
    """The copy of ``event_id`` in the watched stream, once it is there (None when not)."""
    api = JsApi(hub, domain=watch.domain, target=watch.domain, timeout=timeout)
    seq = watch.after + 1
    while True:
        try:
            found = await api.request(
                f"STREAM.MSG.GET.{watch.stream}", {"seq": seq, "next_by_subj": subject}
            )
        except JetStreamApiError as exc:
            if exc.err_code == NO_MESSAGE:
                return None
            raise
        message = found["message"]
        headers = _headers(message.get("hdrs"))
        if headers.get("Nats-Msg-Id") == event_id:
            info = await api.stream_info(watch.stream) or {}
            return StoredCopy(
                stream=watch.stream,
                domain=watch.domain,
                seq=int(message["seq"]),
                at=datetime.fromisoformat(message["time"]) if message.get("time") else None,
                leader=str((info.get("cluster") or {}).get("leader") or ""),
                source=headers.get("Nats-Stream-Source", ""),
            )
        seq = int(message["seq"]) + 1


async def _follow(
    hub: Client, watches: Sequence[_Watch], subject: str, event_id: str, wait: float, timeout: float
) -> tuple[list[StoredCopy], list[str]]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    copies, missing = [], []
    for watch in watches:
        while (copy := await _find(hub, watch, subject, event_id, timeout)) is None:
            if loop.time() >= deadline:
                break
            await asyncio.sleep(0.2)
        if copy is None:
            missing.append(f"{watch.stream} (domain {watch.domain})")
        else:
            copies.append(copy)
    return copies, missing


async def _publish(
    nc: Client, subject: str, headers: Mapping[str, str], payload: bytes, expect_ack: bool,
    timeout: float,
) -> tuple[Stored | None, str]:  # fmt: skip
    if not expect_ack:
        await nc.publish(subject, payload, headers=dict(headers))
        await nc.flush(timeout=max(1, round(timeout)))
        return None, ""
    try:
        reply = await nc.request(subject, payload, headers=dict(headers), timeout=timeout)
    except nats.errors.NoRespondersError:
        return None, f"no JetStream stream stores {subject} (no responders)"
    except (TimeoutError, nats.errors.TimeoutError):
        return None, f"no acknowledgement within {timeout}s (the event may be stored)"
    ack: dict[str, Any] = json.loads(reply.data or b"{}")
    if "error" in ack:
        return None, f"JetStream refused it: {ack['error'].get('description', ack['error'])}"
    stored = Stored(str(ack["stream"]), str(ack.get("domain") or ""), int(ack["seq"]),
                    bool(ack.get("duplicate")))  # fmt: skip
    return stored, ""


async def trace_path(
    hub: Client,
    publish_nc: Client,
    topo: Topology,
    *,
    site: str,
    subject: str,
    event: tuple[str, str, Mapping[str, str], bytes],
    jetstream: bool,
    trace_only: bool = False,
    timeout: float = 5.0,
    wait: float = 30.0,
) -> TracePath:
    """Publish ``event`` (id, type, headers, payload) traced on ``publish_nc``; its path."""
    event_id, event_type, headers, payload = event
    watches = [] if trace_only or not jetstream else await _watches(
        hub, _chain(topo, site, subject), timeout)  # fmt: skip
    async with TraceCollector([hub, publish_nc]) as collector:
        sent = {**headers, TRACE_DEST: collector.dest}
        if trace_only:
            sent[TRACE_ONLY] = "true"
        try:
            stored, refused = await _publish(
                publish_nc, subject, sent, payload, jetstream and not trace_only, timeout
            )
        except nats.errors.Error as exc:
            detail = str(exc) or type(exc).__name__
            raise UnreachableError("the publishing server", detail) from exc
        servers = await collector.wait(timeout)
    if not servers:
        raise FleetError(
            f"no server reported a trace of {subject} within {timeout}s: the servers may be "
            "older than 2.11 or the account may not receive on _INBOX subjects"
        )
    copies, not_reached = ([], []) if stored is None else await _follow(
        hub, watches, subject, event_id, wait, timeout)  # fmt: skip
    return TracePath(
        subject=subject,
        event_id=event_id,
        event_type=event_type,
        site=site,
        trace_only=trace_only,
        servers=tuple(servers),
        missing=tuple(missing_hops(servers)),
        stored=stored,
        refused=refused,
        copies=tuple(copies),
        not_reached=tuple(not_reached),
    )
