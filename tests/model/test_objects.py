"""The typed model and the structural rules, object by object."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from specgen.diagnostics import Diagnostic, Level
from specgen.load import load_spec
from specgen.model import AsyncAPI, check_structure, parse_document

from tests.model.corpus import CORPUS, SCHEMAS, official_errors

HEAD: dict[str, Any] = {"asyncapi": "3.1.0", "info": {"title": "T", "version": "1"}}


def run(tmp_path: Path, document: Any) -> tuple[AsyncAPI | None, list[Diagnostic]]:
    """Our verdict; when ../shared is there, also checks the official schema agrees."""
    path = tmp_path / "asyncapi.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    spec = load_spec([path], root=tmp_path)
    model, diagnostics = parse_document(spec, spec.documents[0])
    if SCHEMAS.is_dir() and CORPUS.is_dir():
        version = document.get("asyncapi") if isinstance(document, dict) else None
        official = official_errors(document, version if version in ("3.0.0", "3.1.0") else "3.1.0")
        ours = [d for d in spec.diagnostics + diagnostics if d.level is Level.ERROR]
        assert bool(official) == bool(ours), f"official: {official}"
    return model, diagnostics


def rules(tmp_path: Path, document: Any) -> list[tuple[str, str]]:
    return [(d.rule, d.location.pointer) for d in run(tmp_path, document)[1]]


def doc(**fields: Any) -> dict[str, Any]:
    return {**HEAD, **fields}


def test_typed_model_of_a_full_document(tmp_path: Path) -> None:
    document = doc(
        servers={"prod": {"host": "nats:4222", "protocol": "nats", "x-region": "eu"}},
        channels={
            "orders": {
                "address": "orders.{id}",
                "parameters": {"id": {"description": "order id"}},
                "messages": {"created": {"payload": {"type": "object"}, "x-owner": "team"}},
                "servers": [{"$ref": "#/servers/prod"}],
            },
            "dynamic": {"address": None},
        },
        operations={
            "publish": {
                "action": "send",
                "channel": {"$ref": "#/channels/orders"},
                "messages": [{"$ref": "#/channels/orders/messages/created"}],
            }
        },
        **{"x-root": 1},
    )
    model, diagnostics = run(tmp_path, document)
    assert diagnostics == []
    assert model is not None
    assert model.extensions == {"x-root": 1}
    assert model.servers is not None and model.servers["prod"].extensions == {"x-region": "eu"}
    assert model.channels is not None and model.channels["dynamic"].address is None
    operation = model.operations["publish"] if model.operations else None
    assert operation is not None and operation.channel.address == "orders.{id}"
    assert operation.messages and operation.messages[0].payload == {"type": "object"}


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([1, 2], [("SG-STRUCT-TYPE", "")]),
        ({"info": HEAD["info"]}, [("SG-STRUCT-REQUIRED", "")]),
        (doc(asyncapi=3.1), [("SG-STRUCT-VERSION", "/asyncapi")]),
        (doc(asyncapi="2.6.0", channels=[]), [("SG-STRUCT-VERSION", "/asyncapi")]),
        (doc(defaultContentType=None), [("SG-STRUCT-TYPE", "/defaultContentType")]),
        (doc(id=5), [("SG-STRUCT-TYPE", "/id")]),
    ],
)
def test_document_level(tmp_path: Path, document: Any, expected: list[tuple[str, str]]) -> None:
    assert rules(tmp_path, document) == expected


def test_unknown_field_suggests_the_closest_name(tmp_path: Path) -> None:
    _, diagnostics = run(tmp_path, doc(info={**HEAD["info"], "licence": {"name": "MIT"}}))
    assert [d.hint for d in diagnostics] == ["did you mean 'license'?"]
    _, diagnostics = run(tmp_path, doc(info={**HEAD["info"], "zzz": 1}))
    assert diagnostics[0].hint.startswith("allowed fields: title, version")


def test_extension_names_follow_the_official_pattern(tmp_path: Path) -> None:
    assert rules(tmp_path, doc(**{"x-ok.name_1": 1})) == []
    assert rules(tmp_path, doc(**{"x-bad name": 1})) == [("SG-STRUCT-UNKNOWN", "/x-bad name")]
    info = {**HEAD["info"], "x-linkedin": "https://example.com"}
    assert rules(tmp_path, doc(info=info)) == [("SG-STRUCT-VALUE", "/info/x-linkedin")]


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        ({"type": "userPassword"}, []),
        ({"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}, []),
        ({"type": "http", "scheme": "basic"}, []),
        ({"type": "httpApiKey", "name": "key", "in": "header"}, []),
        ({"type": "apiKey", "in": "user"}, []),
        ({"type": "scramSha512"}, []),
        ({"type": "openIdConnect", "openIdConnectUrl": "https://id"}, []),
        ({"type": "apiKey"}, [("SG-STRUCT-REQUIRED", "/s")]),
        ({"type": "apiKey", "in": "header"}, [("SG-STRUCT-VALUE", "/s/in")]),
        (
            {"type": "http", "scheme": "basic", "bearerFormat": "JWT"},
            [("SG-STRUCT-UNKNOWN", "/s/bearerFormat")],
        ),
        ({"type": "kerberos"}, [("SG-STRUCT-VALUE", "/s/type")]),
        ({"description": "no type"}, [("SG-STRUCT-REQUIRED", "/s")]),
        ({"type": 3}, [("SG-STRUCT-TYPE", "/s/type")]),
        (
            {
                "type": "oauth2",
                "flows": {
                    "implicit": {
                        "authorizationUrl": "https://a",
                        "availableScopes": {},
                        "tokenUrl": "https://t",
                    }
                },
            },
            [("SG-STRUCT-UNKNOWN", "/s/flows/implicit/tokenUrl")],
        ),
        (
            {"type": "oauth2", "flows": {"password": {"availableScopes": {}}}},
            [("SG-STRUCT-REQUIRED", "/s/flows/password")],
        ),
    ],
)
def test_security_schemes(
    tmp_path: Path, scheme: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    found = rules(tmp_path, doc(components={"securitySchemes": {"s": scheme}}))
    assert found == [(rule, "/components/securitySchemes" + p) for rule, p in expected]


def test_ros2_bindings_need_3_1(tmp_path: Path) -> None:
    server = {"host": "h", "protocol": "ros2", "bindings": {"ros2": {}}}
    assert rules(tmp_path, doc(servers={"s": server})) == []
    assert rules(tmp_path, doc(asyncapi="3.0.0", servers={"s": server})) == [
        ("SG-STRUCT-UNKNOWN", "/servers/s/bindings/ros2")
    ]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ({"payload": {"type": "object", "properties": {"any": True}}}, []),
        ({"payload": True}, [("SG-STRUCT-TYPE", "/payload")]),
        (
            {
                "payload": {
                    "schemaFormat": "application/vnd.apache.avro;version=1.9.0",
                    "schema": "string",
                }
            },
            [],
        ),
        ({"payload": {"schema": {"type": "string"}}}, []),
        ({"payload": {"schema": False}}, []),
        ({"payload": {"schema": "string"}}, [("SG-STRUCT-TYPE", "/payload/schema")]),
        ({"payload": "string"}, [("SG-STRUCT-TYPE", "/payload")]),
        ({"headers": [1]}, [("SG-STRUCT-TYPE", "/headers")]),
        ({"correlationId": {"location": "$message.header#/id"}}, []),
        (
            {"correlationId": {"location": "header.id"}},
            [("SG-STRUCT-VALUE", "/correlationId/location")],
        ),
        ({"correlationId": {}}, [("SG-STRUCT-REQUIRED", "/correlationId")]),
        ({"examples": [{"payload": None}, {"headers": {}}]}, []),
        ({"examples": [{"name": "no body"}]}, [("SG-STRUCT-REQUIRED", "/examples/0")]),
        ({"examples": [{"payload": 1, "x-ext": 1}]}, [("SG-STRUCT-UNKNOWN", "/examples/0/x-ext")]),
        ({"traits": [{"name": "t"}, [{"title": "t"}, {"extra": 1}]]}, []),
        ({"deprecated": "yes"}, [("SG-STRUCT-TYPE", "/deprecated")]),
        ({"bindings": {"kafak": {}}}, [("SG-STRUCT-UNKNOWN", "/bindings/kafak")]),
        ({"tags": [{"name": "a"}, {"name": "a"}]}, [("SG-STRUCT-VALUE", "/tags")]),
    ],
)
def test_messages(tmp_path: Path, message: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    found = rules(tmp_path, doc(components={"messages": {"m": message}}))
    assert found == [(rule, "/components/messages/m" + p) for rule, p in expected]


@pytest.mark.parametrize(
    ("channel", "expected"),
    [
        ({"address": None}, []),
        ({"address": 5}, [("SG-STRUCT-TYPE", "/address")]),
        (
            {
                "parameters": {
                    "p": {"enum": ["a"], "default": "a", "location": "$message.payload#/a"}
                }
            },
            [],
        ),
        ({"parameters": {"p": {"enum": "a"}}}, [("SG-STRUCT-TYPE", "/parameters/p/enum")]),
        ({"parameters": {"p": {"schema": {}}}}, [("SG-STRUCT-UNKNOWN", "/parameters/p/schema")]),
        ({"messages": {"m": {"payload": {}}}}, []),
        ({"messages": []}, [("SG-STRUCT-TYPE", "/messages")]),
        ({"servers": [{"host": "h", "protocol": "p"}]}, [("SG-STRUCT-REF", "/servers/0")]),
    ],
)
def test_channels(tmp_path: Path, channel: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    found = rules(tmp_path, doc(channels={"c": channel}))
    assert found == [(rule, "/channels/c" + p) for rule, p in expected]


def test_operations_and_replies(tmp_path: Path) -> None:
    channels = {"c": {"address": "c", "messages": {"m": {}}}}
    reply = {
        "address": {"location": "$message.header#/replyTo"},
        "channel": {"$ref": "#/channels/c"},
    }
    operation = {
        "action": "receive",
        "channel": {"$ref": "#/channels/c"},
        "reply": reply,
        "traits": [{"summary": "s"}],
    }
    assert rules(tmp_path, doc(channels=channels, operations={"o": operation})) == []
    operation["reply"] = {"address": {"description": "no location"}, "messages": [{"name": "x"}]}
    assert rules(tmp_path, doc(channels=channels, operations={"o": operation})) == [
        ("SG-STRUCT-REQUIRED", "/operations/o/reply/address"),
        ("SG-STRUCT-REF", "/operations/o/reply/messages/0"),
    ]


def test_component_names_are_warned_about(tmp_path: Path) -> None:
    _, diagnostics = run(tmp_path, doc(components={"schemas": {"my schema": {}}}))
    assert [(d.rule, d.level, d.location.pointer) for d in diagnostics] == [
        ("SG-STRUCT-KEY", Level.WARNING, "/components/schemas/my schema")
    ]
    assert "'my_schema'" in diagnostics[0].hint


def test_every_components_map_is_typed(tmp_path: Path) -> None:
    names = [
        "schemas",
        "servers",
        "channels",
        "operations",
        "messages",
        "securitySchemes",
        "serverVariables",
        "parameters",
        "correlationIds",
        "replies",
        "replyAddresses",
        "externalDocs",
        "tags",
        "operationTraits",
        "messageTraits",
        "serverBindings",
        "channelBindings",
        "operationBindings",
        "messageBindings",
    ]
    found = rules(tmp_path, doc(components={name: {"k": 7} for name in names}))
    assert sorted(found) == sorted(("SG-STRUCT-TYPE", f"/components/{name}/k") for name in names)


def test_a_failed_ref_is_not_reported_again(tmp_path: Path) -> None:
    document = doc(servers={"s": {"$ref": "#/components/servers/missing"}})
    path = tmp_path / "asyncapi.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    spec = load_spec([path], root=tmp_path)
    assert [d.rule for d in spec.diagnostics] == ["SG-REF-DANGLING"]
    assert check_structure(spec) == []
