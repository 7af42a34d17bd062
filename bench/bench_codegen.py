"""Codegen at scale: generate time and peak memory for a synthetic spec of many event types.

Run: ``.venv/bin/python bench/bench_codegen.py [--events 500] [--runs 1] [--json]``

Writes a synthetic project (bench/synth_spec.py: ``--events`` event types, 25 per domain)
into a temporary folder, then runs ``specgen validate`` on it and ``specgen generate --out``
into a fresh folder once per language and once for all three together, each as a fresh
process. Reports the best wall time of ``--runs`` runs and the peak resident memory of the
process (``wait4``). ``--profile`` runs one in-process generate of all three languages under
cProfile and prints the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _table import Row, emit
from synth_spec import write_spec

SPECGEN = Path(sys.executable).parent / "specgen"
TARGETS = {"python": ["--lang", "python"], "typescript": ["--lang", "typescript"]}
TARGETS |= {"rust": ["--lang", "rust"], "all three": []}


def run_measured(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one run of ``command``, which must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-3000:]}")
    return wall, usage.ru_maxrss / 1024


def _best(command: list[str], cwd: Path, runs: int, out: Path | None) -> tuple[float, float]:
    results = []
    for _ in range(runs):
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
        results.append(run_measured(command, cwd))
    return min(r[0] for r in results), max(r[1] for r in results)


def _profile(spec: Path, out: Path) -> None:
    from specgen.cli import main as cli

    profile = cProfile.Profile()
    profile.enable()
    try:
        cli(["generate", str(spec), "--out", str(out)])
    except SystemExit:
        pass
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json", action="store_true", help="end with the rows for run_all.py")
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="specgen-codegen-") as tmp:
        spec, out = Path(tmp) / "spec", Path(tmp) / "out"
        files = write_spec(spec, args.events, 25)
        print(f"synthetic spec: {args.events} event types in {len(files)} documents")
        wall, rss = _best([str(SPECGEN), "validate", str(spec)], Path(tmp), args.runs, None)
        print(f"validate              {wall:6.2f} s  {rss:6.0f} MiB")
        rows.append(Row("codegen", f"`specgen validate`, {args.events} event types", wall, "s"))
        for label, lang in TARGETS.items():
            command = [str(SPECGEN), "generate", str(spec), "--out", str(out), *lang]
            wall, rss = _best(command, Path(tmp), args.runs, out)
            print(f"generate {label:12} {wall:6.2f} s  {rss:6.0f} MiB peak")
            aim = "<= 5 s" if label == "all three" else ""
            rows.append(
                Row(
                    "codegen",
                    f"generate {label}, {args.events} event types",
                    wall,
                    "s",
                    aim=aim,
                    note=f"peak {rss:.0f} MiB",
                )
            )
        if args.profile:
            shutil.rmtree(out, ignore_errors=True)
            _profile(spec, out)
    if args.json:
        emit(rows)


if __name__ == "__main__":
    main()
