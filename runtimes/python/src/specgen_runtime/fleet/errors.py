"""Errors of the fleet subpackage, all below the runtime's one base::

SpecgenRuntimeError
 +-- FleetError              anything about provisioning or observing a fleet
      +-- TopologyError      the topology document or a site id is invalid
      +-- JetStreamApiError  a JetStream API request failed (.target, .code, .err_code)
      +-- UnreachableError   a server or a site's JetStream domain did not answer (.target)
"""

from __future__ import annotations

from specgen_runtime.errors import SpecgenRuntimeError

__all__ = ["FleetError", "JetStreamApiError", "TopologyError", "UnreachableError"]


class FleetError(SpecgenRuntimeError):
    """Provisioning or observing a fleet failed."""


class TopologyError(FleetError, ValueError):
    """The topology document, or a site id checked against it, is invalid."""


class JetStreamApiError(FleetError):
    """The JetStream API answered with an error."""

    def __init__(self, target: str, request: str, code: int, err_code: int, description: str):
        super().__init__(f"{target}: {request} failed: {description} ({code}/{err_code})")
        self.target = target
        self.code = code
        self.err_code = err_code
        self.description = description


class UnreachableError(FleetError):
    """A JetStream domain did not answer in time (link down, server down, no responders)."""

    def __init__(self, target: str, detail: str) -> None:
        super().__init__(f"{target}: unreachable: {detail}")
        self.target = target
