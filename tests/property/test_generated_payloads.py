"""Payloads drawn from each event's JSON Schema are accepted and survive the NATS codec.

hypothesis-jsonschema draws data from the schema the package ships for the event; the
generated data model must accept every draw, dump it back to the same JSON, and the event
built from it must come back unchanged from ``encode``/``decode`` in both content modes.
"""

from __future__ import annotations

import json
from typing import Any

import property_support as support
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from specgen_runtime import Mode, decode, encode

EVENTS = support.event_types()
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_every_event_ships_a_schema() -> None:
    assert EVENTS, "powerflex_events has no events"
    for event_type in EVENTS:
        assert support.schema(event_type)["$schema"].startswith("http://json-schema.org/draft-07")


@pytest.mark.parametrize("event_type", EVENTS)
def test_drawn_payloads_round_trip(event_type: str) -> None:
    model = support.data_model(event_type)
    strategy = from_schema(support.schema(event_type), custom_formats=support.CUSTOM_FORMATS)
    check = support.validator(event_type)

    @SETTINGS
    @given(st.data())
    def run(data: st.DataObject) -> None:
        payload: Any = data.draw(strategy, label="payload")
        assert check.is_valid(payload), "hypothesis-jsonschema drew an invalid payload"
        value = model.model_validate(payload)
        assert json.loads(value.model_dump_json(exclude_unset=True)) == payload
        assert model.model_validate_json(json.dumps(payload)) == value
        event = support.make_event(event_type, value)
        for mode in (Mode.STRUCTURED, Mode.BINARY):
            headers, body = encode(event, mode)
            decoded = decode(support.event_class(event_type), headers, body)
            assert decoded == event
            assert json.loads(decoded.data.model_dump_json(exclude_unset=True)) == payload

    run()


@pytest.mark.parametrize("event_type", EVENTS)
def test_examples_round_trip(event_type: str) -> None:
    """The spec's own examples are valid payloads too (and exercise the richer branches)."""
    model = support.data_model(event_type)
    for name, payload in support.examples(event_type):
        assert support.validator(event_type).is_valid(payload), name
        value = model.model_validate(payload)
        assert json.loads(value.model_dump_json(exclude_unset=True)) == payload, name
        event = support.make_event(event_type, value)
        for mode in (Mode.STRUCTURED, Mode.BINARY):
            headers, body = encode(event, mode)
            assert decode(support.event_class(event_type), headers, body) == event, name
