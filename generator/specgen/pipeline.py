"""The pipeline as calls: load -> structure -> rules -> IR -> backends -> writer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from specgen import writer
from specgen.backends import BACKENDS, BackendRefusal, GeneratedFile
from specgen.diagnostics import Diagnostic, Location, error, has_errors
from specgen.diff import changelog
from specgen.ir import SpecIR
from specgen.ir.build import build_ir
from specgen.load import LoadedSpec, load_spec
from specgen.model import check_structure
from specgen.rules import RULESETS, run_rules

LANGUAGES = tuple(BACKENDS)
IR_FILE = "ir.json"

__all__ = [
    "LANGUAGES",
    "RULESETS",
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


@dataclass
class Generation:
    diagnostics: list[Diagnostic]
    ir: SpecIR | None = None
    files: list[GeneratedFile] | None = None
    project_file: Path | None = None


def validate(
    paths: Sequence[Path], *, ruleset: str | None = None, root: Path | None = None
) -> Validation:
    spec = load_spec(paths, root=root)
    diagnostics = list(spec.diagnostics)
    if spec.documents:
        diagnostics += check_structure(spec)
        chosen = ruleset or ("specgen" if spec.project is not None else "asyncapi")
        diagnostics += run_rules(spec, chosen)
    return Validation(spec, diagnostics)


def build(paths: Sequence[Path], *, root: Path | None = None) -> Generation:
    """Validate (our rules for a specgen project, plain AsyncAPI rules otherwise), then lower."""
    checked = validate(paths, root=root)
    if has_errors(checked.diagnostics):
        return Generation(checked.diagnostics)
    ir, diagnostics = build_ir(checked.spec)
    all_diagnostics = checked.diagnostics + diagnostics
    if has_errors(all_diagnostics) or ir is None:
        return Generation(all_diagnostics)
    project = checked.spec.project
    return Generation(all_diagnostics, ir, project_file=project.path if project else None)


def generate(
    paths: Sequence[Path],
    *,
    languages: Sequence[str] | None = None,
    out: Path = Path("generated"),
    root: Path | None = None,
) -> Generation:
    result = build(paths, root=root)
    if result.ir is None:
        return result
    chosen = languages or result.ir.project.languages
    files = [writer.ir_file(result.ir, IR_FILE)]
    for language in chosen:
        if language not in BACKENDS:
            result.diagnostics.append(_backend_error(paths, language, "no such backend"))
            continue
        try:
            files += BACKENDS[language](result.ir)
        except BackendRefusal as refusal:
            result.diagnostics.append(_backend_error(paths, language, str(refusal)))
    if has_errors(result.diagnostics):
        return result
    files += changelog.package_files(result.project_file, [c for c in chosen if c in BACKENDS])
    result.files = writer.format_files(files)
    return result


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


def _backend_error(paths: Sequence[Path], language: str, message: str) -> Diagnostic:
    where = Location(str(paths[0]) if paths else "spec", 0, 0, "")
    return error(
        "SG-BACKEND",
        f"{language}: {message}",
        where,
        f"change the spec, or remove {language!r} from `languages` in the project file",
    )


def stale_files(files: Sequence[GeneratedFile], out: Path) -> list[str]:
    return writer.stale(files, out)


def write_files(files: Sequence[GeneratedFile], out: Path) -> int:
    return writer.write(files, out)
