"""What changed since a previous release, from a ``specgen diff`` report, for the catalog.

A pure view of the report: findings grouped the way the release notes group them (breaking,
accepted breaking, compatible, added), each linked to the event or domain page it concerns
when that still exists. Spec file locations are left out: they serve the spec's authors
(``specgen diff`` shows them), not the readers of the catalog, and would make the pages
depend on the folder the command ran in.
"""

from __future__ import annotations

from dataclasses import dataclass

from specgen.diff.findings import Finding
from specgen.diff.run import ACCEPTED, ERROR, INFO, Report
from specgen.docs.site import SiteMap

WHO = {"backward": "new consumers (backward)", "forward": "old consumers (forward)"}
GROUPS = (
    ("breaking", "Breaking changes", "Not accepted by an x-specgen-breaking entry."),
    ("accepted", "Accepted breaking changes", "Breaking, and accepted on purpose."),
    ("changed", "Compatible changes", "They break no reader under the compatibility mode."),
    ("added", "Added", "New events, fields, values and streams."),
)


@dataclass(frozen=True)
class ChangeItem:
    subject: str
    href: str  # "" when the subject has no page (removed, or the project)
    rule: str  # CATEGORY/RULE
    message: str
    breaks: tuple[str, ...]  # who can be hurt, in words
    proven: bool  # False: the change could not be proven compatible, no example breaks it
    example: str
    note: str  # the reason that accepted it, or the hint for a breaking one


@dataclass(frozen=True)
class ChangeGroup:
    anchor: str
    title: str
    explanation: str
    items: tuple[ChangeItem, ...]


@dataclass(frozen=True)
class ChangesView:
    against: str
    old_version: str
    new_version: str
    summary: str
    version_note: str
    groups: tuple[ChangeGroup, ...]

    def for_subjects(self, subjects: set[str]) -> tuple[ChangeItem, ...]:
        return tuple(i for g in self.groups for i in g.items if i.subject in subjects)


def _group_of(finding: Finding, level: str) -> str:
    if level == ERROR:
        return "breaking"
    if level == ACCEPTED:
        return "accepted"
    return "added" if finding.rule.endswith("_ADDED") else "changed"


def _href(site: SiteMap, subject: str) -> str:
    if subject.startswith("domain:"):
        name = subject.removeprefix("domain:")
        return site.domain_href(name) if name in site.families else ""
    event = next((e for e in site.ir.events() if e.type == subject), None)
    return site.event_href(event) if event is not None else ""


def _item(site: SiteMap, finding: Finding, level: str) -> ChangeItem:
    note = ""
    if finding.accepted is not None:
        note = f"Accepted for {finding.accepted.version}: {finding.accepted.reason}"
    elif level == ERROR and finding.hint:
        note = finding.hint
    return ChangeItem(
        subject=finding.subject.removeprefix("domain:"),
        href=_href(site, finding.subject),
        rule=f"{finding.category}/{finding.rule}",
        message=finding.message,
        breaks=tuple(WHO.get(d, d) for d in sorted(finding.breaks)),
        proven=finding.certain,
        example=finding.example,
        note=note,
    )


def _version_note(report: Report) -> str:
    check = report.version
    if check is None or check.needed == "none":
        return ""
    if check.ok:
        return f"{check.why} since {check.old}: a {check.needed} release, {check.new}."
    return (
        f"{check.why} since {check.old} need a {check.needed} release, at least "
        f"{check.required}; this spec still says {check.new}."
    )


def _summary(report: Report, counts: str) -> str:
    if not report.old_version:  # the old version had no project file
        return f"Since {report.against}: {counts}."
    return f"Version {report.old_version} to {report.new_version}: {counts}."


def changes_view(report: Report, site: SiteMap) -> ChangesView:
    grouped: dict[str, list[ChangeItem]] = {key: [] for key, _, _ in GROUPS}
    for finding, level in report.findings:
        if level in (ERROR, ACCEPTED, INFO) and finding.rule != "VERSION_TOO_LOW":
            grouped[_group_of(finding, level)].append(_item(site, finding, level))
    groups = tuple(
        ChangeGroup(f"changes-{key}", title, explanation,
                    tuple(sorted(grouped[key], key=lambda i: (i.subject, i.rule, i.message))))
        for key, title, explanation in GROUPS
        if grouped[key]
    )  # fmt: skip
    counts = ", ".join(f"{len(g.items)} {g.title.lower()}" for g in groups) or "no changes"
    return ChangesView(
        against=report.against,
        old_version=report.old_version,
        new_version=report.new_version,
        summary=_summary(report, counts),
        version_note=_version_note(report),
        groups=groups,
    )
