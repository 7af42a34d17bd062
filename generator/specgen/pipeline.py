"""The pipeline as calls: load -> typed model -> rules -> IR (+ capability checks) -> backends
-> writer.

``validate`` and ``generate`` share every step up to the IR, so ``validate`` reports all that
``generate`` would refuse: with a ruleset that includes ``generator`` (the default inside a
project, and what ``generate`` uses for plain documents) it builds the IR and runs each
configured backend's capability check too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from specgen import writer
from specgen.backends import BACKENDS, BackendRefusal, GeneratedFile
from specgen.capabilities import backend_error, generator_diagnostics
from specgen.diagnostics import Diagnostic, Location, error, has_errors
from specgen.diff import changelog
from specgen.ir import SpecIR
from specgen.load import LoadedSpec, load_spec
from specgen.model.spec import SpecModel, read_spec
from specgen.rules import RULES, RULESETS, run_rules
from specgen.rules.config import SCHEMA_WARNINGS, apply_config
from specgen.rules.registry import ASYNCAPI, GENERATOR, includes

LANGUAGES = tuple(BACKENDS)
IR_FILE = "ir.json"

__all__ = [
    "LANGUAGES",
    "RULESETS",
    "build",
    "catalog",
    "generate",
    "stale_files",
    "validate",
    "write_files",
]


@dataclass
class Validation:
    spec: LoadedSpec
    diagnostics: list[Diagnostic]
    ruleset: str = ASYNCAPI
    model: SpecModel | None = None
    ir: SpecIR | None = None
    """Built when the ruleset includes ``generator``."""


@dataclass
class Generation:
    diagnostics: list[Diagnostic]
    ir: SpecIR | None = None
    files: list[GeneratedFile] | None = field(default=None)
    project_file: Path | None = None


def default_ruleset(spec: LoadedSpec) -> str:
    """The project's ``rules.use`` inside a project, plain ``asyncapi`` outside one."""
    if spec.project_model is not None:
        return spec.project_model.rules.use
    return "specgen" if spec.project is not None else ASYNCAPI


def validate(
    paths: Sequence[Path],
    *,
    ruleset: str | None = None,
    root: Path | None = None,
    languages: Sequence[str] | None = None,
    at_least: str = ASYNCAPI,
) -> Validation:
    """Load, read and check ``paths``; ``at_least`` raises the ruleset to that category."""
    spec = load_spec(paths, root=root)
    model = read_spec(spec)
    chosen = ruleset or default_ruleset(spec)
    if not includes(chosen, at_least):
        chosen = at_least
    diagnostics = spec.diagnostics + model.diagnostics
    result = Validation(spec, diagnostics, chosen, model)
    if not model.documents:
        return result
    diagnostics += run_rules(model, chosen)
    if includes(chosen, GENERATOR):
        result.ir, found = generator_diagnostics(model, languages)
        diagnostics += found
    if spec.project_model is not None:
        known = [r.id for r in RULES] + sorted({d.rule for d in diagnostics} | SCHEMA_WARNINGS)
        diagnostics = apply_config(spec, spec.project_model.rules, diagnostics, known)
    result.diagnostics = diagnostics
    return result


def build(paths: Sequence[Path], *, root: Path | None = None) -> Generation:
    """Validate with at least the ``generator`` rules; the IR when nothing was refused."""
    checked = validate(paths, root=root, at_least=GENERATOR)
    clean = not has_errors(checked.diagnostics)
    project = checked.spec.project
    return Generation(
        checked.diagnostics,
        checked.ir if clean else None,
        project_file=project.path if project else None,
    )


def generate(
    paths: Sequence[Path],
    *,
    languages: Sequence[str] | None = None,
    out: Path = Path("generated"),
    root: Path | None = None,
) -> Generation:
    """Validate with at least the ``generator`` rules, then run each backend and format."""
    checked = validate(paths, root=root, languages=languages, at_least=GENERATOR)
    project = checked.spec.project
    result = Generation(
        checked.diagnostics, checked.ir, project_file=project.path if project else None
    )
    if has_errors(checked.diagnostics) or checked.ir is None or checked.model is None:
        return result
    ir = checked.ir
    chosen = list(languages or ir.project.languages)
    files = [writer.ir_file(ir, IR_FILE)]
    for language in chosen:
        try:
            files += BACKENDS[language](ir)
        except BackendRefusal as refusal:  # the capability check should have said so first
            result.diagnostics.append(backend_error(checked.model, language, str(refusal)))
    if has_errors(result.diagnostics):
        return result
    files += changelog.package_files(result.project_file, [c for c in chosen if c in BACKENDS])
    result.diagnostics += _unsafe(checked.model, files, out)
    if has_errors(result.diagnostics):
        return result
    result.files = writer.format_files(files)
    return result


def _unsafe(model: SpecModel, files: Sequence[GeneratedFile], out: Path) -> list[Diagnostic]:
    """SG-WRITE-PATH for every file that would leave the output folder, whatever made it."""
    sources = [model.loaded.project, *model.loaded.documents]
    first = next((s for s in sources if s is not None), None)
    where = first.location("") if first is not None else Location("<spec>", 0, 0, "")
    return [
        error(
            "SG-WRITE-PATH",
            f"generated file {problem}; nothing is written",
            where,
            "this is a specgen bug or a symlink in the output folder: report it, or remove "
            "the symlink",
        )
        for problem in writer.unsafe_paths(files, out)
    ]


def catalog(
    paths: Sequence[Path], *, root: Path | None = None, against: str | None = None
) -> Generation:
    """The event catalog (``specgen.docs``) of a valid spec: files to write, or diagnostics.

    With ``against`` (a git ref, a tag or a path, as ``specgen diff`` takes it) the catalog
    also shows what changed since that version. Breaking changes are documented, not refused.
    """
    from specgen import docs  # imported here: only `specgen docs` needs it

    result = build(paths, root=root)
    if result.ir is None:
        return result
    report = None
    if against is not None:
        from specgen.diff.run import run_diff

        report = run_diff(list(paths), against)
        result.diagnostics += report.diagnostics
        if report.usage_error or has_errors(report.diagnostics):
            return result
    result.files = docs.generate(result.ir, report)
    return result


def stale_files(files: Sequence[GeneratedFile], out: Path) -> list[str]:
    return writer.stale(files, out)


def write_files(files: Sequence[GeneratedFile], out: Path) -> int:
    return writer.write(files, out)
