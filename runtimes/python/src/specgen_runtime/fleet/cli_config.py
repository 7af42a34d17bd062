"""``specgen-fleet server-config hub|site SITE``: the nats-server.conf of one server or a cluster.

::

    specgen-fleet server-config site site-0001                      # one server
    specgen-fleet server-config site site-0001 --servers 3 --member 2 \\
        --cluster-host 10.0.0.1 --cluster-host 10.0.0.2 --cluster-host 10.0.0.3
    specgen-fleet server-config hub --servers 13 --out /etc/nats    # hub-1.conf ... hub-13.conf
    specgen-fleet server-config site site-0001 --auth ./fleet-auth  # operator mode, own creds

With ``--servers N`` the cluster's members are ``<name>-1`` ... ``<name>-N``; each member's
text carries the same cluster name, routes to every member and the same JetStream domain.
``--member I`` prints member I, ``--out DIR`` writes every member's file (mode 0600 when
credentials are referenced).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from specgen_runtime.fleet.errors import FleetError
from specgen_runtime.fleet.serverconf import (
    AuthSource,
    ClusterMember,
    HubServerConfig,
    SiteServerConfig,
    cluster_block,
    cluster_members,
    hub_config_text,
    site_config_text,
)
from specgen_runtime.fleet.topology import Topology

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    conf = sub.add_parser("server-config", help="print or write nats-server configuration")
    conf.add_argument("role", choices=("hub", "site"))
    conf.add_argument("site", nargs="?", help="site id (role site)")
    conf.add_argument("--port", type=int, default=4222, help="client port")
    conf.add_argument("--leaf-port", type=int, default=7422, help="hub leaf node listener")
    conf.add_argument("--host", default="127.0.0.1", help="listen address of every member")
    conf.add_argument("--store-dir", default="/var/lib/nats", help="store root of a server")
    conf.add_argument("--hub-url", action="append", help="hub leaf URL(s) (role site)")
    conf.add_argument("--servers", type=int, default=1, help="cluster size (site 3, hub 13)")
    conf.add_argument("--member", type=int, help="print this member (1..N) of the cluster")
    conf.add_argument("--cluster-host", action="append", default=[], metavar="HOST",
                      help="route address of each member, in order (default: --host)")  # fmt: skip
    conf.add_argument("--cluster-port", type=int, default=6222, help="route port")
    conf.add_argument("--out", type=Path, help="write one <server>.conf per member here")
    conf.add_argument("--mqtt-port", type=int, help="MQTT listener of a site server")
    conf.add_argument("--auth", type=Path, help="auth folder of `fleet auth init` (operator mode)")
    source = conf.add_mutually_exclusive_group()
    source.add_argument("--topology", type=Path)
    source.add_argument("--package")


def _members(args: argparse.Namespace, name: str) -> tuple[ClusterMember, ...]:
    if args.servers < 1:
        raise FleetError(f"--servers must be at least 1, got {args.servers}")
    hosts = tuple(args.cluster_host) or (args.host,)
    try:
        return cluster_members(
            name, args.servers, hosts=hosts, port=args.port, cluster_port=args.cluster_port
        )
    except ValueError as exc:
        raise FleetError(f"--cluster-host: {exc}") from exc


def _text(args: argparse.Namespace, topo: Topology, member: ClusterMember,
          members: tuple[ClusterMember, ...]) -> str:  # fmt: skip
    clustered = len(members) > 1
    name = args.site if args.role == "site" else "hub"
    store = Path(args.store_dir) / (member.server_name if clustered else name)
    cluster = cluster_block(name, member, members) if clustered else None
    listen_host = member.host if args.cluster_host else args.host
    auth = _auth(args)
    if args.role == "hub":
        return hub_config_text(
            HubServerConfig(
                store_dir=str(store / "jetstream"),
                server_name=member.server_name if clustered else "hub",
                domain=topo.cloud_domain,
                host=listen_host,
                port=member.port,
                leaf_host=listen_host,
                leaf_port=args.leaf_port + (member.port - args.port),
                cluster=cluster,
                auth=auth.hub_block(store / "jwt") if auth else None,
            )
        )
    urls = tuple(args.hub_url or [f"nats-leaf://{args.host}:{args.leaf_port}"])
    return site_config_text(
        SiteServerConfig(
            site_id=args.site,
            store_dir=str(store / "jetstream"),
            hub_leaf_urls=urls,
            server_name=member.server_name if clustered else args.site,
            host=listen_host,
            port=member.port,
            cluster=cluster,
            auth=auth.site_block(args.site, store / "jwt") if auth else None,
            mqtt_port=args.mqtt_port,
        )
    )


def _auth(args: argparse.Namespace) -> AuthSource | None:
    if args.auth is None:
        return None
    from specgen_runtime.fleet.auth.store import FleetAuth

    return FleetAuth.load(args.auth)


def run(args: argparse.Namespace, topo: Topology) -> int:
    if args.role == "site":
        if not args.site:
            raise FleetError("server-config site needs a SITE")
        topo.check_site(args.site)
    members = _members(args, args.site if args.role == "site" else "hub")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        for member in members:
            path = args.out / f"{member.server_name}.conf"
            path.write_text(_text(args, topo, member, members), encoding="utf-8")
            if args.auth is not None:
                os.chmod(path, 0o600)
            print(f"wrote {path}")
        return 0
    if len(members) > 1 and args.member is None:
        raise FleetError(
            f"a cluster of {len(members)}: give --member 1..{len(members)} or --out DIR"
        )
    index = 1 if args.member is None else args.member
    if not 1 <= index <= len(members):
        raise FleetError(f"--member must be 1..{len(members)}, got {index}")
    print(_text(args, topo, members[index - 1], members), end="")
    return 0
