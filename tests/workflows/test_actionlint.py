"""The GitHub workflows, ours and the ones `specgen init` writes: actionlint-clean, pinned."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from specgen import init

from tests.helpers import REPO, tool_path

ACTIONLINT = "actionlint-v1.7.12/actionlint"
OURS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _starter(tmp_path: Path) -> list[Path]:
    files = init.starter_files(init.Choices("acme", "acme", "com.acme"))
    written = []
    for relative, content in files.items():
        if relative.startswith(".github/workflows/"):
            target = tmp_path / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            written.append(target)
    return written


def _actionlint(files: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    tool = tool_path(ACTIONLINT)
    return subprocess.run(
        [str(tool), "-no-color", *map(str, files)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_our_workflows_pass_actionlint() -> None:
    assert {p.name for p in OURS} >= {"ci.yml", "release.yml"}
    result = _actionlint(OURS, REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_starter_workflows_pass_actionlint(tmp_path: Path) -> None:
    files = _starter(tmp_path)
    assert {p.name for p in files} == {"pull-request.yml", "release.yml"}
    result = _actionlint(files, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ secrets.TOKEN.nope( }}\n"
    )
    result = _actionlint([broken], tmp_path)
    assert result.returncode == 1
    assert "broken.yml:6" in result.stdout


def _uses(path: Path) -> list[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        step["uses"]
        for job in data["jobs"].values()
        for step in job.get("steps", [])
        if "uses" in step
    ]


@pytest.mark.parametrize("which", ["ours", "starter"])
def test_third_party_actions_are_pinned_by_commit(which: str, tmp_path: Path) -> None:
    files = OURS if which == "ours" else _starter(tmp_path)
    uses = [u for f in files for u in _uses(f)]
    assert uses
    assert [u for u in uses if not PINNED.match(u)] == []


def test_release_workflow_publishes_all_three_registries_and_tags() -> None:
    jobs = yaml.safe_load((REPO / ".github/workflows/release.yml").read_text())["jobs"]
    assert {"build", "pypi", "npm", "crates", "tag"} <= set(jobs)
    assert jobs["pypi"]["permissions"] == {"id-token": "write"}  # trusted publishing
    assert "secrets.NPM_TOKEN" in str(jobs["npm"]) and "secrets.CARGO_REGISTRY_TOKEN" in str(
        jobs["crates"]
    )
