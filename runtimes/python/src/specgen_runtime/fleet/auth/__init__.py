"""Decentralized JWT auth for the fleet, built in-process with nkeys (no ``nsc``).

``store.FleetAuth`` keeps the operator, the fleet account with its scoped signing keys, the
system account and every issued user in one folder; ``permissions`` derives each role's
rights from the spec's topology; ``jwt`` encodes, signs and verifies NATS JWTs; ``push``
sends an updated account JWT (revocations) to running servers.
"""

from specgen_runtime.fleet.auth.jwt import AuthError
from specgen_runtime.fleet.auth.store import FleetAuth, IssuedUser

__all__ = ["AuthError", "FleetAuth", "IssuedUser"]
