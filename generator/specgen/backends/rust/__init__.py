"""The Rust backend: ``generate(ir) -> list[GeneratedFile]`` for one Cargo crate.

Layout under ``rust/``: ``Cargo.toml``, ``README.md`` and ``src/`` with ``models/`` (payload
types and their validation: one module per domain for the types only its events use, one for
the shared ones), ``events/`` (one event type per CloudEvents type, a module per domain) and
one module per domain with typed publishers and subscribers (behind the ``nats`` feature).
What is the same for every spec (codec, JSON Schema semantics, time, NATS) is the crate
``specgen-runtime`` (runtimes/rust), a dependency with a compatible version requirement.

Output is already in rustfmt's layout (``layout``; the tests run rustfmt over it and require
no change), so generating needs no Rust toolchain. Decisions (types, numbers, unions) are
documented in ``typemap`` and ``unions``; names in ``names``; every spec string reaches code
through ``literals.rust_str``.
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

from specgen.backends import GeneratedFile, buildinfo
from specgen.backends.runtimes import cargo_requirement
from specgen.backends.rust import layout
from specgen.backends.rust.checks import IND
from specgen.backends.rust.events import DomainView, domain_views, event_views
from specgen.backends.rust.literals import rust_str
from specgen.backends.rust.models import ModelModule, model_modules
from specgen.backends.rust.typemap import RustBackendError
from specgen.backends.templating import HEADER_TEXT, render
from specgen.ir import SpecIR
from specgen.ir.memo import per_ir

__all__ = ["RustBackendError", "generate", "payload_modules"]

ROOT = "rust"
HEADER = f"// {HEADER_TEXT}"


def _imports(text: str) -> str:
    """The ``use`` of what a models module needs from ``specgen_runtime::schema``."""
    text = "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("//"))
    used = [name for name in ("Path", "Validate") if re.search(rf"\b{name}\b", text)]
    if "schema::" in text:
        used.insert(0, "self")
    if not used:
        return ""
    if used == ["self"]:
        return "use specgen_runtime::schema;"
    if len(used) == 1:
        return f"use specgen_runtime::schema::{used[0]};"
    return "use specgen_runtime::schema::{" + ", ".join(used) + "};"


def _model_sections(m: ModelModule) -> list[str]:
    """The parts of a models module, in order; ``use`` lines last decided (they follow use)."""
    body = [m.statics.lines, *m.blocks, *m.statics.functions]
    if m.serde_types:
        body.append(layout.macro_call("", "specgen_runtime::deser_via_serde!", m.serde_types, ";"))
    heads = [line for line in m.statics.lines if line.startswith("static ")]
    probes = [(line.split(":")[0].split()[-1], _probe(line)) for line in heads]
    tests = [f"{IND * 2}super::{name}.{probe}();" for name, probe in probes if probe]
    if tests:
        test = f"{IND}fn every_pattern_and_value_set_is_valid() {{"
        body.append(["#[cfg(test)]", "mod tests {", f"{IND}#[test]", test, *tests, f"{IND}}}", "}"])
    sections = ["\n".join(lines) for lines in body if lines]
    heading = [_imports("\n".join(sections))] + (["use super::*;"] if m.uses_siblings else [])
    return [line for line in heading if line] + sections


def _model_files(modules: list[ModelModule]) -> dict[str, str]:
    files = {}
    for m in modules:
        text = render(
            "rust/models/module.rs.jinja", header=HEADER, about=m.about, sections=_model_sections(m)
        )
        files[f"models/{m.file}.rs"] = text
    large = any("pub enum" in "\n".join(b) for m in modules for b in m.blocks)
    files["models/mod.rs"] = render(
        "rust/models/mod.rs.jinja", modules=modules, header=HEADER, large_variants=large
    )
    return files


def _probe(static_line: str) -> str:
    if "schema::Pattern" in static_line:
        return "regex"
    if "schema::Literals" in static_line:
        return "values"
    return ""


def _event_files(domains: list[DomainView]) -> dict[str, str]:
    files = {}
    listed = [{"module": d.events_module, "spec": e.spec} for d in domains for e in d.events]
    ordered = sorted(domains, key=lambda d: d.events_module)  # rustfmt orders `mod` items
    served = [(rust_str(e.type), [*e.mqtt[:-1], e.mqtt[-1] + ","]) for d in domains
              for e in d.events if e.mqtt]  # fmt: skip
    files["events/mod.rs"] = render(
        "rust/events/mod.rs.jinja", domains=ordered, events=listed, mqtt=served, header=HEADER
    )
    for d in domains:
        validates = any("Validate::validate_at(data" in "\n".join(e.spec_lines) for e in d.events)
        name = d.events_module.removeprefix("r#")
        files[f"events/{name}.rs"] = render(
            "rust/events/domain.rs.jinja",
            d=d,
            validates=validates,
            mqtt=any(e.mqtt for e in d.events),
            header=HEADER,
        )
    return files


class _Payload(NamedTuple):
    files: dict[str, str]  # the payload modules by path below ``src/``
    domains: list[DomainView]


@per_ir
def _payload(ir: SpecIR) -> _Payload:
    """Made once per IR: ``validate``'s capability check and ``generate`` both need it."""
    modules, types, checks = model_modules(ir)
    domains = domain_views(ir, event_views(ir, types, checks))
    return _Payload({**_model_files(modules), **_event_files(domains)}, domains)


def payload_modules(ir: SpecIR) -> dict[str, str]:
    """The spec-specific payload modules (``models/``, ``events/``), by path below ``src/``."""
    return dict(_payload(ir).files)


def generate(ir: SpecIR) -> list[GeneratedFile]:
    payload, domains = _payload(ir)
    crate = ir.project.packages.rust_crate
    src = f"{ROOT}/src"
    files = [GeneratedFile(f"{src}/{path}", text) for path, text in payload.items()]
    files += [
        GeneratedFile(
            f"{src}/lib.rs",
            render(
                "rust/lib.rs.jinja",
                header=HEADER,
                modules=sorted([*(d.module for d in domains), "events", "models"]),
                docs_of={d.module: d.item_docs for d in domains},
                version_line=f"pub const SPEC_VERSION: &str = {rust_str(ir.project.version)};",
                docs=layout.doc_lines(
                    f"Events of {ir.project.name}, generated by specgen.", inner=True
                ),
            ),
        ),
        GeneratedFile(f"{ROOT}/{buildinfo.FILE_NAME}", buildinfo.content(ir, crate)),
        GeneratedFile(
            f"{ROOT}/Cargo.toml",
            render(
                "rust/Cargo.toml.jinja",
                header=f"# {HEADER_TEXT}",
                crate=json.dumps(crate),
                version=json.dumps(ir.project.version),
                description=json.dumps(f"Events of {ir.project.name} (generated by specgen)"),
                license=json.dumps(ir.project.license) if ir.project.license else None,
                runtime=json.dumps(cargo_requirement()),
            ),
        ),
        GeneratedFile(
            f"{ROOT}/README.md",
            render(
                "rust/README.md.jinja",
                header_text=HEADER_TEXT,
                crate=crate,
                version=ir.project.version,
                project=ir.project.name,
            ),
        ),
    ]
    files += [
        GeneratedFile(
            f"{src}/{d.module.removeprefix('r#')}.rs",
            render("rust/domain.rs.jinja", d=d, header=HEADER),
        )
        for d in domains
    ]
    return sorted(files, key=lambda f: f.path)
