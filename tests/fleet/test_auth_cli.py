"""``specgen fleet auth ...``: creds files are private, secrets never printed, bad ids refused."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from specgen_runtime.fleet.auth import FleetAuth
from specgen_runtime.fleet.auth.jwt import decode
from specgen_runtime.fleet.cli import main

SPECGEN = str(Path(sys.executable).parent / "specgen")
SECRET = re.compile(r"S[OAU][A-Z2-7]{56}|eyJ[\w-]{10,}")  # an nkey seed, or a JWT


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run_auth(capsys: pytest.CaptureFixture[str]) -> Callable[..., Done]:
    """``specgen fleet auth ARGS`` in this process (the CLI's own entry point)."""

    def run(*args: str) -> Done:
        code = main(["fleet", "auth", *args])
        out, err = capsys.readouterr()
        assert not SECRET.search(out + err), "a secret was printed"
        return Done(code, out, err)

    return run


def test_the_installed_command_runs(tmp_path: Path) -> None:
    done = subprocess.run([SPECGEN, "fleet", "auth", "init", "--dir", str(tmp_path / "a")],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not SECRET.search(done.stdout + done.stderr)


def test_init_issue_revoke_list(tmp_path: Path, run_auth: Callable[..., Done]) -> None:
    _auth = run_auth
    folder = str(tmp_path / "auth")
    assert _auth("init", "--dir", folder).returncode == 0
    again = _auth("init", "--dir", folder)
    assert again.returncode == 2 and "already holds a fleet auth folder" in again.stderr
    site = _auth("issue", "site", "site-0001", "--dir", folder)
    assert site.returncode == 0 and "site-0001.creds (mode 0600)" in site.stdout
    customer = _auth("issue", "customer", "acme", "--sites", "site-0001", "site-0002",
                     "--dir", folder)  # fmt: skip
    assert customer.returncode == 0, customer.stderr
    for path in (tmp_path / "auth").rglob("*"):
        if path.suffix in (".creds", ".nk") or path.name == "fleet.json":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        elif path.is_dir():
            assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    creds = (tmp_path / "auth" / "creds" / "customer-acme.creds").read_text()
    claims = decode(creds.split("-----BEGIN NATS USER JWT-----")[1].split("------END")[0])
    assert claims["nats"]["tags"] == ["site:site-0001", "site:site-0002"]
    auth = FleetAuth.load(tmp_path / "auth")
    assert claims["iss"] != auth.account and claims["nats"]["issuer_account"] == auth.account
    revoked = _auth("revoke", "customer-acme", "--dir", folder)
    assert revoked.returncode == 0
    account = decode(FleetAuth.load(tmp_path / "auth").jwt("account"))
    assert claims["sub"] in account["nats"]["revocations"]
    listing = _auth("list", "--dir", folder)
    assert re.search(r"customer-acme\s+customer\s+revoked\s+site-0001 site-0002", listing.stdout)
    assert re.search(r"site-0001\s+site\s+active\s+site-0001", listing.stdout)


def test_invalid_site_id_is_refused_before_any_template(
    tmp_path: Path, run_auth: Callable[..., Done]
) -> None:
    folder = str(tmp_path / "auth")
    assert run_auth("init", "--dir", folder).returncode == 0
    state = (tmp_path / "auth" / "fleet.json").read_text()
    for site in ("site*", "site>", "site.1", "site 1", "Site-1", "SITE", "hub", "{{name()}}"):
        for args in (("site", site), ("customer", "acme", "--sites", "site-0001", site)):
            refused = run_auth("issue", *args, "--dir", folder)
            assert refused.returncode == 2 and "invalid site id" in refused.stderr, (site, refused)
    assert (tmp_path / "auth" / "fleet.json").read_text() == state  # nothing was issued
    assert sorted(p.name for p in (tmp_path / "auth" / "creds").iterdir()) == [
        "ops.creds",
        "sys.creds",
    ]
    assert json.loads(state)["users"].keys() == {"ops", "sys"}


def test_missing_folder_is_a_clear_error(tmp_path: Path, run_auth: Callable[..., Done]) -> None:
    missing = run_auth("issue", "site", "site-0001", "--dir", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "create one with `fleet auth init`" in missing.stderr
