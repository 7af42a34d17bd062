"""``specgen fleet trace SUBJECT``: send one traced event and print the path it took.

::

    specgen fleet trace pf.site-0001.orders.order_created.v1              # at the hub
    specgen fleet trace pf.site-0001.orders.order_created.v1 --at nats://site-0001:4222
    specgen fleet trace SUBJECT --trace-only        # servers report; nothing is stored
    specgen fleet trace SUBJECT --format json

The event is a real one of the package's event type for SUBJECT (its first spec example, or
``--data``; a fresh id ``trace-<uuid>``), so every stream and consumer treats it as any other
(use ``--trace-only`` where that matters). Exit 0 when the event reached every stream it
should (trace only: every server reported), 1 when it was refused, a server did not report
or a stream never got it, 2 on usage and connection errors.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import uuid
from collections.abc import Callable
from datetime import datetime
from importlib import import_module
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from specgen_runtime.codec import Mode, encode
from specgen_runtime.dispatch import subject_matches
from specgen_runtime.events import Delivery, Event, format_validation_error
from specgen_runtime.fleet.errors import FleetError
from specgen_runtime.fleet.jsapi import connect
from specgen_runtime.fleet.msgtrace import check_version
from specgen_runtime.fleet.topology import Topology
from specgen_runtime.fleet.trace_path import TracePath, trace_path
from specgen_runtime.fleet.trace_render import render_trace

__all__ = ["add_parser", "run"]

CLIENT_NAME = "specgen fleet trace"


def add_parser(
    fleet_sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: Callable[[argparse.ArgumentParser], None],
) -> None:
    trace = fleet_sub.add_parser(
        "trace", help="send a traced event (NATS message tracing) and print its path"
    )
    trace.add_argument("subject", metavar="SUBJECT", help="a concrete subject of the spec")
    common(trace)
    trace.add_argument("--at", metavar="URL", help="publish at this server (default: the hub)")
    trace.add_argument("--at-creds", type=Path, help="credentials for --at (default: --creds)")
    trace.add_argument("--data", help="the event's data as JSON (default: the spec's example)")
    trace.add_argument("--binary", action="store_true", help="binary content mode")
    trace.add_argument(
        "--trace-only",
        action="store_true",
        help="Nats-Trace-Only: the servers report the path, nothing is delivered or stored",
    )
    trace.add_argument(
        "--wait", type=float, default=30.0, help="seconds to wait for the sourced copies"
    )
    trace.add_argument("--format", choices=("text", "json"), default="text")


def _event_class(package: str, subject: str) -> tuple[type[Event[Any]], dict[str, str]]:
    try:
        event_types: dict[str, type[Event[Any]]] = import_module(package).EVENT_TYPES
    except (ImportError, AttributeError) as exc:
        raise FleetError(f"package {package!r} is not a specgen event package ({exc})") from exc
    for cls in event_types.values():
        if subject_matches(cls.SPEC.subject_template, subject):
            try:
                return cls, cls.SPEC.parameters_from_subject(subject)
            except ValueError as exc:  # a token that is no NATS token
                raise FleetError(str(exc)) from exc
    known = sorted({c.SPEC.subject_template for c in event_types.values()})
    raise FleetError(
        f"no event of package {package!r} is published on {subject!r}; its subjects are: "
        + ", ".join(known)
    )


def _data(package: str, cls: type[Event[Any]], given: str | None) -> Any:
    if given is not None:
        try:
            return json.loads(given)
        except ValueError as exc:
            raise FleetError(f"--data is not JSON: {exc}") from exc
    found: list[Any] = import_module(package).examples().get(cls.SPEC.type, [])
    if not found:
        raise FleetError(f"{cls.SPEC.type} has no example in the spec: pass --data JSON")
    return found[0]


def build_event(
    package: str, subject: str, data: str | None, mode: Mode
) -> tuple[type[Event[Any]], str, tuple[str, str, dict[str, str], bytes]]:
    """The event class, the site and (id, type, headers, payload) of a new traced event."""
    cls, params = _event_class(package, subject)
    if "site_id" not in params:
        raise FleetError(f"{subject!r} carries no site id: tracing follows a site's events")
    try:
        values: dict[str, Any] = dict(params)
        event = cls.create(_data(package, cls, data), id=f"trace-{uuid.uuid4()}", **values)
    except ValidationError as exc:
        raise FleetError(format_validation_error(exc, prefix=f"{cls.SPEC.type}: ")) from exc
    except ValueError as exc:  # a parameter outside its pattern (SubjectError)
        raise FleetError(str(exc)) from exc
    headers, payload = encode(event, mode)
    if cls.SPEC.delivery is Delivery.JETSTREAM and cls.SPEC.stream:
        headers["Nats-Expected-Stream"] = cls.SPEC.stream
    return cls, params["site_id"], (event.id, cls.SPEC.type, headers, payload)


async def _trace(args: argparse.Namespace, topo: Topology) -> TracePath:
    package = _package_of(args)
    mode = Mode.BINARY if args.binary else Mode.STRUCTURED
    cls, site, event = build_event(package, args.subject, args.data, mode)
    topo.check_site(site)
    hub = await connect(args.server, timeout=args.timeout, credentials=args.creds, name=CLIENT_NAME)
    try:
        at = hub
        if args.at:
            creds = args.at_creds or args.creds
            at = await connect(args.at, timeout=args.timeout, credentials=creds, name=CLIENT_NAME)
        try:
            found = at.connected_server_version
            check_version(f"{found.major}.{found.minor}.{found.patch}", args.at or args.server)
            return await trace_path(
                hub, at, topo, site=site, subject=args.subject, event=event,
                jetstream=cls.SPEC.delivery is Delivery.JETSTREAM, trace_only=args.trace_only,
                timeout=args.timeout, wait=args.wait,
            )  # fmt: skip
        finally:
            if at is not hub:
                await at.close()
    finally:
        await hub.close()


def _package_of(args: argparse.Namespace) -> str:
    from specgen_runtime.fleet.cli import event_package  # cli imports this module

    return event_package(args.package)


def _json(path: TracePath) -> str:
    def plain(value: object) -> str:
        return value.isoformat() if isinstance(value, datetime) else str(value)

    return json.dumps(dataclasses.asdict(path), default=plain, indent=2)


def failed(path: TracePath) -> bool:
    """Refused, a hop that never reported, or a stream the event did not reach."""
    if path.trace_only:
        return bool(path.missing)
    return bool(path.refused or path.missing or path.not_reached)


async def run(args: argparse.Namespace, topo: Topology) -> int:
    path = await _trace(args, topo)
    print(_json(path) if args.format == "json" else render_trace(path))
    return 1 if failed(path) else 0
