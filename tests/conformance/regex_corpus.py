"""Patterns and inputs that probe every construct of the regex dialect (docs/regex-dialect.md),
plus random patterns drawn from the dialect's grammar (seeded: the same every run)."""

from __future__ import annotations

import random

PATTERNS = [
    "abc", "^abc$", "a|b|", "^(a|bc)+$", "(?:ab)*c", "a{2}", "a{2,}", "^a{1,3}$", "a{0}b",
    "a*?b", "a+?", "^.$", "a.c", "^[abc]+$", "^[^abc]$", "[a-z0-9_-]", "^[\\w.-]+$",
    "\\d", "\\D", "^\\w+$", "\\W", "^\\s$", "\\S", "[\\s\\S]", "[^\\s]", "[\\d-]", "\\bcat\\b",
    "\\Bat", "^\\t\\n\\v\\f\\r$", "\\0", "^\\cJ$", "\\x41", "\\u00e9", "\\u{1F600}",
    "\\uD83D\\uDE00", "^[\\u{1F600}-\\u{1F64F}]$", "\\p{L}", "^\\p{Lu}+$", "\\P{L}",
    "^\\p{Letter}+$", "\\p{digit}", "\\p{Nd}", "^[\\p{L}\\p{Nd}_]+$", "[^\\p{L}]",
    "\\p{Script=Greek}", "\\p{sc=Latin}", "\\p{gc=Sm}", "\\p{Any}", "^\\p{ASCII}+$",
    "\\$", "a\\.b", "\\(\\)", "[\\]]", "[\\-]", "[.]", "[$^]", "a]", "a}", "x{,3}",
    "(?<year>[0-9]{4})-(?<month>[0-9]{2})", "[]", "[^]", "^$", "()", "(|a)", "^(?:)$",
    "^[A-Z]{2}\\*?[A-Z0-9]{3}$", "^[a-z][a-z0-9-]{1,31}$", "a\\-b", "\\_",
]  # fmt: skip
LENIENT = frozenset({"a]", "a}", "x{,3}", "a\\-b", "\\_"})
"""Patterns the flag ``u`` makes syntax errors and the dialect reads as Annex B does (a lone
bracket or brace is literal, punctuation may be escaped): JavaScript checks them without it."""

INPUTS = [
    "", "a", "b", "abc", "xabcx", "ab\nc", "aab", "aaa", "bc", "cat", "a cat!", "\u00e9cat",
    "concat", "EUR", "EUR\n", "eur", "123", "\u0661\u0662", "\u09ea", "caf\u00e9", " ", "\t",
    "\u00a0", "\u2028", "\u3000", "\ufeff", "\n", "\r", "a\rc", "a\u2029c", "\U0001f600",
    "\U0001f64f", "\u03b1\u03b2", "A", "Z9", "_", "-", ".", "$", "^", "]", "}", "()", "a.b",
    "a]", "x{,3}", "2024-01", "\x00", "\x0b", "\x0c", "\u00e9", "\u00c9", "AB*123", "ab-12",
    "+", "\u2212", "\u00b2",
]  # fmt: skip

_ATOMS = ["a", "b", ".", "\\d", "\\w", "\\s", "\\D", "[a-c]", "[^ab]", "\\p{L}", "\\x41",
          "\\u00e9", "[\\w-]", "\\$", "[.]"]  # fmt: skip
_QUANTIFIERS = ["", "", "*", "+", "?", "{2}", "{1,3}", "{0,}", "*?", "+?"]


def _random_pattern(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        if depth < 2 and rng.random() < 0.25:
            inner = "|".join(_random_pattern(rng, depth + 1) for _ in range(rng.randint(1, 3)))
            atom = f"({'?:' if rng.random() < 0.5 else ''}{inner})"
        else:
            atom = rng.choice(_ATOMS)
        parts.append(atom + rng.choice(_QUANTIFIERS))
    anchored = ("^" if rng.random() < 0.3 else "") + "".join(parts)
    return anchored + ("$" if rng.random() < 0.3 else "")


def random_patterns(count: int, seed: int = 8) -> list[str]:
    rng = random.Random(seed)
    return [_random_pattern(rng) for _ in range(count)]


REDOS = [
    ("^(a+)+$", "a" * 10_000 + "!"),
    ("^(a|a)*$", "a" * 10_000 + "!"),
    ("^(a|aa)+$", "a" * 10_000 + "!"),
    ("^(a*)*b$", "a" * 10_000),
    ("(x+x+)+y", "x" * 10_000),
    ("^(\\w+\\s?)*$", "word " * 2_000 + "!"),
    ("^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|"
     "([a-z]{2,3}[.]{1}[a-z]{2,3}))$", "a" * 10_000 + "@"),
    ("^(([a-z])+.)+[A-Z]([a-z])+$", "a" * 10_000),
]  # fmt: skip
"""Classic catastrophic-backtracking patterns with a 10 kB input each that a backtracking
engine would need exponential (or cubic) time for: each must be refused at once."""

ACCEPTED = ["a" * 10_001, "a" * 10_001, "a" * 10_001, "a" * 9_999 + "b", "x" * 9_999 + "y",
            "word " * 2_000, "a" * 9_995 + "@b.cc", "a" * 9_997 + "Aaa"]  # fmt: skip
"""For each pattern of ``REDOS``, an input of about the same length that it accepts: the
baseline of bench/bench_redos.py (a whole scan without backtracking trouble)."""
