"""Publish a release build: per registry, upload exactly the package versions it lacks.

A version a registry already has is never uploaded again (``already``). A registry that
fails is reported and the others still go ahead, so running the release again publishes
only what is missing. Runtimes go first: the event packages depend on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from specgen.release import registries as reg
from specgen.release.manifest import Manifest, Package, ReleaseError
from specgen.release.registries import Registries

TARGET_OF = {"python": "pypi", "npm": "npm", "cargo": "cargo"}


@dataclass(frozen=True)
class Outcome:
    target: str
    package: Package
    state: str  # published | already | missing | failed
    detail: str = ""

    def line(self) -> str:
        head = f"{self.target:<5} {self.package.name} {self.package.version}: "
        text = {
            "published": "published",
            "already": "already published: not uploaded again",
            "missing": "not published yet",
            "failed": f"FAILED: {self.detail}",
        }[self.state]
        return head + text


def _ordered(manifest: Manifest, config: Registries) -> list[Package]:
    chosen = [p for p in manifest.packages if TARGET_OF[p.ecosystem] in config.targets]
    return sorted(chosen, key=lambda p: p.kind != "runtime")


def _missing(config: Registries, package: Package, dist: Path) -> bool:
    if package.ecosystem == "python":
        return bool(reg.pypi_missing(config, package, dist))
    if package.ecosystem == "npm":
        return not reg.npm_published(config, package, dist)
    return not reg.cargo_published(config, package)


def status(manifest: Manifest, dist: Path, config: Registries) -> list[Outcome]:
    outcomes = []
    for package in _ordered(manifest, config):
        target = TARGET_OF[package.ecosystem]
        try:
            state = "missing" if _missing(config, package, dist) else "already"
            outcomes.append(Outcome(target, package, state))
        except ReleaseError as exc:
            outcomes.append(Outcome(target, package, "failed", str(exc)))
    return outcomes


def _upload(config: Registries, package: Package, dist: Path) -> None:
    if package.ecosystem == "python":
        reg.pypi_upload(config, reg.pypi_missing(config, package, dist))
    elif package.ecosystem == "npm":
        reg.npm_publish(config, package, dist)
    else:
        reg.cargo_publish(config, package, dist)


def publish(manifest: Manifest, dist: Path, config: Registries) -> list[Outcome]:
    outcomes = []
    failed_targets: set[str] = set()
    for before in status(manifest, dist, config):
        target, package = before.target, before.package
        if before.state != "missing" or target in failed_targets:
            skipped = before.state == "missing"
            outcomes.append(
                Outcome(target, package, "failed", "an earlier package of this registry failed")
                if skipped else before
            )  # fmt: skip
            continue
        try:
            _upload(config, package, dist)
            outcomes.append(Outcome(target, package, "published"))
        except ReleaseError as exc:
            failed_targets.add(target)
            outcomes.append(Outcome(target, package, "failed", str(exc)))
    return outcomes
