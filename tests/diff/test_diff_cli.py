"""``specgen diff`` from the command line: git refs and paths, formats, exit codes, our own
spec against itself and against its history."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from diff_harness import TEMPLATE
from specgen.cli import main

REPO = Path(__file__).resolve().parents[2]
ENUM_OLD = (
    "type: object\nproperties:\n  id: {type: string}\n  kind: {enum: [a, b]}\n"
    "required: [id]\nadditionalProperties: false\n"
)
ENUM_NEW = ENUM_OLD.replace("[a, b]", "[a]")


def _git(folder: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose spec/ is the template at tag v1.0.0, with a working change."""
    shutil.copytree(TEMPLATE, tmp_path / "spec")
    (tmp_path / "spec" / "payload.yaml").write_text(ENUM_OLD, encoding="utf-8")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "first")
    _git(tmp_path, "tag", "v1.0.0")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_unchanged_spec_against_git_ref(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "spec", "--against", "main")
    assert code == 0, err
    assert "0 error(s)" in err


def test_breaking_change_fails_and_names_the_version(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "spec" / "payload.yaml").write_text(ENUM_NEW, encoding="utf-8")
    code, _, err = run(capsys, "spec", "--against", "v1.0.0")
    assert code == 1
    assert "error[WIRE/ENUM_VALUE_REMOVED]" in err
    assert "spec/payload.yaml:4:" in err and "(v1.0.0)" in err  # both versions located
    assert "must be at least 2.0.0" in err
    code, _, err = run(capsys, "spec", "--against", "v1.0.0", "--mode", "forward")
    assert "error[WIRE/ENUM_VALUE_REMOVED]" not in err  # forward: old consumers are fine
    assert "info[WIRE/ENUM_VALUE_REMOVED]" in err


def test_json_github_and_markdown(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "spec" / "payload.yaml").write_text(ENUM_NEW, encoding="utf-8")
    code, out, _ = run(capsys, "spec", "--against", "main", "--format", "json")
    data = json.loads(out)
    assert code == 1
    rules = {f["rule"]: f for f in data["findings"]}
    enum = rules["ENUM_VALUE_REMOVED"]
    assert (
        enum["category"] == "WIRE" and enum["level"] == "error" and enum["breaks"] == ["backward"]
    )
    assert enum["old"]["file"].endswith("spec/payload.yaml") and enum["new"]["line"] == 4
    assert json.loads(enum["example"])["kind"] == "b"
    assert data["version"]["required"] == "2.0.0"
    _, out, _ = run(capsys, "spec", "--against", "main", "--format", "github")
    assert (
        "::error file=spec/payload.yaml,line=4," in out and "title=WIRE/ENUM_VALUE_REMOVED" in out
    )
    _, out, _ = run(capsys, "spec", "--against", "main", "--format", "markdown")
    assert out.startswith("## 1.0.0") and "### Breaking changes" in out


def test_annotation_accepts_with_its_reason(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "spec" / "payload.yaml").write_text(ENUM_NEW, encoding="utf-8")
    project = repo / "spec" / "specgen.yaml"
    text = project.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 2.0.0")
    text += (
        "x-specgen-breaking:\n  - {rule: ENUM_VALUE_REMOVED, version: 2.0.0, reason: b retired}\n"
        "  - {rule: ENUM_MEMBER_REMOVED, version: 2.0.0, reason: b retired}\n"
    )
    project.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "spec", "--against", "main")
    assert code == 0, err
    assert "accepted[WIRE/ENUM_VALUE_REMOVED]" in err and "b retired" in err


def test_bad_annotation_and_bad_ref(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = repo / "spec" / "specgen.yaml"
    project.write_text(
        project.read_text(encoding="utf-8")
        + "x-specgen-breaking:\n  - {rule: ENUM_REMOVED, reason: x}\n",
        "utf-8",
    )
    code, _, err = run(capsys, "spec", "--against", "main")
    assert code == 1 and "SG-DIFF-ANNOTATION" in err and "unknown rule 'ENUM_REMOVED'" in err
    code, _, err = run(capsys, "spec", "--against", "no-such-branch")
    assert code == 2 and "neither a path nor a git ref" in err and "Traceback" not in err


def test_transitive_mode_compares_every_release(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Lenient open content is not transitive: p is an integer at 1.0.0, undeclared at 1.1.0
    and a string now. Each step passes; a site still on 1.0.0 would not."""

    def payload(p: str) -> str:
        return f"type: object\nproperties:\n  id: {{type: string}}\n{p}required: [id]\n"

    (repo / "spec" / "payload.yaml").write_text(payload("  p: {type: integer}\n"), "utf-8")
    _git(repo, "commit", "-qam", "p declared")
    _git(repo, "tag", "-f", "v1.0.0")
    (repo / "spec" / "payload.yaml").write_text(payload(""), "utf-8")
    _git(repo, "commit", "-qam", "p undeclared")
    _git(repo, "tag", "v1.1.0")
    (repo / "spec" / "payload.yaml").write_text(payload("  p: {type: string}\n"), "utf-8")
    project = repo / "spec" / "specgen.yaml"
    project.write_text(project.read_text("utf-8").replace("1.0.0", "1.2.0"), "utf-8")
    args = ["spec", "--against", "v1.1.0", "--open-content", "lenient"]
    code, _, err = run(capsys, *args, "--mode", "full")
    assert code == 0, err
    code, _, err = run(capsys, *args, "--mode", "full-transitive")
    assert code == 1
    assert "error[WIRE/TYPE_NARROWED]" in err and "(v1.0.0)" in err


def test_our_spec_against_itself_finds_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["diff", str(REPO / "spec"), "--against", str(REPO / "spec"), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["findings"] == [] and data["diagnostics"] == []
    assert {e["status"] for e in data["events"]} == {"unchanged"}


def test_our_spec_against_its_first_commit(capsys: pytest.CaptureFixture[str]) -> None:
    """The first commit had only the orders domain and no project file: everything since is
    an addition, and the five orders events are unchanged on the wire."""
    if not (REPO / ".git").exists():
        pytest.skip("needs the repository's git history (a source archive has none)")
    first = subprocess.run(
        ["git", "-C", str(REPO), "rev-list", "--max-parents=0", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    code = main(["diff", str(REPO / "spec"), "--against", first, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    errors = [f for f in data["findings"] if f["level"] == "error"]
    assert code == 0 and errors == []
    rules = {f["rule"] for f in data["findings"]}
    assert {"EVENT_ADDED", "DOMAIN_ADDED", "CHANNEL_ADDED", "PROJECT_FILE_ADDED"} <= rules
    orders = [e for e in data["events"] if ".orders." in e["type"]]
    assert len(orders) == 5 and all(e["backward"] == e["forward"] == "compatible" for e in orders)


def test_pre_commit_hook_in_a_new_spec_repo(tmp_path: Path) -> None:
    """`specgen init` writes the specgen-diff hook; pre-commit runs it against main and it
    fails once a commit-to-be removes an enum value (the hook is the real command)."""
    from tests.helpers import run_specgen

    folder = tmp_path / "acme-events"
    assert run_specgen("init", folder, "--name", "acme", cwd=tmp_path).returncode == 0
    _git(folder, "init", "-q", "-b", "main")
    _git(folder, "add", ".")
    _git(folder, "commit", "-q", "-m", "start")
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
    }

    def hook() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(bin_dir / "pre-commit"), "run", "specgen-diff", "--all-files"],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    clean = hook()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    document = folder / "spec" / "orders.asyncapi.yaml"
    text = document.read_text(encoding="utf-8")
    enum = re.search(r"enum: \[([^\]]+), ([^\],]+)\]", text)
    assert enum is not None, "the starter document has an enum"
    document.write_text(text.replace(enum.group(0), f"enum: [{enum.group(1)}]"), "utf-8")
    broken = hook()
    assert broken.returncode != 0
    assert "ENUM_VALUE_REMOVED" in broken.stdout + broken.stderr
