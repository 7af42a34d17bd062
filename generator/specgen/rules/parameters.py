"""Channel parameters: every ``{name}`` in an address is declared, every declared one is used
(AsyncAPI 3: parameters MUST be present only when the address has expressions, and their keys
MUST match the names used in the address)."""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, error
from specgen.nats_subjects import params
from specgen.rules.context import Context
from specgen.rules.registry import ASYNCAPI, Rule


def check_undeclared(ctx: Context) -> Iterator[Diagnostic]:
    for channel in ctx.channels():
        address = channel.address
        if address is None:
            continue
        declared = channel.parameters
        for name in dict.fromkeys(params(address)):
            if name in declared:
                continue
            yield error(
                "SG-PARAM-UNDECLARED",
                f"channel {channel.key!r}: address {address!r} uses parameter {{{name}}} "
                "that is not declared in 'parameters'",
                ctx.locate(channel.node, "address"),
                f"add '{name}' under the channel's 'parameters' (or fix the spelling)",
            )


def check_unused(ctx: Context) -> Iterator[Diagnostic]:
    for channel in ctx.channels():
        address = channel.address
        used = set(params(address)) if address is not None else set()
        shown = repr(address) if address is not None else "null"
        for name in channel.parameters:
            if name in used:
                continue
            yield error(
                "SG-PARAM-UNUSED",
                f"channel {channel.key!r}: parameter {name!r} is declared but the address "
                f"{shown} does not use it",
                ctx.locate(channel.node, "parameters", name),
                f"remove the parameter or put {{{name}}} into the address",
            )


RULES = (
    Rule(
        "SG-PARAM-UNDECLARED",
        ASYNCAPI,
        "every {parameter} in a channel address is declared in the channel's parameters",
        check_undeclared,
    ),
    Rule(
        "SG-PARAM-UNUSED",
        ASYNCAPI,
        "every declared channel parameter appears in the channel address",
        check_unused,
    ),
)
