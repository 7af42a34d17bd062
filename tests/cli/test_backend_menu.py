"""Every language is always on the menu; an installation missing a backend fails loudly."""

from __future__ import annotations

from pathlib import Path

import pytest
from specgen import backends, cli, pipeline

from tests.helpers import SPEC, run_specgen


def test_every_language_is_offered() -> None:
    assert pipeline.LANGUAGES == ("python", "typescript", "rust")
    result = run_specgen("generate", "--lang", "cobol")
    assert result.returncode == 2
    assert "'python', 'typescript', 'rust'" in result.stderr


def test_a_missing_backend_is_a_packaging_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = backends._lazy("rust", "specgen.backends.not_installed")
    monkeypatch.setitem(backends.BACKENDS, "rust", broken)
    code = cli.main(["generate", str(SPEC), "--lang", "rust", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "installation is broken" in err and "reinstall specgen" in err
    assert "Traceback" not in err
