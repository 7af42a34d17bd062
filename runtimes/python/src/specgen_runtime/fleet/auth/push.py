"""Send an updated account JWT to running servers (after a revocation, for example).

Full resolvers take a claim update on ``$SYS.REQ.CLAIMS.UPDATE`` from the system account,
keep it on disk and pass it on to the other servers of their cluster; sites linked with a
system-account leaf receive it as well. A site that is offline gets the new JWT from its
configuration (``resolver_preload``) when it is next configured, or when it links again and
the hub's resolver is asked.
"""

from __future__ import annotations

import asyncio
import json

import nats.errors
from nats.aio.client import Client

from specgen_runtime.fleet.auth.jwt import AuthError

__all__ = ["push_account_jwt"]

CLAIMS_UPDATE = "$SYS.REQ.CLAIMS.UPDATE"


async def push_account_jwt(
    sys_nc: Client, account_jwt: str, *, timeout: float = 2.0, settle: float = 0.5
) -> list[str]:
    """Publish ``account_jwt``; return the servers that stored it (raises AuthError if none).

    Every server with a resolver answers; answers are collected until ``settle`` seconds
    pass without a new one (at most ``timeout`` for the first).
    """
    inbox = sys_nc.new_inbox()
    sub = await sys_nc.subscribe(inbox)
    stored: list[str] = []
    errors: list[str] = []
    try:
        await sys_nc.publish(CLAIMS_UPDATE, account_jwt.encode(), reply=inbox)
        wait = timeout
        while True:
            try:
                msg = await sub.next_msg(timeout=wait)
            except (TimeoutError, nats.errors.TimeoutError):
                break
            wait = settle
            answer = json.loads(msg.data or b"{}")
            server = str((answer.get("server") or {}).get("name", "?"))
            error = answer.get("error")
            if error:
                errors.append(f"{server}: {error.get('description', error)}")
            else:
                stored.append(server)
    finally:
        await sub.unsubscribe()
    if not stored:
        detail = "; ".join(errors) or f"no server answered within {timeout}s"
        raise AuthError(f"the account JWT was not taken: {detail}")
    await asyncio.sleep(0)  # let the servers apply it before the caller relies on it
    return sorted(stored)
