"""Patterns on hostile inputs, in the validators of all three languages (issue 8, ReDoS).

For each classic catastrophic pattern of tests/conformance/regex_corpus.py, the check of its
10 kB hostile input and of an input of the same length that it accepts (the baseline, same
process),
in Python (pydantic-core's Rust engine), TypeScript (re2js) and Rust (the regex crate), in
milliseconds, and the hostile/benign ratio: linear engines keep it near 1. For contrast, the
last lines time Python's backtracking ``re`` on ``^(a+)+$`` with inputs of 18 to 24 characters
(each two more characters roughly quadruple its time; at 10 kB it would never finish).

    .venv/bin/python bench/bench_redos.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

from pydantic import TypeAdapter, ValidationError
from specgen_runtime import schema_types as st
from specgen_runtime.ecma_regex import to_re2, to_rust

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "conformance"))
import regex_corpus as corpus  # noqa: E402

TOOLS = REPO / "tools" / "node"
REPEAT = 5


def python_ms(pattern: str, text: str) -> float:
    adapter = TypeAdapter(Annotated[str, st.JsonString(pattern=pattern)])
    best = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        try:
            adapter.validate_python(text)
        except ValidationError:
            pass
        best = min(best, time.perf_counter() - start)
    return best * 1000


def typescript_ms(cases: list[tuple[str, str]]) -> list[float]:
    work = Path(tempfile.mkdtemp())
    runtime = work / "runtime"
    shutil.copytree(
        REPO / "runtimes" / "typescript", runtime, ignore=shutil.ignore_patterns("dist*")
    )
    (runtime / "node_modules").symlink_to(TOOLS / "node_modules", target_is_directory=True)
    subprocess.run([str(TOOLS / "node_modules" / ".bin" / "tsc"), "-p", "tsconfig.json"],
                   cwd=runtime, check=True)  # fmt: skip
    payload = json.dumps([[p, to_re2(p), text] for p, text in cases] * REPEAT)
    out = subprocess.run(
        ["node", str(REPO / "tests" / "typescript" / "scripts" / "redos.mjs"),
         str(runtime / "dist" / "index.js")],
        input=payload, capture_output=True, text=True, check=True, cwd=work,
    )  # fmt: skip
    micros = [r["micros"] for r in json.loads(out.stdout.strip().splitlines()[-1])]
    return [min(micros[i :: len(cases)]) / 1000 for i in range(len(cases))]


def rust_ms(cases: list[tuple[str, str]]) -> list[float]:
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    harness = REPO / "tests" / "rust" / "harness"
    subprocess.run(["cargo", "build", "--quiet", "--release", "--bin", "redos"], cwd=harness,
                   check=True, env={**os.environ, "CARGO_TARGET_DIR": str(target)})  # fmt: skip
    lines = [json.dumps([p, to_rust(p), text]) for p, text in cases] * REPEAT
    out = subprocess.run([str(target / "release" / "redos")], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, check=True)  # fmt: skip
    micros = [int(line.split()[1]) for line in out.stdout.splitlines()]
    return [min(micros[i :: len(cases)]) / 1000 for i in range(len(cases))]


def backtracking_ms(length: int) -> float:
    start = time.perf_counter()
    re.fullmatch(r"(a+)+", "a" * length + "!")
    return (time.perf_counter() - start) * 1000


def main() -> None:
    accepted = [(p, text) for (p, _), text in zip(corpus.REDOS, corpus.ACCEPTED, strict=True)]
    cases = list(corpus.REDOS) + accepted
    ts, rs = typescript_ms(cases), rust_ms(cases)
    n = len(corpus.REDOS)
    print(f"{'pattern':44} {'lang':>10} {'hostile ms':>11} {'accepted ms':>12} {'ratio':>7}")
    for i, (pattern, hostile) in enumerate(corpus.REDOS):
        good_text = corpus.ACCEPTED[i]
        rows = [("python", python_ms(pattern, hostile), python_ms(pattern, good_text)),
                ("typescript", ts[i], ts[n + i]), ("rust", rs[i], rs[n + i])]  # fmt: skip
        shown = pattern if len(pattern) <= 44 else pattern[:41] + "..."
        for lang, bad, good in rows:
            ratio = bad / good if good > 0 else float("nan")
            print(f"{shown:44} {lang:>10} {bad:11.3f} {good:12.3f} {ratio:7.1f}")
            shown = ""
    print("\nPython's backtracking re on ^(a+)+$, for contrast:")
    for length in (18, 20, 22, 24):
        print(f"  {length + 1:>3} characters: {backtracking_ms(length):10.1f} ms")


if __name__ == "__main__":
    main()
