"""Rows of the `make bench` table: each section script reports its figures as rows.

A section script prints its own human-readable report; with ``--json`` it prints one JSON
line, ``{"rows": [...]}``, that bench/run_all.py collects into the one table. A row is one
measured path and, where there is one, the baseline it was measured against *in the same
process and run* and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable, Coroutine
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Row:
    """One line of the table.

    ``value``/``baseline`` are in ``unit``; ``ratio`` is "higher is better" for the path
    (throughput / baseline throughput, or baseline time / path time), None without baseline.
    """

    section: str
    path: str
    value: float
    unit: str
    baseline_name: str = ""
    baseline: float | None = None
    ratio: float | None = None
    aim: str = ""
    note: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Row:
        return cls(**data)


def throughput(
    section: str,
    path: str,
    rate: float,
    base_name: str,
    base: float,
    aim: str,
    ratio: float | None = None,
) -> Row:
    """A msg/s row with its ratio against a msg/s baseline of the same run.

    ``ratio`` defaults to ``rate / base``; paired benchmarks pass the median of their
    per-round ratios instead (see bench/_common.paired).
    """
    if ratio is None:
        ratio = rate / base if base else None
    return Row(section, path, rate, "msg/s", base_name, base, ratio, aim)


def emit(rows: list[Row]) -> None:
    """Print the rows as the one JSON line run_all.py reads (the last line of stdout)."""
    print(json.dumps({"rows": [asdict(r) for r in rows]}))


def run_rounds(
    main: Callable[[int, int], Coroutine[Any, Any, list[Row]]],
    doc: str | None,
    count: int,
    rounds: int,
) -> None:
    """The command line of a benchmark whose ``main(count, rounds)`` returns its rows."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--count", type=int, default=count)
    parser.add_argument("--rounds", type=int, default=rounds)
    parser.add_argument("--json", action="store_true", help="end with the rows for run_all.py")
    args = parser.parse_args()
    rows = asyncio.run(main(args.count, args.rounds))
    if args.json:
        emit(rows)


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "msg/s":
        return f"{value:,.0f} msg/s"
    if unit == "µs":
        return f"{value:.1f} µs"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    return f"{value:g} {unit}"


def render(rows: list[Row]) -> str:
    """A Markdown table (readable in a terminal and pasteable into the README)."""
    header = ("path", "figure", "baseline (same run)", "ratio", "aim")
    lines = [header]
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            lines.append((f"**{section}**", "", "", "", ""))
        base = ""
        if row.baseline_name:
            base = f"{row.baseline_name}: {_figure(row.baseline, row.unit)}".rstrip(": ")
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
        path = row.path + (f" ({row.note})" if row.note else "")
        lines.append((path, _figure(row.value, row.unit), base, ratio, row.aim))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |")
        if n == 0:
            out.append("| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(out)
