"""nats-server configuration text for the cloud hub and for an edge site, alone or clustered.

The text is what an operator would put into ``nats-server.conf``; ``LocalFleet`` starts its
local processes from exactly this text, and ``specgen-fleet server-config hub|site SITE``
prints it::

    print(site_config_text(SiteServerConfig(site_id="site-0001", store_dir="/data/nats",
                                            hub_leaf_urls=("nats-leaf://hub.example:7422",))))

Edge sites: JetStream domain = site id, ``sync_interval: always`` (fsync every write: the
default fsyncs every 2 minutes and loses acknowledged writes on power loss), and one leaf
remote to the hub that retries every ``reconnect_seconds`` and never carries the server's MQTT
subjects (``$MQTT.>``, see ``fleet.mqtt``). The hub sets
``no_advertise: true`` on its leaf listener so a site only ever dials the configured URL.

Clusters: a site is 3 servers and the hub up to 13. ``cluster_members`` lays a cluster out
(unique server names ``<name>-<n>``, one route URL per member); every member gets the same
``cluster { name, routes }`` and the same JetStream domain, so R3 streams place their
replicas on three of them. Every site member carries the leaf remote to the hub. With
``auth`` (see ``fleet.auth``) the server runs in operator mode with the account JWTs
preloaded into a full resolver on disk, so a site restarts and serves while offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

__all__ = [
    "AuthBlock",
    "AuthSource",
    "ClusterConfig",
    "ClusterMember",
    "HubServerConfig",
    "SiteServerConfig",
    "cluster_members",
    "hub_config_text",
    "site_config_text",
]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class ClusterMember:
    """One server of a cluster: its unique name, where it listens for clients and routes."""

    server_name: str
    host: str
    port: int
    cluster_port: int

    @property
    def route_url(self) -> str:
        return f"nats-route://{self.host}:{self.cluster_port}"


@dataclass(frozen=True)
class ClusterConfig:
    """The ``cluster`` block of one member: the shared name and every member's route."""

    name: str
    host: str
    port: int
    routes: tuple[str, ...]


def cluster_members(
    name: str,
    size: int,
    *,
    hosts: Sequence[str] = ("127.0.0.1",),
    port: int = 4222,
    cluster_port: int = 6222,
) -> tuple[ClusterMember, ...]:
    """Lay out a cluster of ``size`` servers named ``<name>-1`` ... ``<name>-<size>``.

    ``hosts`` gives one host per member (or one for all). Members sharing a host get
    consecutive client and route ports, so a whole cluster can run on one machine.
    """
    if size < 1:
        raise ValueError(f"a cluster needs at least one server, got {size}")
    if len(hosts) not in (1, size):
        raise ValueError(f"give one host or {size} hosts, got {len(hosts)}")
    per_member = list(hosts) * size if len(hosts) == 1 else list(hosts)
    seen: dict[str, int] = {}
    members = []
    for index, host in enumerate(per_member, start=1):
        offset = seen.get(host, 0)
        seen[host] = offset + 1
        members.append(ClusterMember(f"{name}-{index}", host, port + offset, cluster_port + offset))
    return tuple(members)


def cluster_block(
    name: str, member: ClusterMember, members: Sequence[ClusterMember]
) -> ClusterConfig:
    """The cluster block of ``member``: routes to every member (its own is ignored)."""
    return ClusterConfig(
        name=name,
        host=member.host,
        port=member.cluster_port,
        routes=tuple(m.route_url for m in members),
    )


@dataclass(frozen=True)
class AuthBlock:
    """Operator mode: the operator JWT, the system account and the account JWTs to preload.

    ``leaf_credentials`` is the creds file a site presents to the hub (role site only).
    """

    operator_jwt: str
    system_account: str
    accounts: tuple[tuple[str, str], ...]  # (public key, JWT), preloaded into the resolver
    resolver_dir: str
    leaf_credentials: str | None = None
    leaf_account: str | None = None
    system_leaf_credentials: str | None = None


class AuthSource(Protocol):
    """Where server configs and local tools get credentials from (``fleet.auth.FleetAuth``)."""

    def hub_block(self, resolver_dir: Path) -> AuthBlock: ...

    def site_block(self, site: str, resolver_dir: Path) -> AuthBlock: ...

    def operator_creds(self) -> Path: ...


@dataclass(frozen=True)
class HubServerConfig:
    """The cloud hub: client listener, JetStream in ``domain``, leaf node listener."""

    store_dir: str
    server_name: str = "hub"
    domain: str = "hub"
    host: str = "127.0.0.1"
    port: int = 4222
    leaf_host: str = "127.0.0.1"
    leaf_port: int = 7422
    sync_interval: str | None = None
    cluster: ClusterConfig | None = None
    auth: AuthBlock | None = None


@dataclass(frozen=True)
class SiteServerConfig:
    """An edge site server: JetStream domain = ``site_id``, leaf remote(s) to the hub."""

    site_id: str
    store_dir: str
    hub_leaf_urls: tuple[str, ...]
    server_name: str | None = None
    host: str = "127.0.0.1"
    port: int = 4222
    sync_interval: str | None = "always"
    reconnect_seconds: int = 1
    cluster: ClusterConfig | None = None
    auth: AuthBlock | None = None
    max_file_store: str | None = None  # e.g. "50GB"; default: what the disk has
    mqtt_port: int | None = None  # MQTT listener for customers and devices (needs JetStream)


def _jetstream_block(
    store_dir: str, domain: str, sync_interval: str | None, max_file_store: str | None = None
) -> list[str]:
    lines = ["jetstream {", f"  store_dir: {_quote(store_dir)}", f"  domain: {_quote(domain)}"]
    if sync_interval:
        lines.append(f"  sync_interval: {sync_interval}")
    if max_file_store:
        lines.append(f"  max_file_store: {max_file_store}")
    return [*lines, "}"]


def _cluster_lines(cluster: ClusterConfig | None) -> list[str]:
    if cluster is None:
        return []
    routes = [f"    {_quote(route)}" for route in cluster.routes]
    return [
        "cluster {",
        f"  name: {_quote(cluster.name)}",
        f"  listen: {cluster.host}:{cluster.port}",
        "  # members dial each other only at these addresses",
        "  no_advertise: true",
        "  routes: [",
        *routes,
        "  ]",
        "}",
    ]


def _auth_lines(auth: AuthBlock | None) -> list[str]:
    if auth is None:
        return []
    preload = [f"  {key}: {_quote(jwt)}" for key, jwt in auth.accounts]
    return [
        "# decentralized auth: only users signed for the account below may connect",
        f"operator: {_quote(auth.operator_jwt)}",
        f"system_account: {auth.system_account}",
        "resolver {",
        "  type: full",
        f"  dir: {_quote(auth.resolver_dir)}",
        "  allow_delete: false",
        "}",
        "# the account JWTs, stored in the resolver at start: serves while the hub is away",
        "resolver_preload {",
        *preload,
        "}",
    ]


def hub_config_text(config: HubServerConfig) -> str:
    """The hub's nats-server.conf."""
    lines = [
        f"# cloud hub {config.server_name}: JetStream domain {config.domain!r}",
        f"server_name: {_quote(config.server_name)}",
        f"listen: {config.host}:{config.port}",
        *_jetstream_block(config.store_dir, config.domain, config.sync_interval),
        *_cluster_lines(config.cluster),
        "leafnodes {",
        f"  listen: {config.leaf_host}:{config.leaf_port}",
        "  # sites dial the configured URL only, never an address the hub advertises",
        "  no_advertise: true",
        "}",
        *_auth_lines(config.auth),
    ]
    return "\n".join(lines) + "\n"


# The server's MQTT stream and sessions stay at their site: without this a QoS 1 publish at
# one site is stored at every site (the server exempts "$MQTT." from leaf allow lists, not
# from deny lists).
_LEAF_DENY = '      deny_imports: ["$MQTT.>"]\n      deny_exports: ["$MQTT.>"]'


def _remotes(config: SiteServerConfig) -> list[str]:
    urls = ", ".join(_quote(url) for url in config.hub_leaf_urls)
    auth = config.auth
    if auth is None or auth.leaf_credentials is None:
        return ["    {", f"      urls: [{urls}]", _LEAF_DENY, "    }"]
    remote = [
        "    {",
        f"      urls: [{urls}]",
        f"      account: {auth.leaf_account}",
        f"      credentials: {_quote(auth.leaf_credentials)}",
        _LEAF_DENY,
        "    }",
    ]
    if auth.system_leaf_credentials is not None:
        remote += [
            "    {",
            f"      urls: [{urls}]",
            f"      account: {auth.system_account}",
            f"      credentials: {_quote(auth.system_leaf_credentials)}",
            "    }",
        ]
    return remote


def _mqtt_lines(config: SiteServerConfig) -> list[str]:
    if config.mqtt_port is None:
        return []
    return [
        "# MQTT for customers and devices: topics are the subjects with '/' for '.'; MQTT users",
        "# authenticate with their user JWT as password (bearer) and are confined to their topics",
        "mqtt {",
        f"  listen: {config.host}:{config.mqtt_port}",
        "}",
    ]


def site_config_text(config: SiteServerConfig) -> str:
    """The site's nats-server.conf."""
    lines = [
        f"# edge site {config.site_id}: JetStream domain {config.site_id!r}",
        f"server_name: {_quote(config.server_name or config.site_id)}",
        f"listen: {config.host}:{config.port}",
        *_jetstream_block(
            config.store_dir, config.site_id, config.sync_interval, config.max_file_store
        ),
        *_cluster_lines(config.cluster),
        *_mqtt_lines(config),
        "leafnodes {",
        f"  reconnect: {config.reconnect_seconds}",
        "  remotes: [",
        *_remotes(config),
        "  ]",
        "}",
        *_auth_lines(config.auth),
    ]
    return "\n".join(lines) + "\n"
