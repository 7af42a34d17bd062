"""The command line as users and CI meet it: exit codes, output formats, the pre-commit hook."""

from __future__ import annotations

import gc
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from specgen import cli

from tests.helpers import REPO, SPEC, run_specgen

DIAGNOSTIC = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning)"
                        r"\[(?P<rule>[A-Z0-9-]+)\] (?P<message>.+)$")  # fmt: skip


def _broken_spec(tmp_path: Path) -> Path:
    spec = tmp_path / "spec"
    shutil.copytree(SPEC, spec)
    orders = spec / "orders.asyncapi.yaml"
    text = orders.read_text()
    orders.write_text(text.replace("schemas/Money'", "schemas/Monie'", 1))
    return spec


def test_validate_our_spec_is_clean() -> None:
    result = run_specgen("validate")
    assert result.returncode == 0, result.stderr
    assert "document(s) valid" in result.stderr


def test_errors_read_like_a_compiler_and_exit_1(tmp_path: Path) -> None:
    spec = _broken_spec(tmp_path)
    result = run_specgen("validate", spec, cwd=tmp_path)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith("    hint:")]
    parsed = [DIAGNOSTIC.match(line) for line in lines]
    assert parsed and all(parsed), result.stderr
    dangling = [m for m in parsed if m and m["rule"] == "SG-REF-DANGLING"]
    assert dangling, result.stderr
    where = dangling[0]
    assert where["path"] == "spec/orders.asyncapi.yaml"
    source_line = (spec / "orders.asyncapi.yaml").read_text().splitlines()[int(where["line"]) - 1]
    assert "Monie" in source_line or "$ref" in source_line


def test_json_format_is_machine_readable(tmp_path: Path) -> None:
    result = run_specgen("validate", _broken_spec(tmp_path), "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    rows = json.loads(result.stdout)
    assert {"rule", "level", "message", "hint", "location"} <= set(rows[0])
    assert {"file", "line", "column", "pointer"} <= set(rows[0]["location"])
    assert any(r["rule"] == "SG-REF-DANGLING" for r in rows)


def test_clean_json_output_is_an_empty_list() -> None:
    result = run_specgen("validate", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_github_format_prints_annotations(tmp_path: Path) -> None:
    result = run_specgen("validate", _broken_spec(tmp_path), "--format", "github", cwd=tmp_path)
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert re.match(
        r"^::(error|warning) file=spec/[^,]+,line=\d+,col=\d+,title=SG-[A-Z-]+::", first
    )


def test_missing_path_is_an_io_error_exit_2(tmp_path: Path) -> None:
    result = run_specgen("validate", tmp_path / "nope")
    assert result.returncode == 2
    assert "nope" in result.stderr


def test_usage_error_exit_2() -> None:
    assert run_specgen("validate", "--format", "xml").returncode == 2
    assert run_specgen("frobnicate").returncode == 2


def test_generate_refuses_an_invalid_spec(tmp_path: Path) -> None:
    result = run_specgen("generate", _broken_spec(tmp_path), "--out", tmp_path / "out")
    assert result.returncode == 1
    assert not (tmp_path / "out").exists()


def test_plain_asyncapi_document_validates_with_the_asyncapi_ruleset(tmp_path: Path) -> None:
    document = tmp_path / "doc.yaml"
    document.write_text(
        "asyncapi: 3.0.0\ninfo: {title: Plain, version: 1.0.0}\n"
        "channels:\n  hello:\n    address: hello\n    messages:\n"
        "      greeting: {payload: {type: string}}\n"
    )
    result = run_specgen("validate", document, "--ruleset", "asyncapi", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_pre_commit_runs_the_hook_from_this_repository(tmp_path: Path) -> None:
    """``pre-commit try-repo`` installs the hook from our repository as any user's would."""
    if subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True,
                      check=False).returncode != 0:  # fmt: skip
        pytest.skip("the repository has no commit for pre-commit to clone")
    user_repo = tmp_path / "user"
    shutil.copytree(SPEC, user_repo / "spec")
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q", str(user_repo)], check=True)
    subprocess.run([*git, "-C", str(user_repo), "add", "-A"], check=True)
    env_home = {"PRE_COMMIT_HOME": str(tmp_path / "cache"), "PATH": _path()}
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "specgen-validate",
               "--all-files"]  # fmt: skip
    good = subprocess.run(command, cwd=user_repo, capture_output=True, text=True,
                          env=env_home, timeout=600, check=False)  # fmt: skip
    assert good.returncode == 0, good.stdout + good.stderr
    broken = user_repo / "spec/orders.asyncapi.yaml"
    broken.write_text(broken.read_text().replace("schemas/Money'", "schemas/Monie'", 1))
    bad = subprocess.run(command, cwd=user_repo, capture_output=True, text=True,
                         env=env_home, timeout=600, check=False)  # fmt: skip
    assert bad.returncode == 1
    assert "SG-REF-DANGLING" in bad.stdout


def _path() -> str:
    import os

    return os.environ.get("PATH", "")


def test_commands_run_with_fewer_collections_and_put_the_thresholds_back(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[tuple[int, ...]] = []

    def rules(args: object) -> int:
        seen.append(gc.get_threshold())
        raise OSError("disk on fire")

    before = gc.get_threshold()
    monkeypatch.setitem(cli.COMMANDS, "rules", rules)
    assert cli.main(["rules"]) == cli.EXIT_USAGE
    assert "disk on fire" in capsys.readouterr().err
    assert seen == [cli.GC_THRESHOLDS] and gc.get_threshold() == before
