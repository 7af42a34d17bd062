"""Microseconds per event in Python, TypeScript and Rust, side by side, on the same event.

Run: ``.venv/bin/python bench/bench_languages.py`` (from the repository root; needs node with
tools/node/node_modules installed, and cargo; a language whose tools are missing is reported as
skipped). Options: ``--lang python --lang rust`` to run only some, ``--event TYPE``.

The event is the first example of ``com.powerflex.orders.order_created.v1`` (generated/ir.json),
structured mode, parameters ``site-0001``. Each language measures its generated package from
generated/ the same way: best of five runs of about 0.2 s, in microseconds per event.

- validate+encode: Python ``data_model().model_validate(payload)`` + ``create`` +
  ``encode(..., validate=False)`` (as bench_validate_encode.py); TypeScript ``spec.create``
  (ajv validation) + ``encode(..., false)`` over the compiled package
  (tests/typescript/scripts/bench.mjs); Rust deserialise from a parsed ``serde_json::Value`` +
  validate + ``Event::from_parts`` + ``codec::encode(.., false)``, release build (bench/rust).
- decode+validate: each language's ``decode`` of the headers and bytes it encoded.

Timings are printed, never asserted: they depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
IR = REPO / "generated" / "ir.json"
TS_PACKAGE = REPO / "generated" / "typescript"
NODE_MODULES = REPO / "tools" / "node" / "node_modules"
BENCH_MJS = REPO / "tests" / "typescript" / "scripts" / "bench.mjs"
RUST_BENCH = REPO / "bench" / "rust"
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or Path.home() / ".cache" / "specgen-cargo-target")
EVENT = "com.powerflex.orders.order_created.v1"
PARAM = "site-0001"
TIME = datetime(2026, 1, 1, tzinfo=UTC)
LANGUAGES = ("python", "typescript", "rust")

Timings = tuple[float, float]  # (validate+encode µs, decode+validate µs)


class Skipped(Exception):
    """A language cannot be measured here (a tool is missing); the reason is the message."""


def example_payload(event_type: str) -> Any:
    ir = json.loads(IR.read_text(encoding="utf-8"))
    for domain in ir["domains"]:
        for event in domain["events"]:
            if event["type"] == event_type:
                return event["examples"][0]["payload"]
    raise LookupError(f"{event_type} is not an event of {IR}")


def best_of(func: Callable[[], object]) -> float:
    """Best (least disturbed) microseconds per call over five runs of about 0.2 s each."""

    def run(number: int) -> float:
        start = time.perf_counter()
        for _ in range(number):
            func()
        return time.perf_counter() - start

    number = 1
    while run(number) < 0.05:
        number *= 2
    number *= 4
    return min(run(number) for _ in range(5)) / number * 1e6


# -- the three languages ---------------------------------------------------------------------
def python_timings(event_type: str, payload: Any) -> Timings:
    from powerflex_events.events import EVENT_TYPES
    from specgen_runtime import Mode, decode, encode

    cls = EVENT_TYPES[event_type]

    def encode_once() -> tuple[Any, bytes]:
        data = cls.data_model().model_validate(payload)
        event = cls.create(data, id="bench-1", time=TIME, site_id=PARAM)  # every event's parameter
        return encode(event, Mode.STRUCTURED, validate=False)

    headers, body = encode_once()
    return best_of(encode_once), best_of(lambda: decode(cls, headers, body))


def run(command: list[str], cwd: Path, timeout: float, **env: str) -> str:
    result = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **env},
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


def _timings(output: str) -> Timings:
    result = json.loads(output.strip().splitlines()[-1])
    return float(result["encode_us"]), float(result["decode_us"])


def prepare_typescript(work: Path) -> tuple[str, Path]:
    """(node, a copy of generated/typescript under ``work``), or raise Skipped.

    The package's runtime (@specgen/runtime) is built from runtimes/typescript and linked in,
    as the TypeScript tests do (tests/typescript/ts_support.py).
    """
    node, tsc = shutil.which("node"), NODE_MODULES / ".bin" / "tsc"
    if node is None or not tsc.is_file():
        raise Skipped("node, or tools/node/node_modules (run `npm ci` in tools/node), missing")
    import sys

    sys.path.insert(0, str(REPO / "tests" / "typescript"))
    from ts_support import built_runtime, linked_copy

    runtime = built_runtime(NODE_MODULES, work)
    return node, linked_copy(TS_PACKAGE, work / "typescript", NODE_MODULES, runtime)


def build_rust(crate: Path, binary: str) -> Path:
    """Build ``crate`` in release mode (shared target dir); the path of ``binary``."""
    cargo = shutil.which("cargo")
    if cargo is None:
        raise Skipped("cargo is not installed (Rust toolchain)")
    env = {"CARGO_TARGET_DIR": str(TARGET), "CARGO_TERM_COLOR": "never"}
    run([cargo, "build", "--release", "--quiet"], crate, 1800, **env)
    return TARGET / "release" / binary


def typescript_timings(event_type: str, payload_file: Path, work: Path) -> Timings:
    node, package = prepare_typescript(work)
    command = [node, str(BENCH_MJS), str(package), event_type, str(payload_file), PARAM]
    return _timings(run(command, package, 600))


def rust_timings(event_type: str, payload_file: Path) -> Timings:
    binary = build_rust(RUST_BENCH, "specgen-bench")
    return _timings(run([str(binary), event_type, str(payload_file), PARAM], RUST_BENCH, 600))


# -- report ----------------------------------------------------------------------------------
def report(results: dict[str, Timings | str]) -> str:
    base = results.get("python")
    header = f"{'language':12} {'validate+encode µs':>19} {'decode+validate µs':>19}"
    if isinstance(base, tuple):
        header += f" {'encode vs Python':>17} {'decode vs Python':>17}"
    lines = [header, "-" * len(header)]
    for language, result in results.items():
        if isinstance(result, str):
            lines.append(f"{language:12} skipped: {result}")
            continue
        line = f"{language:12} {result[0]:19.2f} {result[1]:19.2f}"
        if isinstance(base, tuple):
            line += f" {base[0] / result[0]:16.1f}x {base[1] / result[1]:16.1f}x"
        lines.append(line)
    if isinstance(base, tuple):
        lines.append("(vs Python: Python's time divided by the language's; > 1 is faster)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", action="append", choices=LANGUAGES, help="default: all three")
    parser.add_argument("--event", default=EVENT, help=f"event type (default {EVENT})")
    args = parser.parse_args()
    languages = args.lang or list(LANGUAGES)
    payload = example_payload(args.event)
    results: dict[str, Timings | str] = {}
    with tempfile.TemporaryDirectory(prefix="specgen-bench-") as tmp:
        work = Path(tmp)
        payload_file = work / "payload.json"
        payload_file.write_text(json.dumps(payload), encoding="utf-8")
        runs: dict[str, Callable[[], Timings]] = {
            "python": lambda: python_timings(args.event, payload),
            "typescript": lambda: typescript_timings(args.event, payload_file, work),
            "rust": lambda: rust_timings(args.event, payload_file),
        }
        for language in LANGUAGES:
            if language in languages:
                try:
                    results[language] = runs[language]()
                except Skipped as exc:
                    results[language] = str(exc)
    print(f"{args.event}, first example, structured mode: microseconds per event\n")
    print(report(results))


if __name__ == "__main__":
    main()
