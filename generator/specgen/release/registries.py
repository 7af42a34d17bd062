"""The three registries as their ordinary clients see them: is a version there, upload it.

PyPI (and pypiserver): the simple index (PEP 503) tells which files exist; ``twine upload``
sends the missing ones (credentials from TWINE_USERNAME/TWINE_PASSWORD). npm (and
verdaccio): ``npm view`` and ``npm publish`` with the npm configuration's credentials.
Cargo (crates.io or an alternative registry): the index tells the published versions;
``cargo publish`` uploads (credentials from CARGO_REGISTRY_TOKEN or
CARGO_REGISTRIES_<NAME>_TOKEN). A registry that cannot be reached is a RegistryError.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tarfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

from specgen.release.artifacts import run
from specgen.release.manifest import Package, ReleaseError

PYPI_INDEX = "https://pypi.org/simple/"
PYPI_UPLOAD = "https://upload.pypi.org/legacy/"
CRATES_INDEX = "sparse+https://index.crates.io/"
TIMEOUT = 30


class RegistryError(ReleaseError):
    """A registry could not be asked or refused an upload."""


@dataclass(frozen=True)
class Registries:
    targets: tuple[str, ...]
    pypi_index: str | None = None
    pypi_upload: str | None = None
    npm_registry: str | None = None
    cargo_registry: str | None = None
    cargo_index: str | None = None


def _get(url: str) -> str | None:
    """The body at ``url``, None for 404; RegistryError when the registry cannot be reached."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 410):
            return None
        raise RegistryError(f"{url}: HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise RegistryError(f"{url}: cannot reach the registry ({exc})") from exc


# -- PyPI ----------------------------------------------------------------------------------
def pypi_missing(config: Registries, package: Package, dist: Path) -> list[Path]:
    index = (config.pypi_index or PYPI_INDEX).rstrip("/")
    normalized = re.sub(r"[-_.]+", "-", package.name).lower()
    page = _get(f"{index}/{normalized}/") or ""
    return [dist / f for f in package.files if Path(f).name not in page]


def pypi_upload(config: Registries, files: list[Path]) -> None:
    url = config.pypi_upload or PYPI_UPLOAD
    command = [sys.executable, "-m", "twine", "upload", "--non-interactive",
               "--disable-progress-bar", "--repository-url", url, *map(str, files)]  # fmt: skip
    run(command, files[0].parent, f"{files[0].name} (twine upload)")


# -- npm -----------------------------------------------------------------------------------
def _npm_registry(config: Registries, name: str) -> list[str]:
    """``--registry`` for the package, also for its scope (a scope's registry wins in npm)."""
    if not config.npm_registry:
        return []
    scope = (
        [f"--{name.split('/')[0]}:registry={config.npm_registry}"] if name.startswith("@") else []
    )
    return ["--registry", config.npm_registry, *scope]


def npm_published(config: Registries, package: Package, dist: Path) -> bool:
    command = ["npm", "view", f"{package.name}@{package.version}", "version", "--json",
               *_npm_registry(config, package.name)]  # fmt: skip
    try:
        out = run(command, dist, f"{package.name} (npm view)")
    except ReleaseError as exc:
        if "E404" in str(exc):
            return False
        raise RegistryError(str(exc)) from exc
    return bool(out.strip()) and package.version in out


def npm_publish(config: Registries, package: Package, dist: Path) -> None:
    for name in package.files:
        command = ["npm", "publish", str(dist / name), "--access", "public",
                   *_npm_registry(config, package.name)]  # fmt: skip
        run(command, dist, f"{package.name} (npm publish)")


# -- Cargo ---------------------------------------------------------------------------------
def _index_path(name: str) -> str:
    name = name.lower()
    if len(name) <= 2:
        return f"{len(name)}/{name}"
    if len(name) == 3:
        return f"3/{name[0]}/{name}"
    return f"{name[:2]}/{name[2:4]}/{name}"


def _cargo_index(config: Registries) -> str:
    if config.cargo_index:
        return config.cargo_index
    if config.cargo_registry:
        variable = f"CARGO_REGISTRIES_{config.cargo_registry.upper().replace('-', '_')}_INDEX"
        if variable in os.environ:
            return os.environ[variable]
        raise ReleaseError(f"--cargo-registry {config.cargo_registry}: give --cargo-index")
    return CRATES_INDEX


def cargo_published(config: Registries, package: Package) -> bool:
    index = _cargo_index(config).removeprefix("sparse+").rstrip("/")
    relative = _index_path(package.name)
    if index.startswith("file://"):
        path = Path(index.removeprefix("file://")) / relative
        text = path.read_text(encoding="utf-8") if path.is_file() else None
    else:
        text = _get(f"{index}/{relative}")
    versions = {json.loads(line)["vers"] for line in (text or "").splitlines() if line.strip()}
    return package.version in versions


def link_runtime(manifest: Path, runtime_folder: str) -> None:
    """Point the ``specgen-runtime`` dependency at a crate folder beside (version kept)."""
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(r'^specgen-runtime = "([^"]+)"$',
                  rf'specgen-runtime = {{ version = "\1", path = "../{runtime_folder}" }}',
                  text, flags=re.M)  # fmt: skip
    text = re.sub(r"^\[dependencies\.specgen-runtime\]$",
                  f'[dependencies.specgen-runtime]\npath = "../{runtime_folder}"',
                  text, flags=re.M)  # fmt: skip
    manifest.write_text(text, encoding="utf-8")


def _runtime_from(manifest: Path, registry: str) -> None:
    """An event crate published to an alternative registry takes its runtime from there too."""
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(
        r"^\[dependencies\.specgen-runtime\]$",
        f'[dependencies.specgen-runtime]\nregistry = "{registry}"',
        text,
        flags=re.M,
    )
    manifest.write_text(text, encoding="utf-8")


def cargo_publish(config: Registries, package: Package, dist: Path) -> None:
    """Publish the built .crate (cargo publishes from sources: the crate unpacked)."""
    target = ["--registry", config.cargo_registry] if config.cargo_registry else []
    if config.cargo_index and not config.cargo_registry:
        target = ["--index", config.cargo_index]
    with TemporaryDirectory(prefix="specgen-publish-") as tmp:
        for name in package.files:
            folder = _unpack(dist / name, Path(tmp))
            if config.cargo_registry and package.kind == "events":
                _runtime_from(folder / "Cargo.toml", config.cargo_registry)
            command = ["cargo", "publish", "--no-verify", "--allow-dirty", *target]
            env = {"CARGO_TARGET_DIR": str(Path(tmp) / "target")}
            run(command, folder, f"{package.name} (cargo publish)", env=env)


def _unpack(crate: Path, into: Path) -> Path:
    """The crate's sources with its normalized manifest (cargo refuses to publish the files it
    adds when packaging, so those go)."""
    with tarfile.open(crate, "r:gz") as archive:
        archive.extractall(into, filter="data")
    folder = into / crate.name.removesuffix(".crate")
    for added in ("Cargo.toml.orig", ".cargo_vcs_info.json"):
        (folder / added).unlink(missing_ok=True)
    return folder
