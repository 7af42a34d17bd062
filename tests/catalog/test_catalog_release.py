"""The release workflows publish the catalog to GitHub Pages: ours and the one `specgen init`
writes for a new spec repository.

Each workflow's Pages job must build the catalog with `specgen docs` into the folder its
upload step uploads and then deploy it. The build step is run as written (from a fresh
`specgen init` repository; for ours from the repository root, into a temporary folder instead
of build/catalog, so the checkout stays untouched), and every page of the result renders
cleanly in Chromium (for ours the overview and the topology: test_catalog_browser checks
every page of the same catalog).
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import REPO, run_specgen


def _pages_job(workflow: Path) -> tuple[list[str], str]:
    """The `specgen docs` command of the Pages job and the folder it uploads."""
    job = yaml.safe_load(workflow.read_text())["jobs"]["pages"]
    assert job["permissions"] == {"pages": "write", "id-token": "write"}
    assert job["environment"]["name"] == "github-pages"
    steps = job["steps"]
    (build,) = [s["run"] for s in steps if "specgen docs" in s.get("run", "")]
    (upload,) = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert steps[-1]["uses"].startswith("actions/deploy-pages@")
    command = shlex.split(build)
    out = command[command.index("--out") + 1]
    assert Path(upload["with"]["path"]) == Path(out), "the job uploads what it did not build"
    return command, out


@pytest.mark.parametrize("which", ["ours", "starter"])
def test_pages_job_builds_and_uploads_the_catalog(
    which: str, tmp_path: Path, serve: Any, browse: Any
) -> None:
    if which == "starter":
        repo = tmp_path / "acme-events"
        started = run_specgen("init", repo, "--name", "acme", cwd=tmp_path)
        assert started.returncode == 0, started.stderr
    else:
        repo = REPO
    command, out = _pages_job(repo / ".github" / "workflows" / "release.yml")
    site = tmp_path / "site" if which == "ours" else repo / out
    arguments = [str(site) if a == out else a for a in command[1:]]
    result = run_specgen(*arguments, cwd=repo)
    assert result.returncode == 0, result.stderr
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
    assert "index.html" in pages and any(p.startswith("events/") for p in pages)
    if which == "ours":  # every page of this catalog is checked in test_catalog_browser
        pages = ["index.html", "topology.html"]
    report = browse({"base": serve(site), "pages": pages, "contrast": False})
    assert report["offsite"] == []
    problems = {path: page["problems"] for path, page in report["pages"].items()}
    assert problems == {path: [] for path in pages}
