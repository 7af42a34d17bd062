"""Publishing for real: the release build goes to pypiserver, verdaccio and a Cargo registry on
127.0.0.1, fresh consumers install it with pip, npm and cargo, and each round-trips an event
through a real nats-server. A version already published is never uploaded again; when one
registry fails the others go ahead, and the rerun publishes only what is missing."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from nats.aio.client import Client
from specgen_runtime.servers import NatsServer

from tests.e2e.site_streams import create_site_streams
from tests.helpers import GENERATED, REPO, run_specgen
from tests.release.registries import Cargo, Npm, PyPI, cargo_registry, npm_registry, pypi_server

pytestmark = [pytest.mark.slow, pytest.mark.nats]

IR = json.loads((GENERATED / "ir.json").read_text(encoding="utf-8"))
VERSION = IR["project"]["version"]
SCOPES = ("@powerflex", "@specgen")
TIMEOUT = 900


class Registries:
    def __init__(self, pypi: PyPI, npm: Npm, cargo: Cargo) -> None:
        self.pypi, self.npm, self.cargo = pypi, npm, cargo

    def env(self) -> dict[str, str]:
        return {
            "TWINE_USERNAME": "release-test",
            "TWINE_PASSWORD": "release-test",
            "NPM_CONFIG_USERCONFIG": str(self.npm.npmrc),
            **self.cargo.env(),
        }

    def args(self, npm_url: str | None = None) -> list[str]:
        return [
            "--pypi-index",
            f"{self.pypi.url}simple/",
            "--pypi-upload",
            self.pypi.url,
            "--npm-registry",
            npm_url or self.npm.url,
            "--cargo-registry",
            self.cargo.name,
        ]

    def state(self) -> dict[str, object]:
        """What the registries hold, to show that a refused publish changed nothing."""
        files = sorted(
            str(p.relative_to(self.pypi.packages)) for p in self.pypi.packages.rglob("*")
        )
        tarballs = sorted(p.name for p in self.npm.storage.rglob("*.tgz"))
        head = subprocess.run(
            ["git", "-C", str(self.cargo.root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return {"pypi": files, "npm": tarballs, "cargo": head}


@pytest.fixture(scope="module")
def registries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registries]:
    root = tmp_path_factory.mktemp("registries")
    with pypi_server(root / "pypi") as pypi, npm_registry(root / "npm", SCOPES) as npm:
        with cargo_registry(root / "cargo") as cargo:
            yield Registries(pypi, npm, cargo)


def _publish(dist: Path, registries: Registries, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_specgen("release", "publish", "--dist", dist, *extra, env=registries.env())


def _lines(result: subprocess.CompletedProcess[str]) -> dict[tuple[str, str], str]:
    found = {}
    for line in result.stdout.splitlines():
        match = re.match(r"^(\w+)\s+(\S+) (\S+): (.*)$", line)
        if match:
            found[(match[1], match[2])] = match[4]
    return found


def test_one_registry_failing_does_not_stop_the_others_and_the_rerun_completes(
    dist: Path, registries: Registries
) -> None:
    manifest = json.loads((dist / "manifest.json").read_text())
    expected = {
        ({"python": "pypi"}.get(p["ecosystem"], p["ecosystem"]), p["name"])
        for p in manifest["packages"]
    }
    dead = f"http://127.0.0.1:{_closed_port()}/"
    first = _publish(dist, registries, *registries.args(npm_url=dead))
    assert first.returncode == 1
    lines = _lines(first)
    assert set(lines) == expected, first.stdout
    for (target, name), text in lines.items():
        assert text.startswith("FAILED") if target == "npm" else text == "published", (name, text)
    assert "run the release again" in first.stderr

    second = _publish(dist, registries, *registries.args())
    assert second.returncode == 0, second.stdout + second.stderr
    for (target, name), text in _lines(second).items():
        wanted = "published" if target == "npm" else "already published: not uploaded again"
        assert text == wanted, (target, name, text)


def test_publishing_a_published_version_fails_and_changes_nothing(
    dist: Path, registries: Registries
) -> None:
    before = registries.state()
    again = _publish(dist, registries, *registries.args())
    assert again.returncode == 1
    assert "nothing to publish" in again.stderr and "bump `version`" in again.stderr
    assert set(_lines(again).values()) == {"already published: not uploaded again"}
    assert registries.state() == before


def _closed_port() -> int:
    from specgen_runtime.servers import free_port

    return free_port()


# -- consumers --------------------------------------------------------------------------------
def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, **(env or {})},
        check=False,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


async def test_pip_consumer_round_trips_an_event(
    dist: Path, registries: Registries, nats_server: NatsServer, nc: Client, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    python = str(venv / "bin" / "python")
    _run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--index-url",
            f"{registries.pypi.url}simple/",
            "--extra-index-url",
            "https://pypi.org/simple",
            f"powerflex-events=={VERSION}",
        ],
        tmp_path,
        {"PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    info = json.loads(
        _run(
            [
                python,
                "-c",
                "import json, powerflex_events as p;"
                "print(json.dumps([p.__file__, p.build_info()]))",
            ],
            tmp_path,
        )
    )
    assert Path(info[0]).is_relative_to(venv)
    manifest = json.loads((dist / "manifest.json").read_text())
    assert info[1]["commit"] == (manifest["commit"] + ("+dirty" if manifest["dirty"] else ""))
    await create_site_streams(nc.jetstream())
    readme = (GENERATED / "python" / "README.md").read_text(encoding="utf-8")
    script = tmp_path / "consumer.py"
    script.write_text(re.findall(r"```python\n(.*?)```", readme, flags=re.S)[0])
    out = _run([python, str(script)], tmp_path, {"NATS_URL": nats_server.url})
    assert re.search(r"^stored in [A-Z_]+ as 1$", out, flags=re.M), out
    assert "received com.powerflex." in out


async def test_npm_consumer_round_trips_an_event(
    registries: Registries, nats_server: NatsServer, nc: Client, tmp_path: Path
) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "package.json").write_text(
        json.dumps(
            {
                "name": "consumer",
                "private": True,
                "type": "module",
                "dependencies": {"@powerflex/events": VERSION, "@nats-io/transport-node": "3.4.0"},
            }
        )
    )
    shutil.copyfile(registries.npm.npmrc, app / ".npmrc")
    _run(
        ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
        app,
        {"NPM_CONFIG_USERCONFIG": str(app / ".npmrc")},
    )
    package = app / "node_modules" / "@powerflex" / "events"
    assert json.loads((package / "package.json").read_text())["version"] == VERSION
    await create_site_streams(nc.jetstream())
    example = _first_example("OrderCancelledV1")
    live = str(REPO / "tests" / "typescript" / "scripts" / "live.mjs")
    job = {
        "siteId": "site-0001",
        "mode": "structured",
        "items": [
            {
                "publisher": "OrdersPublisher",
                "method": "orderCancelledV1",
                "data": example,
                "id": "npm-consumer-1",
                "time": "2026-01-01T00:00:00Z",
            }
        ],
    }
    published = _node(live, "publish", package, nats_server.url, job, app)
    assert published[0]["stream"] == "ORDERS" and published[0]["seq"] == 1, published
    sub = {
        "siteId": "site-0001",
        "timeoutMs": 10000,
        "subscriptions": [
            {"subscriber": "OrdersSubscriber", "method": "orderCancelledV1", "count": 1}
        ],
    }
    received = _node(live, "subscribe", package, nats_server.url, sub, app)
    events = [r for r in received if "id" in r]
    assert [(e["id"], e["data"]) for e in events] == [("npm-consumer-1", example)]


def _node(
    script: str, command: str, package: Path, url: str, job: object, cwd: Path
) -> list[dict[str, object]]:
    result = subprocess.run(
        ["node", script, command, str(package), url],
        input=json.dumps(job),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def _first_example(event_name: str) -> object:
    event = next(e for d in IR["domains"] for e in d["events"] if e["name"] == event_name)
    return event["examples"][0]["payload"]


@pytest.fixture(scope="module")
def cargo_live(registries: Registries, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The Rust harness built against the released crate (before any server is up)."""
    tmp_path = tmp_path_factory.mktemp("cargo-consumer")
    from tests.rust.rust_support import CARGO, HARNESS, TARGET

    if CARGO is None:
        pytest.skip("cargo is not installed (Rust toolchain)")
    app = tmp_path / "harness"
    shutil.copytree(HARNESS / "src", app / "src")
    registry = registries.cargo.name
    manifest = (HARNESS / "Cargo.toml").read_text(encoding="utf-8")
    manifest = re.sub(
        r"^powerflex-events = .*$",
        f'powerflex-events = {{ version = "{VERSION}", registry = "{registry}" }}',
        manifest,
        flags=re.M,
    )
    # The released runtime, from the same registry as the package that depends on it.
    manifest = re.sub(
        r"^specgen-runtime = \{ version = (\"[^\"]+\")",
        rf'specgen-runtime = {{ version = \1, registry = "{registry}"',
        manifest,
        flags=re.M,
    )
    manifest += "\n[workspace]\n"
    (app / "Cargo.toml").write_text(manifest, encoding="utf-8")
    lock = next((p for p in (REPO / "Cargo.lock", HARNESS / "Cargo.lock") if p.is_file()), None)
    if lock is not None:  # the versions the other Rust tests compiled: their builds are reused
        shutil.copyfile(lock, app / "Cargo.lock")
    # The shared target dir: dependencies the other Rust tests compiled are reused. The
    # binary is copied away at once (the harness's own `live` lives at the same path).
    env = {**registries.cargo.env(), "CARGO_TARGET_DIR": str(TARGET)}
    _run([CARGO, "build", "--quiet", "--bin", "live"], app, env)
    return str(shutil.copy2(TARGET / "debug" / "live", tmp_path / "live"))


async def test_cargo_consumer_round_trips_an_event(
    cargo_live: str, nats_server: NatsServer, nc: Client, tmp_path: Path
) -> None:
    live, app = cargo_live, tmp_path
    await create_site_streams(nc.jetstream())
    example = json.dumps(_first_example("OrderCancelledV1"))
    event_type = "com.powerflex.orders.order_cancelled.v1"
    ack = json.loads(
        _run(
            [
                live,
                "publish",
                nats_server.url,
                event_type,
                "cargo-consumer-1",
                "site-0001",
                example,
            ],
            app,
        )
    )
    assert ack["stream"] == "ORDERS", ack
    out = _run([live, "subscribe", nats_server.url, event_type, "1", "site-0001"], app)
    received = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert [r["id"] for r in received] == ["cargo-consumer-1"]
