"""Fields that must be written as ``$ref`` (the official schema allows only a Reference there).

An operation's ``channel`` and ``messages``, a reply's ``channel`` and ``messages`` and a
channel's ``servers`` name objects defined elsewhere. After loading, refs are resolved, so an
inline object is told apart by where it was defined: at the field itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specgen.diagnostics import Diagnostic, error
from specgen.load import LoadedSpec
from specgen.load.source import child_pointer

RULE = "SG-STRUCT-REF"


def _values(container: Any, key: str) -> list[Any]:
    found = container.get(key) if isinstance(container, dict) else None
    return [v for v in found.values() if isinstance(v, dict)] if isinstance(found, dict) else []


def _sites(document: Any) -> Iterator[tuple[Any, str | int, str, str]]:
    """(container, key, what it is, where it should live) for every ref-only field."""
    components = document.get("components") if isinstance(document, dict) else None
    operations = _values(document, "operations") + _values(components, "operations")
    replies = _values(components, "replies")
    for operation in operations:
        yield from _ref_fields(operation, "operation")
        if isinstance(operation.get("reply"), dict):
            replies.append(operation["reply"])
    for reply in replies:
        yield from _ref_fields(reply, "reply")
    for channel in _values(document, "channels") + _values(components, "channels"):
        servers = channel.get("servers")
        if isinstance(servers, list):
            for index in range(len(servers)):
                yield servers, index, "a channel's 'servers' item", "servers"


def _ref_fields(owner: dict[str, Any], what: str) -> Iterator[tuple[Any, str | int, str, str]]:
    if "channel" in owner:
        yield owner, "channel", f"the {what}'s 'channel'", "channels"
    messages = owner.get("messages")
    if isinstance(messages, list):
        for index in range(len(messages)):
            yield messages, index, f"an {what}'s 'messages' item", "channels/<name>/messages"


def _inline(spec: LoadedSpec, container: Any, key: str | int) -> bool:
    value = container[key]
    origin, parent = spec.origin_of(value), spec.origin_of(container)
    if not isinstance(value, dict) or origin is None or parent is None:
        return False
    return origin.file is parent.file and origin.pointer == child_pointer(parent.pointer, key)


def check_ref_only_fields(spec: LoadedSpec, document: Any) -> list[Diagnostic]:
    diagnostics = []
    for container, key, what, home in _sites(document):
        if _inline(spec, container, key):
            diagnostics.append(
                error(
                    RULE,
                    f"{what} must be a $ref, not an inline object",
                    spec.locate(container, key),
                    f"define it under {home} and write {{$ref: '#/{home}/...'}} here",
                )
            )
    return diagnostics
