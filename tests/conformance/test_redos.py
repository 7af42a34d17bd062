"""No payload can make a generated Python validator take super-linear time in a pattern.

Each classic ReDoS pattern gets a 10 kB hostile input on which a backtracking engine (such
as Python's ``re`` or JavaScript's) needs exponential time: the check must complete, and
refuse. Completing at all is the property (no time is asserted here); bench/bench_redos.py
prints the timings of all three languages. TypeScript and Rust run the same corpus in
tests/typescript/test_redos_ts.py and tests/rust/test_rust_redos.py.
"""

from __future__ import annotations

from typing import Annotated

import pytest
import regex_corpus as corpus
from pydantic import TypeAdapter, ValidationError
from specgen_runtime import schema_types as st


@pytest.mark.parametrize(("pattern", "hostile"), corpus.REDOS, ids=[p for p, _ in corpus.REDOS])
def test_hostile_input_is_refused_in_linear_time(pattern: str, hostile: str) -> None:
    adapter = TypeAdapter(Annotated[str, st.JsonString(pattern=pattern)])
    with pytest.raises(ValidationError):
        adapter.validate_python(hostile)
    doubled = hostile[:-1] * 2 + hostile[-1] if hostile.endswith(("!", "@")) else hostile * 2
    with pytest.raises(ValidationError):
        adapter.validate_json(f'"{doubled}"')
