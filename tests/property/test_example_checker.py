"""``specgen validate`` judges examples as the generated validators do: a property test.

For every event of the spec, payloads drawn from its shipped schema (hypothesis-jsonschema)
and mutations of them (a property dropped, retyped or nested deeper) are judged by the example
checker (``specgen.schema.instances``, over the typed model of the same schema) and by the
generated Python data model, in Python and in JSON mode: the three verdicts must be one. The
mutations make about two thirds of the values invalid, so both verdicts are exercised.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

import property_support as support
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from pydantic import ValidationError
from specgen.load import load_spec
from specgen.model.messages import json_schema
from specgen.model.spec import read_spec
from specgen.schema import schemas_of
from specgen.schema.instances import Check, Instances, usable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "conformance"))
import suite_harness  # noqa: E402 - the suite's document writer, reused for the spec's schemas

EVENTS = support.event_types()
ODD_VALUES = (None, 0, -1, 2.5, 1e30, True, "", "x", "2025-13-01", [], {})
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def checks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Check]:
    """The example checker of each event's shipped schema, read as ``validate`` reads it."""
    cases = [{"description": t, "schema": support.schema(t), "tests": []} for t in EVENTS]
    root = tmp_path_factory.mktemp("example-checker") / "spec"
    suite_harness._write_project(root, "spec", "unused", cases)
    spec = load_spec([root])
    schemas = read_spec(spec).documents[0].api.components.schemas or {}
    reader, instances = schemas_of(spec), Instances(formats=True)
    out = {}
    for index, event_type in enumerate(EVENTS):
        node = reader.read(json_schema(schemas[f"Case{index}"]))
        assert usable(node), f"{event_type}: the checker cannot judge the shipped schema"
        out[event_type] = instances.check(node)
    return out


def _mutated(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict) and value:
        key, roll = rng.choice(sorted(value)), rng.random()
        if roll < 0.3:
            return {k: v for k, v in value.items() if k != key}
        return {**value, key: rng.choice(ODD_VALUES) if roll < 0.6 else _mutated(value[key], rng)}
    if isinstance(value, list) and value:
        i = rng.randrange(len(value))
        return [*value[:i], _mutated(value[i], rng), *value[i + 1 :]]
    return rng.choice(ODD_VALUES)


def _accepts(validate: Any, value: Any) -> bool:
    try:
        validate(value)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("event_type", EVENTS)
def test_the_checker_and_the_generated_model_agree(
    checks: dict[str, Check], event_type: str
) -> None:
    model, check = support.data_model(event_type), checks[event_type]
    strategy = from_schema(support.schema(event_type), custom_formats=support.CUSTOM_FORMATS)
    verdicts = {True: 0, False: 0}

    @SETTINGS
    @given(st.data())
    def run(data: st.DataObject) -> None:
        drawn = data.draw(strategy, label="payload")
        rng = random.Random(data.draw(st.integers(0, 2**32), label="seed"))
        for value in (drawn, _mutated(drawn, rng), _mutated(_mutated(drawn, rng), rng)):
            ours = check(value) is None
            python = _accepts(model.model_validate, value)
            as_json = _accepts(model.model_validate_json, json.dumps(value))
            assert ours is python is as_json, (value, check(value))
            verdicts[ours] += 1

    run()
    assert verdicts[True] and verdicts[False], verdicts
