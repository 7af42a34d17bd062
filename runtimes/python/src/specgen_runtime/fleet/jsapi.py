"""A thin, typed-at-the-edge client of the JetStream JSON API in one domain.

Stream configurations go over the wire as plain dicts (nanosecond durations, exact field
names): nats-py's ``StreamSourceInfo`` drops ``external``, which is the only thing telling
the sources of a cloud stream apart (they are all named UPLOAD), so fleet code reads raw JSON.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nats
import nats.errors
from nats.aio.client import Client

from specgen_runtime.fleet.errors import JetStreamApiError, UnreachableError

__all__ = ["JsApi", "STREAM_NOT_FOUND", "connect"]

STREAM_NOT_FOUND = 10059


class JsApi:
    """Requests to ``$JS.API`` (``domain=None``: the connected server's own account) or to
    ``$JS.<domain>.API`` (another JetStream domain, e.g. a site seen from the hub)."""

    def __init__(
        self, nc: Client, *, domain: str | None, target: str, timeout: float = 5.0
    ) -> None:
        self.nc = nc
        self.domain = domain
        self.target = target
        self.timeout = timeout
        self.prefix = f"$JS.{domain}.API" if domain else "$JS.API"

    async def request(self, op: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        body = json.dumps(payload).encode() if payload is not None else b""
        try:
            msg = await self.nc.request(f"{self.prefix}.{op}", body, timeout=self.timeout)
        except nats.errors.NoRespondersError as exc:
            raise UnreachableError(self.target, f"no JetStream responds on {self.prefix}") from exc
        except (TimeoutError, nats.errors.TimeoutError) as exc:
            raise UnreachableError(self.target, f"no answer within {self.timeout}s") from exc
        except nats.errors.Error as exc:
            raise UnreachableError(self.target, str(exc) or type(exc).__name__) from exc
        data: dict[str, Any] = json.loads(msg.data)
        error = data.get("error")
        if error:
            raise JetStreamApiError(
                self.target,
                op,
                int(error.get("code", 0)),
                int(error.get("err_code", 0)),
                str(error.get("description", "")),
            )
        return data

    async def stream_info(self, name: str) -> dict[str, Any] | None:
        """The stream's info (``config``, ``state``, ``sources``...), None if it does not exist."""
        try:
            return await self.request(f"STREAM.INFO.{name}")
        except JetStreamApiError as exc:
            if exc.err_code == STREAM_NOT_FOUND:
                return None
            raise

    async def create_stream(self, config: dict[str, Any]) -> dict[str, Any]:
        return await self.request(f"STREAM.CREATE.{config['name']}", config)

    async def update_stream(self, config: dict[str, Any]) -> dict[str, Any]:
        return await self.request(f"STREAM.UPDATE.{config['name']}", config)


async def _quiet(_error: Exception) -> None:
    """Connection errors are reported by ``connect``'s exception, not logged per attempt."""


async def connect(
    url: str | Sequence[str],
    *,
    timeout: float = 5.0,
    credentials: str | Path | None = None,
    name: str | None = None,
) -> Client:
    """Connect once to ``url`` (no reconnects), or raise UnreachableError within ``timeout``.

    ``url`` may list several servers of one cluster (a list, or comma-separated); the first
    that answers is used. ``credentials`` is a ``.creds`` file (decentralized auth); ``name``
    is the connection's name the servers show.
    """
    servers = [u.strip() for u in url.split(",")] if isinstance(url, str) else list(url)
    label = ",".join(servers)
    options: dict[str, Any] = {}
    if credentials is not None:
        options["user_credentials"] = str(credentials)
    if name is not None:
        options["name"] = name
    try:
        return await asyncio.wait_for(
            nats.connect(
                servers,
                connect_timeout=timeout,
                allow_reconnect=False,
                max_reconnect_attempts=1,
                reconnect_time_wait=0.1,
                error_cb=_quiet,
                **options,
            ),
            timeout=timeout * len(servers) + 1.0,
        )
    except (OSError, TimeoutError, nats.errors.Error) as exc:
        raise UnreachableError(label, str(exc) or type(exc).__name__) from exc
