"""Python decodes every golden vector to the recorded values and encodes it back byte for byte."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from powerflex_events.events import EVENT_TYPES
from specgen_runtime import Mode, decode, encode

from tests.vectors.make_vectors import vectors

VECTORS = json.loads((Path(__file__).parent / "vectors.json").read_text())["vectors"]


def test_committed_vectors_are_what_the_spec_gives() -> None:
    assert vectors()["vectors"] == VECTORS, "run: python tests/vectors/make_vectors.py"


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_decode_then_encode_gives_the_same_bytes(vector: dict[str, Any]) -> None:
    cls = EVENT_TYPES[vector["type"]]
    event = decode(cls, vector["headers"], vector["payload"].encode())
    expected = vector["event"]
    assert (event.id, event.source, event.type, event.subject) == (
        expected["id"], expected["source"], expected["type"], expected["subject"]
    )  # fmt: skip
    assert event.extensions == expected["extensions"]
    assert json.loads(event.data.model_dump_json(exclude_unset=True)) == expected["data"]
    headers, payload = encode(event, Mode(vector["mode"]))
    assert payload.decode() == vector["payload"]
    assert dict(sorted(headers.items())) == vector["headers"]
