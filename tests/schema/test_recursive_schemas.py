"""Our own cases, in the JSON Schema suite's format, for what the official suite does not
cover: recursive types (trees, mutual recursion, recursive non-objects), polymorphism where
a parent's ``oneOf`` lists children that ``allOf`` the parent, ``oneOf`` beside properties,
maps with patterns. They run through the same pipeline and harness as the suite (the
TypeScript and Rust suite tests run them too); polymorphism follows docs/json-schema.md
("Recursion"), where a schema met again on the same value is satisfied by assumption.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "conformance"))
import suite_harness as harness  # noqa: E402

CASES = Path(__file__).parent / "cases" / "draft7_recursive.json"


def test_recursive_and_polymorphic_schemas_in_python(tmp_path: Path) -> None:
    [result] = harness.run_suite(tmp_path, [CASES])
    assert not result.unattributed, result.unattributed
    counts = result.counts()
    print("\n" + harness.table([result]))
    assert counts["case_refused"] == 0 and counts["inst_disagree"] == 0, harness.details([result])
    assert counts["case_agree"] == len(result.cases)
