"""Fleet provisioning and health: edge sites joined to a cloud hub as leaf nodes.

Modules: ``topology`` (desired JetStream configuration from the spec's topology document),
``provision`` (plan / apply / drift), ``health`` (is sourcing flowing, per site),
``serverconf`` (nats-server configuration text), ``local`` (``LocalFleet``: hub and sites as
local processes, each link through a ``LinkProxy``), ``cli`` (``specgen-fleet``), ``demo``.
"""

from specgen_runtime.fleet.errors import (
    FleetError,
    JetStreamApiError,
    TopologyError,
    UnreachableError,
)
from specgen_runtime.fleet.local import LocalFleet
from specgen_runtime.fleet.proxy import LinkProxy, LinkState

__all__ = [
    "FleetError",
    "JetStreamApiError",
    "LinkProxy",
    "LinkState",
    "LocalFleet",
    "TopologyError",
    "UnreachableError",
]
