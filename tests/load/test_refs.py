"""$ref resolution: across files, refused when remote or outside the root, dangling, cycles."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from specgen.diagnostics import Diagnostic
from specgen.load import LoadedSpec, RecursiveRef, load_spec
from specgen.load.refs import expanded_size

HEAD = "asyncapi: 3.1.0\ninfo: {title: T, version: '1'}\n"


def write(folder: Path, **files: str) -> Path:
    for name, text in files.items():
        path = folder / name.replace("__", "/").replace("_yaml", ".yaml").replace("_json", ".json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def load(folder: Path, entry: str = "asyncapi.yaml", root: Path | None = None) -> LoadedSpec:
    return load_spec([folder / entry], root=root or folder)


def found(spec: LoadedSpec) -> list[tuple[str, int, int]]:
    return [(d.rule, d.location.line, d.location.column) for d in spec.diagnostics]


def test_relative_refs_across_files_share_one_object(tmp_path: Path) -> None:
    write(
        tmp_path,
        asyncapi_yaml=HEAD + "components:\n  messages:\n"
        "    a: {$ref: 'common/messages.yaml#/Created'}\n"
        "    b: {$ref: './common/messages.yaml#/Created'}\n",
        common__messages_yaml="Created:\n  payload: {$ref: 'schemas.yaml#/Order'}\n",
        common__schemas_yaml="Order:\n  type: object\n",
    )
    spec = load(tmp_path)
    assert spec.diagnostics == []
    messages = spec.documents[0].data["components"]["messages"]
    assert messages["a"] is messages["b"]
    assert messages["a"]["payload"] == {"type": "object"}
    origin = spec.origin_of(messages["a"]["payload"])
    assert origin is not None and origin.file.path.name == "schemas.yaml"
    assert origin.pointer == "/Order"
    assert spec.locate(messages["a"], "payload").line == 2


@pytest.mark.parametrize(
    "ref",
    [
        "https://example.com/schema.yaml#/X",
        "http://127.0.0.1:1/x.yaml",
        "file:///etc/passwd",
        "//host/x.yaml",
        "ftp://example.com/x",
        "urn:example:x",
    ],
)
def test_remote_refs_are_refused_and_never_fetched(
    tmp_path: Path, ref: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the loader tried to use the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    write(tmp_path, asyncapi_yaml=HEAD + f"components:\n  schemas:\n    X:\n      $ref: '{ref}'\n")
    spec = load(tmp_path)
    assert found(spec) == [("SG-REF-REMOTE", 6, 7)]
    assert spec.documents[0].data["components"]["schemas"]["X"] == {}


@pytest.mark.parametrize("ref", ["../../x.yaml", "../outside.yaml#/A", "/etc/passwd"])
def test_refs_leaving_the_root_are_refused(tmp_path: Path, ref: str) -> None:
    (tmp_path / "outside.yaml").write_text("A: {type: string}\n")
    project = write(tmp_path / "project", asyncapi_yaml=HEAD + f"x-a: {{$ref: '{ref}'}}\n")
    spec = load(project)
    assert found(spec) == [("SG-REF-OUTSIDE-ROOT", 3, 7)]
    assert all(path.is_relative_to(project) for path in spec.files)


def test_dangling_refs_are_reported_at_the_ref(tmp_path: Path) -> None:
    write(
        tmp_path,
        asyncapi_yaml=HEAD + "components:\n  schemas:\n"
        "    A: {$ref: 'missing.yaml#/A'}\n"
        "    B:\n      $ref: '#/components/schemas/Nope'\n"
        "    C: {$ref: 'other.yaml#/deep/missing'}\n",
        other_yaml="deep: {here: 1}\n",
    )
    spec = load(tmp_path)
    assert found(spec) == [
        ("SG-REF-DANGLING", 5, 9),
        ("SG-REF-DANGLING", 7, 7),
        ("SG-REF-DANGLING", 8, 9),
    ]
    assert "missing" in spec.diagnostics[2].message


def cycles(spec: LoadedSpec) -> list[Diagnostic]:
    return [d for d in spec.diagnostics if d.rule == "SG-REF-CYCLE"]


def test_direct_cycle(tmp_path: Path) -> None:
    write(tmp_path, asyncapi_yaml=HEAD + "x-a: {$ref: '#/x-a'}\n")
    spec = load(tmp_path)
    assert [(d.rule, d.location.line) for d in spec.diagnostics] == [("SG-REF-CYCLE", 3)]


def test_two_file_cycle(tmp_path: Path) -> None:
    write(
        tmp_path,
        asyncapi_yaml=HEAD + "x-a: {$ref: 'b.yaml#/b'}\n",
        b_yaml="b: {$ref: 'asyncapi.yaml#/x-a'}\n",
    )
    spec = load(tmp_path)
    assert len(cycles(spec)) == 1
    assert spec.diagnostics == cycles(spec)


def test_a_recursive_schema_is_kept_as_a_recursive_ref(tmp_path: Path) -> None:
    write(
        tmp_path,
        asyncapi_yaml=HEAD + "components:\n  schemas:\n    Node:\n      type: object\n"
        "      properties:\n        children:\n          type: array\n"
        "          items: {$ref: '#/components/schemas/Node'}\n",
    )
    spec = load(tmp_path)
    assert spec.diagnostics == []
    node = spec.documents[0].data["components"]["schemas"]["Node"]
    back = node["properties"]["children"]["items"]
    assert isinstance(back, RecursiveRef) and back.target is node
    assert back == {"$ref": "#/components/schemas/Node"}  # the data stays a finite tree
    assert spec.locate(back).line == 10
    assert expanded_size(spec.documents[0].data) < 50


def test_polymorphism_parent_lists_children_that_extend_it(tmp_path: Path) -> None:
    write(
        tmp_path,
        asyncapi_yaml=HEAD + "components:\n  schemas:\n"
        "    Pet:\n      type: object\n      discriminator: petType\n"
        "      properties: {petType: {type: string}}\n      required: [petType]\n"
        "      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]\n"
        "    Cat:\n      allOf: [{$ref: '#/components/schemas/Pet'}, {properties: {purr: {}}}]\n"
        "    Dog:\n      allOf: [{$ref: '#/components/schemas/Pet'}, {properties: {bark: {}}}]\n",
    )
    spec = load(tmp_path)
    assert spec.diagnostics == []
    schemas = spec.documents[0].data["components"]["schemas"]
    cat = schemas["Pet"]["oneOf"][0]
    assert cat is schemas["Cat"]
    assert isinstance(cat["allOf"][0], RecursiveRef) and cat["allOf"][0].target is schemas["Pet"]


def test_a_component_referring_to_a_top_level_channel_is_no_cycle(tmp_path: Path) -> None:
    write(
        tmp_path,
        asyncapi_yaml=HEAD + "channels:\n  orders:\n    address: orders\n    messages:\n"
        "      created: {$ref: '#/components/messages/created'}\n"
        "components:\n  messages:\n    created: {payload: {type: object}}\n"
        "  operations:\n    send:\n      action: send\n"
        "      channel: {$ref: '#/channels/orders'}\n",
    )
    spec = load(tmp_path)
    assert spec.diagnostics == []
    data = spec.documents[0].data
    assert data["components"]["operations"]["send"]["channel"] is data["channels"]["orders"]


def test_a_cycle_through_asyncapi_objects_is_an_error(tmp_path: Path) -> None:
    write(
        tmp_path,
        asyncapi_yaml=HEAD + "channels:\n  a:\n    address: a\n"
        "    x-loop: {$ref: '#/channels/a'}\n",
    )
    spec = load(tmp_path)
    assert [(d.rule, d.location.line) for d in spec.diagnostics] == [("SG-REF-CYCLE", 6)]


def test_a_message_inside_its_own_payload_is_an_error(tmp_path: Path) -> None:
    write(
        tmp_path,
        asyncapi_yaml=HEAD + "components:\n  messages:\n    m:\n      payload:\n"
        "        properties:\n          again: {$ref: '#/components/messages/m'}\n",
    )
    spec = load(tmp_path)
    assert [(d.rule, d.location.line) for d in spec.diagnostics] == [("SG-REF-CYCLE", 8)]


def test_refs_inside_enum_const_default_and_examples_of_a_schema_are_data(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        asyncapi_yaml=HEAD + "components:\n  schemas:\n    S:\n"
        "      enum: [{$ref: '#/nowhere'}]\n      default: {$ref: '#/nowhere'}\n"
        "      properties:\n        enum: {$ref: '#/components/schemas/T'}\n"
        "    T: {type: string}\n",
    )
    spec = load(tmp_path)
    assert spec.diagnostics == []
    s = spec.documents[0].data["components"]["schemas"]["S"]
    assert s["enum"] == [{"$ref": "#/nowhere"}] and s["default"] == {"$ref": "#/nowhere"}
    assert s["properties"]["enum"] == {"type": "string"}  # a property named enum is a schema


def test_embedded_schemas_are_found_by_their_id(tmp_path: Path) -> None:
    write(
        tmp_path,
        asyncapi_yaml=HEAD + "components:\n  schemas:\n    Tree:\n"
        "      $id: 'https://example.com/tree'\n"
        "      properties:\n        nodes: {items: {$ref: 'node'}}\n"
        "        first: {$ref: '#leaf'}\n"
        "      definitions:\n        node:\n          $id: 'https://example.com/node'\n"
        "          properties: {subtree: {$ref: 'tree'}}\n"
        "        leaf: {$id: '#leaf', type: string}\n",
    )
    spec = load(tmp_path)
    assert spec.diagnostics == []
    tree = spec.documents[0].data["components"]["schemas"]["Tree"]
    node = tree["definitions"]["node"]
    assert tree["properties"]["nodes"]["items"] is node
    assert node["properties"]["subtree"].target is tree
    assert tree["properties"]["first"] is tree["definitions"]["leaf"]


def test_a_relative_ref_under_a_remote_id_is_remote(tmp_path: Path) -> None:
    write(
        tmp_path,
        asyncapi_yaml=HEAD + "components:\n  schemas:\n    S:\n"
        "      $id: 'https://example.com/s.json'\n      items: {$ref: 'other.json'}\n",
        other_json="{}",
    )
    spec = load(tmp_path)
    assert found(spec) == [("SG-REF-REMOTE", 7, 15)]


def test_json_files_and_refs_between_json_and_yaml(tmp_path: Path) -> None:
    write(
        tmp_path,
        asyncapi_json='{"asyncapi": "3.1.0", "info": {"title": "T", "version": "1"},\n'
        ' "components": {"schemas": {"A": {"$ref": "schemas.yaml#/A"}}}}\n',
        schemas_yaml="A: {type: string}\n",
    )
    spec = load(tmp_path, "asyncapi.json")
    assert spec.diagnostics == []
    assert spec.documents[0].data["components"]["schemas"]["A"] == {"type": "string"}
    assert spec.documents[0].location("/components").line == 2


def test_a_long_chain_of_refs_is_refused_not_a_recursion_error(tmp_path: Path) -> None:
    lines = [f"    s{i}: {{$ref: '#/components/schemas/s{i + 1}'}}" for i in range(2000)]
    write(tmp_path, asyncapi_yaml=HEAD + "components:\n  schemas:\n" + "\n".join(lines) + "\n")
    spec = load(tmp_path)
    assert spec.diagnostics
    assert {d.rule for d in spec.diagnostics} <= {"SG-REF-TOO-DEEP", "SG-REF-DANGLING"}


def test_a_ref_bomb_is_refused(tmp_path: Path) -> None:
    """Each level refers twice to the one below: 2**40 values once expanded."""
    lines = [
        f"    s{i}: {{a: {{$ref: '#/components/schemas/s{i + 1}'}}, "
        f"b: {{$ref: '#/components/schemas/s{i + 1}'}}}}"
        for i in range(40)
    ]
    lines.append("    s40: {type: string}")
    write(tmp_path, asyncapi_yaml=HEAD + "components:\n  schemas:\n" + "\n".join(lines) + "\n")
    spec = load(tmp_path)
    assert [d.rule for d in spec.diagnostics] == ["SG-REF-EXPANSION"]
    assert spec.documents == []
