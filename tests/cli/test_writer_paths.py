"""The one writer never writes (or deletes) outside the output folder, whatever made the path:
'..', an absolute path, or a symlink inside the output folder that points elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from specgen.backends import GeneratedFile
from specgen.writer import UnsafePath, stale, unsafe_paths, write

from tests.helpers import run_specgen


@pytest.mark.parametrize(
    "path", ["../escape.py", "python/../../escape.py", "/tmp/escape.py", "C:/x.py", "a//b", ""]
)
def test_paths_that_leave_the_folder_are_refused_and_nothing_is_written(
    tmp_path: Path, path: str
) -> None:
    out = tmp_path / "out"
    files = [GeneratedFile("python/ok.py", "x = 1\n"), GeneratedFile(path, "boom\n")]
    assert len(unsafe_paths(files, out)) == 1
    with pytest.raises(UnsafePath, match="nothing written"):
        write(files, out)
    with pytest.raises(UnsafePath):
        stale(files, out)
    assert not out.exists() and not (tmp_path / "escape.py").exists()


def test_a_symlink_inside_the_output_folder_is_not_followed_out(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "python").symlink_to(outside, target_is_directory=True)
    files = [GeneratedFile("python/models.py", "x = 1\n")]
    with pytest.raises(UnsafePath, match="resolves outside"):
        write(files, out)
    assert sorted(p.name for p in outside.iterdir()) == ["precious.txt"]


def test_generate_reports_it_as_a_diagnostic(tmp_path: Path) -> None:
    document = tmp_path / "asyncapi.yaml"
    document.write_text(
        "asyncapi: 3.0.0\ninfo: {title: Lights, version: 1.0.0}\nchannels:\n"
        "  on:\n    address: lights.on\n    messages:\n      on: {payload: {type: string}}\n",
        encoding="utf-8",
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "python").symlink_to(outside, target_is_directory=True)
    result = run_specgen("generate", document, "--out", out, "--lang", "python", cwd=tmp_path)
    assert result.returncode == 1
    assert "error[SG-WRITE-PATH]" in result.stderr and "nothing is written" in result.stderr
    assert list(outside.iterdir()) == []
