"""No payload can make a generated Rust validator take super-linear time in a pattern.

The classic ReDoS corpus (tests/conformance/regex_corpus.py, 10 kB hostile inputs) runs
through ``specgen_runtime::schema::pattern`` with the generator's translation (binary
``redos`` of tests/rust/harness): every check completes and refuses. Completing is the
property; no time is asserted (bench/bench_redos.py prints them).
"""

from __future__ import annotations

import json
import subprocess
import sys

from rust_support import HARNESS, REPO, binary, cargo, needs_cargo
from specgen_runtime.ecma_regex import to_rust

sys.path.insert(0, str(REPO / "tests" / "conformance"))
import regex_corpus as corpus  # noqa: E402

pytestmark = needs_cargo


def test_hostile_inputs_are_refused_in_linear_time() -> None:
    cargo(["build", "--quiet", "--bin", "redos"], HARNESS)
    lines = [json.dumps([p, to_rust(p), text]) for p, text in corpus.REDOS]
    run = subprocess.run(
        [str(binary("redos"))],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    verdicts = [line.split()[0] for line in run.stdout.splitlines()]
    assert verdicts == ["invalid"] * len(lines)
