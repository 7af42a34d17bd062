"""Real registries on 127.0.0.1 for the release tests: pypiserver, verdaccio, cargo-http-registry.

Each runs as its own process with its own port and storage folder under the test's tmp dir.
verdaccio has no uplink (nothing leaves the machine through it): consumers take only the
released scopes from it and everything else from the public registry, as teams with a
private registry do.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from specgen_runtime.servers import free_port

from tests.helpers import REPO, tool_path

VERDACCIO = REPO / "tools" / "registries" / "node_modules" / ".bin" / "verdaccio"
CARGO_HTTP_REGISTRY = "cargo-http-registry-0.1.8/bin/cargo-http-registry"
START_TIMEOUT = 60.0


def _wait(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{url}: server exited\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url}: not up after {START_TIMEOUT}s\n{log.read_text()[-3000:]}")


@contextmanager
def _process(command: list[str], url: str, folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=folder)
    try:
        _wait(url, process, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass(frozen=True)
class PyPI:
    url: str  # root: uploads go here, the simple index is url + "simple/"
    packages: Path


@contextmanager
def pypi_server(folder: Path) -> Iterator[PyPI]:
    packages = folder / "packages"
    packages.mkdir(parents=True)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "pypiserver",
        "run",
        "-i",
        "127.0.0.1",
        "-p",
        str(port),
        "-a",
        ".",
        "-P",
        ".",
        str(packages),
    ]
    url = f"http://127.0.0.1:{port}/"
    with _process(command, url + "simple/", folder):
        yield PyPI(url, packages)


@dataclass(frozen=True)
class Npm:
    url: str
    storage: Path
    npmrc: Path  # credentials for publishing and the scopes served by this registry


def _verdaccio_config(folder: Path, port: int) -> Path:
    config = folder / "config.yaml"
    config.write_text(
        f"storage: {folder / 'storage'}\n"
        f"auth:\n  htpasswd:\n    file: {folder / 'htpasswd'}\n    max_users: 10\n"
        "uplinks: {}\n"
        "packages:\n  '@*/*':\n    access: $all\n    publish: $authenticated\n"
        "  '**':\n    access: $all\n    publish: $authenticated\n"
        f"listen: 127.0.0.1:{port}\n"
        "log: {type: stdout, format: pretty, level: warn}\n",
        encoding="utf-8",
    )
    return config


def _npm_token(url: str) -> str:
    body = json.dumps({"name": "release-test", "password": "release-test-password"}).encode()
    request = urllib.request.Request(
        f"{url}-/user/org.couchdb.user:release-test",
        data=body,
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(json.loads(response.read())["token"])


@contextmanager
def npm_registry(folder: Path, scopes: tuple[str, ...]) -> Iterator[Npm]:
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    config = _verdaccio_config(folder, port)
    with _process([str(VERDACCIO), "--config", str(config)], url + "-/ping", folder):
        token = _npm_token(url)
        npmrc = folder / "npmrc"
        lines = [f"//127.0.0.1:{port}/:_authToken={token}"]
        lines += [f"{scope}:registry={url}" for scope in scopes]
        npmrc.write_text("\n".join(lines) + "\n", encoding="utf-8")
        yield Npm(url, folder / "storage", npmrc)


@dataclass(frozen=True)
class Cargo:
    name: str
    index: str  # file:// URL of the registry's git index
    root: Path

    def env(self) -> dict[str, str]:
        key = self.name.upper()
        return {
            f"CARGO_REGISTRIES_{key}_INDEX": self.index,
            f"CARGO_REGISTRIES_{key}_TOKEN": "release-test",
        }


@contextmanager
def cargo_registry(folder: Path) -> Iterator[Cargo]:
    binary = tool_path(CARGO_HTTP_REGISTRY)
    root = folder / "registry"
    port = free_port()
    command = [str(binary), "--addr", f"127.0.0.1:{port}", str(root)]
    with _process(command, f"http://127.0.0.1:{port}/", folder):
        yield Cargo("local", f"file://{root}", root)
