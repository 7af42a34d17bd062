"""``not`` beside other keywords, nested, optional and nullable, through the real pipeline.

The draft-7 suite's not.json only has ``not`` standing alone; cases/not_combinations.json
(suite format) adds ``not`` with ``type``/``properties``/``enum``, inside ``items``,
``additionalProperties``, ``anyOf``/``oneOf``/``allOf``, on optional properties (an explicit
null is checked against the ``not``), around unions, objects and integer bounds. Every case must
be supported (no refusal) and every instance must agree in Python and JSON mode.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import suite_harness as harness

CASES = Path(__file__).parent / "cases" / "not_combinations.json"


def test_not_combinations_agree(tmp_path: Path) -> None:
    result = harness.run_file(CASES, tmp_path, uuid.uuid4().hex[:8])
    counts = result.counts()
    assert not result.unattributed, result.unattributed
    assert counts["case_refused"] == 0, harness.details([result])
    assert counts["case_disagree"] == 0, harness.details([result])
    assert counts["inst_agree"] == sum(case.instances for case in result.cases)
