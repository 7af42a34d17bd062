"""What every binding object shares, and how a protocol's versions are told apart."""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import ConfigDict, Discriminator, Tag

from specgen.model.base import Node


class Binding(Node):
    """A binding object: closed (unknown fields are errors), ``x-`` extensions allowed."""

    kind = "binding object"


class Open(Node):
    """A nested object of a binding that allows fields the binding does not name."""

    model_config = ConfigDict(extra="allow")
    kind = "binding object"


class Reserved(Binding):
    """A binding the protocol's specification reserves: it MUST NOT contain any properties
    (the version alone is tolerated)."""

    binding_version: str | None = None


def binding_version(value: Any) -> str | None:
    """The discriminator of a protocol's versions (named so that errors can say so)."""
    if not isinstance(value, dict):
        return None
    version = value.get("bindingVersion", "latest")
    return version if isinstance(version, str) else repr(version)


def versions(latest: str, **by_version: type[Binding]) -> Any:
    """A protocol binding chosen by its ``bindingVersion``; ``latest`` when absent.

    ``versions("0.5.0", v0_5_0=Kafka050, v0_4_0=Kafka040)``: keyword names are versions with
    ``v`` in front and ``_`` for ``.``.
    """
    tagged = {name[1:].replace("_", "."): model for name, model in by_version.items()}
    tagged["latest"] = tagged[latest]
    options = tuple(Annotated[model, Tag(tag)] for tag, model in tagged.items())
    return Annotated[Union[options], Discriminator(binding_version)]  # noqa: UP007
