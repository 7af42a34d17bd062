"""``specgen demo`` end to end as a subprocess, and Ctrl-C (SIGINT) in the middle of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SPECGEN = Path(sys.executable).parent / "specgen"
TIMEOUT = 90.0


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "TMPDIR": str(tmp_path)}  # the demo's servers live under tmp_path


def _servers_under(folder: Path) -> list[str]:
    """Command lines of nats-server processes whose config lies under ``folder``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "nats-server" in cmdline and str(folder) in cmdline:
            found.append(cmdline)
    return found


def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(SPECGEN), "demo", "--outage", "1"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=_env(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "commissioned 2 sites and the hub: 13 streams created" in out
    assert "link of site-0002 CUT" in out and "RESTORED" in out
    assert "FLEET has 40 of site-0001, 20 of site-0002" in out
    assert "catch-up took" in out
    assert "site-0002  orders=10 charging=10 load_management=10 site_operations=10 upload=40" in out
    rows = [line.split() for line in out.splitlines() if line.startswith("  site-000")]
    assert ["site-0001", "10", "10", "10", "10", "40"] in rows
    assert ["site-0002", "10", "10", "10", "10", "40"] in rows
    assert out.rstrip().endswith("stopped all servers")
    assert list(tmp_path.iterdir()) == []  # temporary folder removed
    assert _servers_under(tmp_path) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigint_during_demo_cleans_up(tmp_path: Path) -> None:
    with subprocess.Popen(
        [str(SPECGEN), "demo", "--outage", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(tmp_path),
    ) as proc:
        try:
            assert proc.stdout is not None
            deadline = time.monotonic() + TIMEOUT
            for line in proc.stdout:  # bounded: the demo prints the CUT line within seconds
                if "CUT" in line or time.monotonic() > deadline:
                    break
            assert _servers_under(tmp_path), "servers should be running mid-demo"
            proc.send_signal(signal.SIGINT)
            _, stderr = proc.communicate(timeout=TIMEOUT)
            code = proc.returncode
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate(timeout=10)
    assert "interrupted" in stderr
    assert code == 130
    assert _servers_under(tmp_path) == []
    assert list(tmp_path.iterdir()) == []
