"""Which event class a message is: by its CloudEvents type, or by the subject it came on.

Used by subscriptions to several event classes at once (a domain's union, see
``subscriber.subscribe_any``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from nats.aio.msg import Msg

from specgen_runtime.events import Event, EventSpec

__all__ = ["event_type", "same_spec", "subject_matches"]


def same_spec(
    classes: Sequence[type[Event[Any]]], what: str, value: Callable[[EventSpec], Any]
) -> None:
    if len({value(cls.SPEC) for cls in classes}) > 1:
        names = ", ".join(cls.__name__ for cls in classes)
        raise ValueError(f"one subscription needs one {what}; {names} differ")


def event_type(msg: Msg) -> str | None:
    """The CloudEvents ``type`` of a message: ``ce-type`` header, else the JSON's ``type``."""
    for name, value in (msg.headers or {}).items():
        if name.lower() == "ce-type":
            return value
    try:
        document = json.loads(msg.data)
    except ValueError:
        return None
    kind = document.get("type") if isinstance(document, dict) else None
    return kind if isinstance(kind, str) else None


def subject_matches(template: str, subject: str) -> bool:
    tokens, want = subject.split("."), template.split(".")
    return len(tokens) == len(want) and all(
        w.startswith("{") or w == t for w, t in zip(want, tokens, strict=True)
    )
