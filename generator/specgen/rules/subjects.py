"""Channel addresses as NATS subjects: valid tokens, no wildcards where we publish, the site
parameter in every subject (NATS.md trap 1) and the ``pf.{site_id}.<domain>.<event>.v<N>``
shape of our own spec."""

from __future__ import annotations

import re
from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, error
from specgen.nats_subjects import token_problems, tokens, wildcard_tokens
from specgen.rules.context import ChannelView, Context
from specgen.rules.registry import GENERATOR, SPECGEN, Rule

SITE_TOKEN = "{site_id}"
SNAKE = re.compile(r"[a-z][a-z0-9_]*")
MAJOR = re.compile(r"v[0-9]+")
SHAPE = "<prefix>.{site_id}.<domain>.<event>.v<major>"


def check_tokens(ctx: Context) -> Iterator[Diagnostic]:
    for channel in ctx.channels():
        address = channel.address
        if not channel.nats or address is None:
            continue
        problems = token_problems(address, strict=True)
        if problems:
            yield error(
                "SG-SUBJECT-TOKEN",
                f"channel {channel.key!r}: address {address!r} is not a valid NATS subject: "
                + "; ".join(problems),
                ctx.locate(channel.node, "address"),
                "separate tokens with single dots; use only letters, digits, '_' and '-' in a "
                "token, and make each {parameter} a whole token",
            )


def check_wildcards(ctx: Context) -> Iterator[Diagnostic]:
    for channel in ctx.channels():
        address = channel.address
        if not (channel.nats and channel.published) or address is None:
            continue
        found = wildcard_tokens(address)
        if found:
            yield error(
                "SG-SUBJECT-WILDCARD",
                f"channel {channel.key!r}: address {address!r} contains the wildcard "
                f"{found[0]!r}, but messages are published to it and NATS cannot publish to a "
                "wildcard subject",
                ctx.locate(channel.node, "address"),
                "use a {parameter} token for the varying part of the subject",
            )


def check_site(ctx: Context) -> Iterator[Diagnostic]:
    for channel in ctx.channels():
        address = channel.address
        if address is not None and SITE_TOKEN not in tokens(address):
            yield error(
                "SG-SUBJECT-SITE",
                f"channel {channel.key!r}: address {address!r} has no {SITE_TOKEN} token, so "
                "events of every site share one subject and leak between sites",
                ctx.locate(channel.node, "address"),
                f"put the site into the subject, e.g. 'pf.{SITE_TOKEN}.<domain>.<event>.v1', "
                "and declare the site_id parameter",
            )
    for document in ctx.documents:
        stream = document.stream
        for index, subject in enumerate(stream.subjects if stream else []):
            if SITE_TOKEN not in tokens(subject):
                yield error(
                    "SG-SUBJECT-SITE",
                    f"stream subject {subject!r} has no {SITE_TOKEN} token: the stream of every "
                    "site would also store the events of other sites",
                    ctx.locate(document.api, "x-stream", "subjects", index, value=True),
                    f"write the stream subject as 'pf.{SITE_TOKEN}.<domain>.>'",
                )


def _shape_problems(channel: ChannelView, address: str) -> list[str]:
    parts = tokens(address)
    if len(parts) != 5:
        return [f"it has {len(parts)} tokens instead of 5"]
    prefix, site, domain, event, major = parts
    problems = []
    if SNAKE.fullmatch(prefix) is None:
        problems.append(f"the first token {prefix!r} must be a literal lowercase prefix")
    if site != SITE_TOKEN and SITE_TOKEN in parts:  # no site at all: SG-SUBJECT-SITE
        problems.append(f"the second token must be {SITE_TOKEN}, not {site!r}")
    expected = channel.document.domain
    if expected is not None and domain != expected:
        problems.append(f"the third token {domain!r} must be the document's x-domain {expected!r}")
    if SNAKE.fullmatch(event) is None:
        problems.append(f"the fourth token {event!r} must be a snake_case event name")
    if MAJOR.fullmatch(major) is None:
        problems.append(f"the last token {major!r} must be the major version, e.g. 'v1'")
    return problems


def check_shape(ctx: Context) -> Iterator[Diagnostic]:
    for channel in ctx.channels():
        address = channel.address
        if address is None:
            yield error(
                "SG-SUBJECT-SHAPE",
                f"channel {channel.key!r} has no address; every event needs a NATS subject",
                ctx.locate(channel.node),
                f"add 'address: {SHAPE}'",
            )
            continue
        problems = _shape_problems(channel, address)
        if problems:
            yield error(
                "SG-SUBJECT-SHAPE",
                f"channel {channel.key!r}: address {address!r} does not have the shape "
                f"{SHAPE}: " + "; ".join(problems),
                ctx.locate(channel.node, "address"),
                "name subjects like 'pf.{site_id}.orders.order_created.v1'",
            )


RULES = (
    Rule(
        "SG-SUBJECT-TOKEN",
        GENERATOR,
        "NATS channel addresses are valid subjects: no empty tokens, no whitespace, "
        "only [A-Za-z0-9_-] or a whole {parameter} per token",
        check_tokens,
    ),
    Rule(
        "SG-SUBJECT-WILDCARD",
        GENERATOR,
        "addresses that messages are published to contain no '*' or '>' wildcard",
        check_wildcards,
    ),
    Rule(
        "SG-SUBJECT-SITE",
        SPECGEN,
        "every channel address and stream subject carries the {site_id} token (NATS trap 1)",
        check_site,
    ),
    Rule(
        "SG-SUBJECT-SHAPE",
        SPECGEN,
        f"channel addresses have the shape {SHAPE}",
        check_shape,
    ),
)
