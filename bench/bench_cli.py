"""Wall time of the CLI: ``specgen --help`` and ``specgen validate spec``.

Run: ``.venv/bin/python bench/bench_cli.py [--runs 7] [--json]`` from the repository root.

Each command runs ``--runs`` times as a fresh process (the entry point installed next to this
interpreter); the best run counts (least disturbed by other load). The figure is the
process's CPU time (user + system; see _process.py), the wall time is beside it. The
baseline of the same run is the bare interpreter start-up, ``python -c pass``: what no CLI
written in Python can go below. ``--profile`` prints the slowest imports of each command
(``-X importtime``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from _process import best, compile_sources
from _table import Row, emit

REPO = Path(__file__).resolve().parents[1]
SPECGEN = Path(sys.executable).parent / "specgen"
COMMANDS = {
    "specgen --help": ([str(SPECGEN), "--help"], "<= 0.15 s"),
    "specgen validate spec": ([str(SPECGEN), "validate", "spec"], "<= 0.3 s"),
}


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
    compile_sources()
    python = best([sys.executable, "-c", "pass"], REPO, args.runs)
    print(f"python -c pass           {python.wall:6.3f} s wall  {python.cpu:6.3f} s CPU")
    rows = []
    for label, (command, aim) in COMMANDS.items():
        measured = best(command, REPO, args.runs)
        print(
            f"{label:24} {measured.wall:6.3f} s wall  {measured.cpu:6.3f} s CPU"
            f"  (best of {args.runs})"
        )
        if args.profile:
            print(slowest_imports(command[1:]))
        rows.append(
            Row(
                "cli",
                f"`{label}` CPU time",
                measured.cpu,
                "s",
                "python -c pass",
                python.cpu,
                None,
                aim,
                f"wall {measured.wall:.2f} s",
            )
        )
    if args.json:
        emit(rows)


if __name__ == "__main__":
    main()
