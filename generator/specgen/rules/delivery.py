"""Domains and delivery: each document names its domain, each channel says whether it is
durable (``jetstream``, stored by the document's stream) or not (``core``, stored by none)."""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, error
from specgen.rules.context import DOMAIN, Channel, Context
from specgen.rules.nats_subjects import captures, overlaps
from specgen.rules.registry import SPECGEN_ONLY, Rule

DELIVERIES = ("jetstream", "core")


def check_domain(ctx: Context) -> Iterator[Diagnostic]:
    for document in ctx.documents:
        if "x-domain" not in document.data:
            yield error(
                "SG-DOMAIN",
                "the document has no x-domain",
                ctx.locate(document.data),
                "add a root 'x-domain: <snake_case name>', e.g. 'x-domain: orders'",
            )
            continue
        domain = document.data["x-domain"]
        if not (isinstance(domain, str) and DOMAIN.fullmatch(domain)):
            yield error(
                "SG-DOMAIN",
                f"x-domain {domain!r} is not a snake_case token",
                ctx.locate(document.data, "x-domain"),
                "use lowercase letters, digits and '_', starting with a letter",
            )


def check_delivery(ctx: Context) -> Iterator[Diagnostic]:
    for channel in ctx.channels():
        if "x-delivery" not in channel.data:
            yield error(
                "SG-DELIVERY",
                f"channel {channel.key!r} has no x-delivery",
                ctx.locate(channel.data),
                "add 'x-delivery: jetstream' (durable, stored by the domain stream) or "
                "'x-delivery: core' (fire and forget)",
            )
            continue
        delivery = channel.data["x-delivery"]
        if delivery not in DELIVERIES:
            yield error(
                "SG-DELIVERY",
                f"channel {channel.key!r}: x-delivery {delivery!r} is not 'jetstream' or 'core'",
                ctx.locate(channel.data, "x-delivery"),
                "use 'jetstream' for durable events or 'core' for fire and forget",
            )


def _uncaptured(ctx: Context, channel: Channel, address: str) -> Diagnostic | None:
    subjects = [s for _, s in channel.document.stream_subjects()]
    if any(captures(subject, address) for subject in subjects):
        return None
    held = f"x-stream subjects {subjects}" if subjects else "no x-stream"
    return error(
        "SG-SUBJECT-STREAM",
        f"jetstream channel {channel.key!r}: address {address!r} is not captured by the "
        f"document's stream ({held}), so its events would not be stored",
        ctx.locate(channel.data, "address"),
        "add a matching subject to x-stream.subjects (e.g. 'pf.{site_id}.<domain>.>') or "
        "make the channel 'x-delivery: core'",
    )


def _captured_core(ctx: Context, channel: Channel, address: str) -> Diagnostic | None:
    for document in ctx.documents:
        stream = document.stream
        for _, subject in document.stream_subjects():
            if overlaps(subject, address) and stream is not None:
                return error(
                    "SG-SUBJECT-STREAM",
                    f"core channel {channel.key!r}: address {address!r} is captured by stream "
                    f"{stream.get('name')!r} (subject {subject!r}), so core events would be "
                    "stored",
                    ctx.locate(channel.data, "address"),
                    "make the channel 'x-delivery: jetstream' or move it out of the stream's "
                    "subjects",
                )
    return None


def check_stream_capture(ctx: Context) -> Iterator[Diagnostic]:
    for channel in ctx.channels():
        address = channel.address
        delivery = channel.data.get("x-delivery")
        if address is None:
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
        SPECGEN_ONLY,
        "every document has a root x-domain that is a snake_case token",
        check_domain,
    ),
    Rule(
        "SG-DELIVERY",
        SPECGEN_ONLY,
        "every channel has x-delivery 'jetstream' or 'core'",
        check_delivery,
    ),
    Rule(
        "SG-SUBJECT-STREAM",
        SPECGEN_ONLY,
        "a jetstream channel is captured by its document's x-stream subjects; a core channel "
        "by no stream",
        check_stream_capture,
    ),
)
