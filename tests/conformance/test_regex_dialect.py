"""The regex dialect means the same in every language, and what ECMA-262 says.

Every pattern of ``regex_corpus`` (hand-picked constructs and random ones from the dialect's
grammar) is run on every input by: the Python validators (pydantic-core's Rust engine, on
``ecma_regex.to_rust``), JavaScript's own engine (the ECMA-262 reference, flag ``u``) and
re2js on ``ecma_regex.to_re2`` (the TypeScript runtime's engine). The Rust runtime runs the
same ``to_rust`` text on the same ``regex`` crate as pydantic-core; the generated crate's
tests compile every pattern of the spec.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import regex_corpus as corpus
from specgen_runtime.ecma_regex import PatternError, Unsupported, parse, to_re2
from specgen_runtime.schema_checks import matcher

REPO = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
TOOLS = REPO / "tools" / "node"
SCRIPT = REPO / "tests" / "typescript" / "scripts" / "regex.mjs"


def _node(cases: list[dict[str, object]]) -> list[dict[str, list[object]]]:
    result = subprocess.run(
        [str(NODE), str(SCRIPT), str(TOOLS / "node_modules" / "re2js" / "build" / "index.js")],
        input=json.dumps({"cases": cases}),
        capture_output=True,
        text=True,
        cwd=TOOLS,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.skipif(NODE is None or not (TOOLS / "node_modules" / "re2js").is_dir(),
                    reason="node and tools/node (make install) are needed")  # fmt: skip
def test_python_javascript_and_re2_agree_on_the_dialect() -> None:
    patterns = list(dict.fromkeys(corpus.PATTERNS + corpus.random_patterns(300)))
    for source in patterns:
        parse(source)  # every corpus pattern is inside the dialect
    cases = [
        {"ecma": p, "re2": to_re2(p), "lenient": p in corpus.LENIENT, "inputs": corpus.INPUTS}
        for p in patterns
    ]
    results = _node(cases)
    problems = []
    for source, result in zip(patterns, results, strict=True):
        python = [matcher(source)(text) for text in corpus.INPUTS]
        for text, py, native, re2 in zip(
            corpus.INPUTS, python, result["native"], result["re2"], strict=True
        ):
            if not (py is native is re2):
                problems.append(f"{source!r} on {text!r}: python={py} js={native} re2={re2}")
    shown = sorted({p.split(" on ")[0] for p in problems})
    assert not problems, f"{len(problems)} disagreements in {shown}:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize(
    ("source", "construct"),
    [
        ("(?=a)", "lookahead"),
        ("(?!a)", "negative lookahead"),
        ("(?<=a)b", "lookbehind"),
        ("(?<!a)b", "negative lookbehind"),
        ("(a)\\1", "backreference"),
        ("(?<n>a)\\k<n>", "named backreference"),
        ("\\p{Alphabetic}", "Unicode property"),
        ("\\p{scx=Grek}", "script extensions"),
        ("\\p{sc=Grek}", "script code"),
        ("a{1001}", "repetition count above 1000"),
        ("\\uD800", "lone surrogate"),
    ],
)
def test_constructs_outside_the_dialect_are_named(source: str, construct: str) -> None:
    with pytest.raises(Unsupported) as raised:
        parse(source)
    assert construct in raised.value.construct


@pytest.mark.parametrize(
    "source", ["(", "a**", "[z-a]", "a{3,2}", "\\q", "\\c1", "[\\d-z]", "\\u{110000}", "*"]
)
def test_what_is_no_ecma_262_is_a_syntax_error(source: str) -> None:
    with pytest.raises(PatternError):
        parse(source)
