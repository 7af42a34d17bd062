"""libyaml (C) and PyYAML's own (Python) parser give specgen the same file: data, positions
and diagnostics. Files are read with libyaml where PyYAML has it; without it, with PyYAML's
pure-Python parser, and nothing a user sees may change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from specgen.load import source

from tests.helpers import REPO

TEXTS = {
    "traps": "a: [on, 0777, 12:30, 1_000, 0x1F, .5, 1e-8, ~, '', 2025-03-14]\n"
    "b:\n  c: !!int '12'\n  d: {e: !!str 12, f: [true, FALSE, null]}\n  200: x\n  true: y\n",
    "anchors": "base: &b {x: 1, y: [1, 2]}\nuse: *b\nlist:\n- *b\n- - nested\n  - - deeper\n",
    "block strings": 'a: |\n  line one\n  line two\nb: >-\n  folded\n  text\nc: "q \\u00e9"\n',
    "slashes and tildes": "paths:\n  /a/b: {~x: 1}\n  'c~/d': [{e/f: 2}]\n",
    "duplicate keys": "a: 1\nb: {c: 1, c: 2}\na: 3\n",
    "merge key": "a: &x {b: 1}\nc:\n  <<: *x\n",
    "unknown tag": "a: !custom 1\n",
    "collection tag": "a: !!set {b: null}\n",
    "not finite": "a: [1, .inf]\n",
    "bad explicit int": "a: !!int twelve\n",
    "binary text": "a: !!binary aGk=\n",
    "too deep": "a: " + "[" * (source.MAX_DEPTH + 5) + "]" * (source.MAX_DEPTH + 5) + "\n",
    "empty": "# nothing\n",
    "json": '{"a": {"b": [1, 2.5, "x", null, true]}, "c": "\\u2028"}\n',
}


def _read(text: str, loader: type[yaml.SafeLoader], monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(source, "_YAML_LOADER", loader)
        found, diagnostics = source.parse_text(text, Path("t.yaml"), "t.yaml")
    file = None if found is None else (found.data, found.positions, found.value_positions)
    return file, diagnostics


def _texts() -> list[tuple[str, str]]:
    files = sorted((REPO / "spec").rglob("*.yaml"))
    assert files
    named = [(str(p.relative_to(REPO)), p.read_text(encoding="utf-8")) for p in files]
    return [*TEXTS.items(), *named]


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML was built without libyaml")
@pytest.mark.parametrize(("name", "text"), _texts(), ids=[n for n, _ in _texts()])
def test_libyaml_and_pure_python_read_the_same(
    name: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    c_loader = source.yaml_loader(yaml.CSafeLoader)
    python_loader = source.yaml_loader(yaml.SafeLoader)
    assert _read(text, c_loader, monkeypatch) == _read(text, python_loader, monkeypatch)


def test_files_are_read_with_libyaml_where_pyyaml_has_it() -> None:
    base = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader
    assert issubclass(source._YAML_LOADER, base)
