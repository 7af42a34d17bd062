"""The TypeScript capability check walks data schemas instead of rendering them: the walk
(``layout.check_value``) refuses exactly what rendering (``layout.value``) refuses, with the
same message, and the check is made once per IR object."""

from __future__ import annotations

import gc
import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from specgen.backends.typescript import capability
from specgen.backends.typescript import layout as ly
from specgen.backends.typescript.capability import TypeScriptCapabilityError, check_capabilities
from specgen.ir import SpecIR
from specgen.ir import types as t
from specgen.pipeline import build

from tests.helpers import REPO

BIG = 2**53 + 1  # the first integer a double cannot hold


def _refusal(check: Any, data: Any) -> str | None:
    try:
        check(data)
    except ValueError as exc:
        return str(exc)
    return None


def _agree(data: Any) -> str | None:
    rendered, walked = _refusal(ly.value, data), _refusal(ly.check_value, data)
    assert walked == rendered, data
    return walked


ACCEPTED = [
    None, True, False, 0, -0.0, 1.5, -2.5e-7, 1e21, 2**53 - 1, -(2**53 - 1), 2**53, 2**60,
    "", "text \u2028 \"'", "__proto__", [], (), {}, [1, 2, 3], [[1, 2], [3, 4]],
    {"__proto__": 1, "1": 2, "2.50": 3, "١٢": 4, "a b": [{"c": None}]},
    {"type": "object", "properties": {"n": {"type": "integer", "maximum": 2**53 - 1}}},
]  # fmt: skip
REFUSED = [
    (BIG, f"{BIG} cannot be represented exactly as a JavaScript number"),
    (-BIG, f"{-BIG} cannot be represented exactly as a JavaScript number"),
    (math.inf, "inf is not a JSON number"),
    (-math.inf, "-inf is not a JSON number"),
    (math.nan, "nan is not a JSON number"),
    (Decimal("1.5"), "Decimal('1.5') is not JSON data"),
    ({1, 2}, "{1, 2} is not JSON data"),
    (b"x", "b'x' is not JSON data"),
    ([1, 2, BIG], f"{BIG} cannot be represented exactly as a JavaScript number"),
    ([{"a": 1}, {"b": math.nan, "c": 2}], "nan is not a JSON number"),
    # the first refusal in document order is the one reported
    ({"a": {"b": [0, BIG + 2]}, "c": math.inf}, f"{BIG + 2} cannot be represented exactly"),
    ([Decimal(1), BIG], "Decimal('1') is not JSON data"),
    ({"maximum": BIG, "minimum": -BIG}, f"{BIG} cannot"),
    (
        (
            1.0,
            (2, {"x": object}),
        ),
        "<class 'object'> is not JSON data",
    ),
]


@pytest.mark.parametrize("data", ACCEPTED, ids=repr)
def test_the_walk_accepts_what_rendering_accepts(data: Any) -> None:
    assert _agree(data) is None


@pytest.mark.parametrize(("data", "message"), REFUSED, ids=lambda v: repr(v)[:40])
def test_the_walk_refuses_what_rendering_refuses_with_its_message(data: Any, message: str) -> None:
    refusal = _agree(data)
    assert refusal is not None and refusal.startswith(message)


_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from([Decimal("2"), frozenset()]),
)
_json = st.recursive(
    _leaf,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=24,
)


@given(_json)
def test_the_walk_and_rendering_agree_on_any_data(data: Any) -> None:
    _agree(data)


def test_every_data_schema_of_the_spec_is_accepted() -> None:
    ir = build([REPO / "spec"]).ir
    assert ir is not None
    for event in ir.events():
        assert _agree(event.payload_schema) is None
    check_capabilities(ir)


def _with_wide_schema(ir: SpecIR) -> SpecIR:
    event = ir.domains[0].events[0]
    schema = {"type": "integer", "maximum": BIG}
    wide = type(event)(**{**vars(event), "payload_schema": schema})
    domain = type(ir.domains[0])(**{**vars(ir.domains[0]), "events": (wide,)})
    literal = t.AliasDecl("Huge", t.LiteralType((BIG,)))
    return SpecIR(ir.project, (*ir.types, literal), (domain,), ir.topology)


def test_refusals_name_the_schema_and_the_literal_and_are_made_once_per_ir() -> None:
    ir = build([REPO / "spec"]).ir
    assert ir is not None
    wide = _with_wide_schema(ir)
    with pytest.raises(TypeScriptCapabilityError) as refused:
        check_capabilities(wide)
    lines = str(refused.value).split("\n  ")[1:]
    event = wide.domains[0].events[0].type
    assert lines == sorted(
        [
            f"Huge: literal value: {BIG} cannot be represented exactly as a JavaScript number",
            f"data schema of {event}: {BIG} cannot be represented exactly as a JavaScript number",
        ]
    )
    assert capability._refused(wide) is capability._refused(wide)  # remembered, not redone
    remembered = len(capability._refused)
    del wide, refused
    gc.collect()
    assert len(capability._refused) == remembered - 1  # forgotten with its IR
