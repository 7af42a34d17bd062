"""``dist/manifest.json`` and ``dist/SHA256SUMS``: what a release build produced."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
ECOSYSTEMS = ("python", "npm", "cargo")


@dataclass(frozen=True)
class Package:
    """One package of the release: its ecosystem, name, version and artifacts (dist-relative)."""

    ecosystem: str  # python | npm | cargo
    name: str
    version: str
    kind: str  # "events" (generated from the spec) or "runtime"
    spec_version: str | None
    files: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Manifest:
    project: str
    commit: str | None
    dirty: bool
    packages: tuple[Package, ...]

    def write(self, dist: Path) -> None:
        sums = {f: sha256(dist / f) for p in self.packages for f in p.files}
        data = asdict(self)
        data["checksums"] = sums
        (dist / MANIFEST).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        lines = [f"{digest}  {name}\n" for name, digest in sorted(sums.items())]
        (dist / CHECKSUMS).write_text("".join(lines), encoding="utf-8")

    @classmethod
    def read(cls, dist: Path) -> Manifest:
        path = dist / MANIFEST
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ReleaseError(
                f"{path}: no release build here ({exc}); run `specgen release build`"
            ) from exc
        packages = tuple(Package(**{**p, "files": tuple(p["files"])}) for p in data["packages"])
        manifest = cls(data["project"], data["commit"], data["dirty"], packages)
        for name, digest in data.get("checksums", {}).items():
            if not (dist / name).is_file() or sha256(dist / name) != digest:
                raise ReleaseError(f"{dist / name}: missing or changed since the build; rebuild")
        return manifest


class ReleaseError(RuntimeError):
    """A release step failed; the message names the package, the tool and what to do."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()
