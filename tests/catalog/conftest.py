"""Fixtures of the catalog tests: a built catalog, a loopback web server, one browser run.

``catalog`` runs ``specgen docs`` on the repository's spec once per session. ``serve`` puts a
folder on a real HTTP server on 127.0.0.1 (a free port). ``browse`` drives Debian's Chromium
through the pinned playwright-core (tools/browser; ``npm ci`` when the installed version is
not the locked one) with ``scripts/browse.mjs`` and returns the JSON report; the tests judge
it. Browser tests skip, with the reason, when /usr/bin/chromium or node is missing (``make
test`` installs both).
Screenshots go to test-output/catalog/ (gitignored) and are listed at the end of the run.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest

from tests.helpers import REPO, SPEC, run_specgen

TOOLS = REPO / "tools" / "browser"
SCRIPT = Path(__file__).parent / "scripts" / "browse.mjs"
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO / "test-output" / "catalog"
NODE = shutil.which("node")
NPM = shutil.which("npm")
TAKEN: list[Path] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TAKEN:
        terminalreporter.write_sep("-", "catalog screenshots (for review)")
        for path in TAKEN:
            terminalreporter.write_line(str(path))


def build_catalog(out: Path, *spec: Path, env: dict[str, str] | None = None) -> Path:
    return run_catalog(out, *spec, env=env)[0]


def run_catalog(out: Path, *spec: Path, env: dict[str, str] | None = None) -> tuple[Path, str]:
    """``specgen docs SPEC --out OUT``; returns the folder and what the command printed."""
    result = run_specgen("docs", *(spec or (SPEC,)), "--out", out, env=env)
    assert result.returncode == 0, result.stderr
    return out, result.stderr


HASH_SEED = "1"  # the session's catalog; the determinism test builds another with a new seed


def broken_links(report: dict[str, Any], folder: Path) -> tuple[int, list[str]]:
    """Check every link of every visited page: it stays on the server that serves ``folder``,
    its file exists there, and its fragment names an element of the target page (when that
    page was visited too). Returns how many links were checked and the broken ones."""
    first = next(iter(report["pages"].values()))["links"][0]["href"]
    origin = "{0.scheme}://{0.netloc}".format(urlparse(first))
    ids = {path: set(page["ids"]) for path, page in report["pages"].items()}
    broken, checked = [], 0
    for path, page in report["pages"].items():
        for link in page["links"]:
            url, fragment = urldefrag(link["href"])
            if not url.startswith(origin):
                broken.append(f"{path}: {link['href']} (leaves the catalog)")
                continue
            target = urlparse(url).path.lstrip("/")
            target = target + "index.html" if target.endswith("/") or not target else target
            checked += 1
            if not (folder / target).is_file():
                broken.append(f"{path}: {link['href']} (no such file)")
            elif fragment and target in ids and fragment not in ids[target]:
                broken.append(f"{path}: {link['href']} (no element with id {fragment!r})")
    return checked, broken


@pytest.fixture(scope="session")
def catalog_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("catalog") / "site"
    return run_catalog(out, env={"PYTHONHASHSEED": HASH_SEED})


@pytest.fixture(scope="session")
def catalog(catalog_run: tuple[Path, str]) -> Path:
    return catalog_run[0]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator[Any]:
    """``serve(folder) -> base URL``; every server stops at the end of the session."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(_Quiet, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _pinned_version() -> str:
    lock = json.loads((TOOLS / "package-lock.json").read_text())
    return str(lock["packages"]["node_modules/playwright-core"]["version"])


def _installed_version() -> str | None:
    installed = TOOLS / "node_modules" / "playwright-core" / "package.json"
    return str(json.loads(installed.read_text())["version"]) if installed.is_file() else None


@pytest.fixture(scope="session")
def browser_tools() -> Path:
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make test does)")
    if NODE is None or NPM is None:
        pytest.skip("node and npm are needed to drive the browser")
    if _installed_version() != _pinned_version():
        subprocess.run(
            [NPM, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=TOOLS,
            check=True,
            capture_output=True,
            timeout=300,
        )
    return TOOLS / "node_modules" / "playwright-core" / "index.mjs"


@pytest.fixture(scope="session")
def browse(browser_tools: Path) -> Any:
    """``browse(config) -> report``: one Chromium run of scripts/browse.mjs."""

    def run(config: dict[str, Any]) -> dict[str, Any]:
        full = {"chromium": str(CHROMIUM), "playwright": str(browser_tools), **config}
        result = subprocess.run(
            [str(NODE), str(SCRIPT)], input=json.dumps(full), capture_output=True, text=True,
            timeout=600, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise AssertionError(f"browse.mjs failed:\n{result.stdout[-3000:]}\n{result.stderr}")
        report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
        TAKEN.extend(Path(p) for p in report["screenshots"])
        return report

    return run
