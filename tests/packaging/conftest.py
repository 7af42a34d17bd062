"""Packaging tests: the generated distribution installed, non-editable, into a fresh venv."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: takes more than 30 s (builds and installs into a fresh venv)"
    )
