"""Render a diff report: text (like a compiler), json, GitHub annotations, markdown notes.

Every finding shows its rule with its category (``WIRE/ENUM_VALUE_REMOVED``), where it is in
the new version (or the old one, for what was removed), where it was in the other, an example
instance when one proves the break, and the reason of an annotation that accepted it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from specgen.diagnostics import Location, render_github, render_text
from specgen.diff.findings import Finding
from specgen.diff.run import ACCEPTED, ERROR, INFO, Report

_KIND = {ERROR: "error", ACCEPTED: "accepted", INFO: "info"}


def _where(location: Location | None) -> str:
    if location is None:
        return "-"
    return f"{location.file}:{location.line}:{location.column}"


def _title(finding: Finding) -> str:
    return f"{finding.category}/{finding.rule}"


def _subject(finding: Finding) -> str:
    return finding.subject.removeprefix("domain:")


def _lines(finding: Finding, level: str) -> list[str]:
    primary = finding.new or finding.old
    head = f"{_where(primary)}: {_KIND[level]}[{_title(finding)}] {_subject(finding)}: "
    lines = [head + finding.message]
    if finding.new is not None and finding.old is not None:
        lines.append(f"    old: {_where(finding.old)} ({finding.against})")
    elif finding.old is not None:
        lines[0] += f" [the location is in {finding.against}]"
    if finding.example:
        lines.append(f"    example: {finding.example}")
    if finding.accepted is not None:
        a = finding.accepted
        lines.append(f"    accepted for {a.version} at {_where(a.location)}: {a.reason}")
    if finding.hint and level == ERROR:
        lines.append(f"    hint: {finding.hint}")
    return lines


def render_text_report(report: Report) -> str:
    out: list[str] = []
    if report.diagnostics:
        out.append(render_text(report.diagnostics))
    for finding, level in report.findings:
        out += _lines(finding, level)
    out.append(_summary(report))
    return "\n".join(out)


def _summary(report: Report) -> str:
    counts = {level: sum(1 for _, lv in report.findings if lv == level) for level in _KIND}
    lines = [
        f"specgen diff against {report.against}: {counts[ERROR]} error(s), "
        f"{counts[ACCEPTED]} accepted, {counts[INFO]} other change(s)"
    ]
    changed = [v for v in report.verdicts if v.status == "changed"]
    same = sum(1 for v in report.verdicts if v.status == "unchanged")
    if report.verdicts:
        lines.append(
            f"events: {same} unchanged, {len(changed)} changed, "
            f"{sum(1 for v in report.verdicts if v.status == 'added')} added, "
            f"{sum(1 for v in report.verdicts if v.status == 'removed')} removed"
        )
    for v in changed:
        lines.append(f"  {v.type}: payload backward {v.backward}, forward {v.forward}")
    if report.version is not None:
        check = report.version
        state = "ok" if check.ok else f"needs at least {check.required}"
        lines.append(f"version: {check.old} -> {check.new}: {state} ({check.needed}: {check.why})")
    return "\n".join(lines)


def _location_data(location: Location | None) -> Any:
    if location is None:
        return None
    return {
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "pointer": location.pointer,
    }


def _finding_data(finding: Finding, level: str) -> dict[str, Any]:
    accepted = finding.accepted
    return {
        "rule": finding.rule,
        "category": finding.category,
        "level": level,
        "subject": finding.subject,
        "domain": finding.domain,
        "message": finding.message,
        "breaks": sorted(finding.breaks),
        "certain": finding.certain,
        "example": finding.example or None,
        "against": finding.against,
        "old": _location_data(finding.old),
        "new": _location_data(finding.new),
        "hint": finding.hint or None,
        "accepted": None
        if accepted is None
        else {
            "reason": accepted.reason,
            "version": accepted.version,
            "location": _location_data(accepted.location),
        },
    }


def render_json_report(report: Report) -> str:
    version = report.version
    data = {
        "against": report.against,
        "old_version": report.old_version,
        "new_version": report.new_version,
        "findings": [_finding_data(f, level) for f, level in report.findings],
        "events": [vars(v) for v in report.verdicts],
        "version": None if version is None else vars(version),
        "diagnostics": json.loads(_diagnostics_json(report)),
    }
    return json.dumps(data, indent=2, sort_keys=True)


def _diagnostics_json(report: Report) -> str:
    from specgen.diagnostics import render_json

    return render_json(report.diagnostics) if report.diagnostics else "[]"


def _escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def render_github_report(report: Report) -> str:
    out = [render_github(report.diagnostics)] if report.diagnostics else []
    kinds = {ERROR: "error", ACCEPTED: "notice", INFO: "notice"}
    for finding, level in report.findings:
        where = finding.new or finding.old or Location("")
        props = (
            f"file={_escape(where.file, True)},line={where.line},col={where.column},"
            f"title={_escape(_title(finding), True)}"
        )
        text = "\n".join(_lines(finding, level)[1:])
        body = f"{_subject(finding)}: {finding.message}" + (f"\n{text}" if text else "")
        out.append(f"::{kinds[level]} {props}::{_escape(body)}")
    return "\n".join(out)


def render_markdown_report(report: Report, heading: str | None = None) -> str:
    """Release notes: breaking changes (with their reasons), other changes, additions."""
    title = heading or f"{report.new_version} (changes since {report.against})"
    out = [f"## {title}", ""]
    groups = (
        ("Breaking changes", (ERROR, ACCEPTED), False),
        ("Changes", (INFO,), False),
        ("Added", (INFO,), True),
    )
    for name, levels, additions in groups:
        items = [
            (f, lv)
            for f, lv in report.findings
            if lv in levels
            and f.rule.endswith("_ADDED") == additions
            and f.rule != "VERSION_TOO_LOW"
        ]
        if not items:
            continue
        out += [f"### {name}", ""]
        for finding, level in items:
            line = f"- `{_subject(finding)}`: {finding.message} ({finding.rule})"
            if finding.accepted is not None:
                line += f". Accepted: {finding.accepted.reason}"
            elif level == ERROR:
                line += ". Not accepted yet"
            out.append(line)
        out.append("")
    if len(out) == 2:
        out += ["No changes to events, channels or streams.", ""]
    return "\n".join(out)


RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text_report,
    "json": render_json_report,
    "github": render_github_report,
    "markdown": render_markdown_report,
}
