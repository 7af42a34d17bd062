"""``pattern`` follows ECMA-262, which JSON Schema prescribes, not Python's ``re`` defaults."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import TypeAdapter, ValidationError
from specgen_runtime import schema_types as st


@pytest.mark.parametrize(
    ("regex", "value", "valid"),
    [
        ("^[A-Z]{3}$", "EUR", True),
        ("^[A-Z]{3}$", "EUR\n", False),  # Python's `$` also matches before a final newline
        ("^\\d+$", "123", True),
        ("^\\d+$", "\u0661\u0662", False),  # Arabic-Indic digits are not ECMA-262 `\d`
        ("^\\w+$", "caf\u00e9", False),  # `\w` is ASCII in ECMA-262
        ("^\\s$", "\u00a0", True),  # ... but `\s` includes Unicode spaces
        ("^[\\s]$", "\u2028", True),
        ("^\\S$", "\u00a0", False),
        ("a[$]b", "a$b", True),  # `$` in a class is a literal
        ("a\\$", "xa$y", True),  # an escaped `$` too
        ("b$", "ab\nc", False),
        ("bar", "foobarbaz", True),  # not anchored
        ("\\bcat\\b", "a cat!", True),  # `\b` is an ASCII word boundary
        ("\\bcat", "\u00e9cat", True),  # ... so a non-ASCII letter is not a word character
        ("^(?=a)a$", "a", True),  # lookahead: not in Rust's engine, falls back to `re`
        ("^(?=a)a$", "b", False),
        ("^(a)\\1$", "aa", True),  # a backreference, likewise
    ],
)
def test_pattern(regex: str, value: str, valid: bool) -> None:
    adapter = TypeAdapter(Annotated[str, st.JsonString(pattern=regex)])
    if valid:
        assert adapter.validate_python(value) == value
    else:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)
