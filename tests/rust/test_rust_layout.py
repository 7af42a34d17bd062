"""The Rust layout helper decides line breaks as rustfmt does, at every length.

Generated crates are checked whole elsewhere; here each construct the Rust backend lays out
(calls, statics, attributes, signatures, arrays, macro calls, documentation) is printed at
lengths around the edges rustfmt cares about (100 columns, 60 for call arguments and arrays,
70 for attributes), all in one file, and rustfmt must find nothing to change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rust_support import RUSTFMT, rustfmt_changes
from specgen.backends.rust import layout
from specgen.backends.rust.literals import rust_str

pytestmark = pytest.mark.skipif(RUSTFMT is None, reason="rustfmt is not installed")
IND = layout.INDENT


def _name(width: int, stem: str = "n") -> str:
    return (stem + "x" * width)[:width]


def _statements() -> list[str]:
    body = ["fn statements() {"]
    for width in range(20, 80, 3):  # field names beyond ~80 columns are not handled
        field = _name(width, "field")
        body += layout.call(
            IND, "schema::min_length", [f"&self.{field}", "3", '&path.key("x")'], "?;"
        )
        body += layout.call(IND, "schema::pattern", [f"&self.{field}", "&P", "path"], "?;")
        body += layout.call(IND, "check_one", [f"&self.{field}{field}"], "?;")
        body += layout.call(
            IND, "nats::subscribe", ["self.client.clone()", f"&{field}", "durable"], ".await;"
        )
        body += layout.tuples(IND, "let params = ", [[f'"{field}"', field], ['"a"', "a"]], ";")
    return [*body, "}"]


def _items() -> list[str]:
    out = []
    for width in range(30, 110, 4):
        name = _name(width // 3, "P").upper()
        literal = rust_str("^" + "x" * width + "$")
        out += layout.assign(
            "", f"static {name}: schema::Pattern", "schema::Pattern::new", [literal]
        )
        out += layout.array(
            "", f"static {name}_VALUES: &[&str] = ", [rust_str(_name(width // 4, "v"))] * 5, ";"
        )
        out += layout.array("", f"static {name}_SHORT: &[&str] = ", ['"ab"'] * (width // 3), ";")
        out += layout.macro_call(
            "", "specgen_runtime::deser_via_serde!", [_name(9, "T")] * (width // 8), ";"
        )
        out += layout.macro_call(
            "", "specgen_runtime::deser_via_serde!", [_name(14, "T")] * (width // 12), ";"
        )
        out += layout.signature(
            "",
            f"pub fn {_name(width // 3, 'check')}",
            [f"value: &{_name(width // 2, 'T')}", "path: &Path<'_>"],
            " -> schema::Result {",
        )
        out += [f"{IND}Ok(())", "}"]
    out.append("struct Attributes {")
    for width in range(5, 60, 4):
        out += layout.attribute(
            IND,
            "serde",
            [f"rename = {rust_str(_name(width, 'k'))}", 'deserialize_with = "schema::required"'],
        )
        out += layout.attribute(IND, "serde", [f"rename = {rust_str(_name(width * 2, 'k'))}"])
        out += layout.doc_lines(f"Line one {'w' * width}\n\n  indented\tline two\r\n*/ ok", IND)
        out.append(f"{IND}pub f{width}: u32,")
    return [*out, "}"]


def test_rustfmt_agrees_at_every_length(tmp_path: Path) -> None:
    source = tmp_path / "layout.rs"
    source.write_text("\n".join([*_statements(), *_items()]) + "\n", encoding="utf-8")
    assert rustfmt_changes([source]) == ""
