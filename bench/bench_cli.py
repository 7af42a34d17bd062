"""Wall time of the CLI: ``specgen --help`` and ``specgen validate spec``.

Run: ``.venv/bin/python bench/bench_cli.py [--runs 7] [--json]`` from the repository root.

Each command runs ``--runs`` times as a fresh process (the entry point installed next to this
interpreter); the best run counts (least disturbed by other load). The baseline of the same
run is the bare interpreter start-up, ``python -c pass``: what no CLI written in Python can
go below. ``--profile`` prints the slowest imports of each command (``-X importtime``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from _table import Row, emit

REPO = Path(__file__).resolve().parents[1]
SPECGEN = Path(sys.executable).parent / "specgen"
COMMANDS = {
    "specgen --help": ([str(SPECGEN), "--help"], "<= 0.15 s"),
    "specgen validate spec": ([str(SPECGEN), "validate", "spec"], "<= 0.3 s"),
}


def best_wall(command: list[str], runs: int) -> float:
    """Best wall time in seconds of ``runs`` runs of ``command`` (each must succeed)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=REPO, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def slowest_imports(command: list[str], top: int = 12) -> str:
    """The ``top`` imports with the largest cumulative time, from ``-X importtime``."""
    script = f"import sys; sys.argv = {command!r}; from specgen.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    rows.sort(reverse=True)
    return "\n".join(f"{us / 1000:8.1f} ms {name}" for us, name in rows[:top])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="print the slowest imports")
    parser.add_argument("--json", action="store_true", help="end with the rows for run_all.py")
    args = parser.parse_args()
    python = best_wall([sys.executable, "-c", "pass"], args.runs)
    print(f"python -c pass           {python:6.3f} s")
    rows = []
    for label, (command, aim) in COMMANDS.items():
        wall = best_wall(command, args.runs)
        print(f"{label:24} {wall:6.3f} s   (best of {args.runs})")
        if args.profile:
            print(slowest_imports(command[1:]))
        rows.append(
            Row("cli", f"`{label}` wall time", wall, "s", "python -c pass", python, None, aim)
        )
    if args.json:
        emit(rows)


if __name__ == "__main__":
    main()
