"""``specgen init``: a new spec repository that validates and generates right away."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import run_specgen

STARTER_FILES = {
    ".github/workflows/pull-request.yml",
    ".github/workflows/release.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "README.md",
    "requirements.txt",
    "spec/orders.asyncapi.yaml",
    "spec/specgen.yaml",
}


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("init") / "acme-events"
    result = run_specgen("init", folder, "--name", "acme", cwd=folder.parent)
    assert result.returncode == 0, result.stderr
    return folder


def test_writes_the_starter(started: Path) -> None:
    assert _files(started) == STARTER_FILES
    project = yaml.safe_load((started / "spec" / "specgen.yaml").read_text())
    assert project["project"] == "acme"
    assert project["packages"]["python"] == {"distribution": "acme-events", "module": "acme_events"}
    assert "specgen[release]==" in (started / "requirements.txt").read_text()


def test_validates_and_generates_from_inside_the_repository(started: Path) -> None:
    validate = run_specgen("validate", cwd=started / "spec")
    assert validate.returncode == 0, validate.stderr
    assert "warning" not in validate.stderr
    generate = run_specgen("generate", cwd=started)
    assert generate.returncode == 0, generate.stderr
    ir = json.loads((started / "generated" / "ir.json").read_text())
    types = [e["type"] for d in ir["domains"] for e in d["events"]]
    assert types == ["com.acme.orders.order_placed.v1", "com.acme.orders.order_shipped.v1"]
    subjects = {e["subject_template"] for d in ir["domains"] for e in d["events"]}
    assert subjects == {
        "acme.{site_id}.orders.order_placed.v1",
        "acme.{site_id}.orders.order_shipped.v1",
    }
    for language in ("python", "typescript", "rust"):
        assert (started / "generated" / language / "README.md").is_file()
    check = run_specgen("generate", "--check", cwd=started / "generated")
    assert check.returncode == 0, check.stderr


def test_generated_python_imports_and_validates_its_example(started: Path) -> None:
    run_specgen("generate", "--lang", "python", cwd=started)
    code = (
        "import acme_events as a\n"
        "cls = a.EVENT_TYPES['com.acme.orders.order_placed.v1']\n"
        "payload = a.examples()[cls.SPEC.type][0]\n"
        "event = cls.create(cls.data_model().model_validate(payload), site_id='site-0001')\n"
        "print(cls.SPEC.subject_for(site_id='site-0001'), a.build_info()['spec_version'])\n"
    )
    src = started / "generated" / "python" / "src"
    result = subprocess.run([sys.executable, "-c", code], cwd=src, capture_output=True,
                            text=True, timeout=60, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["acme.site-0001.orders.order_placed.v1", "0.1.0"]


def test_never_overwrites(started: Path) -> None:
    before = (started / "spec" / "specgen.yaml").read_text()
    again = run_specgen("init", started)
    assert again.returncode == 2
    assert "already exists" in again.stderr and "never overwrites" in again.stderr
    assert (started / "spec" / "specgen.yaml").read_text() == before


def test_names_are_checked(tmp_path: Path) -> None:
    result = run_specgen("init", tmp_path / "x", "--name", "Acme Corp")
    assert result.returncode == 2
    assert "project name 'Acme Corp'" in result.stderr
    assert not (tmp_path / "x").exists()


def test_defaults_come_from_the_folder_name(tmp_path: Path) -> None:
    result = run_specgen("init", tmp_path / "Globex-Events")
    assert result.returncode == 0, result.stderr
    project = yaml.safe_load((tmp_path / "Globex-Events" / "spec" / "specgen.yaml").read_text())
    assert project["project"] == "globex"
    assert project["dead_letter"]["subject"].startswith("globex.{site_id}.")
