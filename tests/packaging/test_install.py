"""The generated distribution installs on its own: runtime/ and generated/python/ only.

A fresh venv (no system site-packages) gets a non-editable ``pip install`` of copies of the two
folders (copies, so the in-tree build leaves no build/ or egg-info behind in the repository).
The generator and its dependencies must not come along, and the installed package must be
typed (PEP 561) and ship its JSON Schemas.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
RUNTIME = REPO / "runtimes" / "python"
GENERATED = REPO / "generated" / "python"
IR = json.loads((REPO / "generated" / "ir.json").read_text(encoding="utf-8"))
MYPY = Path(sys.executable).parent / "mypy"
INSTALL_TIMEOUT = 600
RUN_TIMEOUT = 120


@dataclass(frozen=True)
class Venv:
    root: Path
    python: Path
    site_packages: Path

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        return subprocess.run(
            [str(self.python), *args],
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            cwd=cwd or self.root,
            env=env,
            check=False,
        )


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(
        source, target, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__", "build")
    )
    return target


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Venv]:
    root = tmp_path_factory.mktemp("pkg")
    env_dir = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True, timeout=RUN_TIMEOUT)
    python = env_dir / "bin" / "python"
    runtime = _copy(RUNTIME, root / "src" / "runtime")
    generated = _copy(GENERATED, root / "src" / "generated")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(runtime), str(generated)],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
        cwd=root,
        env=env,
        check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
        timeout=RUN_TIMEOUT,
    ).stdout.strip()
    yield Venv(env_dir, python, Path(site))


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_installed_package_imports_from_the_venv(venv: Venv) -> None:
    out = _ok(
        venv.run(
            "-c",
            "import json, powerflex_events, specgen_runtime;"
            "print(json.dumps([powerflex_events.__file__, specgen_runtime.__file__,"
            " powerflex_events.__version__, len(powerflex_events.EVENT_TYPES)]))",
        )
    )
    pf_file, rt_file, version, count = json.loads(out)
    # Non-editable: both packages live in the venv, not in the repository.
    assert Path(pf_file).is_relative_to(venv.site_packages)
    assert Path(rt_file).is_relative_to(venv.site_packages)
    assert version == IR["project"]["version"]
    assert count == sum(len(d["events"]) for d in IR["domains"])
    assert "No broken requirements" in _ok(venv.run("-m", "pip", "check"))


@pytest.mark.parametrize("module", ["jinja2", "datamodel_code_generator", "specgen", "yaml"])
def test_generator_and_its_dependencies_are_not_installed(venv: Venv, module: str) -> None:
    out = _ok(venv.run("-c", f"import importlib.util; print(importlib.util.find_spec({module!r}))"))
    assert out.strip() == "None"


def test_no_generator_distribution_or_script(venv: Venv) -> None:
    listed = json.loads(_ok(venv.run("-m", "pip", "list", "--format=json")))
    names = {p["name"].lower().replace("_", "-") for p in listed}
    assert {"powerflex-events", "specgen-runtime", "pydantic", "nats-py"} <= names
    assert not names & {"specgen", "jinja2", "datamodel-code-generator", "pyyaml", "ruff"}
    assert not (venv.root / "bin" / "specgen").exists()


def test_ships_py_typed_and_schemas(venv: Venv) -> None:
    package = venv.site_packages / "powerflex_events"
    assert (package / "py.typed").is_file()
    assert (venv.site_packages / "specgen_runtime" / "py.typed").is_file()
    schemas = {p.name: p for p in (package / "schemas").glob("*.json")}
    event_types = {e["type"] for d in IR["domains"] for e in d["events"]}
    assert set(schemas) == {f"{t}.json" for t in event_types}
    for domain in IR["domains"]:
        for event in domain["events"]:
            schema = json.loads(schemas[f"{event['type']}.json"].read_text(encoding="utf-8"))
            jsonschema.Draft7Validator.check_schema(schema)
            for example in event["examples"]:
                jsonschema.validate(example["payload"], schema)


VALIDATE_SCRIPT = textwrap.dedent(
    """
    import json
    import sys

    import pydantic
    from powerflex_events.events import EVENT_TYPES
    from specgen_runtime import Mode, decode, encode

    example = json.loads(open(sys.argv[1], encoding="utf-8").read())
    cls = EVENT_TYPES[example["type"]]
    data = cls.data_model().model_validate(example["payload"])
    event = cls.create(data, site_id="site-0001", id="pkg-1")
    for mode in Mode:
        headers, payload = encode(event, mode)
        assert decode(cls, headers, payload) == event, mode
    try:
        cls.data_model().model_validate(example["invalid"])
    except pydantic.ValidationError as exc:
        rejected = exc.error_count()
    else:
        rejected = 0
    print(json.dumps({"data": json.loads(payload), "rejected": rejected}))
    """
)


def test_script_validates_an_example(venv: Venv, tmp_path: Path) -> None:
    event = next(e for d in IR["domains"] for e in d["events"] if e["name"] == "OrderCreatedV1")
    payload: dict[str, Any] = event["examples"][0]["payload"]
    invalid = dict(payload, order_id=12345)  # a string (uuid) in the schema
    example_file = tmp_path / "example.json"
    example_file.write_text(
        json.dumps({"type": event["type"], "payload": payload, "invalid": invalid}),
        encoding="utf-8",
    )
    script = tmp_path / "validate_one.py"
    script.write_text(VALIDATE_SCRIPT, encoding="utf-8")
    result = json.loads(_ok(venv.run(str(script), str(example_file), cwd=tmp_path)))
    assert result["data"] == payload
    assert result["rejected"] >= 1


def _mypy(venv: Venv, cwd: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(MYPY),
            "--strict",
            "--no-incremental",
            "--python-version=3.11",
            f"--python-executable={venv.python}",
            f"--cache-dir={cwd / '.mypy_cache'}",
            *targets,
        ],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
        cwd=cwd,
        check=False,
    )


def test_mypy_strict_passes_on_the_generated_source(venv: Venv, tmp_path: Path) -> None:
    """specgen_runtime, pydantic and nats come from the fresh venv, not from the repo."""
    source = _copy(GENERATED / "src" / "powerflex_events", tmp_path / "src" / "powerflex_events")
    result = _mypy(venv, tmp_path / "src", "-p", "powerflex_events")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout
    assert source.is_dir()


CONSUMER = textwrap.dedent(
    """
    from nats.aio.client import Client
    from powerflex_events import OrdersPublisher, models
    from specgen_runtime import PublishResult


    async def publish(nc: Client, data: models.OrderCreated) -> PublishResult:
        return await OrdersPublisher(nc).order_created_v1(data, site_id="site-0001")
    """
)


def test_installed_package_is_typed_for_consumers(venv: Venv, tmp_path: Path) -> None:
    """Through py.typed, a consumer's mypy --strict sees the package's types, and errors."""
    good = tmp_path / "consumer_ok.py"
    good.write_text(CONSUMER, encoding="utf-8")
    result = _mypy(venv, tmp_path, str(good))
    assert result.returncode == 0, result.stdout + result.stderr

    bad = tmp_path / "consumer_bad.py"
    bad.write_text(CONSUMER.replace('site_id="site-0001"', "site_id=1"), encoding="utf-8")
    result = _mypy(venv, tmp_path, str(bad))
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'Argument "site_id"' in result.stdout and "consumer_bad.py" in result.stdout
