"""Operations point into their own document: the channel is one of the document's channels
and the messages are messages of that channel (both by identity after ``$ref`` resolution)."""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, error
from specgen.rules.context import Context, Document, Mapping, as_mapping
from specgen.rules.registry import BOTH, Rule


def _describe(ctx: Context, obj: object) -> str:
    origin = ctx.spec.origin_of(obj)
    if origin is None:
        return "an inline object"
    return f"{origin.file.display}#{origin.pointer}"


def _channel_problem(
    ctx: Context, document: Document, where: str, owner: Mapping
) -> Iterator[Diagnostic]:
    channel = owner.get("channel")
    if not isinstance(channel, dict) or not ctx.known(channel):
        return  # structure, or a $ref the loader already reported
    if any(view.data is channel for view in document.channels):
        return
    yield error(
        "SG-OP-CHANNEL",
        f"{where}: the channel is not one of this document's channels "
        f"(it is {_describe(ctx, channel)})",
        ctx.locate(owner, "channel"),
        "reference a channel of this document: \"channel: {$ref: '#/channels/<name>'}\"",
    )


def _message_problems(ctx: Context, where: str, owner: Mapping) -> Iterator[Diagnostic]:
    channel = as_mapping(owner.get("channel"))
    if channel is None or not isinstance(owner.get("messages"), list):
        return
    allowed = as_mapping(channel.get("messages")) or {}
    allowed_ids = {id(m) for m in allowed.values()}
    for index, message in enumerate(owner["messages"]):
        if not isinstance(message, dict) or not ctx.known(message):
            continue
        if id(message) in allowed_ids:
            continue
        yield error(
            "SG-OP-MESSAGE",
            f"{where}: message {index} ({_describe(ctx, message)}) is not one of the messages "
            "of its channel",
            ctx.locate(owner["messages"], index),
            "list the message under the channel's 'messages' and reference it as "
            "'#/channels/<channel>/messages/<message>'",
        )


def _owners(document: Document) -> Iterator[tuple[str, Mapping]]:
    """Each operation, and each operation's reply, that names a channel and messages."""
    for key, op in document.operations:
        yield f"operation {key!r}", op
        reply = as_mapping(op.get("reply"))
        if reply is not None and "channel" in reply:
            yield f"reply of operation {key!r}", reply


def check_channel(ctx: Context) -> Iterator[Diagnostic]:
    for document in ctx.documents:
        for where, owner in _owners(document):
            yield from _channel_problem(ctx, document, where, owner)


def check_messages(ctx: Context) -> Iterator[Diagnostic]:
    for document in ctx.documents:
        for where, owner in _owners(document):
            yield from _message_problems(ctx, where, owner)


RULES = (
    Rule(
        "SG-OP-CHANNEL",
        BOTH,
        "an operation's (and its reply's) channel is one of the document's channels",
        check_channel,
    ),
    Rule(
        "SG-OP-MESSAGE",
        BOTH,
        "an operation's (and its reply's) messages are messages of its channel",
        check_messages,
    ),
)
