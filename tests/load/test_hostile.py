"""Hostile or broken files give one diagnostic, in bounded time, and never a traceback."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from specgen.load import load_spec
from specgen.load.source import MAX_FILE_BYTES
from specgen.model import check_structure

DOC = "asyncapi: 3.1.0\ninfo: {title: T, version: '1'}\n"


def diagnose(
    tmp_path: Path, content: str | bytes, name: str = "spec.yaml"
) -> list[tuple[str, int, int]]:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    started = time.monotonic()
    spec = load_spec([path], root=tmp_path)
    diagnostics = spec.diagnostics + (check_structure(spec) if spec.documents else [])
    assert time.monotonic() - started < 20
    return [(d.rule, d.location.line, d.location.column) for d in diagnostics]


def test_invalid_yaml_has_line_and_column(tmp_path: Path) -> None:
    assert diagnose(tmp_path, DOC + "channels:\n  a: [1, 2\n  b: 3\n") == [("SG-LOAD-YAML", 5, 4)]


def test_non_utf8_bytes_point_at_the_bad_byte(tmp_path: Path) -> None:
    content = DOC.encode() + b"x-name: caf\xe9\n"
    assert diagnose(tmp_path, content) == [("SG-LOAD-ENCODING", 3, 12)]


@pytest.mark.parametrize("char", ["\x00", "\x07"])
def test_control_characters_point_at_the_character(tmp_path: Path, char: str) -> None:
    assert diagnose(tmp_path, DOC + f"x-name: a{char}b\n") == [("SG-LOAD-YAML", 3, 10)]


@pytest.mark.parametrize(
    "content",
    [
        "[" * 10_000 + "]" * 10_000,
        '{"a": ' * 10_000 + "1" + "}" * 10_000,
        "- " * 10_000 + "x\n",
        "".join(" " * i + f"k{i}:\n" for i in range(1_000)) + " " * 1_000 + "v: 1\n",
    ],
    ids=["flow-sequences", "flow-mappings", "block-sequences", "block-mappings"],
)
def test_deep_nesting(tmp_path: Path, content: str) -> None:
    [(rule, line, column)] = diagnose(tmp_path, content)
    assert rule == "SG-LOAD-TOO-DEEP"
    assert line >= 1 and column >= 1


def test_block_mappings_10000_deep(tmp_path: Path) -> None:
    """10,000 indented levels are 50 MB of spaces: refused for size before parsing."""
    content = "".join(" " * i + f"k{i}:\n" for i in range(10_000)) + " " * 10_000 + "v: 1\n"
    assert diagnose(tmp_path, content) == [("SG-LOAD-TOO-LARGE", 1, 1)]


def test_nesting_that_crashed_libyaml_is_refused_in_a_child_process(tmp_path: Path) -> None:
    """A million nested '[' used to kill the interpreter (C recursion in libyaml's composer)."""
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 1_000_000 + "]" * 1_000_000)
    code = (
        "import sys; from pathlib import Path; from specgen.load import load_spec; "
        "s = load_spec([Path(sys.argv[1])]); print(s.diagnostics[0].rule)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout.strip()) == (0, "SG-LOAD-TOO-DEEP")


def test_a_50_mb_file(tmp_path: Path) -> None:
    line = "x-padding: " + "a" * 1_000 + "\n"
    content = DOC + line * (50 * 1024 * 1024 // len(line))
    assert len(content) > MAX_FILE_BYTES
    assert diagnose(tmp_path, content) == [("SG-LOAD-TOO-LARGE", 1, 1)]


def test_billion_laughs(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    [(rule, _, _)] = diagnose(tmp_path, DOC + "\n".join(lines) + "\n")
    assert rule == "SG-LOAD-TOO-MANY-NODES"


def test_duplicate_keys(tmp_path: Path) -> None:
    assert diagnose(tmp_path, DOC + "x-a: 1\nx-a: 2\n") == [("SG-LOAD-DUPLICATE-KEY", 4, 1)]


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n", "---\n", "null\n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    assert diagnose(tmp_path, content) == [("SG-LOAD-EMPTY", 1, 1)]


@pytest.mark.parametrize(
    ("content", "position"),
    [
        ("asyncapi: !!python/object/apply:os.system ['true']\n", (1, 11)),
        ("asyncapi: !!python/name:os.system\n", (1, 11)),
        ("info: !!python/object:os.system {a: 1}\n", (1, 7)),
        ("info: !!set {a, b}\n", (1, 7)),
        ("info: !custom {a: 1}\n", (1, 7)),
        ("tags: !!omap [a: 1]\n", (1, 7)),
        ("x: &b {a: 1}\ny:\n  <<: *b\n", (3, 3)),
    ],
)
def test_unsupported_yaml_tags(tmp_path: Path, content: str, position: tuple[int, int]) -> None:
    assert diagnose(tmp_path, content) == [("SG-LOAD-TAG", *position)]


def test_values_json_cannot_hold(tmp_path: Path) -> None:
    assert diagnose(tmp_path, DOC + "x-n: .nan\n") == [("SG-LOAD-YAML", 3, 6)]


def test_a_document_that_is_a_list(tmp_path: Path) -> None:
    assert diagnose(tmp_path, "- asyncapi: 3.1.0\n") == [("SG-STRUCT-TYPE", 1, 1)]


def test_a_json_document(tmp_path: Path) -> None:
    content = '{"asyncapi": "3.1.0",\n "info": {"title": 1, "version": "1"}}\n'
    assert diagnose(tmp_path, content, "spec.json") == [("SG-STRUCT-TYPE", 2, 11)]
