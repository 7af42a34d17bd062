"""``specgen fleet events`` (the servers' events as they happen) and ``specgen fleet watch``.

::

    specgen fleet events --creds ops.creds --system-creds sys.creds [--site site-0001]
    specgen fleet events --format json --count 10         # one JSON object per line
    specgen fleet watch --creds ops.creds --system-creds sys.creds   # at the hub, for good

Without system credentials only the JetStream advisories are shown (leaf links need the
system account); the command says so once on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from nats.aio.client import Client

from specgen_runtime.fleet.events import EventFeed
from specgen_runtime.fleet.jsapi import connect
from specgen_runtime.fleet.topology import Topology

__all__ = ["add_parsers", "run_events", "run_watch", "system_creds_option"]


def system_creds_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--system-creds",
        type=Path,
        default=os.environ.get("NATS_SYSTEM_CREDS") or None,
        help="system-account credentials (default: $NATS_SYSTEM_CREDS; creds/sys.creds)",
    )


def add_parsers(fleet_sub: argparse._SubParsersAction[argparse.ArgumentParser],
                common: object) -> None:  # fmt: skip
    assert callable(common)
    events = fleet_sub.add_parser("events", help="the servers' events, decoded per site")
    common(events)
    system_creds_option(events)
    events.add_argument("--site", nargs="+", metavar="SITE", help="only these sites")
    events.add_argument("--format", choices=("text", "json"), default="text")
    events.add_argument("--count", type=int, help="stop after this many events")
    events.add_argument("--for", dest="duration", type=float, help="stop after seconds")
    watch = fleet_sub.add_parser(
        "watch", help="renew a site's cloud source as soon as its leaf link is back"
    )
    common(watch)
    system_creds_option(watch)
    watch.add_argument("--sites", nargs="+", metavar="SITE", help="default: every sourced site")
    watch.add_argument("--for", dest="duration", type=float, help="stop after seconds")
    watch.add_argument("--settle", type=float, default=0.25,
                       help="seconds after a reconnect before renewing")  # fmt: skip


async def _clients(args: argparse.Namespace) -> tuple[Client, Client | None]:
    nc = await connect(args.server, timeout=args.timeout, credentials=args.creds)
    if args.system_creds is None:
        print("no --system-creds: leaf link events are not shown", file=sys.stderr)
        return nc, None
    try:
        return nc, await connect(args.server, timeout=args.timeout, credentials=args.system_creds)
    except BaseException:
        await nc.close()
        raise


def account_of_creds(creds: Path | None) -> str | None:
    """The account a creds file's user belongs to (its JWT's issuer account)."""
    if creds is None:
        return None
    from specgen_runtime.fleet.auth.jwt import decode

    text = Path(creds).read_text(encoding="utf-8")
    token = text.split("-----BEGIN NATS USER JWT-----")[1].split("------END")[0].strip()
    claims = decode(token)
    return str(claims["nats"].get("issuer_account") or claims["iss"])


async def run_events(args: argparse.Namespace, topo: Topology) -> int:
    sites = topo.check_sites(args.site) if args.site else None
    nc, sys_nc = await _clients(args)
    deadline = None if args.duration is None else time.monotonic() + args.duration
    shown = 0
    try:
        feed = EventFeed(nc, sys_nc, sites=sites, cloud_domain=topo.cloud_domain,
                         system_account=account_of_creds(args.system_creds))  # fmt: skip
        async with feed:
            what = "JetStream advisories" + (" and leaf links" if sys_nc else "")
            print(f"listening for {what} at {args.server}", file=sys.stderr, flush=True)
            while args.count is None or shown < args.count:
                wait = None if deadline is None else deadline - time.monotonic()
                if wait is not None and wait <= 0:
                    break
                try:
                    event = await feed.next(timeout=wait)
                except TimeoutError:
                    break
                text = json.dumps(event.to_json()) if args.format == "json" else event.text()
                print(text, flush=True)
                shown += 1
    finally:
        await nc.close()
        if sys_nc is not None:
            await sys_nc.close()
    return 0


async def run_watch(args: argparse.Namespace, topo: Topology) -> int:
    from specgen_runtime.fleet.watch import Watcher, watch_clients

    if args.system_creds is None:
        print("no --system-creds: reacting to leader changes and the sweep only, not to "
              "leaf reconnects", file=sys.stderr)  # fmt: skip
    nc, sys_nc = await watch_clients(args.server, args.creds, args.system_creds)
    try:
        watcher = Watcher(nc, sys_nc, topo, sites=args.sites, settle=args.settle,
                          out=lambda line: print(line, flush=True),
                          system_account=account_of_creds(args.system_creds))  # fmt: skip
        await watcher.run(duration=args.duration)
    finally:
        await nc.close()
        if sys_nc is not None:
            await sys_nc.close()
    return 0
