"""The release workflow that `specgen init` writes publishes the catalog to GitHub Pages.

The Pages job's own build step is run in a freshly started spec repository, and the site it
builds is the artifact the job uploads: every page of it renders cleanly in Chromium.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import yaml

from tests.helpers import run_specgen


def test_pages_job_builds_and_uploads_the_catalog(tmp_path: Path, serve: Any, browse: Any) -> None:
    repo = tmp_path / "acme-events"
    started = run_specgen("init", repo, "--name", "acme", cwd=tmp_path)
    assert started.returncode == 0, started.stderr
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "release.yml").read_text())
    job = workflow["jobs"]["pages"]
    assert job["permissions"] == {"pages": "write", "id-token": "write"}
    assert job["environment"]["name"] == "github-pages"
    steps = job["steps"]
    (build,) = [s["run"] for s in steps if "specgen docs" in s.get("run", "")]
    (upload,) = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert steps[-1]["uses"].startswith("actions/deploy-pages@")
    command = shlex.split(build)
    result = run_specgen(*command[1:], cwd=repo)  # as the job runs it, from the checkout
    assert result.returncode == 0, result.stderr
    site = repo / upload["with"]["path"]
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
    assert "index.html" in pages and any(p.startswith("events/") for p in pages)
    report = browse({"base": serve(site), "pages": pages})
    assert report["offsite"] == []
    assert {path: page["problems"] for path, page in report["pages"].items()} == {
        path: [] for path in pages
    }
