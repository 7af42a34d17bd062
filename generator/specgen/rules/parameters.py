"""Channel parameters: every ``{name}`` in an address is declared, every declared one is used."""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, error
from specgen.rules.context import Context
from specgen.rules.nats_subjects import params
from specgen.rules.registry import BOTH, Rule


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
                ctx.locate(channel.data, "address"),
                f"add '{name}' under the channel's 'parameters' (or fix the spelling)",
            )


def check_unused(ctx: Context) -> Iterator[Diagnostic]:
    for channel in ctx.channels():
        address = channel.address
        if address is None:
            continue
        used = set(params(address))
        for name in channel.parameters:
            if name in used:
                continue
            yield error(
                "SG-PARAM-UNUSED",
                f"channel {channel.key!r}: parameter {name!r} is declared but the address "
                f"{address!r} does not use it",
                ctx.locate(channel.parameters, name),
                f"remove the parameter or put {{{name}}} into the address",
            )


RULES = (
    Rule(
        "SG-PARAM-UNDECLARED",
        BOTH,
        "every {parameter} in a channel address is declared in the channel's parameters",
        check_undeclared,
    ),
    Rule(
        "SG-PARAM-UNUSED",
        BOTH,
        "every declared channel parameter appears in the channel address",
        check_unused,
    ),
)
