"""The crate specgen-runtime (runtimes/rust): its own tests, clippy in every feature set, rustfmt.

The runtime's tests (runtimes/rust/tests) use a hand-written event type the way a generated
crate writes one; the generated crate and the live tests cover the rest.
"""

from __future__ import annotations

from rust_support import RUNTIME, cargo, needs_cargo

pytestmark = needs_cargo


def test_runtime_cargo_test() -> None:
    result = cargo(["test", "--all-features"], RUNTIME)
    passed = sum(
        int(line.split()[3])
        for line in result.stdout.splitlines()
        if line.startswith("test result")
    )
    assert passed >= 15, result.stdout
    assert "FAILED" not in result.stdout


def test_runtime_clippy_in_every_feature_set() -> None:
    """All features, NATS without OpenTelemetry (none of its code compiled), and neither."""
    cargo(["clippy", "--all-targets", "--all-features", "--", "-D", "warnings"], RUNTIME)
    cargo(["clippy", "--all-targets", "--features", "nats", "--", "-D", "warnings"], RUNTIME)
    cargo(["clippy", "--all-targets", "--no-default-features", "--", "-D", "warnings"], RUNTIME)


def test_runtime_formatted_with_rustfmt() -> None:
    cargo(["fmt", "--check"], RUNTIME)
