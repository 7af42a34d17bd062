"""``pattern`` follows ECMA-262, which JSON Schema prescribes, not Python's ``re`` defaults."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import TypeAdapter, ValidationError
from specgen_runtime import schema_types as st
from specgen_runtime.ecma_regex import Unsupported


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
        ("a.b", "a\rb", False),  # `.` excludes every line terminator, not only \n
        ("a.b", "a\u2028b", False),
        ("^.$", "\U0001f600", True),  # ... and matches one code point, not one UTF-16 unit
        ("^\\p{Letter}cole$", "\u00e9cole", True),  # Unicode properties (the u flag)
        ("^\\p{digit}+$", "\u09ea\u09e8", True),
        ("^\\cC$", "\x03", True),
        ("^\\u{1F600}$", "\U0001f600", True),
        ("^\\uD83D\\uDE00$", "\U0001f600", True),  # a surrogate pair is one code point
        ("^[\\w-]+$", "a-b_c", True),
        ("^[^]$", "\n", True),
    ],
)
def test_pattern(regex: str, value: str, valid: bool) -> None:
    adapter = TypeAdapter(Annotated[str, st.JsonString(pattern=regex)])
    if valid:
        assert adapter.validate_python(value) == value
    else:
        with pytest.raises(ValidationError):
            adapter.validate_python(value)


@pytest.mark.parametrize(
    ("regex", "construct"),
    [
        ("^(?=a)a$", "lookahead"),
        ("^(?<!a)b", "lookbehind"),
        ("^(a)\\1$", "backreference"),
        ("^(?<x>a)\\k<x>$", "named backreference"),
    ],
)
def test_patterns_outside_the_dialect_are_refused_by_name(regex: str, construct: str) -> None:
    with pytest.raises(Unsupported, match=construct):
        TypeAdapter(Annotated[str, st.JsonString(pattern=regex)])
