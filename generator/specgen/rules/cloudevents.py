"""``x-cloudevents`` of every message: a type ``com.<project>.<domain>.<event>.v<major>`` that
agrees with the document and the channel, a URI-reference source whose ``{params}`` the
channel provides, a unique type, and specversion 1.0."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from specgen.diagnostics import Diagnostic, error, warning
from specgen.rules.context import Context, Document, Mapping, as_mapping
from specgen.rules.nats_subjects import PARAM, params, tokens
from specgen.rules.registry import SPECGEN_ONLY, Rule

TAIL = r"(?P<domain>[a-z][a-z0-9_]*)\.(?P<event>[a-z][a-z0-9_]*)\.v(?P<major>[0-9]+)"
ANY_PREFIX = r"com\.[a-z][a-z0-9_]*\."
URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+")
SPECVERSION = "1.0"


def type_pattern(project: str | None) -> re.Pattern[str]:
    prefix = rf"com\.{re.escape(project)}\." if project else ANY_PREFIX
    return re.compile(prefix + TAIL)


def _cloudevents(message: Mapping) -> Mapping | None:
    return as_mapping(message.get("x-cloudevents"))


def check_missing(ctx: Context) -> Iterator[Diagnostic]:
    for _, message in ctx.messages():
        if _cloudevents(message) is None and ctx.known(message):
            present = "x-cloudevents" in message
            yield error(
                "SG-CE-MISSING",
                f"message {ctx.label(message)} "
                + (
                    "has an x-cloudevents that is not a mapping"
                    if present
                    else "has no x-cloudevents"
                ),
                ctx.locate(message, "x-cloudevents") if present else ctx.locate(message),
                "add 'x-cloudevents: {type: com.<project>.<domain>.<event>.v1, "
                "source: /sites/{site_id}/<domain>}'",
            )


def _type_problems(ctx: Context, document: Document, message: Mapping, ce_type: str) -> list[str]:
    project = ctx.project_name
    match = type_pattern(project).fullmatch(ce_type)
    if match is None:
        prefix = f"com.{project}." if project else "com.<project>."
        return [f"it does not match {prefix}<domain>.<event>.v<major> (lowercase snake tokens)"]
    problems = []
    if document.domain is not None and match["domain"] != document.domain:
        problems.append(
            f"its domain {match['domain']!r} is not the document's x-domain {document.domain!r}"
        )
    for channel in document.channels_of.get(id(message), []):
        last = tokens(channel.address)[-1] if channel.address else ""
        if re.fullmatch(r"v[0-9]+", last) and last != f"v{match['major']}":
            problems.append(
                f"its major version v{match['major']} differs from the last token {last!r} "
                f"of channel {channel.key!r}"
            )
    return problems


def check_type(ctx: Context) -> Iterator[Diagnostic]:
    for document, message in ctx.messages():
        ce = _cloudevents(message)
        if ce is None:
            continue
        ce_type = ce.get("type")
        if not isinstance(ce_type, str):
            problems = ["it is missing" if "type" not in ce else "it is not a string"]
        else:
            problems = _type_problems(ctx, document, message, ce_type)
        for problem in problems:
            yield error(
                "SG-CE-TYPE",
                f"message {ctx.label(message)}: x-cloudevents type {ce_type!r} is wrong: {problem}",
                ctx.locate(ce, "type") if "type" in ce else ctx.locate(ce),
                "write the type as com.<project>.<domain>.<event>.v<major>, with the domain "
                "of the document and the major version of the channel address",
            )


def _parsed_type(ctx: Context, ce: Mapping | None) -> re.Match[str] | None:
    ce_type = ce.get("type") if ce is not None else None
    if not isinstance(ce_type, str):
        return None
    return type_pattern(ctx.project_name).fullmatch(ce_type)


def check_event_name(ctx: Context) -> Iterator[Diagnostic]:
    for document, message in ctx.messages():
        ce = _cloudevents(message)
        match = _parsed_type(ctx, ce)
        if match is None or ce is None:
            continue
        for channel in document.channels_of.get(id(message), []):
            parts = tokens(channel.address or "")
            if len(parts) == 5 and parts[3] != match["event"]:
                yield warning(
                    "SG-CE-EVENT",
                    f"message {ctx.label(message)}: the event {match['event']!r} of type "
                    f"{ce['type']!r} differs from the event token {parts[3]!r} of channel "
                    f"{channel.key!r}",
                    ctx.locate(ce, "type"),
                    "use the same event name in the CloudEvents type and the subject",
                )


def _source_problems(document: Document, message: Mapping, source: Any) -> list[str]:
    if not isinstance(source, str) or not source:
        return ["it must be a non-empty string"]
    problems = []
    bare = PARAM.sub("x", source)
    if "{" in bare or "}" in bare:
        problems.append("it has an unbalanced '{' or '}'")
    elif URI_REFERENCE.fullmatch(bare) is None:
        problems.append("it is not a URI-reference (no spaces; escape other characters as %XX)")
    for channel in document.channels_of.get(id(message), []):
        for name in dict.fromkeys(params(source)):
            if name not in channel.parameters:
                problems.append(f"{{{name}}} is not a parameter of channel {channel.key!r}")
    return problems


def check_source(ctx: Context) -> Iterator[Diagnostic]:
    for document, message in ctx.messages():
        ce = _cloudevents(message)
        if ce is None:
            continue
        source = ce.get("source")
        for problem in _source_problems(document, message, source):
            yield error(
                "SG-CE-SOURCE",
                f"message {ctx.label(message)}: x-cloudevents source {source!r} is wrong: "
                + problem,
                ctx.locate(ce, "source") if "source" in ce else ctx.locate(ce),
                "use a URI-reference such as '/sites/{site_id}/<domain>' whose {parameters} "
                "are parameters of the message's channels",
            )


def check_duplicate_type(ctx: Context) -> Iterator[Diagnostic]:
    first: dict[str, Mapping] = {}
    for _, message in ctx.messages():
        ce = _cloudevents(message)
        ce_type = ce.get("type") if ce else None
        if not isinstance(ce_type, str) or ce is None:
            continue
        seen = first.setdefault(ce_type, message)
        if seen is not message:
            yield error(
                "SG-CE-DUPLICATE-TYPE",
                f"message {ctx.label(message)}: CloudEvents type {ce_type!r} is already "
                f"declared by message {ctx.label(seen)} at {ctx.where(_cloudevents(seen), 'type')}",
                ctx.locate(ce, "type"),
                "give every event its own type, or $ref the one message from both places",
            )


def check_specversion(ctx: Context) -> Iterator[Diagnostic]:
    for _, message in ctx.messages():
        ce = _cloudevents(message)
        if ce is None or "specversion" not in ce or ce["specversion"] == SPECVERSION:
            continue
        value = ce["specversion"]
        kind = "the number" if isinstance(value, int | float) else "the value"
        yield error(
            "SG-CE-SPECVERSION",
            f"message {ctx.label(message)}: x-cloudevents specversion is {kind} {value!r}, "
            "not the string '1.0'",
            ctx.locate(ce, "specversion"),
            "write specversion: '1.0' (quoted, it is a string) or leave it out",
        )


RULES = (
    Rule(
        "SG-CE-MISSING",
        SPECGEN_ONLY,
        "every message has an x-cloudevents mapping",
        check_missing,
    ),
    Rule(
        "SG-CE-TYPE",
        SPECGEN_ONLY,
        "x-cloudevents type is com.<project>.<domain>.<event>.v<major>, with the document's "
        "domain and the channel's major version",
        check_type,
    ),
    Rule(
        "SG-CE-EVENT",
        SPECGEN_ONLY,
        "the event token of the CloudEvents type equals the event token of the subject (warning)",
        check_event_name,
    ),
    Rule(
        "SG-CE-SOURCE",
        SPECGEN_ONLY,
        "x-cloudevents source is a non-empty URI-reference whose {params} are channel parameters",
        check_source,
    ),
    Rule(
        "SG-CE-DUPLICATE-TYPE",
        SPECGEN_ONLY,
        "no CloudEvents type is declared by two messages",
        check_duplicate_type,
    ),
    Rule(
        "SG-CE-SPECVERSION",
        SPECGEN_ONLY,
        "x-cloudevents specversion, if given, is '1.0'",
        check_specversion,
    ),
)
