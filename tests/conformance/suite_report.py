"""Counts of the JSON Schema suite per language, and the report each language writes.

Every language's suite test (Python tests/conformance/test_json_schema_suite.py, TypeScript
tests/typescript/test_json_schema_suite_ts.py, Rust tests/rust/test_rust_conformance.py) fills
a ``LanguageTally`` and writes it to ``test-output/json-schema-suite/<language>.txt``: cases
agree / refused / disagree and instances agree / refused / disagree / policy, for the
required draft-7 folder, each part of ``optional/`` (bignum, ecmascript-regex, format/*) and
our own cases, with every refusal and every verdict a documented policy decides.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPORTS = Path(__file__).resolve().parents[2] / "test-output" / "json-schema-suite"
COLUMNS = ("case_agree", "case_refused", "case_disagree", "inst_agree", "inst_refused",
           "inst_disagree", "inst_policy")  # fmt: skip

INTEGER_POLICY = (
    "integers are held in 64 bits (docs/json-schema.md, 'Numbers'): a larger integer is "
    "refused, never rounded"
)
JAVASCRIPT_POLICY = (
    "JavaScript numbers hold integers exactly up to 2^53 - 1 (docs/json-schema.md, 'Numbers'): "
    "a larger integer literal is refused, never rounded"
)
RUST_POLICY = (
    "Rust reads a number beyond the 64-bit integer range as the nearest double "
    "(docs/json-schema.md, 'Numbers')"
)
ALL = frozenset({"python", "typescript", "rust"})
POLICY: dict[tuple[str, str, str], tuple[str, frozenset[str]]] = {
    ("bignum.json", "integer", "a bignum is an integer"): (INTEGER_POLICY, ALL),
    ("bignum.json", "integer", "a negative bignum is an integer"): (INTEGER_POLICY, ALL),
    ("bignum.json", "number", "a bignum is a number"): (
        JAVASCRIPT_POLICY, frozenset({"typescript"})),
    ("bignum.json", "number", "a negative bignum is a number"): (
        JAVASCRIPT_POLICY, frozenset({"typescript"})),
    ("bignum.json", "maximum integer comparison", "comparison works for high numbers"): (
        JAVASCRIPT_POLICY, frozenset({"typescript"})),
    ("bignum.json", "minimum integer comparison", "comparison works for very negative numbers"): (
        JAVASCRIPT_POLICY + "; " + RUST_POLICY, frozenset({"typescript", "rust"})),
}  # fmt: skip
"""Instances where the generated code follows a documented policy instead of the suite:
(suite file, case description, test description) -> (the policy, the languages it decides).
Only optional/ has any."""


def policy_count(language: str) -> int:
    return sum(1 for _, languages in POLICY.values() if language in languages)


def policy_for(file: str, case: str, language: str = "python") -> dict[str, str]:
    """The documented deviations of one case in ``language``: test description -> policy."""
    name = Path(file).name
    return {
        test: why
        for (f, c, test), (why, languages) in POLICY.items()
        if (f, c) == (name, case) and language in languages
    }


def part(group: str, file: str) -> str:
    """The line of the report a suite file counts in: its group, or a part of optional/."""
    if group != "optional":
        return group
    relative = Path(file)
    return f"optional/{relative.stem}" if relative.parent.name != "format" else "optional/format"


class LanguageTally:
    """Counts of one language per group and per part (``COLUMNS``), with the details.

    A failing instance that a documented policy decides (``POLICY``) counts as ``inst_policy``
    when the language follows the policy, i.e. refuses it like Python does.
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self.counts: dict[str, Counter[str]] = {}
        self.parts: dict[str, Counter[str]] = {}
        self.details: list[str] = []  # disagreements
        self.notes: list[str] = []  # refusals and policy verdicts

    def add(self, group: str, file: str, key: str, n: int = 1) -> None:
        self.counts.setdefault(group, Counter())[key] += n
        self.parts.setdefault(part(group, file), Counter())[key] += n

    def refused(
        self, group: str, cases: list[dict[str, Any]], indices: Iterable[int], file: str = ""
    ) -> None:
        for i in indices:
            self.add(group, file, "case_refused")
            self.add(group, file, "inst_refused", len(cases[i]["tests"]))
            self.notes.append(f"REFUSED {file}: {cases[i]['description']!r}")

    def case(
        self, group: str, file: str, case: dict[str, Any], failing: list[tuple[str, str]]
    ) -> None:
        """One checked case; ``failing``: (test description, what happened) per wrong verdict."""
        policy = policy_for(file, case["description"], self.language)
        disagree = [(test, what) for test, what in failing if test not in policy]
        self.add(group, file, "case_disagree" if disagree else "case_agree")
        self.add(group, file, "inst_disagree", len(disagree))
        self.add(group, file, "inst_policy", len(failing) - len(disagree))
        self.add(group, file, "inst_agree", len(case["tests"]) - len(failing))
        self.details += [f"{file}: {case['description']!r}: {test!r}: {what}"
                         for test, what in disagree]  # fmt: skip
        self.notes += [f"POLICY {file}: {case['description']!r}: {test!r}: {policy[test]}"
                       for test, _ in failing if test in policy]  # fmt: skip

    def table(self, rows: dict[str, Counter[str]] | None = None) -> str:
        rows = self.counts if rows is None else rows
        lines = [f"{self.language:26}" + "".join(f"{c:>14}" for c in COLUMNS)]
        for name, counts in rows.items():
            lines.append(f"{name:26}" + "".join(f"{counts[c]:>14}" for c in COLUMNS))
        return "\n".join(lines)

    def write(self) -> Path:
        """``test-output/json-schema-suite/<language>.txt``: the tables and the notes."""
        REPORTS.mkdir(parents=True, exist_ok=True)
        path = REPORTS / f"{self.language}.txt"
        text = [
            f"JSON Schema test suite (draft 7) in {self.language}: cases agree / refused /",
            "disagree, instances agree / refused / disagree / decided by a documented policy.",
            "",
            self.table(),
            "",
            self.table(self.parts),
            "",
            *self.notes,
            *(f"DISAGREE {d}" for d in self.details),
        ]
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
        return path
