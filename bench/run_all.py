"""`make bench`: every benchmark of bench/, one table.

Run: ``.venv/bin/python bench/run_all.py [--quick] [--only SECTION ...] [--out FILE]``

Runs each section script as its own process with ``--json`` (so every ratio is measured
against a baseline run in that same process) and prints one Markdown table of all rows,
headed by the date, the machine and the versions. A section that fails is reported in the
table and does not stop the others. ``--quick`` runs smaller counts (for a smoke run; the
figures are noisier). ``--out`` also writes the table to a file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from _table import Row, render

BENCH = Path(__file__).resolve().parent
# section -> (script, arguments, quick arguments)
SECTIONS: dict[str, tuple[str, list[str], list[str]]] = {
    "publish": ("bench_publish.py", [], ["--count", "2000", "--rounds", "3"]),
    "tracing": ("bench_tracing.py", [], ["--count", "2000", "--rounds", "3"]),
    "validate": ("bench_validate_encode.py", [], ["--number", "50", "--repeat", "2"]),
    "outbox": ("bench_outbox.py", [], ["--count", "2000", "--rounds", "3"]),
    "subscribe": ("bench_subscribe.py", [], ["--count", "2000", "--rounds", "3"]),
    "cli": ("bench_cli.py", ["--runs", "7"], ["--runs", "2"]),
    "codegen": ("bench_codegen.py", ["--events", "500"], ["--events", "100"]),
    "clients": ("bench_clients.py", ["--count", "5000", "--rounds", "2"], ["--count", "1000"]),
}


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load average {os.getloadavg()[0]:.1f} at start"
    return f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}{load}"


def _section(name: str, quick: bool) -> tuple[list[Row], str]:
    script, full, small = SECTIONS[name]
    command = [sys.executable, str(BENCH / script), *(small if quick else full), "--json"]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=BENCH.parent, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if result.returncode != 0:
        error = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return [Row(name, f"{name}: FAILED ({error[:120]})", 0.0, "")], result.stdout
    lines = result.stdout.strip().splitlines()
    rows = [Row.from_json(r) for r in json.loads(lines[-1])["rows"]]
    print(f"[{name}: {took:.0f} s]", file=sys.stderr)
    return rows, "\n".join(lines[:-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small counts, noisier figures")
    parser.add_argument("--only", action="append", choices=list(SECTIONS))
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument("--verbose", action="store_true", help="print each section's report")
    args = parser.parse_args()
    head = (
        f"specgen `make bench`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
        f"machine: {_machine()}\n"
        f"Python {platform.python_version()}; ratios are against the baseline measured in the"
        " same process and run (> 1 is better for the generated path)\n"
    )
    rows: list[Row] = []
    for name in args.only or list(SECTIONS):
        section_rows, report = _section(name, args.quick)
        if args.verbose:
            print(report, file=sys.stderr)
        rows += section_rows
    table = head + "\n" + render(rows) + "\n"
    print(table)
    if args.out is not None:
        args.out.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
