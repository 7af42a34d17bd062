"""YAML 1.2 core schema: the YAML 1.1 traps, one by one, read as AsyncAPI's YAML 1.2 reads them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from specgen.load import load_spec
from specgen.load.source import parse_text
from specgen.model import check_structure
from specgen.rules import run_rules


def value(text: str) -> Any:
    source, diagnostics = parse_text(f"v: {text}\n", Path("t.yaml"), "t.yaml")
    assert diagnostics == [] and source is not None
    return source.data["v"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # YAML 1.1 booleans are plain text in 1.2
        ("on", "on"),
        ("off", "off"),
        ("yes", "yes"),
        ("no", "no"),
        ("y", "y"),
        ("n", "n"),
        ("Yes", "Yes"),
        ("OFF", "OFF"),
        # 1.1 sexagesimal numbers are text
        ("12:30", "12:30"),
        ("1:20:30", "1:20:30"),
        # a leading zero is decimal; octal needs 0o
        ("0777", 777),
        ("0o777", 511),
        ("0x1F", 31),
        ("-0", 0),
        ("+12", 12),
        # digit separators and 1.1 forms are text
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ("190:20:30.15", "190:20:30.15"),
        # timestamps have no JSON type: text
        ("2025-03-14", "2025-03-14"),
        ("2025-03-14T09:26:53Z", "2025-03-14T09:26:53Z"),
        # floats, including exponents without a dot (JSON's 1e-8)
        ("1e-8", 1e-8),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1.", 1.0),
        ("6.02E+23", 6.02e23),
        # the only booleans and nulls
        ("true", True),
        ("True", True),
        ("FALSE", False),
        ("~", None),
        ("null", None),
        ("NULL", None),
        ("", None),
        # the 1.1 value key and quoted scalars
        ("=", "="),
        ("'on'", "on"),
        ('"0777"', "0777"),
        ("!!str 12", "12"),
        ("!!int '12'", 12),
        ("!!float 1", 1.0),
    ],
)
def test_scalar(text: str, expected: Any) -> None:
    got = value(text)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("text", ["!!int abc", "!!bool yes", "!!null x", "!!float 12:30"])
def test_explicit_tag_that_does_not_fit(text: str) -> None:
    _, diagnostics = parse_text(f"a: 1\nv: {text}\n", Path("t.yaml"), "t.yaml")
    assert [(d.rule, d.location.line, d.location.column) for d in diagnostics] == [
        ("SG-LOAD-YAML", 2, 4)
    ]
    assert "YAML 1.2" in diagnostics[0].message


@pytest.mark.parametrize("text", [".inf", "-.Inf", ".nan", "1e400"])
def test_numbers_json_cannot_hold(text: str) -> None:
    _, diagnostics = parse_text(f"v: {text}\n", Path("t.yaml"), "t.yaml")
    assert [d.rule for d in diagnostics] == ["SG-LOAD-YAML"]


def test_keys_are_text_as_written() -> None:
    source, diagnostics = parse_text(
        "on: 1\nyes: 2\n200: 3\ntrue: 4\n~: 5\n0777: 6\n.nan: 7\n", Path("t.yaml"), "t.yaml"
    )
    assert diagnostics == [] and source is not None
    assert list(source.data) == ["on", "yes", "200", "true", "~", "0777", ".nan"]


def test_duplicate_keys_remain_errors_even_if_1_1_would_merge_them() -> None:
    # `on` and `true` were the same key (True) in YAML 1.1; in 1.2 they differ, `on` twice not
    _, diagnostics = parse_text("on: 1\ntrue: 2\non: 3\n", Path("t.yaml"), "t.yaml")
    assert [(d.rule, d.location.line, d.location.column) for d in diagnostics] == [
        ("SG-LOAD-DUPLICATE-KEY", 3, 1)
    ]


def test_positions_stay_exact_after_the_traps() -> None:
    text = "a: [on, 12:30, 0777]\nb:\n  c: yes\n  d: {e: off, f: 1_000}\n"
    source, _ = parse_text(text, Path("t.yaml"), "t.yaml")
    assert source is not None
    positions = {p: (v.line, v.column) for p, v in source.positions.items()}
    assert positions["/a/1"] == (1, 9)
    assert positions["/a/2"] == (1, 16)
    assert positions["/b/c"] == (3, 3)
    assert positions["/b/d/f"] == (4, 15)


def test_an_example_written_on_matches_its_enum(tmp_path: Path) -> None:
    """The issue's case: `enum: [on, off]` and `const: 12:30` with examples written plainly."""
    (tmp_path / "doc.yaml").write_text(
        """asyncapi: 3.1.0
info: {title: Switches, version: 1.0.0}
channels:
  switched:
    address: switches/{id}
    parameters: {id: {}}
    messages:
      switched:
        payload:
          type: object
          properties:
            state: {type: string, enum: [on, off]}
            at: {type: string, const: 12:30}
            mode: {type: string, pattern: '^[0-7]{4}$'}
        examples:
          - payload: {state: on, at: 12:30, mode: '0777'}
          - payload: {state: off, at: 12:30, mode: '0644'}
""",
        encoding="utf-8",
    )
    spec = load_spec([tmp_path / "doc.yaml"], root=tmp_path)
    assert spec.diagnostics == [] and check_structure(spec) == []
    assert run_rules(spec, "asyncapi") == []
