"""The Python backend: ``generate(ir) -> list[GeneratedFile]`` for an installable package.

Layout under ``python/``: ``pyproject.toml``, ``README.md`` and ``src/<module>/`` with
``models.py`` (payload models), ``events.py`` (one Event class per CloudEvents type), one
module per domain (typed publisher and subscriber), ``schemas/<type>.json`` (each event's
data schema), ``topology.json`` (the fleet layout, for provisioning), ``examples.json`` (the spec's
examples per event type), ``build-info.json`` (see ``specgen.backends.buildinfo``) and
``py.typed``.
"""

from __future__ import annotations

import json

from specgen.backends import GeneratedFile, buildinfo
from specgen.backends.python.events import domain_views
from specgen.backends.python.literals import py_str
from specgen.backends.python.models import AliasView, NameMap, model_views
from specgen.backends.python.readme import usage_view
from specgen.backends.runtimes import python_requirement
from specgen.backends.templating import HEADER_TEXT, render
from specgen.ir import SpecIR
from specgen.ir.fleet import fleet_document

ROOT = "python"
HEADER = f"# {HEADER_TEXT}"


def _models_file(ir: SpecIR, names: NameMap, path: str, common: dict[str, str]) -> GeneratedFile:
    declarations = model_views(ir, names)
    recursive = any(isinstance(d, AliasView) and d.recursive for d in declarations)
    text = render(
        "python/models.py.jinja", declarations=declarations, recursive_aliases=recursive, **common
    )
    return GeneratedFile(path, text)


def generate(ir: SpecIR) -> list[GeneratedFile]:
    names = NameMap(ir)
    module = ir.project.packages.python_module
    src = f"{ROOT}/src/{module}"
    domains = domain_views(ir, names)
    events = [e for d in domains for e in d.events]
    common = {"header": HEADER, "project": ir.project.name, "module": module}
    files = [
        _models_file(ir, names, f"{src}/models.py", common),
        GeneratedFile(
            f"{src}/events.py",
            render(
                "python/events.py.jinja",
                events=events,
                **common,
            ),
        ),
        GeneratedFile(
            f"{src}/__init__.py",
            render(
                "python/__init__.py.jinja",
                domains=domains,
                distribution=ir.project.packages.python_distribution,
                version=ir.project.version,
                version_literal=py_str(ir.project.version),
                exported=sorted(n for d in domains for n in (d.publisher, d.subscriber)),
                **common,
            ),
        ),
        GeneratedFile(f"{src}/py.typed", ""),
        GeneratedFile(
            f"{src}/topology.json",
            json.dumps(fleet_document(ir), indent=2, ensure_ascii=False) + "\n",
        ),
        GeneratedFile(f"{src}/examples.json", _examples(ir)),
        GeneratedFile(
            f"{src}/{buildinfo.FILE_NAME}",
            buildinfo.content(ir, ir.project.packages.python_distribution),
        ),
        GeneratedFile(
            f"{ROOT}/pyproject.toml",
            render(
                "python/pyproject.toml.jinja",
                distribution=ir.project.packages.python_distribution,
                runtime_requirement=python_requirement(),
                license=ir.project.license,
                version=ir.project.version,
                **common,
            ),
        ),
        GeneratedFile(
            f"{ROOT}/README.md",
            render(
                "python/README.md.jinja",
                header_text=HEADER_TEXT,
                distribution=ir.project.packages.python_distribution,
                version=ir.project.version,
                events=ir.events(),
                first=domains[0],
                usage=usage_view(ir, domains),
                **common,
            ),
        ),
    ]
    files += [
        GeneratedFile(f"{src}/{d.module}.py", render("python/domain.py.jinja", d=d, **common))
        for d in domains
    ]
    files += [
        GeneratedFile(
            f"{src}/schemas/{event.type}.json",
            json.dumps(event.payload_schema, indent=2, ensure_ascii=False) + "\n",
        )
        for event in ir.events()
    ]
    return sorted(files, key=lambda f: f.path)


def _examples(ir: SpecIR) -> str:
    """Every spec example's payload, per CloudEvents type (fixtures, demos, documentation)."""
    examples = {e.type: [x.payload for x in e.examples] for e in ir.events()}
    return json.dumps(examples, indent=2, ensure_ascii=False) + "\n"
