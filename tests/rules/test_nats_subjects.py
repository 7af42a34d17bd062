"""Subject tokens, capture and overlap, and the one duration parser."""

from __future__ import annotations

import pytest
from specgen.model.durations import parse_ms
from specgen.nats_subjects import (
    captures,
    normalized,
    overlaps,
    params,
    token_problems,
)


@pytest.mark.parametrize(
    ("filter_subject", "subject", "expected"),
    [
        ("pf.{site_id}.orders.>", "pf.{site_id}.orders.order_created.v1", True),
        ("pf.{site_id}.orders.>", "pf.{site_id}.orders", False),
        ("pf.*.orders.*.v1", "pf.{site_id}.orders.order_created.v1", True),
        ("pf.site1.orders.>", "pf.{site_id}.orders.order_created.v1", False),
        ("pf.{site_id}.orders.*", "pf.{site_id}.orders.a.b", False),
        ("pf.{site_id}.orders.*", "pf.{site_id}.orders.>", False),
        (">", "anything.at.all", True),
        ("a.b", "a.b", True),
        ("a.b", "a.b.c", False),
    ],
)
def test_captures(filter_subject: str, subject: str, expected: bool) -> None:
    assert captures(filter_subject, subject) is expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("pf.{site_id}.orders.>", "pf.{site_id}.charging.>", False),
        ("pf.{site_id}.*.>", "pf.{site_id}.charging.>", True),
        ("pf.site1.orders.x", "pf.{site_id}.orders.x", True),
        ("pf.{site_id}.orders.x", "pf.{site_id}.orders.x.y", False),
        ("pf.{site_id}.orders", "pf.{site_id}.orders.>", False),
        ("a.>", "a.b", True),
    ],
)
def test_overlaps(first: str, second: str, expected: bool) -> None:
    assert overlaps(first, second) is expected
    assert overlaps(second, first) is expected


@pytest.mark.parametrize(
    ("subject", "strict", "count"),
    [
        ("pf.{site_id}.orders.order_created.v1", True, 0),
        ("pf.{site_id}.orders.>", True, 0),
        ("pf..orders", True, 1),
        (".pf", True, 1),
        ("pf.", True, 1),
        ("pf.>.x", True, 1),
        ("pf.a*.x", True, 1),
        ("pf.x{site_id}", True, 1),
        ("pf.{a}{b}", True, 1),
        ("pf.é", True, 1),
        ("pf.é", False, 0),
        ("pf.a b", False, 1),
        ("pf.a\tb", False, 1),
    ],
)
def test_token_problems(subject: str, strict: bool, count: int) -> None:
    assert len(token_problems(subject, strict=strict)) == count


def test_params_and_normalized() -> None:
    assert params("pf.{site_id}.x.{kind}") == ["site_id", "kind"]
    assert normalized("pf.{site_id}.x") == normalized("pf.{site}.x") == "pf.{}.x"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2h", 7_200_000),
        ("0s", 0),
        ("500ms", 500),
        ("30d", 2_592_000_000),
        ("2 h", None),
        ("h", None),
        ("-1s", None),
        (120, None),
        (None, None),
        ("1w", None),
        ("1.5s", None),
        ("106751d", 9_223_286_400_000),
        ("106752d", None),  # beyond JetStream's int64 nanoseconds
    ],
)
def test_duration_ms(text: object, expected: int | None) -> None:
    assert parse_ms(text) == expected
