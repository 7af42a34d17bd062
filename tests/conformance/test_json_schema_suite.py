"""The official JSON Schema test suite (draft 7) against the models specgen generates.

Every case of every top-level suite file goes through the real pipeline (see
``suite_harness``); each instance is validated in Python and in JSON mode and must agree with
the suite's ``valid``. Cases whose schema the pipeline refuses, by keyword, are counted apart.
Run with ``-s`` to see the table; it is also written to ``json-schema-suite-report.txt`` in the
session's temporary folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import suite_harness as harness

from tests.helpers import needs_shared

pytestmark = needs_shared(harness.SUITE, "the JSON Schema test suite")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, harness.FileResult]:
    workdir = tmp_path_factory.mktemp("json-schema-suite")
    outcome = {r.name: r for r in harness.run_suite(workdir)}
    ordered = list(outcome.values())
    report = harness.table(ordered) + "\n\n" + harness.details(ordered) + "\n"
    (workdir / "json-schema-suite-report.txt").write_text(report, encoding="utf-8")
    return outcome


@pytest.mark.parametrize("name", [p.name for p in harness.suite_files()])
def test_suite_file(results: dict[str, harness.FileResult], name: str) -> None:
    result = results[name]
    counts = result.counts()
    assert not result.unattributed, "errors outside any case:\n" + "\n".join(result.unattributed)
    assert counts["case_disagree"] == 0, f"{name}: {counts}\n{harness.details([result])}"


def test_totals(results: dict[str, harness.FileResult]) -> None:
    ordered = list(results.values())
    totals = harness.totals(ordered)
    print("\n" + harness.table(ordered))
    assert totals["case_agree"] + totals["case_refused"] + totals["case_disagree"] > 0
    assert totals["case_disagree"] == 0 and totals["inst_disagree"] == 0, (
        f"totals {totals}\n{harness.details(ordered)}"
    )


def test_only_remote_references_are_refused(results: dict[str, harness.FileResult]) -> None:
    """By policy remote references are refused (never fetched); everything else is supported."""
    others = [
        f"{r.name}: {case.description!r} refused by {keyword!r}"
        for r in results.values()
        for case in r.cases
        for keyword in case.refused_by
        if keyword != "$ref (remote)"
    ]
    assert not others, "\n".join(others)


def test_cases_are_embedded_with_their_own_base_uri() -> None:
    """A case keeps its meaning of ``#``: its root becomes an embedded resource."""
    schema = {"properties": {"x": {"$ref": "#"}}, "enum": [{"$ref": "#"}]}
    assert harness.embedded(schema, 3) == {"$id": "urn:specgen-suite:case3", **schema}
    assert harness.embedded({"$id": "http://x/y"}, 3) == {"$id": "http://x/y"}
    assert harness.embedded(True, 3) is True


@pytest.fixture(scope="module")
def optional(tmp_path_factory: pytest.TempPathFactory) -> list[harness.FileResult]:
    workdir = tmp_path_factory.mktemp("json-schema-suite-optional")
    return list(harness.run_suite(workdir, harness.optional_files()))


def test_optional_folder(optional: list[harness.FileResult]) -> None:
    """bignum, ecmascript-regex and format/*: the formats of docs/formats.md, the regex
    dialect; the only verdicts that differ from the suite are the documented policies."""
    print("\noptional/:\n" + harness.table(optional))
    totals = harness.totals(optional)
    assert totals["case_agree"] > 0 and totals["case_refused"] == 0
    assert totals["inst_disagree"] == 0, harness.details(optional)
    assert totals["inst_policy"] == harness.policy_count("python"), harness.details(optional)


def test_every_group_agrees_and_the_report_is_written(
    results: dict[str, harness.FileResult],
    optional: list[harness.FileResult],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The required folder, optional/ and our own cases, counted as the other languages count
    them (test-output/json-schema-suite/python.txt): only remote references are refused."""
    by_name = {r.name: r for r in optional}
    tally = harness.python_tally(
        {
            "draft7": [(p, results[p.name]) for p in harness.suite_files()],
            "optional": [(p, by_name[p.name]) for p in harness.optional_files()],
            "own": [
                (harness.OWN_CASES, r) for r in harness.run_suite(tmp_path, [harness.OWN_CASES])
            ],
        }
    )
    with capsys.disabled():
        print("\n" + tally.table(tally.parts) + f"\n(report: {tally.write()})")
    assert not tally.details, "\n".join(tally.details)
    refused = {group: counts["case_refused"] for group, counts in tally.counts.items()}
    remote = sum(1 for r in results.values() for c in r.cases if c.refused_by)
    assert refused == {"draft7": remote, "optional": 0, "own": 0}


def test_suite_location_is_next_to_the_repository() -> None:
    repo = Path(__file__).resolve().parents[2]
    assert harness.SUITE == repo.parent / "shared" / "json-schema-test-suite" / "draft7"
