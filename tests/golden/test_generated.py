"""Golden records: generated/ (code and the IR dump) is exactly what the spec gives.

Regenerate both with one command: ``specgen generate``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import GENERATED, REPO, run_specgen


def test_generated_tree_and_ir_dump_are_current() -> None:
    result = run_specgen("generate", "--check")
    assert result.returncode == 0, f"generated/ is stale; run `specgen generate`:\n{result.stderr}"


def test_check_names_stale_and_orphaned_files(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    shutil.copytree(GENERATED, out, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    models = out / "python/src/powerflex_events/models.py"
    models.write_text(models.read_text() + "\n# edited by hand\n")
    (out / "ir.json").unlink()
    orphan = out / "python/src/powerflex_events/leftover.py"
    orphan.write_text("x = 1\n")

    result = run_specgen("generate", "--check", "--out", out)

    assert result.returncode == 1
    assert "models.py: stale" in result.stderr
    assert "ir.json: stale" in result.stderr
    assert "leftover.py (no longer generated): stale" in result.stderr
    assert orphan.exists(), "--check must not change anything"


def test_generate_writes_then_reports_no_change(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_specgen("generate", "--out", out)
    second = run_specgen("generate", "--out", out)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "0 changed" in second.stderr
    assert (out / "ir.json").read_bytes() == (GENERATED / "ir.json").read_bytes()


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_output_is_identical_under_different_hash_seeds(tmp_path: Path) -> None:
    trees = []
    for seed in ("0", "1", "4242"):
        out = tmp_path / f"seed-{seed}"
        result = run_specgen("generate", "--out", out, env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        trees.append(_tree(out))
    assert trees[0] == trees[1] == trees[2]
    assert len(trees[0]) > 10


def test_every_generated_source_file_says_do_not_edit() -> None:
    for path in sorted((GENERATED / "python").rglob("*")):
        if path.suffix in (".py", ".toml", ".md") and "egg-info" not in str(path):
            head = path.read_text().splitlines()[0]
            assert "DO NOT EDIT" in head, path


def test_generated_code_names_no_machine_paths() -> None:
    for path in sorted(GENERATED.rglob("*")):
        if path.is_file() and "egg-info" not in str(path) and "__pycache__" not in str(path):
            assert str(REPO) not in path.read_text(), path
