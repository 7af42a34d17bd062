"""Helpers of the end-to-end tests: the IR, and the spec's streams of one site on one server.

``create_site_streams`` is a stand-in for the runtime provisioning module (a later issue): it
creates every domain stream plus the dead-letter stream of ``generated/ir.json`` for one site,
with ``{site_id}`` filled in, replicas forced to 1 (one server) and ``duplicate_window`` always
set explicitly (in NATS a duplicate window of 0 silently disables dedupe on sourced
streams).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from nats.js import JetStreamContext
from nats.js.api import RetentionPolicy, StorageType, StreamConfig, StreamInfo

REPO = Path(__file__).resolve().parents[2]
IR_PATH = REPO / "generated" / "ir.json"
SITE = "site-0001"


@cache
def load_ir() -> dict[str, Any]:
    ir: dict[str, Any] = json.loads(IR_PATH.read_text(encoding="utf-8"))
    return ir


def fill(template: str, site_id: str) -> str:
    return template.replace("{site_id}", site_id)


def stream_config(stream: dict[str, Any], site_id: str) -> StreamConfig:
    """One IR stream as a nats-py StreamConfig for ``site_id`` on a single server."""
    return StreamConfig(
        name=stream["name"],
        subjects=[fill(s, site_id) for s in stream["subjects"]],
        retention=RetentionPolicy(stream["retention"]),
        max_age=stream["max_age_ms"] / 1000,
        storage=StorageType(stream["storage"]),
        num_replicas=1,
        duplicate_window=stream["duplicate_window_ms"] / 1000,
    )


def site_stream_configs(site_id: str, ir: dict[str, Any] | None = None) -> list[StreamConfig]:
    """Every domain stream and the dead-letter stream of the IR, for one site."""
    ir = load_ir() if ir is None else ir
    configs = [stream_config(d["stream"], site_id) for d in ir["domains"] if d["stream"]]
    configs.append(stream_config(ir["topology"]["dead_letter_stream"], site_id))
    return configs


async def create_site_streams(
    js: JetStreamContext, site_id: str = SITE, *, skip: frozenset[str] = frozenset()
) -> list[StreamInfo]:
    """Create the site's streams (except those named in ``skip``); return their infos."""
    return [
        await js.add_stream(config)
        for config in site_stream_configs(site_id)
        if config.name not in skip
    ]


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS subject matching: ``*`` is one token, a final ``>`` one or more tokens."""
    pat, sub = pattern.split("."), subject.split(".")
    for i, token in enumerate(pat):
        if token == ">":
            return len(sub) > i
        if i >= len(sub) or (token != "*" and token != sub[i]):
            return False
    return len(pat) == len(sub)


@dataclass(frozen=True)
class Example:
    """One example of one event of the IR."""

    domain: str
    event: dict[str, Any]
    name: str
    payload: Any

    @property
    def event_cls(self) -> Any:
        from powerflex_events.events import EVENT_TYPES

        return EVENT_TYPES[self.event["type"]]

    @property
    def jetstream(self) -> bool:
        return bool(self.event["delivery"] == "jetstream")

    def subject(self, site_id: str = SITE) -> str:
        return fill(self.event["subject_template"], site_id)

    def data(self) -> Any:
        """The example payload validated into the event's generated data model."""
        return self.event_cls.data_model().model_validate(self.payload)


def examples() -> Iterator[Example]:
    for domain in load_ir()["domains"]:
        for event in domain["events"]:
            for example in event["examples"]:
                yield Example(domain["name"], event, example["name"], example["payload"])


def class_prefix(domain: str) -> str:
    return "".join(part.capitalize() for part in domain.split("_"))


def domain_publisher(domain: str) -> type[Any]:
    """The generated ``<Domain>Publisher`` class of ``domain``."""
    module = importlib.import_module(f"powerflex_events.{domain}")
    cls: type[Any] = getattr(module, f"{class_prefix(domain)}Publisher")
    return cls


def domain_subscriber(domain: str) -> type[Any]:
    """The generated ``<Domain>Subscriber`` class of ``domain``."""
    module = importlib.import_module(f"powerflex_events.{domain}")
    cls: type[Any] = getattr(module, f"{class_prefix(domain)}Subscriber")
    return cls
