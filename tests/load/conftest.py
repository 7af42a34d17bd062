"""Every loader test runs under a deadline: hostile input must never hang the loader."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from types import FrameType

import pytest

DEADLINE_SECONDS = 60


class DeadlineExceeded(Exception):
    pass


@pytest.fixture(autouse=True)
def deadline() -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise DeadlineExceeded(f"the test ran longer than {DEADLINE_SECONDS}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(DEADLINE_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
