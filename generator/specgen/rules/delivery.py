"""Domains and delivery: each document names its domain, each channel says whether it is
durable (``jetstream``, stored by the document's stream) or not (``core``, stored by none).

Wrong values of ``x-domain`` and ``x-delivery`` are reported when the typed model reads them
(``model.extensions``, under these rule ids); the rules here report what is missing and what
the values mean together.
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, error
from specgen.model.extensions import DELIVERY, DOMAIN, STREAM
from specgen.nats_subjects import captures, overlaps
from specgen.rules.context import ChannelView, Context
from specgen.rules.registry import SPECGEN, Rule


def check_domain(ctx: Context) -> Iterator[Diagnostic]:
    for document in ctx.documents:
        if not DOMAIN.written(document.api):
            yield error(
                "SG-DOMAIN",
                "the document has no x-domain",
                ctx.locate(document.api),
                "add a root 'x-domain: <snake_case name>', e.g. 'x-domain: orders'",
            )


def check_delivery(ctx: Context) -> Iterator[Diagnostic]:
    for channel in ctx.channels():
        if not DELIVERY.written(channel.node):
            yield error(
                "SG-DELIVERY",
                f"channel {channel.key!r} has no x-delivery",
                ctx.locate(channel.node),
                "add 'x-delivery: jetstream' (durable, stored by the domain stream) or "
                "'x-delivery: core' (fire and forget)",
            )


def _uncaptured(ctx: Context, channel: ChannelView, address: str) -> Diagnostic | None:
    stream = channel.document.stream
    subjects = list(stream.subjects) if stream else []
    if any(captures(subject, address) for subject in subjects):
        return None
    held = f"x-stream subjects {subjects}" if subjects else "no x-stream"
    return error(
        "SG-SUBJECT-STREAM",
        f"jetstream channel {channel.key!r}: address {address!r} is not captured by the "
        f"document's stream ({held}), so its events would not be stored",
        ctx.locate(channel.node, "address"),
        "add a matching subject to x-stream.subjects (e.g. 'pf.{site_id}.<domain>.>') or "
        "make the channel 'x-delivery: core'",
    )


def _captured_core(ctx: Context, channel: ChannelView, address: str) -> Diagnostic | None:
    for document in ctx.documents:
        stream = document.stream
        for subject in stream.subjects if stream else []:
            if overlaps(subject, address) and stream is not None:
                return error(
                    "SG-SUBJECT-STREAM",
                    f"core channel {channel.key!r}: address {address!r} is captured by stream "
                    f"{stream.name!r} (subject {subject!r}), so core events would be stored",
                    ctx.locate(channel.node, "address"),
                    "make the channel 'x-delivery: jetstream' or move it out of the stream's "
                    "subjects",
                )
    return None


def check_stream_capture(ctx: Context) -> Iterator[Diagnostic]:
    for channel in ctx.channels():
        address, delivery = channel.address, channel.delivery
        if address is None or STREAM.broken(channel.document.api):
            continue
        found = None
        if delivery == "jetstream":
            found = _uncaptured(ctx, channel, address)
        elif delivery == "core":
            found = _captured_core(ctx, channel, address)
        if found is not None:
            yield found


RULES = (
    Rule(
        "SG-DOMAIN",
        SPECGEN,
        "every document has a root x-domain that is a snake_case token",
        check_domain,
    ),
    Rule(
        "SG-DELIVERY",
        SPECGEN,
        "every channel has x-delivery 'jetstream' or 'core'",
        check_delivery,
    ),
    Rule(
        "SG-SUBJECT-STREAM",
        SPECGEN,
        "a jetstream channel is captured by its document's x-stream subjects; a core channel "
        "by no stream",
        check_stream_capture,
    ),
)
