"""The project file against the documents: what ``specgen.yaml`` names must exist.

The file's own shape (keys, types, enums, durations) is checked when it is read
(``model.project``); these rules check what only the documents can tell: the upload stream
sources domains that exist and have a stream, example site ids match the site pattern, and
the dead-letter subject carries the site and the domain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, error
from specgen.model.errors import did_you_mean
from specgen.nats_subjects import token_problems, tokens
from specgen.rules.context import Context
from specgen.rules.registry import SPECGEN, Rule

RULE = "SG-PROJECT-TOPOLOGY"


def _upload_domains(ctx: Context) -> Iterator[Diagnostic]:
    project, source = ctx.project, ctx.spec.project
    upload = project.topology.upload_stream if project else None  # None: absent or reported
    if upload is None or source is None:
        return
    domains = {d.domain: d for d in ctx.documents if d.domain is not None}
    for index, name in enumerate(upload.domains):
        where = source.value_location(f"/topology/upload_stream/domains/{index}")
        if name not in domains:
            hint = did_you_mean(name, sorted(domains)) or "domains: " + ", ".join(sorted(domains))
            yield error(
                RULE,
                f"topology.upload_stream.domains[{index}] {name!r} is not the x-domain of any "
                "document, so the upload stream would source nothing for it",
                where,
                hint,
            )
        elif domains[name].stream is None:
            yield error(
                RULE,
                f"topology.upload_stream.domains[{index}] {name!r} has no x-stream: its events "
                "are not stored at the site, so there is nothing to upload",
                where,
                f"give the {name} document an x-stream, or remove {name!r} from the list",
            )


def _site(ctx: Context) -> Iterator[Diagnostic]:
    project, source = ctx.project, ctx.spec.project
    if project is None or source is None or "site" not in project.model_fields_set:
        return
    pattern = project.site.id_pattern
    for index, site in enumerate(project.site.example_ids):
        problems = token_problems(site, strict=True) if "." not in site else ["it contains '.'"]
        if re.search(pattern, site) is None:
            problems.append(f"it does not match site.id_pattern {pattern!r}")
        for problem in problems:
            yield error(
                RULE,
                f"site.example_ids[{index}] {site!r} is not a valid site id: {problem}",
                source.value_location(f"/site/example_ids/{index}"),
                "site ids are one NATS subject token that matches site.id_pattern",
            )


def _dead_letter(ctx: Context) -> Iterator[Diagnostic]:
    project, source = ctx.project, ctx.spec.project
    if project is None or source is None or "dead_letter" not in project.model_fields_set:
        return
    subject = project.dead_letter.subject
    problems = token_problems(subject.replace("{domain}", "d"), strict=True)
    if "{domain}" not in tokens(subject):
        problems.append("it has no {domain} token, so every domain would share one subject")
    if "{site_id}" not in tokens(subject):
        problems.append("it has no {site_id} token, so dead letters would leak between sites")
    for problem in problems:
        yield error(
            RULE,
            f"dead_letter.subject {subject!r} is not a valid subject template: {problem}",
            source.value_location("/dead_letter/subject"),
            "write it like 'pf.{site_id}.deadletter.{domain}'",
        )


def check_topology(ctx: Context) -> Iterator[Diagnostic]:
    yield from _upload_domains(ctx)
    yield from _site(ctx)
    yield from _dead_letter(ctx)


RULES = (
    Rule(
        RULE,
        SPECGEN,
        "the project file's upload domains exist and have streams, example site ids are valid "
        "site ids, the dead-letter subject carries {site_id} and {domain}",
        check_topology,
    ),
)
