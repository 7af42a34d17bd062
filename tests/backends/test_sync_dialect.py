"""The generator reads patterns with the Python runtime's own dialect (a verbatim copy), and the
TypeScript and Rust runtimes run the Python runtime's format patterns, translated by it
(tools/sync_dialect.py writes them; this fails when they are stale)."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO


def test_copies_of_the_dialect_and_the_format_patterns_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "sync_dialect.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
