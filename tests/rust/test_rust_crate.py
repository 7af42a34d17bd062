"""The generated Rust crate builds, passes clippy and its tests, and matches the golden vectors.

Every vector of tests/vectors/vectors.json (each spec example in structured and binary mode)
is decoded by the Rust codec to the expected values and re-encoded to identical payload bytes
and headers (tests/rust/harness, binary `vectors`).
"""

from __future__ import annotations

import json

from rust_support import CRATE, HARNESS, REPO, cargo, needs_cargo

pytestmark = needs_cargo


def test_clippy_all_targets_no_warnings() -> None:
    cargo(["clippy", "--all-targets", "--", "-D", "warnings"], CRATE)


def test_clippy_with_opentelemetry_no_warnings() -> None:
    """The crate's `opentelemetry` feature forwards to the runtime's (tracing code compiled)."""
    cargo(["clippy", "--features", "opentelemetry", "--", "-D", "warnings"], CRATE)


def test_payload_only_build_without_nats() -> None:
    cargo(["check", "--no-default-features"], CRATE)


def test_cargo_test() -> None:
    result = cargo(["test", "--quiet"], CRATE)
    assert "test result: ok" in result.stdout


def test_formatted_with_rustfmt() -> None:
    cargo(["fmt", "--check"], CRATE)


def test_golden_vectors_decode_and_reencode_byte_identical() -> None:
    vectors = REPO / "tests" / "vectors" / "vectors.json"
    result = cargo(["run", "--quiet", "--bin", "vectors", "--", str(vectors)], HARNESS)
    assert "vectors: 84 passed, 0 failed" in result.stdout, result.stdout
    # The crate tells where it comes from (build-info.json, read through the runtime).
    info = json.loads((CRATE / "build-info.json").read_text())
    assert f"built from: powerflex {info['spec_version']} ({info['spec_digest']})" in result.stdout
