"""jsonschema imported with rfc3987_syntax deferred: same format answers, no grammar at start."""

from __future__ import annotations

import json
import subprocess
import sys

CASES = [
    ("iri", "https://example.org/ümlaut?q=1"),
    ("iri", "not an iri"),
    ("iri-reference", "../relative/päth"),
    ("iri-reference", "\\\\bad"),
    ("uri", "https://example.org/x"),
    ("uri", "no scheme"),
    ("date-time", "2025-03-14T09:26:53Z"),
]

PROBE = """
import json, sys
from specgen.jsonschema_import import load
{load}
before = "rfc3987_syntax" in sys.modules
checker = jsonschema.Draft7Validator.FORMAT_CHECKER
answers = [checker.conforms(value, fmt) for fmt, value in json.loads(sys.argv[1])]
print(json.dumps({{"before": before, "answers": answers,
                  "after": "rfc3987_syntax" in sys.modules}}))
"""


def _probe(load_line: str) -> dict[str, object]:
    script = PROBE.format(load=load_line)
    out = subprocess.run(
        [sys.executable, "-c", script, json.dumps(CASES)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, object] = json.loads(out)
    return result


def test_deferred_import_gives_the_same_format_answers() -> None:
    deferred = _probe("jsonschema = load()")
    plain = _probe("import jsonschema")
    assert deferred["answers"] == plain["answers"]
    assert deferred["before"] is False  # the grammars were not built at import
    assert deferred["after"] is True  # ... but were when an iri format was checked
    assert plain["before"] is True
    assert deferred["answers"] == [True, False, True, False, True, False, True]
