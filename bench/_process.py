"""One measured run of a command: wall time, CPU time and peak memory of the process."""

from __future__ import annotations

import compileall
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("generator/specgen",)  # what the specgen commands import (the runtime is not)


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process (and the children it waited for)
    peak_mib: float


def run_measured(command: list[str], cwd: Path) -> Run:
    """Run ``command`` (it must succeed) and measure it with ``wait4``.

    CPU time is what a shared machine cannot inflate much: the wall clock also counts the
    time other processes held the CPU. On an idle machine a one-threaded command's wall time
    is its CPU time plus a little I/O.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if code != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({code}):\n{stderr[-3000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def best(command: list[str], cwd: Path, runs: int) -> Run:
    """The least disturbed of ``runs`` runs: least CPU and least wall time, highest peak."""
    results = [run_measured(command, cwd) for _ in range(runs)]
    return Run(
        min(r.wall for r in results),
        min(r.cpu for r in results),
        max(r.peak_mib for r in results),
    )


def compile_sources() -> None:
    """Byte-compile specgen's own modules (into their ``__pycache__``) before measuring.

    pip compiles a wheel's modules when it installs them, and an editable install compiles
    each one on first import, unless PYTHONDONTWRITEBYTECODE is set: then every run compiles
    every module again (about 0.1 s of ``specgen validate``), which is the machine's setting,
    not the program. Stale files are compiled again; nothing else changes.
    """
    for folder in SOURCES:
        compileall.compile_dir(REPO / folder, quiet=1)
