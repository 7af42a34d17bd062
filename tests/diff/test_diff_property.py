"""The diff's verdicts against the generated validators, on random pairs of schemas.

For every pair the engine calls compatible in a direction, instances drawn from the source
schema with hypothesis-jsonschema must all pass the target schema's generated Python model:
a single counterexample is a wrong "compatible". For every break it claims with an example,
the generated models must agree: the source model accepts the example and the target rejects
it. ``SPECGEN_DIFF_PAIRS`` sets the number of pairs (the ``long`` variant draws many more).
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException
from oracle import Oracle, Schema, pairs
from specgen.diff.schema import Comparison, compare

# property_support adapts hypothesis-jsonschema to this hypothesis version (see its docstring)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "property"))
import property_support  # noqa: E402,F401
from hypothesis_jsonschema import from_schema  # noqa: E402

SEED = 20261201
PAIRS = int(os.environ.get("SPECGEN_DIFF_PAIRS", "160"))
DRAWS = settings(max_examples=12, deadline=None, database=None,
                 suppress_health_check=list(HealthCheck))  # fmt: skip
FORMATS = {"uuid": st.uuids().map(str)}
TALLY: Counter[str] = Counter()


def _oracle(tmp: Path, count: int, seed: int) -> Iterator[tuple[Oracle, list[Any]]]:
    cases = pairs(seed, count)
    oracle = Oracle(cases, tmp)
    try:
        yield oracle, [(old, new, compare(old, new)) for old, new in cases]
    finally:
        oracle.close()


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Oracle, list[Any]]]:
    yield from _oracle(tmp_path_factory.mktemp("diffprop"), PAIRS, SEED)


def _claims(cases: list[tuple[Schema, Schema, Comparison]]) -> Iterator[tuple[int, str, str]]:
    for index, (_, _, result) in enumerate(cases):
        if result.backward_verdict == "compatible":
            yield index, "old", "new"
        if result.forward_verdict == "compatible":
            yield index, "new", "old"


def _check_draws(oracle: Oracle, index: int, source: str, target: str, schema: Schema) -> None:
    try:
        strategy = from_schema(schema, custom_formats=FORMATS)
    except HypothesisException:
        TALLY["schemas hypothesis-jsonschema cannot draw from"] += 1
        return

    @DRAWS
    @given(st.data())
    def draw(data: st.DataObject) -> None:
        value = data.draw(strategy, label="instance")
        if not oracle.accepts(index, source, value):
            return  # hypothesis-jsonschema and the generated model disagree on the source
        TALLY["instances checked"] += 1
        assert oracle.accepts(index, target, value), (
            f"pair {index}: the diff says every {source} instance passes the {target} schema, "
            f"but the generated model rejects {value!r}"
        )

    try:
        draw()
    except HypothesisException:
        TALLY["schemas hypothesis-jsonschema cannot draw from"] += 1


def run_compatible(oracle: Oracle, cases: list[Any]) -> None:
    for index, source, target in _claims(cases):
        if index in oracle.refused:
            continue
        TALLY["compatible claims"] += 1
        schema = cases[index][0] if source == "old" else cases[index][1]
        _check_draws(oracle, index, source, target, schema)


def run_breaking(oracle: Oracle, cases: list[Any]) -> None:
    for index, (_, _, result) in enumerate(cases):
        if index in oracle.refused:
            continue
        for source, target, reasons in (("old", "new", result.backward),
                                        ("new", "old", result.forward)):  # fmt: skip
            for reason in reasons:
                if not reason.certain:
                    TALLY["cannot-prove verdicts"] += 1
                    continue
                TALLY["breaking examples checked"] += 1
                assert oracle.accepts(index, source, reason.witness), (index, reason)
                assert not oracle.accepts(index, target, reason.witness), (index, reason)


def test_compatible_verdicts_survive_drawn_instances(judged: tuple[Oracle, list[Any]]) -> None:
    oracle, cases = judged
    run_compatible(oracle, cases)
    print(f"\ndiff property test: {len(cases)} pairs, {dict(TALLY)}")
    assert TALLY["instances checked"] > 0


def test_breaking_examples_are_real(judged: tuple[Oracle, list[Any]]) -> None:
    oracle, cases = judged
    run_breaking(oracle, cases)
    print(f"\ndiff property test: {len(cases)} pairs, {dict(TALLY)}")
    assert TALLY["breaking examples checked"] > 0


@pytest.mark.long
def test_many_pairs(tmp_path: Path) -> None:
    """1,500 more pairs, in packages of 250 (one generated module per package stays small)."""
    for chunk in range(6):
        for oracle, cases in _oracle(tmp_path / f"chunk{chunk}", 250, SEED + 1 + chunk):
            run_compatible(oracle, cases)
            run_breaking(oracle, cases)
    print(f"\ndiff property test (long): 1500 pairs, {dict(TALLY)}")
