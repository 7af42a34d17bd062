"""$ref resolution: across files, refused when remote or outside the root, dangling, cycles."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from specgen.diagnostics import Diagnostic
from specgen.load import LoadedSpec, load_spec

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


def test_schema_containing_itself(tmp_path: Path) -> None:
    write(
        tmp_path,
        asyncapi_yaml=HEAD + "components:\n  schemas:\n    Node:\n      type: object\n"
        "      properties:\n        child: {$ref: '#/components/schemas/Node'}\n",
    )
    spec = load(tmp_path)
    assert [(d.rule, d.location.line, d.location.column) for d in spec.diagnostics] == [
        ("SG-REF-CYCLE", 8, 17)
    ]
    node = spec.documents[0].data["components"]["schemas"]["Node"]
    assert node["properties"]["child"] == {}


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
