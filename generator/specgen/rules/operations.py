"""Operations and channels point where AsyncAPI 3 says they MUST (checked by identity after
``$ref`` resolution, and by the ``$ref`` as written):

- a root operation's ``channel`` (and its reply's) is a channel of the root Channels Object,
  referenced there (``#/channels/<name>``), never a definition under ``components``;
- an operation's ``messages`` (and its reply's) are messages of that channel, referenced
  through it (``#/channels/<name>/messages/<message>``), never ``#/components/messages/...``;
- a reply with an ``address`` has a channel whose address is null or absent;
- a root channel's ``servers`` are servers of the root Servers Object (``#/servers/<name>``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from specgen.diagnostics import Diagnostic, error
from specgen.load import Origin
from specgen.load.source import child_pointer
from specgen.model import Channel, Node, Operation, Reply
from specgen.rules.context import Context, DocumentView
from specgen.rules.registry import ASYNCAPI, Rule


@dataclass(frozen=True)
class Owner:
    """An operation or a reply: what names a channel and messages."""

    label: str
    node: Operation | Reply
    root: bool
    """Whether it is listed in the document's root Operations Object."""
    written_in_root: bool
    """Whether it is also defined there (not a $ref to a definition elsewhere)."""

    @property
    def channel(self) -> Channel | None:
        return self.node.channel


def _owners(ctx: Context, document: DocumentView) -> Iterator[Owner]:
    components = document.api.components
    root = {id(op) for _, op in document.operations}
    scoped = [
        *document.operations,
        *((components.operations if components else None) or {}).items(),
    ]
    seen: set[int] = set()
    for key, op in scoped:
        if id(op) in seen:
            continue
        seen.add(id(op))
        is_root = id(op) in root
        written = is_root and _defined_under(ctx, op, "/operations/")
        yield Owner(f"operation {key!r}", op, is_root, written)
        if op.reply is not None:
            yield Owner(f"reply of operation {key!r}", op.reply, is_root, written)


def _defined_under(ctx: Context, node: Node, prefix: str) -> bool:
    """Whether ``node`` is defined (not just referenced) at a pointer starting with ``prefix``."""
    origin = ctx.spec.origin_of(node.raw)
    return origin is not None and origin.pointer.startswith(prefix)


def _describe(target: Origin | None) -> str:
    return f"{target.file.display}#{target.pointer}" if target else "an inline object"


def _root_channel_ref(ctx: Context, document: DocumentView, owner: Owner) -> Diagnostic | None:
    channel = owner.channel
    if channel is None or not ctx.known(channel):
        return None  # structure, or a $ref the loader already reported
    site = ctx.spec.ref_written_at(owner.node.raw, "channel")
    target = site.target if site else ctx.spec.origin_of(channel.raw)
    root_keys = {key for key, c in (document.api.channels or {}).items() if c is channel}
    points_home = (
        target is not None
        and target.file is document.source
        and any(target.pointer == f"/channels/{_token(key)}" for key in root_keys)
    )
    if root_keys and (points_home or site is None or not owner.written_in_root):
        return None
    return error(
        "SG-OP-CHANNEL",
        f"{owner.label}: the channel must be one of the document's root channels, referenced "
        f"as '#/channels/<name>' (it is {_describe(target)})",
        ctx.locate(owner.node, "channel"),
        "reference a channel of this document: \"channel: {$ref: '#/channels/<name>'}\"",
    )


def _token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _reply_address(ctx: Context, owner: Owner) -> Diagnostic | None:
    node, channel = owner.node, owner.channel
    if not isinstance(node, Reply) or node.address is None or channel is None:
        return None
    if channel.address is None:
        return None
    return error(
        "SG-OP-CHANNEL",
        f"{owner.label}: the reply has an address, so its channel's address must be null or "
        f"absent (it is {channel.address!r})",
        ctx.locate(node, "address"),
        "remove the reply's address, or reference a channel whose 'address' is null",
    )


def check_channel(ctx: Context) -> Iterator[Diagnostic]:
    for document in ctx.documents:
        for owner in _owners(ctx, document):
            found = _root_channel_ref(ctx, document, owner) if owner.root else None
            found = found or _reply_address(ctx, owner)
            if found is not None:
                yield found


def _channel_places(ctx: Context, owner: Owner) -> set[tuple[int, str]]:
    """Where the owner's channel may be said to be: its $ref target and its definition."""
    channel = owner.channel
    places = set()
    site = ctx.spec.ref_written_at(owner.node.raw, "channel")
    for origin in (
        site.target if site else None,
        ctx.spec.origin_of(channel.raw if channel else {}),
    ):
        if origin is not None:
            places.add((id(origin.file), origin.pointer))
    return places


def _message_problem(ctx: Context, owner: Owner, index: int) -> str | None:
    """Why ``messages[index]`` does not point into the owner's channel (None if it does)."""
    channel = owner.channel
    messages = owner.node.messages or []
    message = messages[index]
    if channel is None or not ctx.known(message):
        return None
    allowed = {id(m): key for key, m in (channel.messages or {}).items()}
    if id(message) not in allowed:
        return "is not one of the messages of its channel"
    site = ctx.spec.ref_written_at(owner.node.raw["messages"], index)
    if site is None or site.target is None:
        return None  # written inline (SG-STRUCT-REF) or unresolved (SG-REF-*)
    key = _token(allowed[id(message)])
    target = site.target
    if any(
        (id(target.file), target.pointer) == (file, child_pointer(pointer, "messages") + f"/{key}")
        for file, pointer in _channel_places(ctx, owner)
    ):
        return None
    return "points to the message's definition instead of into its channel"


def check_messages(ctx: Context) -> Iterator[Diagnostic]:
    for document in ctx.documents:
        for owner in _owners(ctx, document):
            for index, message in enumerate(owner.node.messages or []):
                problem = _message_problem(ctx, owner, index)
                if problem is None:
                    continue
                site = ctx.spec.ref_written_at(owner.node.raw["messages"], index)
                what = f"$ref {site.ref!r}" if site else _describe(ctx.spec.origin_of(message.raw))
                yield error(
                    "SG-OP-MESSAGE",
                    f"{owner.label}: message {index} ({what}) {problem}",
                    ctx.locate(owner.node, "messages", index),
                    "list the message under the channel's 'messages' and reference it as "
                    "'#/channels/<channel>/messages/<message>'",
                )


def check_servers(ctx: Context) -> Iterator[Diagnostic]:
    for document in ctx.documents:
        root_servers = document.api.servers or {}
        for channel in document.channels:
            for index, server in enumerate(channel.node.servers or []):
                site = ctx.spec.ref_written_at(channel.node.raw["servers"], index)
                names = [k for k, s in root_servers.items() if s is server]
                target = site.target if site else None
                home = {f"/servers/{_token(k)}" for k in names}
                if names and (
                    target is None
                    or not _defined_under(ctx, channel.node, "/channels/")
                    or (target.file is document.source and target.pointer in home)
                ):
                    continue
                yield error(
                    "SG-CHANNEL-SERVERS",
                    f"channel {channel.key!r}: server {index} must be one of the document's "
                    f"root servers, referenced as '#/servers/<name>' (it is {_describe(target)})",
                    ctx.locate(channel.node, "servers", index),
                    "reference a server of this document: \"- $ref: '#/servers/<name>'\"",
                )


RULES = (
    Rule(
        "SG-OP-CHANNEL",
        ASYNCAPI,
        "a root operation's (and its reply's) channel is a root channel of its document, "
        "referenced as #/channels/<name>; a reply with an address has a channel without one",
        check_channel,
    ),
    Rule(
        "SG-OP-MESSAGE",
        ASYNCAPI,
        "an operation's (and its reply's) messages are messages of its channel, referenced as "
        "#/channels/<channel>/messages/<message>",
        check_messages,
    ),
    Rule(
        "SG-CHANNEL-SERVERS",
        ASYNCAPI,
        "a root channel's servers are root servers of its document, referenced as #/servers/<name>",
        check_servers,
    ),
)
