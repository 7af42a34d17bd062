"""No payload can make a generated TypeScript validator take super-linear time in a pattern.

The classic ReDoS corpus of tests/conformance/regex_corpus.py (10 kB hostile inputs on which
JavaScript's own backtracking engine would need exponential time) runs through the runtime's
DataValidator with the RE2 translation the generator embeds: every check completes and
refuses. Completing is the property; no time is asserted (bench/bench_redos.py prints them).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from specgen_runtime.ecma_regex import to_re2
from ts_support import REPO, node_json

sys.path.insert(0, str(REPO / "tests" / "conformance"))
import regex_corpus as corpus  # type: ignore[import-not-found]  # noqa: E402


def test_hostile_inputs_are_refused_in_linear_time(ts_runtime: Path, tmp_path: Path) -> None:
    cases = [[p, to_re2(p), text] for p, text in corpus.REDOS]
    runtime = str(ts_runtime / "dist" / "index.js")
    results = node_json("redos.mjs", runtime, cwd=tmp_path, stdin=json.dumps(cases), timeout=120)
    assert [r["valid"] for r in results] == [False] * len(cases)
