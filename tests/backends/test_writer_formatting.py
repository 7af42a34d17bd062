"""The writer formats each language's files in one formatter run and names a file that fails."""

from __future__ import annotations

import pytest
from specgen.backends import GeneratedFile
from specgen.writer import FormatError, format_files


def test_python_files_are_formatted_together_and_sorted_by_path() -> None:
    files = [
        GeneratedFile("pkg/b.py", "y=[1,\n 2]\n"),
        GeneratedFile("README.md", "# untouched  \n"),
        GeneratedFile("pkg/a.py", "x=1\n"),
    ]
    out = format_files(files)
    assert [(f.path, f.content) for f in out] == [
        ("README.md", "# untouched  \n"),
        ("pkg/a.py", "x = 1\n"),
        ("pkg/b.py", "y = [1, 2]\n"),
    ]


def test_a_file_that_does_not_parse_is_named() -> None:
    files = [GeneratedFile("pkg/good.py", "x = 1\n"), GeneratedFile("pkg/bad.py", "def (:\n")]
    with pytest.raises(FormatError, match=r"pkg/bad\.py") as caught:
        format_files(files)
    assert "specgen-format-" not in str(caught.value)  # the temporary folder is not shown
