"""Plain-text rendering of plans, apply results, health tables and progress (no dependencies)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from specgen_runtime.fleet.health import SiteHealth
from specgen_runtime.fleet.provision import Action, ApplyResult, Plan, StreamPlan

__all__ = ["ProgressBar", "render_apply", "render_health", "render_plan"]


def _stream_lines(stream: StreamPlan) -> list[str]:
    label = stream.action.value.upper() if stream.action is Action.REFUSED else stream.action.value
    lines = [f"  {stream.target:<20} {stream.stream:<18} {label}"]
    for change in stream.changes:
        arrow = (
            f"{change.live} -> {change.desired}"
            if change.live and change.desired
            else (change.live or change.desired)
        )
        mark = "  (destructive)" if change.destructive else ""
        lines.append(f"  {'':<20} {'':<18}   {change.field}: {arrow}{mark}")
    return lines


def render_plan(plan: Plan) -> str:
    """One line per stream; a target whose streams are all unchanged takes one line."""
    lines = []
    for target in plan.targets():
        streams = [s for s in plan.streams if s.target == target]
        if all(s.action is Action.UNCHANGED for s in streams):
            lines.append(f"  {target:<20} {'(' + str(len(streams)) + ' streams)':<18} unchanged")
            continue
        for stream in streams:
            lines += _stream_lines(stream)
    for error in plan.errors:
        lines.append(f"  {error.target:<20} {'':<18} UNREACHABLE  {error.message}")
    if plan.refused:
        lines.append(
            f"{len(plan.refused)} destructive change(s) refused: "
            "re-run with --allow-destructive to apply them"
        )
    lines.append(f"plan: {plan.summary()}")
    return "\n".join(lines)


def render_apply(result: ApplyResult) -> str:
    lines = [f"  {e.target}: FAILED: {e.message}" for e in result.errors]
    lines.append(
        f"applied {len(result.applied)} change(s), skipped {len(result.skipped)} refused, "
        f"{len(result.errors)} target(s) failed"
    )
    return "\n".join(lines)


def _fmt_active(value: float | None) -> str:
    return "never" if value is None else f"{value:.1f}s"


def render_health(rows: Sequence[SiteHealth]) -> str:
    header = (
        f"{'SITE':<20} {'STATE':<12} {'ACTIVE':>8} {'LAG':>7} {'UPLOAD':>8} {'OUTBOX':>7}  NOTES"
    )
    lines = [header]
    for row in rows:
        upload = "-" if row.upload_messages is None else str(row.upload_messages)
        outbox = "-" if row.backlog is None else str(row.backlog)
        notes = "; ".join(row.reasons)
        lines.append(
            f"{row.site:<20} {row.state.name:<12} {_fmt_active(row.active):>8} {row.lag:>7} "
            f"{upload:>8} {outbox:>7}  {notes}"
        )
    counts = {state: sum(1 for r in rows if r.state is state) for state in {r.state for r in rows}}
    summary = ", ".join(f"{n} {s.name}" for s, n in sorted(counts.items()))
    lines.append(f"{len(rows)} site(s): {summary or 'none'}")
    return "\n".join(lines)


class ProgressBar:
    """``\\r[####----] 12/100 sites`` on a text stream; a final newline on ``close()``."""

    def __init__(self, stream: TextIO, label: str = "sites", width: int = 30) -> None:
        self.stream = stream
        self.label = label
        self.width = width
        self.drawn = False

    def __call__(self, done: int, total: int, _site: str = "") -> None:
        filled = self.width * done // total if total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} {self.label}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False
