"""The three runtime packages share one version, and generated packages ask for a compatible
range of it (never an exact pin, never a range that admits the next breaking release)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import specgen_runtime
from specgen.backends.runtimes import (
    RUNTIME_VERSION,
    cargo_requirement,
    npm_range,
    python_requirement,
)

from tests.helpers import GENERATED, REPO


def test_the_three_runtimes_have_one_version() -> None:
    python = tomllib.loads((REPO / "runtimes/python/pyproject.toml").read_text())["project"]
    npm = json.loads((REPO / "runtimes/typescript/package.json").read_text())
    crate = tomllib.loads((REPO / "runtimes/rust/Cargo.toml").read_text())["package"]
    assert (python["name"], npm["name"], crate["name"]) == (
        "specgen-runtime",
        "@specgen/runtime",
        "specgen-runtime",
    )
    assert python["version"] == npm["version"] == crate["version"] == RUNTIME_VERSION
    assert specgen_runtime.__version__ == RUNTIME_VERSION


def test_generated_packages_depend_on_a_compatible_range() -> None:
    assert (python_requirement(), npm_range(), cargo_requirement()) == (
        "specgen-runtime>=0.2,<0.3",
        "^0.2.0",
        "0.2",
    )
    python = tomllib.loads((GENERATED / "python/pyproject.toml").read_text())["project"]
    assert python_requirement() in python["dependencies"]
    npm = json.loads((GENERATED / "typescript/package.json").read_text())
    assert npm["dependencies"] == {"@specgen/runtime": npm_range()}
    crate = tomllib.loads((GENERATED / "rust/Cargo.toml").read_text())
    assert crate["dependencies"]["specgen-runtime"] == cargo_requirement()
    assert crate["features"]["nats"] == ["specgen-runtime/nats"]


def test_generated_files_hold_no_machine_paths() -> None:
    for path in GENERATED.rglob("*"):
        if path.is_file() and "target" not in path.parts and "node_modules" not in path.parts:
            text = path.read_text(encoding="utf-8")
            assert str(REPO) not in text and str(Path.home()) not in text, path
