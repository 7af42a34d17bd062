"""Rules run on documents that may be structurally broken: replacing any value of a clean
spec by a value of the wrong shape must never raise, in either ruleset."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rules_harness import CASES
from specgen.load import LoadedSpec, load_spec
from specgen.rules import RULESETS, run_rules

WRONG_SHAPES: tuple[Any, ...] = (None, 7, "x.{y", [], {}, [None], True)


def _slots(value: Any, seen: set[int]) -> Iterator[tuple[Any, str | int]]:
    if id(value) in seen or not isinstance(value, dict | list):
        return
    seen.add(id(value))
    keys = list(value) if isinstance(value, dict) else range(len(value))
    for key in keys:
        yield value, key
        yield from _slots(value[key], seen)


def _load(folder: Path) -> LoadedSpec:
    previous = Path.cwd()
    os.chdir(folder)
    try:
        return load_spec([Path(".")])
    finally:
        os.chdir(previous)


@pytest.mark.parametrize("case", ["clean-specgen", "clean-asyncapi", "example-schema-formats"])
def test_wrong_shapes_never_crash(case: str) -> None:
    spec = _load(CASES / case)
    seen: set[int] = set()
    slots = [slot for document in spec.documents for slot in _slots(document.data, seen)]
    assert len(slots) > 30
    for container, key in slots:
        original = container[key]
        for replacement in WRONG_SHAPES:
            container[key] = replacement
            try:
                for ruleset in RULESETS:
                    run_rules(spec, ruleset)
            except Exception as exc:  # pragma: no cover - the failure message is the point
                raise AssertionError(f"{case}: {key!r} = {replacement!r} crashed") from exc
            finally:
                container[key] = original


def test_empty_and_odd_documents() -> None:
    spec = _load(CASES / "clean-specgen")
    odd_documents: list[dict[str, Any]] = [
        {},
        {"asyncapi": "3.0.0"},
        {"channels": []},
        {"channels": {"c": None}},
    ]
    for odd in odd_documents:
        spec.documents[0].data = odd
        for ruleset in RULESETS:
            run_rules(spec, ruleset)


def test_unknown_ruleset() -> None:
    with pytest.raises(ValueError, match="unknown ruleset"):
        run_rules(_load(CASES / "clean-asyncapi"), "openapi")
