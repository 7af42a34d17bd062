"""The generated Python package's README: its example runs as written, its table is complete."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from nats.aio.client import Client
from specgen_runtime.servers import NatsServer

from tests.e2e.site_streams import create_site_streams
from tests.helpers import GENERATED

README = GENERATED / "python" / "README.md"
IR = json.loads((GENERATED / "ir.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.nats


def _python_block(text: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 1, "the README holds one Python example"
    return blocks[0]


async def test_readme_example_publishes_and_receives(
    nats_server: NatsServer, nc: Client, tmp_path: Path
) -> None:
    await create_site_streams(nc.jetstream())
    script = tmp_path / "readme_example.py"
    script.write_text(_python_block(README.read_text(encoding="utf-8")), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)],
        env={**os.environ, "NATS_URL": nats_server.url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    stored, received = result.stdout.splitlines()
    assert re.fullmatch(r"stored in [A-Z_]+ as 1", stored), stored
    event_type = received.split()[1]
    assert event_type in {e["type"] for d in IR["domains"] for e in d["events"]}
    assert f"`{event_type}`" in README.read_text(encoding="utf-8")


def test_readme_lists_every_event_with_its_subject() -> None:
    text = README.read_text(encoding="utf-8")
    for domain in IR["domains"]:
        for event in domain["events"]:
            assert f"| `{event['type']}` | `" in text
            assert f"`{event['subject_template']}`" in text
