"""Codegen at scale: generate time and peak memory for a synthetic spec of many event types.

Run: ``.venv/bin/python bench/bench_codegen.py [--events 500] [--runs 1] [--json]``

Writes a synthetic project (bench/synth_spec.py: ``--events`` event types, 25 per domain)
into a temporary folder, then runs ``specgen validate`` on it and ``specgen generate --out``
into a fresh folder once per language and once for all three together, each as a fresh
process. Reports the least CPU time (user + system, the formatters it runs included) and
wall time of ``--runs`` runs and the peak resident memory (``wait4``; see _process.py).
``--profile`` runs one in-process generate of all three languages under cProfile and prints
the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
from pathlib import Path

from _process import Run, compile_sources, run_measured
from _table import Row, emit
from synth_spec import write_spec

SPECGEN = Path(sys.executable).parent / "specgen"
TARGETS = {"python": ["--lang", "python"], "typescript": ["--lang", "typescript"]}
TARGETS |= {"rust": ["--lang", "rust"], "all three": []}


def _best(command: list[str], cwd: Path, runs: int, out: Path | None) -> Run:
    results = []
    for _ in range(runs):
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
        results.append(run_measured(command, cwd))
    return Run(
        min(r.wall for r in results), min(r.cpu for r in results), max(r.peak_mib for r in results)
    )


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
    compile_sources()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="specgen-codegen-") as tmp:
        spec, out = Path(tmp) / "spec", Path(tmp) / "out"
        files = write_spec(spec, args.events, 25)
        print(f"synthetic spec: {args.events} event types in {len(files)} documents")
        run = _best([str(SPECGEN), "validate", str(spec)], Path(tmp), args.runs, None)
        print(
            f"validate              {run.cpu:6.2f} s CPU {run.wall:6.2f} s wall "
            f"{run.peak_mib:6.0f} MiB"
        )
        rows.append(
            Row(
                "codegen",
                f"`specgen validate` CPU time, {args.events} event types",
                run.cpu,
                "s",
                note=f"wall {run.wall:.1f} s",
            )
        )
        for label, lang in TARGETS.items():
            command = [str(SPECGEN), "generate", str(spec), "--out", str(out), *lang]
            run = _best(command, Path(tmp), args.runs, out)
            print(
                f"generate {label:12} {run.cpu:6.2f} s CPU {run.wall:6.2f} s wall "
                f"{run.peak_mib:6.0f} MiB peak"
            )
            aim = "<= 5 s" if label == "all three" else ""
            rows.append(
                Row(
                    "codegen",
                    f"generate {label} CPU time, {args.events} event types",
                    run.cpu,
                    "s",
                    aim=aim,
                    note=f"wall {run.wall:.1f} s, peak {run.peak_mib:.0f} MiB",
                )
            )
        if args.profile:
            shutil.rmtree(out, ignore_errors=True)
            _profile(spec, out)
    if args.json:
        emit(rows)


if __name__ == "__main__":
    main()
