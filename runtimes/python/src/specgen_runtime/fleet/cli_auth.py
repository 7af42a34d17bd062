"""``specgen fleet auth init|issue|revoke|list``: the fleet's credentials, from the spec.

::

    specgen fleet auth init --dir fleet-auth
    specgen fleet auth issue site site-0001 --dir fleet-auth
    specgen fleet auth issue customer acme --sites site-0001 site-0002 --dir fleet-auth
    specgen fleet auth issue device meter-7 --site site-0001 --dir fleet-auth
    specgen fleet auth revoke customer-acme --dir fleet-auth --push nats://hub:4222
    specgen fleet auth list --dir fleet-auth

Creds files are written with mode 0600 and only their paths are printed; no seed or JWT
ever goes to the output or a log. ``--dir`` defaults to ``$SPECGEN_FLEET_AUTH`` or
``./fleet-auth``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING

from specgen_runtime.fleet.jsapi import connect
from specgen_runtime.fleet.topology import Topology

if TYPE_CHECKING:  # nkeys is needed only by these commands (specgen-runtime[auth])
    from specgen_runtime.fleet.auth.store import FleetAuth

__all__ = ["add_parser", "run"]


def _dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path(os.environ.get("SPECGEN_FLEET_AUTH", "fleet-auth")),
        help="auth folder (default: $SPECGEN_FLEET_AUTH or ./fleet-auth)",
    )


def add_parser(fleet_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    auth = fleet_sub.add_parser("auth", help="operator, account and users (decentralized JWT)")
    sub = auth.add_subparsers(dest="auth_command", required=True)
    init = sub.add_parser("init", help="create the operator, the account and the signing keys")
    _dir_option(init)
    init.add_argument("--name", default="fleet", help="operator and account name")
    issue = sub.add_parser("issue", help="issue credentials for a site, customer or device")
    issue_sub = issue.add_subparsers(dest="kind", required=True)
    site = issue_sub.add_parser("site", help="the site's leaf-node user (and its system link)")
    site.add_argument("site", metavar="SITE")
    customer = issue_sub.add_parser("customer", help="a user reading only its sites' events")
    customer.add_argument("name", metavar="NAME")
    customer.add_argument("--sites", nargs="+", required=True, metavar="SITE")
    device = issue_sub.add_parser("device", help="a device's MQTT user publishing at its site")
    device.add_argument("name", metavar="NAME")
    device.add_argument("--site", required=True, metavar="SITE")
    for parser in (site, customer, device):
        _dir_option(parser)
    revoke = sub.add_parser("revoke", help="revoke a user (site-0001, customer-acme ...)")
    revoke.add_argument("user", metavar="USER")
    revoke.add_argument("--push", metavar="URL", help="send the new account JWT to this hub")
    _dir_option(revoke)
    listing = sub.add_parser("list", help="issued users, their roles, sites and state")
    _dir_option(listing)
    for parser in (init, site, customer, device, revoke, listing):
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--topology", type=Path)
        source.add_argument("--package")


async def _push(url: str, auth: FleetAuth) -> list[str]:
    from specgen_runtime.fleet.auth.push import push_account_jwt

    nc = await connect(url, credentials=auth.system_creds())
    try:
        return await push_account_jwt(nc, auth.jwt("account"))
    finally:
        await nc.close()


def run(args: argparse.Namespace, topology: Topology) -> int:
    from specgen_runtime.fleet.auth.store import FleetAuth

    if args.auth_command == "init":
        auth = FleetAuth.init(args.dir, topology, name=args.name)
        print(f"created operator, account {auth.account} and signing keys in {args.dir}")
        print(f"operator credentials: {auth.operator_creds()}")
        return 0
    auth = FleetAuth.load(args.dir)
    if args.auth_command == "issue":
        if args.kind == "site":
            path = auth.issue_site(args.site)
        elif args.kind == "device":
            path = auth.issue_device(args.name, args.site)
        else:
            path = auth.issue_customer(args.name, list(args.sites))
        print(f"wrote {path} (mode 0600)")
        return 0
    if args.auth_command == "revoke":
        user = auth.revoke(args.user)
        print(f"revoked {user.name} ({user.public}); the account JWT is re-signed")
        if args.push:
            servers = asyncio.run(_push(args.push, auth))
            print(f"pushed to {len(servers)} server(s): {' '.join(servers)}")
        return 0
    for user in auth.users():
        state = "revoked" if auth.revoked(user.public) else "active"
        print(f"{user.name:<28} {user.role:<9} {state:<8} {' '.join(user.sites) or '-'}")
    return 0
