"""Spec strings that try to break out of their context still give valid, faithful Python."""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from tests.helpers import one_event_document, run_specgen

HOSTILE = "end */ and \"\"\" and ''' and `tick` ${x} #{y} \\ \\n \u2028 line\nnext \"q\" 's'"
ENUM_VALUES = ['a"b', "c'd", "e\\f", "g\nh", '"""', "*/", "${x}", "\u2028"]


def _spec(root: Path) -> None:
    schema = {
        "type": "object",
        "title": HOSTILE,
        "description": HOSTILE,
        "additionalProperties": False,
        "required": ["text", "kind"],
        "properties": {
            "text": {"type": "string", "description": HOSTILE, "default": HOSTILE},
            "kind": {"type": "string", "enum": ENUM_VALUES, "description": HOSTILE},
            "class": {"type": "integer", "description": "a Python keyword as a property"},
            "model_config": {"type": "boolean"},
            "with space": {"type": ["string", "null"], "pattern": "^[^\\\\]*$"},
        },
    }
    examples = [{"name": "x", "payload": {"text": HOSTILE, "kind": "*/"}}]
    document = one_event_document(HOSTILE, schema, examples)
    project = {
        "project": "hostile",
        "documents": ["hostile.asyncapi.yaml"],
        "version": "0.0.1",
        "packages": {"python": {"distribution": "hostile-events", "module": "hostile_events"}},
        "dead_letter": {"subject": "pf.{site_id}.deadletter.{domain}"},
    }
    (root / "hostile.asyncapi.yaml").write_text(json.dumps(document, indent=2))
    (root / "specgen.yaml").write_text(json.dumps(project, indent=2))


@pytest.fixture(scope="module")
def hostile_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    _spec(root)
    result = run_specgen("generate", root, "--out", root / "out", "--lang", "python")
    assert result.returncode == 0, result.stderr
    return root / "out" / "python" / "src"


def test_strings_arrive_intact_as_data(hostile_package: Path) -> None:
    sys.path.insert(0, str(hostile_package))
    try:
        models = importlib.import_module("hostile_events.models")
        events = importlib.import_module("hostile_events.events")
    finally:
        sys.path.remove(str(hostile_package))
    thing = models.Thing
    assert HOSTILE.strip() in (inspect.getdoc(thing) or "")
    assert thing.model_fields["text"].description == HOSTILE
    assert typing.get_args(models.ThingKind) == tuple(ENUM_VALUES)
    assert thing.model_fields["class_"].alias == "class"
    assert thing.model_fields["model_config_"].alias == "model_config"
    assert thing.model_fields["with_space"].alias == "with space"
    payload = {"text": HOSTILE, "kind": "\u2028", "class": 3, "with space": None}
    assert json.loads(thing.model_validate(payload).model_dump_json(exclude_unset=True)) == payload
    event_cls = events.EVENT_TYPES["com.hostile.hostile.thing.v1"]
    assert HOSTILE.strip() in (inspect.getdoc(event_cls) or "")


def test_hostile_package_passes_mypy_strict(hostile_package: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(hostile_package / "hostile_events")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
