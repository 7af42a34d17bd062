"""The changelog: written from the diff, one entry per version, copied into every package."""

from __future__ import annotations

from pathlib import Path

import pytest
from specgen import pipeline
from specgen.cli import main
from specgen.diff.changelog import HEADER, package_files, release_notes, updated
from test_diff_cli import ENUM_NEW, repo  # noqa: F401 - the git repository fixture

ENTRY_1 = "## 1.0.0\n\nfirst\n"


def test_entries_are_replaced_not_repeated() -> None:
    once = updated("", "1.0.0", ENTRY_1)
    twice = updated(updated(once, "1.1.0", "## 1.1.0\n\nsecond\n"), "1.1.0", "## 1.1.0\n\nthird\n")
    assert twice.startswith(HEADER)
    assert twice.count("## 1.1.0") == 1 and "third" in twice and "second" not in twice
    assert twice.index("## 1.1.0") < twice.index("## 1.0.0")


def test_changelog_from_the_diff_into_every_package(
    repo: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    (repo / "spec" / "payload.yaml").write_text(ENUM_NEW, encoding="utf-8")
    project = repo / "spec" / "specgen.yaml"
    text = project.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 2.0.0")
    project.write_text(text.replace("languages: [python]", "languages: [python, rust]"), "utf-8")
    assert main(["changelog", "spec", "--against", "v1.0.0"]) == 0
    notes = release_notes(repo / "spec", "2.0.0")
    assert notes is not None and notes.startswith("## 2.0.0")
    assert "Compared with 1.0.0 (v1.0.0)." in notes
    assert "### Breaking changes" in notes and "ENUM_VALUE_REMOVED" in notes
    capsys.readouterr()
    assert main(["changelog", "spec", "--notes", "2.0.0"]) == 0
    assert capsys.readouterr().out == notes
    files = package_files(project, ["python", "rust"])
    copies = {f.path: f.content for f in files}
    assert set(copies) == {"python/CHANGELOG.md", "rust/CHANGELOG.md"}
    source = (repo / "spec" / "CHANGELOG.md").read_text("utf-8")
    assert all(c.endswith(source) and "DO NOT EDIT" in c.splitlines()[0] for c in copies.values())
    assert main(["changelog", "spec", "--notes", "9.9.9"]) == 1


def test_generate_copies_our_changelog() -> None:
    """Our own spec: the committed packages carry spec/CHANGELOG.md (the golden test checks
    the bytes; here, that generate puts one in each language's package)."""
    repo_root = Path(__file__).resolve().parents[2]
    result = pipeline.generate([repo_root / "spec"], out=repo_root / "generated")
    paths = {f.path for f in result.files or [] if f.path.endswith("CHANGELOG.md")}
    assert paths == {f"{lang}/CHANGELOG.md" for lang in ("python", "typescript", "rust")}
