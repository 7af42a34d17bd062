"""Structural diagnostics point at the offending value: file, line, column and JSON pointer."""

from __future__ import annotations

from pathlib import Path

import pytest
from specgen.diagnostics import Diagnostic
from specgen.load import load_spec
from specgen.model import check_structure

BASE = """\
asyncapi: 3.1.0
info:
  title: Demo
  version: 1.0.0
servers:
  main:
    host: localhost:4222
    protocol: nats
channels:
  orders:
    address: orders.created
    messages:
      created:
        payload:
          type: object
operations:
  onOrder:
    action: receive
    channel:
      $ref: '#/channels/orders'
"""


def check(tmp_path: Path, text: str, **files: str) -> list[Diagnostic]:
    (tmp_path / "asyncapi.yaml").write_text(text, encoding="utf-8")
    for name, content in files.items():
        (tmp_path / name.replace("__", ".")).write_text(content, encoding="utf-8")
    spec = load_spec([tmp_path / "asyncapi.yaml"], root=tmp_path)
    assert spec.diagnostics == []
    return check_structure(spec)


def where(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int, str]]:
    return [(d.rule, d.location.line, d.location.column, d.location.pointer) for d in diagnostics]


def test_the_base_document_is_valid(tmp_path: Path) -> None:
    assert check(tmp_path, BASE) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  title: Demo\n", "", ("SG-STRUCT-REQUIRED", 2, 1, "/info")),
        ("  title: Demo\n", "  title: 12\n", ("SG-STRUCT-TYPE", 3, 3, "/info/title")),
        ("  version: 1.0.0\n", "  version: 1.0\n", ("SG-STRUCT-TYPE", 4, 3, "/info/version")),
        (
            "    action: receive\n",
            "    action: recieve\n",
            ("SG-STRUCT-VALUE", 18, 5, "/operations/onOrder/action"),
        ),
        (
            "    address: orders.created\n",
            "    adress: orders.created\n",
            ("SG-STRUCT-UNKNOWN", 11, 5, "/channels/orders/adress"),
        ),
        ("asyncapi: 3.1.0\n", "asyncapi: 2.6.0\n", ("SG-STRUCT-VERSION", 1, 1, "/asyncapi")),
        ("    host: localhost:4222\n", "", ("SG-STRUCT-REQUIRED", 6, 3, "/servers/main")),
        (
            "          type: object\n",
            "          type: object\n        contentType: 7\n",
            ("SG-STRUCT-TYPE", 16, 9, "/channels/orders/messages/created/contentType"),
        ),
        (
            "      $ref: '#/channels/orders'\n",
            "      address: inline\n",
            ("SG-STRUCT-REF", 19, 5, "/operations/onOrder/channel"),
        ),
    ],
)
def test_mutation_location(
    tmp_path: Path, old: str, new: str, expected: tuple[str, int, int, str]
) -> None:
    assert old in BASE
    diagnostics = check(tmp_path, BASE.replace(old, new))
    assert where(diagnostics) == [expected]
    assert diagnostics[0].location.file.endswith("asyncapi.yaml")
    assert diagnostics[0].hint


def test_channels_as_a_list_points_at_the_list(tmp_path: Path) -> None:
    text = BASE.split("channels:")[0] + "channels:\n  - address: a\n"
    assert where(check(tmp_path, text)) == [("SG-STRUCT-TYPE", 9, 1, "/channels")]


def test_error_in_a_referenced_file_points_into_that_file(tmp_path: Path) -> None:
    text = BASE.replace(
        "      created:\n        payload:\n          type: object\n",
        "      created:\n        $ref: 'messages.yaml#/created'\n",
    )
    messages = "created:\n  name: Created\n  titel: Order created\n"
    diagnostics = check(tmp_path, text, messages__yaml=messages)
    assert where(diagnostics) == [("SG-STRUCT-UNKNOWN", 3, 3, "/created/titel")]
    assert diagnostics[0].location.file.endswith("messages.yaml")
    assert diagnostics[0].hint == "did you mean 'title'?"


def test_a_shared_object_is_reported_once(tmp_path: Path) -> None:
    text = (
        BASE.replace(
            "      created:\n        payload:\n          type: object\n",
            "      created:\n        $ref: '#/components/messages/Created'\n"
            "      again:\n        $ref: '#/components/messages/Created'\n",
        )
        + "components:\n  messages:\n    Created:\n      contentType: 7\n"
    )
    diagnostics = check(tmp_path, text)
    assert where(diagnostics) == [
        ("SG-STRUCT-TYPE", 25, 7, "/components/messages/Created/contentType")
    ]
