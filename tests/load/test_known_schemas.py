"""The draft-07 meta-schema is a well-known schema: a ``$ref`` to it reads the copy installed
with specgen (python-jsonschema's), never the network; other remote URLs stay refused."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from specgen.load import RecursiveRef, load_spec

HEAD = "asyncapi: 3.1.0\ninfo: {title: T, version: '1'}\ncomponents:\n  schemas:\n"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the loader tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


def _schemas(folder: Path, body: str) -> tuple[list[str], dict[str, Any]]:
    (folder / "asyncapi.yaml").write_text(HEAD + body, encoding="utf-8")
    spec = load_spec([folder / "asyncapi.yaml"], root=folder)
    rules = [d.rule for d in spec.diagnostics]
    return rules, spec.documents[0].data["components"]["schemas"]


def test_the_draft7_meta_schema_is_read_from_the_installed_copy(tmp_path: Path) -> None:
    rules, schemas = _schemas(
        tmp_path, "    S: {$ref: 'http://json-schema.org/draft-07/schema#'}\n"
    )
    assert rules == []
    meta = schemas["S"]
    assert meta["$id"] == "http://json-schema.org/draft-07/schema#"
    # inside it, "#" is the meta-schema itself (its own base URI): a recursive schema
    assert isinstance(meta["properties"]["not"], RecursiveRef)
    assert meta["properties"]["not"].target is meta


def test_a_pointer_into_the_meta_schema(tmp_path: Path) -> None:
    ref = "http://json-schema.org/draft-07/schema#/definitions/nonNegativeInteger"
    rules, schemas = _schemas(tmp_path, f"    N: {{$ref: '{ref}'}}\n")
    assert rules == []
    assert schemas["N"] == {"type": "integer", "minimum": 0}


@pytest.mark.parametrize(
    "ref", ["https://json-schema.org/draft-07/schema#", "http://json-schema.org/draft-06/schema#"]
)
def test_other_urls_stay_refused(tmp_path: Path, ref: str) -> None:
    rules, _ = _schemas(tmp_path, f"    S: {{$ref: '{ref}'}}\n")
    assert rules == ["SG-REF-REMOTE"]
