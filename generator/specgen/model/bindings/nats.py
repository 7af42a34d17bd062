"""NATS bindings 0.1.0, in full: only operations carry anything (a queue group)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from specgen.model.bindings.base import Binding, Reserved


class NatsOperation(Binding):
    kind = "NATS operation binding"

    queue: Annotated[str, Field(max_length=255)] | None = None
    """The queue group subscribers of this operation join (at most 255 characters)."""
    binding_version: Literal["0.1.0"] | None = None


class NatsReserved(Reserved):
    """Server, channel and message bindings: reserved by the NATS bindings."""

    kind = "NATS binding (reserved, no fields)"
