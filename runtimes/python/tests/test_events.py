"""EventSpec templates and the Event envelope model."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError
from sample_events import OrderCreatedV1, PowerReadingV1, Reading, order
from specgen_runtime import Delivery, EventSpec, SubjectError

SPEC = OrderCreatedV1.SPEC


def test_spec_parameters_and_subjects() -> None:
    assert SPEC.parameters == ("site_id",)
    assert SPEC.subject_for(site_id="site-0001") == "pf.site-0001.orders.order_created.v1"
    assert SPEC.source_for(site_id="site-0001") == "/sites/site-0001/orders"
    assert SPEC.dead_letter_subject_for(site_id="site-0001") == "pf.site-0001.deadletter.orders"
    assert SPEC.filter_subject() == "pf.*.orders.order_created.v1"
    assert PowerReadingV1.SPEC.filter_subject(site_id="s1") == "pf.s1.telemetry.*.power.v1"
    assert SPEC.parameters_from_subject("pf.s9.orders.order_created.v1") == {"site_id": "s9"}


@pytest.mark.parametrize("value", ["", "a.b", "*", ">", "a b", "a\tb", "x*"])
def test_invalid_token_is_rejected(value: str) -> None:
    with pytest.raises(SubjectError, match="site_id"):
        SPEC.subject_for(site_id=value)
    with pytest.raises(SubjectError):
        OrderCreatedV1.create(order(), site_id=value)


def test_missing_and_unknown_parameters() -> None:
    with pytest.raises(SubjectError, match="missing"):
        SPEC.subject_for()
    with pytest.raises(SubjectError, match="unknown"):
        SPEC.subject_for(site_id="s1", charger="c1")
    with pytest.raises(SubjectError, match="missing parameter 'site_id'"):
        OrderCreatedV1.create(order())


def test_spec_definition_errors() -> None:
    with pytest.raises(ValueError, match="needs a stream"):
        EventSpec(type="t", source_template="/s", subject_template="a.b")
    with pytest.raises(ValueError, match="whole token"):
        EventSpec(type="t", source_template="/s", subject_template="a.x{id}", stream="S")
    with pytest.raises(ValueError, match="does not have"):
        EventSpec(type="t", source_template="/{site}", subject_template="a.b", stream="S")
    with pytest.raises(ValueError, match="reserved"):
        EventSpec(type="t", source_template="/s", subject_template="a.{id}", stream="S")
    with pytest.raises(ValueError, match="must not name a stream"):
        EventSpec(
            type="t", source_template="/s", subject_template="a", delivery=Delivery.CORE, stream="S"
        )


def test_create_defaults() -> None:
    before = datetime.now(UTC)
    event = OrderCreatedV1.create(order(), site_id="site-0001")
    assert uuid.UUID(event.id).version == 4
    assert before <= event.time <= datetime.now(UTC)
    assert event.time.tzinfo is UTC
    assert event.source == "/sites/site-0001/orders"
    assert event.subject is None and event.extensions == {}
    assert event.type == "com.example.orders.order_created.v1"
    assert event.specversion == "1.0"
    assert event.datacontenttype == "application/json"
    assert event.dataschema == SPEC.dataschema
    assert OrderCreatedV1.data_model() is type(event.data)


def test_create_explicit_values_and_utc_normalisation() -> None:
    local = datetime(2025, 1, 2, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    event = OrderCreatedV1.create(
        order(), site_id="s1", id="e-1", time=local, subject="c7", extensions={"traceparent": "x"}
    )
    assert (event.id, event.subject, event.extensions) == ("e-1", "c7", {"traceparent": "x"})
    assert event.time == local and event.time.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "extensions",
    [{"Trace": "x"}, {"a_b": "x"}, {"x" * 21: "x"}, {"id": "x"}, {"dataschema": "x"}, {"ok": "\n"}],
)
def test_invalid_extensions(extensions: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="extensions"):
        OrderCreatedV1.create(order(), site_id="s1", extensions=extensions)


def test_invalid_envelope_values() -> None:
    with pytest.raises(ValidationError, match="timezone-aware"):
        OrderCreatedV1.create(order(), site_id="s1", time=datetime(2025, 1, 1))
    with pytest.raises(ValidationError, match="id"):
        OrderCreatedV1.create(order(), site_id="s1", id="")
    with pytest.raises(ValidationError, match="control characters"):
        OrderCreatedV1.create(order(), site_id="s1", subject="a\x00b")


def test_events_are_frozen() -> None:
    event = PowerReadingV1.create(Reading(3.5), site_id="s1", charger_id="c1")
    with pytest.raises(ValidationError, match="frozen"):
        event.id = "other"


def test_parameter_patterns_refuse_values_the_spec_does_not_allow() -> None:
    spec = EventSpec(
        type="com.example.thing.v1",
        source_template="/sites/{site_id}",
        subject_template="pf.{site_id}.thing.v1",
        stream="THINGS",
        parameter_patterns=(("site_id", "^[a-z][a-z0-9-]{1,31}$"),),
    )
    assert spec.subject_for(site_id="site-0001") == "pf.site-0001.thing.v1"
    for bad in ("Berlin_1", "site_1", "s", "1site", "a" * 33):
        with pytest.raises(SubjectError, match=r"is not a valid site id: it must match"):
            spec.subject_for(site_id=bad)
        with pytest.raises(SubjectError, match="not a valid site id"):
            spec.filter_subject(site_id=bad)
        with pytest.raises(SubjectError, match="not a valid site id"):
            spec.source_for(site_id=bad)
    assert spec.filter_subject() == "pf.*.thing.v1"  # a missing parameter still matches all


def test_parameter_patterns_must_name_parameters_and_compile() -> None:
    with pytest.raises(ValueError, match="not a subject parameter"):
        EventSpec(type="t", source_template="/s", subject_template="a.b", stream="S",
                  parameter_patterns=(("site_id", "^x$"),))  # fmt: skip
    with pytest.raises(ValueError, match="does not compile"):
        EventSpec(type="t", source_template="/s", subject_template="a.{x}", stream="S",
                  parameter_patterns=(("x", "(unclosed"),))  # fmt: skip
