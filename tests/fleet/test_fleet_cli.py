"""``specgen site plan|apply`` and ``specgen fleet status`` against a LocalFleet."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from specgen_runtime.fleet import LocalFleet

from tests.fleet.conftest import SITES

SPECGEN = str(Path(sys.executable).parent / "specgen")


async def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(
        subprocess.run, [SPECGEN, *args], capture_output=True, text=True, timeout=60
    )


async def test_plan_apply_status(fleet: LocalFleet) -> None:
    server = ("--server", fleet.hub_url, "--replicas", "1")
    plan = await _run("site", "plan", *SITES, *server, "--check")
    assert plan.returncode == 1, plan.stderr  # everything is still to be created
    assert "site-0001            ORDERS             create" in plan.stdout
    applied = await _run("site", "apply", *SITES, *server)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "[##############################] 2/2 sites" in applied.stderr
    assert "applied 13 change(s)" in applied.stdout
    clean = await _run("site", "plan", *SITES, *server, "--check")
    assert clean.returncode == 0 and "13 unchanged" in clean.stdout
    pruned = await _run("site", "plan", SITES[0], *server, "--prune")
    assert pruned.returncode == 1 and "REFUSED" in pruned.stdout
    status = await _run("fleet", "status", "--server", fleet.hub_url)
    assert status.returncode in (0, 1), status.stderr  # OK once the sources were heard from
    assert status.stdout.splitlines()[0].startswith("SITE")
    assert "2 site(s)" in status.stdout


async def test_bad_site_id_and_unreachable_server_exit_2() -> None:
    bad = await _run("site", "plan", "Not_Valid!")
    assert bad.returncode == 2 and "invalid site id" in bad.stderr
    down = await _run("fleet", "status", "--server", "nats://127.0.0.1:1", "--timeout", "1")
    assert down.returncode == 2 and "cannot connect" in down.stderr
