"""Two generated Rust crates in one program share one specgen-runtime: same types.

Two small specs of their own (tests/two_packages/alpha and beta) become two crates in one
workspace with a program that depends on both. The program only compiles if an error made
by one crate *is* the other crate's error type (it assigns one to a variable of the other's
type), and it reports what each error says.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from rust_support import REPO, TARGET, cargo, needs_cargo, write_workspace
from specgen.pipeline import generate
from specgen.writer import write

pytestmark = needs_cargo
SPECS = REPO / "tests" / "two_packages"

MAIN = """\
use std::any::TypeId;

fn main() {
    let bad = alpha_events::models::ParcelScanned {
        parcel_id: "nope".to_owned(),
        weight_kg: serde_json::Number::from(1),
    };
    // Assigning alpha's error to beta's type compiles only because they are one type.
    let invalid: beta_events::ValidationError = alpha_events::Validate::validate(&bad)
        .expect_err("the parcel id breaks its pattern");
    let headers = [("Content-Type", "application/cloudevents+json")];
    let undecodable: alpha_events::DecodeError =
        beta_events::decode::<beta_events::events::ReadingTakenV1Spec, _, _>(&headers, b"{")
            .expect_err("not JSON");
    let same = TypeId::of::<alpha_events::Event<alpha_events::events::ParcelScannedV1Spec>>()
        == TypeId::of::<beta_events::runtime::Event<alpha_events::events::ParcelScannedV1Spec>>();
    println!("validation: {invalid}");
    println!("decode: {}", undecodable.reason);
    println!("same event type: {same}");
}
"""

PROGRAM_TOML = """\
[package]
name = "two-packages"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
alpha-events = { path = "../alpha/rust", default-features = false }
beta-events = { path = "../beta/rust", default-features = false }
serde_json = "1"
"""


def test_errors_of_one_crate_are_the_other_crates_types(tmp_path: Path) -> None:
    for name in ("alpha", "beta"):
        result = generate([SPECS / name], languages=["rust"])
        assert result.files, result.diagnostics
        write(result.files, tmp_path / name)
    program = tmp_path / "program"
    (program / "src").mkdir(parents=True)
    (program / "Cargo.toml").write_text(PROGRAM_TOML)
    (program / "src" / "main.rs").write_text(MAIN)
    write_workspace(tmp_path, ["alpha/rust", "beta/rust", "program"])
    cargo(["build", "--quiet", "-p", "two-packages"], tmp_path)
    out = subprocess.run(
        [str(TARGET / "debug" / "two-packages")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert 'validation: parcel_id: must match the pattern "^PCL-[0-9]{4}$"' in out
    assert "decode: payload is not valid JSON" in out
    assert "same event type: true" in out
