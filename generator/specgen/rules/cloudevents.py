"""``x-cloudevents`` of every message: a type ``com.<project>.<domain>.<event>.v<major>`` that
agrees with the document and the channel, a URI-reference source whose ``{params}`` the
channel provides, a unique type, and specversion 1.0.

The attributes are typed (``model.extensions.CloudEvents``): a missing or non-string type or
source, an unknown attribute or a specversion other than '1.0' is reported when it is read,
under the rule ids below.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, error, warning
from specgen.model import Message
from specgen.model.extensions import CLOUDEVENTS, CloudEvents
from specgen.nats_subjects import PARAM, params, tokens
from specgen.rules.context import Context, DocumentView
from specgen.rules.registry import SPECGEN, Rule, no_check

TAIL = r"(?P<domain>[a-z][a-z0-9_]*)\.(?P<event>[a-z][a-z0-9_]*)\.v(?P<major>[0-9]+)"
ANY_PREFIX = r"com\.[a-z][a-z0-9_]*\."
URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+")
SPECVERSION = "1.0"


def type_pattern(project: str | None) -> re.Pattern[str]:
    prefix = rf"com\.{re.escape(project)}\." if project else ANY_PREFIX
    return re.compile(prefix + TAIL)


def check_missing(ctx: Context) -> Iterator[Diagnostic]:
    for _, message in ctx.messages():
        if not CLOUDEVENTS.written(message) and ctx.known(message):
            yield error(
                "SG-CE-MISSING",
                f"message {ctx.label(message)} has no x-cloudevents",
                ctx.locate(message),
                "add 'x-cloudevents: {type: com.<project>.<domain>.<event>.v1, "
                "source: /sites/{site_id}/<domain>}'",
            )


def _type_problems(
    ctx: Context, document: DocumentView, message: Message, ce_type: str
) -> list[str]:
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


def _attributes(ctx: Context) -> Iterator[tuple[DocumentView, Message, CloudEvents]]:
    for document, message in ctx.messages():
        ce = CLOUDEVENTS.of(message)
        if ce is not None:
            yield document, message, ce


def check_type(ctx: Context) -> Iterator[Diagnostic]:
    for document, message, ce in _attributes(ctx):
        for problem in _type_problems(ctx, document, message, ce.type):
            yield error(
                "SG-CE-TYPE",
                f"message {ctx.label(message)}: x-cloudevents type {ce.type!r} is wrong: {problem}",
                ctx.locate(message, "x-cloudevents", "type"),
                "write the type as com.<project>.<domain>.<event>.v<major>, with the domain "
                "of the document and the major version of the channel address",
            )


def check_event_name(ctx: Context) -> Iterator[Diagnostic]:
    for document, message, ce in _attributes(ctx):
        match = type_pattern(ctx.project_name).fullmatch(ce.type)
        if match is None:
            continue
        for channel in document.channels_of.get(id(message), []):
            parts = tokens(channel.address or "")
            if len(parts) == 5 and parts[3] != match["event"]:
                yield warning(
                    "SG-CE-EVENT",
                    f"message {ctx.label(message)}: the event {match['event']!r} of type "
                    f"{ce.type!r} differs from the event token {parts[3]!r} of channel "
                    f"{channel.key!r}",
                    ctx.locate(message, "x-cloudevents", "type"),
                    "use the same event name in the CloudEvents type and the subject",
                )


def _source_problems(document: DocumentView, message: Message, source: str) -> list[str]:
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
    for document, message, ce in _attributes(ctx):
        if ce.source is None:
            yield error(
                "SG-CE-SOURCE",
                f"message {ctx.label(message)}: x-cloudevents has no source",
                ctx.locate(message, "x-cloudevents"),
                "add 'source: /sites/{site_id}/<domain>' (a URI-reference whose {parameters} "
                "are parameters of the message's channels)",
            )
            continue
        for problem in _source_problems(document, message, ce.source):
            yield error(
                "SG-CE-SOURCE",
                f"message {ctx.label(message)}: x-cloudevents source {ce.source!r} is wrong: "
                + problem,
                ctx.locate(message, "x-cloudevents", "source"),
                "use a URI-reference such as '/sites/{site_id}/<domain>' whose {parameters} "
                "are parameters of the message's channels",
            )


def check_duplicate_type(ctx: Context) -> Iterator[Diagnostic]:
    first: dict[str, Message] = {}
    for _, message, ce in _attributes(ctx):
        seen = first.setdefault(ce.type, message)
        if seen.raw is not message.raw:  # one definition shared by two documents is one event
            yield error(
                "SG-CE-DUPLICATE-TYPE",
                f"message {ctx.label(message)}: CloudEvents type {ce.type!r} is already "
                f"declared by message {ctx.label(seen)} at "
                f"{ctx.where(seen, 'x-cloudevents', 'type')}",
                ctx.locate(message, "x-cloudevents", "type"),
                "give every event its own type, or $ref the one message from both places",
            )


RULES = (
    Rule(
        "SG-CE-MISSING",
        SPECGEN,
        "every message has an x-cloudevents mapping",
        check_missing,
    ),
    Rule(
        "SG-CE-TYPE",
        SPECGEN,
        "x-cloudevents type is com.<project>.<domain>.<event>.v<major>, with the document's "
        "domain and the channel's major version",
        check_type,
    ),
    Rule(
        "SG-CE-EVENT",
        SPECGEN,
        "the event token of the CloudEvents type equals the event token of the subject (warning)",
        check_event_name,
    ),
    Rule(
        "SG-CE-SOURCE",
        SPECGEN,
        "x-cloudevents source is a non-empty URI-reference whose {params} are channel parameters",
        check_source,
    ),
    Rule(
        "SG-CE-DUPLICATE-TYPE",
        SPECGEN,
        "no CloudEvents type is declared by two messages",
        check_duplicate_type,
    ),
    Rule(
        "SG-CE-SPECVERSION",
        SPECGEN,
        "x-cloudevents specversion, if given, is the string '1.0'",
        no_check,
    ),
    Rule(
        "SG-CE-ATTRIBUTES",
        SPECGEN,
        "x-cloudevents is a mapping of the attributes type, source and (optionally) specversion",
        no_check,
    ),
)
