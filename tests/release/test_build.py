"""`specgen release build`: six packages, checksums, a manifest, the commit stamped in the
artifacts and never in generated/."""

from __future__ import annotations

import hashlib
import json
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.helpers import GENERATED, REPO

pytestmark = pytest.mark.slow

SIX = {
    ("python", "specgen-runtime", "runtime"),
    ("python", "powerflex-events", "events"),
    ("npm", "@specgen/runtime", "runtime"),
    ("npm", "@powerflex/events", "events"),
    ("cargo", "specgen-runtime", "runtime"),
    ("cargo", "powerflex-events", "events"),
}


def test_six_packages_with_checksums_and_manifest(dist: Path) -> None:
    manifest = json.loads((dist / "manifest.json").read_text())
    assert {(p["ecosystem"], p["name"], p["kind"]) for p in manifest["packages"]} == SIX
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()  # fmt: skip
    assert manifest["commit"] == head
    version = json.loads((GENERATED / "ir.json").read_text())["project"]["version"]
    for package in manifest["packages"]:
        assert package["spec_version"] == (version if package["kind"] == "events" else None)
        assert package["files"]
    pairs = [line.split("  ") for line in (dist / "SHA256SUMS").read_text().splitlines()]
    sums = {name: digest for digest, name in pairs}
    files = {f for p in manifest["packages"] for f in p["files"]}
    assert set(sums) == files
    for name in files:
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == sums[name]


def test_commit_is_stamped_into_the_artifact_not_into_generated(dist: Path) -> None:
    manifest = json.loads((dist / "manifest.json").read_text())
    commit = manifest["commit"] + ("+dirty" if manifest["dirty"] else "")
    wheel = next((dist / "python").glob("powerflex_events-*.whl"))
    stamped = json.loads(zipfile.ZipFile(wheel).read("powerflex_events/build-info.json"))
    committed = json.loads((GENERATED / "python/src/powerflex_events/build-info.json").read_text())
    assert stamped == {**committed, "commit": commit}
    assert committed["commit"] is None
    sdist = next((dist / "python").glob("powerflex_events-*.tar.gz"))
    with tarfile.open(sdist) as archive:
        member = next(m for m in archive.getnames() if m.endswith("build-info.json"))
        extracted = archive.extractfile(member)
        assert extracted is not None and json.loads(extracted.read())["commit"] == commit
