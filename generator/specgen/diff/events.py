"""Event-level findings: each CloudEvent type of the old version against the new one.

Events are matched by CloudEvent type. For a type in both versions the payload schemas are
compared as sets (``diff.schema``) in both directions, and the attributes that travel with the
event (subject, source, dataschema, parameters, delivery) are compared as values. A type only
in the old version is removed, or renamed when exactly one new type took its subject; a new
major version beside the old one (``.v2`` next to ``.v1``) is an addition, never a rename.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from specgen.diagnostics import Location
from specgen.diff.findings import Finding, found
from specgen.diff.rules import BACKWARD, BOTH, FORWARD, rule_for_facet
from specgen.diff.schema import Comparison, Graph, Reason, compare, to_graph
from specgen.diff.schema.values import show
from specgen.diff.side import EventAnchor, Side

_VERSION = re.compile(r"\.v\d+$")
BOTH_READERS = "old and new consumers each reject events the other side's producers may send"


@dataclass(frozen=True)
class EventVerdict:
    """The wire verdict of one event type: compatible, breaking or unproven, per direction."""

    type: str
    domain: str
    backward: str
    forward: str
    status: str  # "changed", "unchanged", "added", "removed"


LenientFor = Callable[[str, str], bool]


def compare_events(
    old: Side, new: Side, lenient_for: LenientFor
) -> tuple[list[Finding], list[EventVerdict]]:
    findings: list[Finding] = []
    verdicts: list[EventVerdict] = []
    removed = [t for t in old.events if t not in new.events]
    added = [t for t in new.events if t not in old.events]
    renamed = _renames(old, new, removed, added)
    for event_type, anchor in old.events.items():
        if event_type in new.events:
            lenient = lenient_for(event_type, new.events[event_type].domain.name)
            matched, verdict = _matched(old, new, anchor, new.events[event_type], lenient)
            findings += matched
            verdicts.append(verdict)
        elif event_type in renamed:
            target = renamed[event_type]
            findings.append(
                found(
                    "EVENT_RENAMED",
                    f"{event_type} is now {target}",
                    old.at_event(event_type),
                    new.at_event(target),
                    event_type,
                    anchor.domain.name,
                )
            )
        else:
            findings.append(
                found(
                    "EVENT_REMOVED",
                    f"removed (it was published on {anchor.event.subject_template})",
                    old.at_event(event_type),
                    None,
                    event_type,
                    anchor.domain.name,
                    hint=_removal_hint(event_type, new),
                )
            )
            verdicts.append(
                EventVerdict(event_type, anchor.domain.name, "breaking", "compatible", "removed")
            )
    added_findings, added_verdicts = _added(new, added, renamed)
    return findings + added_findings, verdicts + added_verdicts


def _added(
    new: Side, added: list[str], renamed: dict[str, str]
) -> tuple[list[Finding], list[EventVerdict]]:
    findings: list[Finding] = []
    verdicts: list[EventVerdict] = []
    for event_type in added:
        anchor = new.events[event_type]
        if event_type not in renamed.values():
            findings.append(
                found(
                    "EVENT_ADDED",
                    f"added, published on {anchor.event.subject_template}",
                    None,
                    new.at_event(event_type),
                    event_type,
                    anchor.domain.name,
                )
            )
        verdicts.append(
            EventVerdict(event_type, anchor.domain.name, "compatible", "compatible", "added")
        )
    return findings, verdicts


def _removal_hint(event_type: str, new: Side) -> str:
    base = _VERSION.sub("", event_type)
    successors = [t for t in new.events if _VERSION.sub("", t) == base]
    if successors:
        return (
            f"{', '.join(successors)} replaces it; keep {event_type} until every site "
            "has moved, or accept the removal with x-specgen-breaking"
        )
    return "keep the event (mark it deprecated) until no producer sends it"


def _renames(old: Side, new: Side, removed: list[str], added: list[str]) -> dict[str, str]:
    renames: dict[str, str] = {}
    for gone in removed:
        subject = old.events[gone].event.subject_template
        same = [t for t in added if new.events[t].event.subject_template == subject]
        same = [t for t in same if _VERSION.sub("", t) != _VERSION.sub("", gone)]
        if len(same) == 1 and same[0] not in renames.values():
            renames[gone] = same[0]
    return renames


def _matched(
    old: Side, new: Side, before: EventAnchor, after: EventAnchor, lenient: bool
) -> tuple[list[Finding], EventVerdict]:
    event_type = before.event.type
    old_graph, new_graph = to_graph(before.payload), to_graph(after.payload)
    comparison = compare(old_graph.root, new_graph.root, lenient=lenient)
    graphs = (old_graph, new_graph)
    findings = _schema_findings(old, new, event_type, after.domain.name, comparison, graphs)
    findings += _attributes(old, new, before, after)
    was = (
        before.event
        if old.has_project
        else replace(before.event, dataschema=after.event.dataschema)
    )
    changed = bool(findings) or was != after.event  # a description or an example counts too
    verdict = EventVerdict(
        event_type,
        after.domain.name,
        comparison.backward_verdict,
        comparison.forward_verdict,
        "changed" if changed else "unchanged",
    )
    return findings, verdict


def _schema_findings(
    old: Side,
    new: Side,
    event_type: str,
    domain: str,
    comparison: Comparison,
    graphs: tuple[Graph, Graph],
) -> list[Finding]:
    merged: dict[tuple[str, str, str], Finding] = {}
    for direction, reasons in ((BACKWARD, comparison.backward), (FORWARD, comparison.forward)):
        for reason in reasons:
            finding = _from_reason(old, new, event_type, domain, direction, reason, graphs)
            key = (finding.rule, str(finding.old), str(finding.new))
            held = merged.get(key)
            if held is None:
                merged[key] = finding
            else:
                merged[key] = replace(
                    held,
                    message=held.message.rsplit(" (", 1)[0] + f" ({BOTH_READERS})",
                    breaks=held.breaks | finding.breaks,
                    certain=held.certain and finding.certain,
                )
    return list(merged.values())


def _from_reason(
    old: Side,
    new: Side,
    event_type: str,
    domain: str,
    direction: str,
    reason: Reason,
    graphs: tuple[Graph, Graph],
) -> Finding:
    rule = rule_for_facet(reason.facet, direction)
    old_spot, new_spot = (reason.a, reason.b) if direction == BACKWARD else (reason.b, reason.a)
    old_says, new_says = (
        (reason.a_says, reason.b_says) if direction == BACKWARD else (reason.b_says, reason.a_says)
    )
    where = new_spot.pointer or old_spot.pointer or "/"
    reader = (
        "new consumers reject events old producers may send"
        if direction == BACKWARD
        else "old consumers reject events new producers may send"
    )
    verdict = "" if reason.certain else "cannot prove compatible: "
    message = f"{verdict}payload {where}: old {old_says}, new {new_says} ({reader})"
    if reason.assumed:
        message = (
            f"payload {where}: old {old_says}, new {new_says} (assumed compatible: "
            "lenient open content takes undeclared properties as never sent)"
        )
    if reason.facet == "unknown":
        message = f"{verdict}payload {where}: {reason.b_says} ({reader})"
    example = show(reason.witness, 240) if reason.has_witness and reason.certain else ""
    return Finding(
        rule.id,
        message,
        _spot(old, graphs[0].original(old_spot.node), old_spot.keyword)
        or old.at_event(event_type, "payload"),
        _spot(new, graphs[1].original(new_spot.node), new_spot.keyword)
        or new.at_event(event_type, "payload"),
        frozenset() if reason.assumed else frozenset({direction}),
        event_type,
        domain,
        certain=reason.certain or reason.assumed,
        example=example,
    )


def _spot(side: Side, node: object, keyword: str | None) -> Location | None:
    if node is None:
        return None
    if keyword and isinstance(node, dict) and keyword in node:
        return side.locate(node, keyword)
    return side.locate(node)


def _attributes(old: Side, new: Side, before: EventAnchor, after: EventAnchor) -> list[Finding]:
    a, b = before.event, after.event
    results: list[Finding] = []
    subject, domain = a.type, after.domain.name

    def add(rule: str, message: str, old_at: Location | None, new_at: Location | None) -> None:
        results.append(found(rule, message, old_at, new_at, subject, domain))

    if _wildcards(a.subject_template) != _wildcards(b.subject_template):
        add(
            "SUBJECT_CHANGED",
            f"subject {a.subject_template} is now {b.subject_template}",
            old.locate(before.channel, "address"),
            new.locate(after.channel, "address"),
        )
    if a.source_template != b.source_template:
        add(
            "SOURCE_CHANGED",
            f"source {a.source_template} is now {b.source_template}",
            old.at_event(subject, "x-cloudevents"),
            new.at_event(subject, "x-cloudevents"),
        )
    if a.dataschema != b.dataschema and old.has_project:
        add(
            "DATASCHEMA_CHANGED",
            f"dataschema {a.dataschema} is now {b.dataschema}",
            old.at_project("/dataschema_base"),
            new.at_project("/dataschema_base"),
        )
    results += _parameters(old, new, before, after)
    if a.delivery != b.delivery:
        add(
            "DELIVERY_CHANGED",
            f"delivery {a.delivery} is now {b.delivery}",
            old.locate(before.channel, "x-delivery") or old.locate(before.channel),
            new.locate(after.channel, "x-delivery") or new.locate(after.channel),
        )
    if before.domain.name != after.domain.name:
        add(
            "EVENT_MOVED",
            f"moved from domain {before.domain.name} to {after.domain.name}",
            old.at_event(subject),
            new.at_event(subject),
        )
    if b.deprecated and not a.deprecated:
        add(
            "EVENT_DEPRECATED",
            f"{subject} is deprecated",
            old.at_event(subject),
            new.at_event(subject, "deprecated"),
        )
    return results


def _wildcards(subject: str) -> str:
    """The subject as the broker sees it: parameter names do not travel."""
    return re.sub(r"\{[^{}]*\}", "*", subject)


def _parameters(old: Side, new: Side, before: EventAnchor, after: EventAnchor) -> list[Finding]:
    a = [p.name for p in before.event.parameters]
    b = [p.name for p in after.event.parameters]
    if a == b:
        return []
    old_at = old.locate(before.channel, "parameters") or old.locate(before.channel)
    new_at = new.locate(after.channel, "parameters") or new.locate(after.channel)
    subject, domain = before.event.type, after.domain.name
    if len(a) == len(b):
        pairs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        text = ", ".join(f"{{{x}}} is now {{{y}}}" for x, y in pairs)
        return [
            found(
                "PARAMETER_RENAMED",
                f"subject parameter {text}",
                old_at,
                new_at,
                subject,
                domain,
                breaks=BOTH,
            )
        ]
    findings = []
    for name in a:
        if name not in b:
            findings.append(
                found(
                    "PARAMETER_REMOVED",
                    f"subject parameter {{{name}}} removed",
                    old_at,
                    new_at,
                    subject,
                    domain,
                )
            )
    for name in b:
        if name not in a:
            findings.append(
                found(
                    "PARAMETER_ADDED",
                    f"subject parameter {{{name}}} added",
                    old_at,
                    new_at,
                    subject,
                    domain,
                )
            )
    return findings
