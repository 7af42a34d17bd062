"""nats-server configuration text for the cloud hub and for an edge site.

The text is what an operator would put into ``nats-server.conf``; ``LocalFleet`` starts its
local processes from exactly this text, and ``specgen-fleet server-config hub|site SITE``
prints it::

    print(site_config_text(SiteServerConfig(site_id="site-0001", store_dir="/data/nats",
                                            hub_leaf_urls=("nats-leaf://hub.example:7422",))))

Edge sites: JetStream domain = site id, ``sync_interval: always`` (fsync every write: the
default fsyncs every 2 minutes and loses acknowledged writes on power loss), and one leaf
remote to the hub that retries every ``reconnect_seconds``. The hub sets
``no_advertise: true`` on its leaf listener so a site only ever dials the configured URL.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HubServerConfig", "SiteServerConfig", "hub_config_text", "site_config_text"]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


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


@dataclass(frozen=True)
class SiteServerConfig:
    """An edge site server: JetStream domain = ``site_id``, leaf remote(s) to the hub."""

    site_id: str
    store_dir: str
    hub_leaf_urls: tuple[str, ...]
    server_name: str | None = None
    host: str = "127.0.0.1"
    port: int = 4222
    sync_interval: str = "always"
    reconnect_seconds: int = 1


def _jetstream_block(store_dir: str, domain: str, sync_interval: str | None) -> list[str]:
    lines = ["jetstream {", f"  store_dir: {_quote(store_dir)}", f"  domain: {_quote(domain)}"]
    if sync_interval:
        lines.append(f"  sync_interval: {sync_interval}")
    return [*lines, "}"]


def hub_config_text(config: HubServerConfig) -> str:
    """The hub's nats-server.conf."""
    lines = [
        f"# cloud hub {config.server_name}: JetStream domain {config.domain!r}",
        f"server_name: {_quote(config.server_name)}",
        f"listen: {config.host}:{config.port}",
        *_jetstream_block(config.store_dir, config.domain, config.sync_interval),
        "leafnodes {",
        f"  listen: {config.leaf_host}:{config.leaf_port}",
        "  # sites dial the configured URL only, never an address the hub advertises",
        "  no_advertise: true",
        "}",
    ]
    return "\n".join(lines) + "\n"


def site_config_text(config: SiteServerConfig) -> str:
    """The site's nats-server.conf."""
    urls = ", ".join(_quote(url) for url in config.hub_leaf_urls)
    lines = [
        f"# edge site {config.site_id}: JetStream domain {config.site_id!r}",
        f"server_name: {_quote(config.server_name or config.site_id)}",
        f"listen: {config.host}:{config.port}",
        *_jetstream_block(config.store_dir, config.site_id, config.sync_interval),
        "leafnodes {",
        f"  reconnect: {config.reconnect_seconds}",
        "  remotes: [",
        f"    {{ urls: [{urls}] }}",
        "  ]",
        "}",
    ]
    return "\n".join(lines) + "\n"
