"""``specgen diff`` as one call: load both versions, compare, judge, check the version.

Each finding gets a level: ``error`` when its mode cares about a direction it breaks (or it
cannot be proven compatible there) and no annotation accepts it; ``accepted`` when an
``x-specgen-breaking`` entry does; ``info`` otherwise (changes that break nobody under the
mode, kept for the changelog). Transitive modes compare with every released tag as well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from specgen.diagnostics import Diagnostic, Location, error
from specgen.diff import annotations as notes_of
from specgen.diff import versions
from specgen.diff.code_api import compare_code
from specgen.diff.contract import compare_contract
from specgen.diff.events import EventVerdict, compare_events
from specgen.diff.findings import Finding, sorted_findings
from specgen.diff.modes import Mode, Policy, read_policy
from specgen.diff.rules import RULES, in_categories
from specgen.diff.side import LoadFailure, Side, load_side
from specgen.diff.source import SourceError, materialize, release_tags
from specgen.diff.streams import compare_streams
from specgen.ir.serialize import to_data

ERROR, ACCEPTED, INFO = "error", "accepted", "info"


@dataclass
class Report:
    against: str
    old_version: str = ""
    new_version: str = ""
    findings: list[tuple[Finding, str]] = field(default_factory=list)  # (finding, level)
    verdicts: list[EventVerdict] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    version: versions.VersionCheck | None = None
    usage_error: bool = False
    notes: notes_of.Annotations = field(default_factory=notes_of.Annotations)

    def under(self, mode: Mode) -> list[tuple[Finding, str]]:
        """The same findings judged by one mode for every event (for tests and reports)."""
        policy = Policy(mode)
        return [
            judge(f, policy, self.notes) for f, _ in self.findings if f.rule != "VERSION_TOO_LOW"
        ]

    @property
    def errors(self) -> int:
        return sum(1 for _, level in self.findings if level == ERROR) + sum(
            1 for d in self.diagnostics if d.level.value == "error"
        )


@dataclass(frozen=True)
class Options:
    mode: str | None = None  # overrides the project's default mode
    open_content: str | None = None
    transitive: bool = True
    check_version: bool = True


def compare_sides(old: Side, new: Side, policy: Policy) -> tuple[list[Finding], list[EventVerdict]]:
    findings, verdicts = compare_events(old, new, _lenient_for(policy))
    findings += compare_contract(old, new) + compare_code(old, new) + compare_streams(old, new)
    chosen = [f for f in findings if in_categories(RULES[f.rule], policy.categories)]
    return [replace(f, against=old.label) for f in chosen], verdicts


def _lenient_for(policy: Policy) -> Callable[[str, str], bool]:
    def lenient(event_type: str, domain: str) -> bool:
        return policy.mode_for(event_type, domain).open_content == "lenient"

    return lenient


def judge(
    finding: Finding,
    policy: Policy,
    notes: notes_of.Annotations,
    after: tuple[int, int, int] | None = None,
) -> tuple[Finding, str]:
    mode = policy.mode_for(finding.subject, finding.domain)
    if not finding.breaks & mode.directions:
        return finding, INFO
    accepted = notes.accepting(finding, after)
    if accepted is not None:
        return finding.accept(accepted), ACCEPTED
    return finding, ERROR


def _policy(new: Side, options: Options) -> tuple[Policy, list[Diagnostic]]:
    project = new.spec.project
    data = project.data if project is not None else None
    policy, problems = read_policy(data, lambda p: new.at_project(p) or Location("<project>"))
    if options.mode is not None:
        name = options.mode.removesuffix("-transitive")
        policy.default = replace(
            policy.default, name=name, transitive=options.mode.endswith("-transitive")
        )
        policy.domains, policy.events = {}, {}
    if options.open_content is not None:
        policy.default = replace(policy.default, open_content=options.open_content)
    return policy, problems


def run_diff(paths: list[Path], against: str, options: Options = Options()) -> Report:
    report = Report(against)
    try:
        new = load_side(paths, "working tree")
        with materialize(against, paths) as old_source:
            old = load_side(old_source.paths, against, old_source.shown_as)
            policy, report.diagnostics = _policy(new, options)
            _compare(report, old, new, policy, options.check_version)
        if options.transitive and policy.any_transitive():
            _transitive(report, paths, new, policy)
    except SourceError as exc:
        report.usage_error = True
        report.diagnostics.append(error("SG-DIFF-SOURCE", str(exc), Location(against)))
    except LoadFailure as failure:
        report.usage_error = True
        report.diagnostics += [_labelled(d, failure.label) for d in failure.diagnostics] or [
            error("SG-DIFF-SOURCE", f"{failure.label}: no AsyncAPI documents", Location(against))
        ]
    return report


def _labelled(diagnostic: Diagnostic, label: str) -> Diagnostic:
    return replace(diagnostic, message=f"{diagnostic.message} (in {label})")


def _compare(report: Report, old: Side, new: Side, policy: Policy, check_version: bool) -> None:
    notes = report.notes = notes_of.collect(new)
    report.diagnostics += notes.problems
    found, report.verdicts = compare_sides(old, new, policy)
    for stale in [] if policy.any_transitive() else notes.stale:
        found.append(
            Finding(
                "ANNOTATION_STALE",
                f"x-specgen-breaking for {stale.rule} names "
                f"version {stale.version}; it no longer applies: remove it",
                None,
                stale.location,
                frozenset(),
                "project",
                against=old.label,
            )
        )
    report.findings = [judge(f, policy, notes) for f in sorted_findings(found)]
    report.old_version = old.ir.project.version if old.has_project else ""
    report.new_version = new.ir.project.version
    if old.has_project and new.has_project and check_version:
        _versions(report, old, new, policy)


def _versions(report: Report, old: Side, new: Side, policy: Policy) -> None:
    breaking = [f for f, level in report.findings if level in (ERROR, ACCEPTED)]
    changes = [f for f, _ in report.findings if f.rule != "ANNOTATION_STALE"]
    if breaking:
        needed, why = versions.MAJOR, f"{len(breaking)} breaking change(s)"
    elif changes:
        needed, why = versions.MINOR, f"{len(changes)} compatible change(s)"
    elif _text_changed(old, new):
        needed, why = versions.PATCH, "descriptions or examples changed"
    else:
        needed, why = versions.NOTHING, "nothing changed"
    result = versions.check(old.ir.project.version, new.ir.project.version, needed, why)
    report.version = result
    if result is not None and not result.ok and "VERSION" in policy.categories:
        message = (
            f"version {result.new} must be at least {result.required} ({why} since {result.old})"
        )
        finding = Finding(
            "VERSION_TOO_LOW",
            message,
            old.at_project("/version"),
            new.at_project("/version"),
            frozenset({"backward", "forward"}),
            "project",
            against=old.label,
            hint=f"set version: {result.required} in the project file",
        )
        report.findings.append((finding, ERROR))


def _text_changed(old: Side, new: Side) -> bool:
    # the version itself and the list of languages do not change any package's content
    a = to_data(replace(old.ir, project=replace(old.ir.project, version="", languages=())))
    b = to_data(replace(new.ir, project=replace(new.ir.project, version="", languages=())))
    return bool(a != b)


def _transitive(report: Report, paths: list[Path], new: Side, policy: Policy) -> None:
    seen = {f.rule + f.subject + f.message for f, _ in report.findings}
    notes = notes_of.collect(new)
    for tag in release_tags(paths, policy.release_tags):
        if tag == report.against:
            continue
        try:
            with materialize(tag, paths) as source:
                old = load_side(source.paths, tag, source.shown_as)
                found, _ = compare_sides(old, new, policy)
        except (SourceError, LoadFailure):
            continue
        after = versions.parse(old.ir.project.version)
        for finding in sorted_findings(found):
            mode = policy.mode_for(finding.subject, finding.domain)
            key = finding.rule + finding.subject + finding.message
            if mode.transitive and key not in seen:
                seen.add(key)
                judged = judge(finding, policy, notes, after)
                if judged[1] != INFO:
                    report.findings.append(judged)
