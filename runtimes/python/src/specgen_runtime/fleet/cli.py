"""``specgen-fleet``: commission sites, report drift, show sourcing health, print server
configuration, run the demo. ``specgen site|fleet|demo`` delegate here.

Exit codes (as the generator's): 0 fine; 1 a destructive change was refused, ``--check``
found drift, a site was unreachable or an apply failed; 2 usage, topology or connection errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points
from pathlib import Path

from nats.aio.client import Client

from specgen_runtime.errors import ServerError
from specgen_runtime.fleet import cli_auth, cli_config, cli_observe, cli_trace
from specgen_runtime.fleet.catchup import catch_up
from specgen_runtime.fleet.errors import FleetError, UnreachableError
from specgen_runtime.fleet.health import SiteState, fleet_health, outbox_backlog_probe
from specgen_runtime.fleet.jsapi import connect
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.render import ProgressBar, render_apply, render_health, render_plan
from specgen_runtime.fleet.serverfacts import FleetFacts, gather_facts
from specgen_runtime.fleet.topology import Topology, load_topology

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# Generated packages register themselves here (``<project> = "<module>"``).
EVENT_PACKAGES = "specgen.event_packages"


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--server",
        default=os.environ.get("NATS_URL", "nats://127.0.0.1:4222"),
        help="URL of the hub (default: $NATS_URL or nats://127.0.0.1:4222)",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--topology", type=Path, help="topology.json of a generated package")
    source.add_argument(
        "--package", help="generated event package (default: the one installed, if only one)"
    )
    parser.add_argument(
        "--creds",
        type=Path,
        default=os.environ.get("NATS_CREDS") or None,
        help="credentials file (default: $NATS_CREDS; `fleet auth init` writes creds/ops.creds)",
    )
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per request")
    parser.add_argument("--concurrency", type=int, default=16, help="sites at a time")


def _site_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    site = sub.add_parser("site", help="plan or apply the JetStream configuration of sites")
    site_sub = site.add_subparsers(dest="site_command", required=True)
    for name in ("plan", "apply"):
        cmd = site_sub.add_parser(name, help=f"{name} the streams of SITE... and of the hub")
        cmd.add_argument("sites", nargs="+", metavar="SITE")
        _common(cmd)
        cmd.add_argument("--replicas", type=int, help="override every stream's replicas")
        cmd.add_argument("--hub-replicas", type=int, help="override the hub streams' replicas")
        cmd.add_argument(
            "--prune",
            action="store_true",
            help="the listed sites are the whole fleet: drop the hub's other sources",
        )
        cmd.add_argument(
            "--mqtt",
            action="store_true",
            help="the sites serve MQTT: their MQTT stream sources the QoS 1 events",
        )
        cmd.add_argument("--allow-destructive", action="store_true")
        if name == "plan":
            cmd.add_argument("--check", action="store_true", help="exit 1 when anything drifts")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="specgen-fleet", description="Provision and observe edge sites and the cloud hub."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _site_commands(sub)
    fleet = sub.add_parser("fleet", help="fleet-wide views")
    fleet_sub = fleet.add_subparsers(dest="fleet_command", required=True)
    status = fleet_sub.add_parser("status", help="is sourcing flowing, per site")
    _common(status)
    status.add_argument("--sites", nargs="+", metavar="SITE", help="default: every sourced site")
    status.add_argument("--stale-after", type=float, default=30.0, help="seconds")
    cli_observe.system_creds_option(status)
    status.add_argument(
        "--outbox",
        action="append",
        default=[],
        metavar="SITE=PATH",
        help="outbox file of a site, to show its backlog (repeatable)",
    )
    catch = fleet_sub.add_parser(
        "catch-up", help="renew the cloud sources of sites that are back but still stale"
    )
    _common(catch)
    catch.add_argument("--sites", nargs="+", metavar="SITE", help="default: every sourced site")
    catch.add_argument("--stale-after", type=float, default=5.0, help="seconds")
    cli_auth.add_parser(fleet_sub)
    cli_observe.add_parsers(fleet_sub, _common)
    cli_trace.add_parser(fleet_sub, _common)
    cli_config.add_parser(sub)
    demo = sub.add_parser("demo", help="hub and two sites locally: commission, cut, catch up")
    demo.add_argument("--events", type=int, default=5, help="events per domain per round")
    demo.add_argument("--outage", type=float, default=3.0, help="seconds the link stays cut")
    demo.add_argument(
        "--package", help="generated event package (default: the one installed, if only one)"
    )
    return parser


def installed_event_packages() -> dict[str, str]:
    """project -> module of every installed generated event package."""
    return {ep.name: ep.value for ep in entry_points(group=EVENT_PACKAGES)}


def event_package(name: str | None) -> str:
    """The package given, else the only installed event package; a clear error otherwise."""
    if name:
        return name
    found = installed_event_packages()
    if len(found) == 1:
        return next(iter(found.values()))
    if not found:
        raise FleetError(
            "no event package: pass --package MODULE or --topology FILE, run the command "
            "inside a specgen project, or pip install your generated package"
        )
    raise FleetError(
        f"{len(found)} event packages are installed ({', '.join(sorted(found.values()))}): "
        "pass --package MODULE"
    )


def _topology(args: argparse.Namespace) -> Topology:
    if args.topology is not None:
        return load_topology(path=args.topology)
    return load_topology(package=event_package(args.package))


async def _connect(url: str, timeout: float, creds: Path | None = None) -> Client:
    try:
        return await connect(url, timeout=timeout, credentials=creds)
    except UnreachableError as exc:
        raise ConnectionError(f"cannot connect to {exc}") from exc


async def _site(args: argparse.Namespace) -> int:
    topo = _topology(args)
    sites = topo.check_sites(args.sites)
    nc = await _connect(args.server, args.timeout, args.creds)
    try:
        options = dict(concurrency=args.concurrency, timeout=args.timeout)
        plan = await make_plan(
            nc,
            topo,
            sites,
            replicas=args.replicas,
            hub_replicas=args.hub_replicas,
            prune=args.prune,
            mqtt=args.mqtt,
            allow_destructive=args.allow_destructive,
            **options,
        )
        print(render_plan(plan))
        if args.site_command == "plan":
            failed = plan.refused or plan.errors or (args.check and plan.drift)
            return EXIT_FAILED if failed else EXIT_OK
        bar = ProgressBar(sys.stderr)
        try:
            result = await apply_plan(nc, plan, progress=bar, **options)
        finally:
            bar.close()
        print(render_apply(result))
        return EXIT_FAILED if result.errors or result.skipped else EXIT_OK
    finally:
        await nc.close()


async def _status(args: argparse.Namespace) -> int:
    topo = _topology(args)
    paths = {}
    for item in args.outbox:
        site, sep, path = item.partition("=")
        if not sep:
            raise FleetError(f"--outbox expects SITE=PATH, got {item!r}")
        paths[topo.check_site(site)] = Path(path)
    nc = await _connect(args.server, args.timeout, args.creds)
    try:
        facts, account = await _facts(args, topo)
        rows = await fleet_health(
            nc,
            topo,
            args.sites,
            stale_after=args.stale_after,
            timeout=args.timeout,
            concurrency=args.concurrency,
            backlog=outbox_backlog_probe(paths) if paths else None,
            facts=facts,
            account=account,
        )
    finally:
        await nc.close()
    print(render_health(rows))
    return EXIT_OK if all(r.state <= SiteState.WARNING for r in rows) else EXIT_FAILED


async def _facts(args: argparse.Namespace, topo: Topology) -> tuple[FleetFacts | None, str | None]:
    """The servers' own facts through the system account (None without --system-creds)."""
    if args.system_creds is None:
        return None, None
    sys_nc = await _connect(args.server, args.timeout, args.system_creds)
    try:
        sites = args.sites or await _sourced_sites(args, topo)
        facts = await gather_facts(sys_nc, sites=sites, cloud_domain=topo.cloud_domain)
    finally:
        await sys_nc.close()
    account = cli_observe.account_of_creds(args.creds) if args.creds else None
    return facts, account


async def _sourced_sites(args: argparse.Namespace, topo: Topology) -> list[str]:
    nc = await _connect(args.server, args.timeout, args.creds)
    try:
        return [row.site for row in await fleet_health(nc, topo, timeout=args.timeout)]
    finally:
        await nc.close()


async def _catch_up(args: argparse.Namespace) -> int:
    topo = _topology(args)
    nc = await _connect(args.server, args.timeout, args.creds)
    try:
        renewed = await catch_up(
            nc, topo, args.sites, stale_after=args.stale_after, timeout=args.timeout
        )
    finally:
        await nc.close()
    print(f"renewed the cloud sources of {len(renewed)} site(s): {' '.join(renewed) or '-'}")
    return EXIT_OK


def _server_config(args: argparse.Namespace) -> int:
    return cli_config.run(args, _topology(args))


async def _demo(args: argparse.Namespace) -> int:
    """Run the demo; Ctrl-C cancels it (again until it stops) so every server is stopped."""
    from specgen_runtime.fleet.demo import run_demo

    demo = asyncio.create_task(
        run_demo(
            event_package(args.package),
            per_domain=args.events,
            outage=args.outage,
            out=lambda s: print(s, flush=True),
        )
    )
    interrupted = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGINT, interrupted.set)
    try:
        stop = asyncio.create_task(interrupted.wait())
        await asyncio.wait({demo, stop}, return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        # A cancellation can be swallowed by a wait_for deep in a client library (Python
        # 3.11): cancel again until the demo has really stopped and cleaned up.
        while not demo.done():
            demo.cancel()
            await asyncio.wait({demo}, timeout=1.0)
    finally:
        loop.remove_signal_handler(signal.SIGINT)
    if interrupted.is_set():
        raise KeyboardInterrupt
    await demo
    return EXIT_OK


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "server-config":
        return _server_config(args)
    if args.command == "site":
        return asyncio.run(_site(args))
    if args.command == "fleet":
        if args.fleet_command == "auth":
            return cli_auth.run(args, _topology(args))
        if args.fleet_command == "events":
            return asyncio.run(cli_observe.run_events(args, _topology(args)))
        if args.fleet_command == "watch":
            return asyncio.run(cli_observe.run_watch(args, _topology(args)))
        if args.fleet_command == "trace":
            return asyncio.run(cli_trace.run(args, _topology(args)))
        return asyncio.run(_catch_up(args) if args.fleet_command == "catch-up" else _status(args))
    return asyncio.run(_demo(args))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("interrupted; servers stopped", file=sys.stderr)
        return 130
    except ConnectionError as exc:
        print(f"specgen-fleet: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (FleetError, ServerError) as exc:
        print(f"specgen-fleet: {exc}", file=sys.stderr)
        return EXIT_USAGE if args.command != "demo" else EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
