"""The project file is read exactly, a document inside a project gets the project's rules,
`--root` does not depend on the current folder, and validate reports what generate refuses."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import SPEC, run_specgen


def _copy_spec(tmp_path: Path) -> Path:
    spec = tmp_path / "spec"
    shutil.copytree(SPEC, spec)
    return spec


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _column_of(path: Path, line: int, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines()[line - 1].index(text) + 1


@pytest.mark.parametrize(
    ("old", "new", "rule", "says", "points_at"),
    [
        ("languages:", "languges:", "SG-PROJECT", "unknown key 'languges'", "languges"),
        ("    max_age: 30d\n    storage", "    max_ages: 30d\n    storage", "SG-PROJECT",
         "unknown key 'max_ages'", "max_ages"),
        ("domains: [orders,", "domains: [delivery,", "SG-PROJECT-TOPOLOGY", "'delivery'",
         "delivery"),
        ("    replicas: 3\n    duplicate_window: 2h\n  cloud",
         "    replicas: three\n    duplicate_window: 2h\n  cloud", "SG-PROJECT",
         "'three' is not a whole number", "three"),
        ("retention: limits\n    max_age: 30d\n    storage: file\n    replicas: 3\n    dup",
         "retention: bogus\n    max_age: 30d\n    storage: file\n    replicas: 3\n    dup",
         "SG-PROJECT", "'bogus' is not one of limits, interest, workqueue", "bogus"),
        ('subjects: ["pf.{site_id}.deadletter.>"]', 'subjects: "pf.>"', "SG-PROJECT",
         "subjects must be a list, not a string", '"pf.>"'),
        ("max_age: 365d", "max_age: 1.5d", "SG-PROJECT", "'1.5d' is not a duration", "1.5d"),
        ("module: powerflex_events", "module: ../../x", "SG-PROJECT",
         "'../../x' is not a Python module name", "../../x"),
    ],
    ids=["languages", "max_age", "domains", "replicas", "retention", "subjects", "duration",
         "escape"],
)  # fmt: skip
def test_project_file_problems_are_located(
    tmp_path: Path, old: str, new: str, rule: str, says: str, points_at: str
) -> None:
    spec = _copy_spec(tmp_path)
    project = spec / "specgen.yaml"
    _edit(project, old, new)
    result = run_specgen("validate", spec, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    found = re.search(rf"^spec/specgen.yaml:(\d+):(\d+): error\[{rule}\] (.*{re.escape(says)}.*)$",
                      result.stderr, re.MULTILINE)  # fmt: skip
    assert found, result.stderr
    line, column = int(found[1]), int(found[2])
    assert column == _column_of(project, line, points_at)
    generated = run_specgen("generate", spec, "--out", tmp_path / "out", cwd=tmp_path)
    assert generated.returncode == 1 and not (tmp_path / "out").exists()


def test_a_document_inside_a_project_gets_the_project_rules(tmp_path: Path) -> None:
    spec = _copy_spec(tmp_path)
    orders = spec / "orders.asyncapi.yaml"
    _edit(orders, "type: com.powerflex.orders.order_created.v1", "type: com.acme.OrderCreated")
    for named in (orders, spec / "common" / "schemas.yaml", spec):
        result = run_specgen("validate", named, cwd=tmp_path)
        assert result.returncode == 1, (named, result.stderr)
        assert "error[SG-CE-TYPE]" in result.stderr, (named, result.stderr)


def test_a_new_document_not_yet_listed_is_checked_with_the_project(tmp_path: Path) -> None:
    spec = _copy_spec(tmp_path)
    (spec / "deliveries.asyncapi.yaml").write_text(
        "asyncapi: 3.0.0\ninfo: {title: Deliveries, version: 1.0.0}\nchannels:\n"
        "  shipped: {address: deliveries.shipped}\n",
        encoding="utf-8",
    )
    result = run_specgen("validate", spec / "deliveries.asyncapi.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "deliveries.asyncapi.yaml:1:1: error[SG-DOMAIN]" in result.stderr, result.stderr
    assert "error[SG-DELIVERY]" in result.stderr


def test_the_root_does_not_depend_on_the_current_folder(tmp_path: Path) -> None:
    (tmp_path / "apis" / "common").mkdir(parents=True)
    (tmp_path / "apis" / "common" / "messages.yaml").write_text(
        "hello: {payload: {type: string}}\n", encoding="utf-8"
    )
    document = tmp_path / "apis" / "service" / "asyncapi.yaml"
    document.parent.mkdir()
    document.write_text(
        "asyncapi: 3.0.0\ninfo: {title: S, version: 1.0.0}\nchannels:\n  hello:\n"
        "    address: hello\n    messages:\n"
        "      hello: {$ref: '../common/messages.yaml#/hello'}\n",
        encoding="utf-8",
    )
    verdicts = set()
    for cwd in (tmp_path, tmp_path / "apis", document.parent, Path("/")):
        result = run_specgen("validate", document, "--format", "json", cwd=cwd)
        verdicts.add((result.returncode, "SG-REF-OUTSIDE-ROOT" in result.stdout))
    assert verdicts == {(1, True)}, verdicts
    allowed = run_specgen("validate", document, "--root", tmp_path / "apis", cwd=Path("/"))
    assert allowed.returncode == 0, allowed.stderr


def test_validate_reports_what_a_backend_would_refuse(tmp_path: Path) -> None:
    spec = _copy_spec(tmp_path)
    _edit(spec / "common" / "schemas.yaml", "    Money:\n", "    Big:\n      type: integer\n"
          "      minimum: 0\n      maximum: 18446744073709551615\n    Money:\n")  # fmt: skip
    orders = spec / "orders.asyncapi.yaml"
    text = orders.read_text(encoding="utf-8")
    schema = re.search(r"\n    OrderCreated:\n(?:      .*\n)*?      properties:\n", text)
    assert schema is not None
    insert = schema.end()
    orders.write_text(
        text[:insert]
        + "        big: {$ref: './common/schemas.yaml#/components/schemas/Big'}\n"
        + text[insert:],
        encoding="utf-8",
    )
    result = run_specgen("validate", spec, cwd=tmp_path)
    assert result.returncode == 1
    assert re.search(r"^spec/specgen.yaml:\d+:\d+: error\[SG-BACKEND\] typescript: ",
                     result.stderr, re.MULTILINE), result.stderr  # fmt: skip
    generated = run_specgen("generate", spec, "--out", tmp_path / "out", cwd=tmp_path)
    assert generated.returncode == 1 and "SG-BACKEND" in generated.stderr
