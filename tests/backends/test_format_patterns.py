"""The TypeScript and Rust runtimes run the Python runtime's format patterns, translated by the
one regex dialect (tools/format_patterns.py writes them; this fails when they are stale)."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO


def test_format_patterns_of_the_runtimes_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "format_patterns.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
