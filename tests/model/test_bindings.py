"""Bindings are checked, and our verdict on every binding object agrees with the official
AsyncAPI JSON Schemas (read from ../shared in the test only).

The seeds are the examples the official schema gives for each binding; each seed is placed in a
document on the object it belongs to, then mutated (a key removed, a value of the wrong type,
an unknown key, an unknown version) and judged by both.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from specgen.diagnostics import Level
from specgen.load import load_spec
from specgen.model import check_structure

from tests.model.corpus import SCHEMAS, needs_shared, official_errors

pytestmark = needs_shared
VERSIONS = ("3.0.0", "3.1.0")
WRONG = (None, True, 7, -1, 1.5, "x", [], {}, ["x"], {"a": 1})


@cache
def _definitions(version: str) -> dict[str, Any]:
    schema = json.loads((SCHEMAS / f"{version}-without-id.json").read_text(encoding="utf-8"))
    definitions: dict[str, Any] = schema["definitions"]
    return definitions


def _seeds(version: str) -> list[tuple[str, str, str, Any]]:
    """(protocol, object kind, binding name, example) from the official schema."""
    found = []
    for name, definition in sorted(_definitions(version).items()):
        if not name.startswith("bindings-"):
            continue
        _, protocol, _, kind = name.split("-", 3)
        protocol = {"websockets": "ws"}.get(protocol, protocol)
        for example in definition.get("examples", []):
            # a $ref to a file that is not there cannot be loaded (the schema does not care)
            if isinstance(example, dict) and "$ref" not in json.dumps(example):
                found.append((protocol, kind, name, example))
    return found


def _document(version: str, kind: str, protocol: str, binding: Any) -> dict[str, Any]:
    bindings = {protocol: binding}
    server: dict[str, Any] = {"host": "broker.example.org", "protocol": protocol}
    channel: dict[str, Any] = {"address": "a"}
    operation: dict[str, Any] = {"action": "send", "channel": {"$ref": "#/channels/a"}}
    message: dict[str, Any] = {"payload": {"type": "string"}}
    {"server": server, "channel": channel, "operation": operation, "message": message}[kind][
        "bindings"
    ] = bindings
    channel["messages"] = {"m": message}
    return {
        "asyncapi": version,
        "info": {"title": "Bindings", "version": "1.0.0"},
        "servers": {"s": server},
        "channels": {"a": channel},
        "operations": {"o": operation},
    }


def _ours(tmp_path: Path, document: dict[str, Any]) -> list[str]:
    path = tmp_path / "asyncapi.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    spec = load_spec([path], root=tmp_path)
    found = spec.diagnostics + check_structure(spec)
    return [
        f"{d.rule} {d.location.pointer}: {d.message} ({d.hint})"
        for d in found
        if d.level is Level.ERROR
    ]


def _mutations(binding: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    yield "as given", binding
    for key in binding:
        if key.startswith("x-"):
            continue
        smaller = {k: v for k, v in binding.items() if k != key}
        yield f"without {key}", smaller
        for wrong in WRONG:
            yield f"{key}={wrong!r}", {**binding, key: wrong}
        if isinstance(binding[key], dict):
            for inner in binding[key]:
                for wrong in (None, 7, "x", [], -1):
                    changed = copy.deepcopy(binding)
                    changed[key][inner] = wrong
                    yield f"{key}.{inner}={wrong!r}", changed
    yield "unknown key", {**binding, "unknownField": 1}
    yield "extension", {**binding, "x-note": "ok"}
    yield "unknown version", {**binding, "bindingVersion": "9.9.9"}
    yield "not an object", ["x"]


CASES = [
    (version, protocol, kind, name, example)
    for version in VERSIONS
    for protocol, kind, name, example in (_seeds(version) if SCHEMAS.is_dir() else [])
]


@pytest.mark.parametrize(
    ("version", "protocol", "kind", "name", "example"),
    CASES,
    ids=[f"{c[0]}-{c[3]}-{i}" for i, c in enumerate(CASES)],
)
def test_verdicts_agree_with_the_official_schema(
    tmp_path: Path, version: str, protocol: str, kind: str, name: str, example: Any
) -> None:
    disagreements = []
    for label, binding in _mutations(example):
        document = _document(version, kind, protocol, binding)
        official = official_errors(document, version)
        ours = _ours(tmp_path, document)
        if bool(official) != bool(ours):
            disagreements.append(f"{label}: official={official[:2]} ours={ours[:2]}")
    assert disagreements == []


def test_every_binding_of_the_official_schema_has_a_seed() -> None:
    for version in VERSIONS:
        names = {n for n in _definitions(version) if n.startswith("bindings-")}
        seeded = {name for _, _, name, _ in _seeds(version)}
        assert names - seeded == set(), version


@pytest.mark.parametrize(
    ("kind", "binding", "says"),
    [
        ("operation", {"queue": 42}, "'queue' must be a string, not a number"),
        ("operation", {"queue": "q" * 256}, "at most 255"),
        ("operation", {"queu": "workers"}, "did you mean 'queue'?"),
        ("server", {"url": "nats://x"}, "unknown field 'url'"),
        ("channel", {"subject": "a.b"}, "unknown field 'subject'"),
        ("message", {"headers": {}}, "unknown field 'headers'"),
    ],
)
def test_nats_bindings_are_checked_in_full(
    tmp_path: Path, kind: str, binding: dict[str, Any], says: str
) -> None:
    ours = _ours(tmp_path, _document("3.0.0", kind, "nats", binding))
    assert any(says in line for line in ours), ours


@pytest.mark.parametrize(
    ("kind", "binding", "says"),
    [
        ("operation", {"qos": 3}, "expected 0 or 1 or 2"),
        ("operation", {"qos": True}, "expected 0 or 1 or 2"),
        ("operation", {"messageExpiryInterval": -1}, "an integer from 0 to 4294967295"),
        ("server", {"lastWill": {"qos": 5}}, "expected 0 or 1 or 2"),
        ("server", {"maximumPacketSize": 0}, "an integer from 1 to 4294967295"),
        ("message", {"payloadFormatIndicator": 2}, "expected 0 or 1"),
        ("message", {"responseTopic": ""}, "a non-empty topic or a schema"),
        ("channel", {"topic": "a/b"}, "unknown field 'topic'"),
    ],
)
def test_mqtt_bindings_are_checked_in_full(
    tmp_path: Path, kind: str, binding: dict[str, Any], says: str
) -> None:
    ours = _ours(tmp_path, _document("3.0.0", kind, "mqtt", binding))
    assert any(says in line for line in ours), ours
