"""Every command finds its project upward, and the project file's paths are relative to it."""

from __future__ import annotations

import shutil
from pathlib import Path

from specgen.discover import find_project, project_for

from tests.helpers import SPEC, run_specgen


def _user_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "team"
    shutil.copytree(SPEC, repo / "spec")
    return repo


def test_found_upward_from_anywhere_in_the_repository(tmp_path: Path) -> None:
    repo = _user_repo(tmp_path)
    deep = repo / "services" / "billing"
    deep.mkdir(parents=True)
    project = find_project(deep, conventional=True)
    assert project is not None
    assert project.file == (repo / "spec" / "specgen.yaml").resolve()
    assert project.output == (repo / "generated").resolve()  # `output: ../generated`


def test_generate_writes_where_the_project_says_whatever_the_cwd(tmp_path: Path) -> None:
    repo = _user_repo(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_specgen("generate", repo / "spec", "--lang", "python", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (repo / "generated" / "python" / "pyproject.toml").is_file()
    assert not (elsewhere / "generated").exists()

    # --check from inside the output, no paths: the project is found upward.
    inside = repo / "generated" / "python"
    check = run_specgen("generate", "--check", "--lang", "python", cwd=inside)
    assert check.returncode == 0, check.stderr

    readme = repo / "generated" / "python" / "README.md"
    readme.write_text(readme.read_text() + "edited\n")
    stale = run_specgen("generate", "--check", "--lang", "python", cwd=inside)
    assert stale.returncode == 1
    assert "README.md: stale" in stale.stderr


def test_output_key_is_relative_to_the_project_file(tmp_path: Path) -> None:
    repo = _user_repo(tmp_path)
    project_file = repo / "spec" / "specgen.yaml"
    text = project_file.read_text().replace("output: ../generated", "output: ../packages")
    project_file.write_text(text)
    result = run_specgen("generate", "--lang", "python", cwd=repo / "spec")
    assert result.returncode == 0, result.stderr
    assert (repo / "packages" / "python" / "pyproject.toml").is_file()


def test_without_a_project_there_is_one_clear_line(tmp_path: Path) -> None:
    result = run_specgen("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "no specgen.yaml" in result.stderr and "specgen init" in result.stderr


def test_a_plain_folder_does_not_borrow_a_surrounding_project(tmp_path: Path) -> None:
    repo = _user_repo(tmp_path)
    plain = repo / "examples"
    plain.mkdir()
    assert project_for([plain]) is None
    assert project_for([repo / "spec"]) is not None
