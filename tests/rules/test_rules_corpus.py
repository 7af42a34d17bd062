"""Plain AsyncAPI documents from the shared corpus pass the ``asyncapi`` ruleset without errors,
one document at a time and all together."""

from __future__ import annotations

from pathlib import Path

import pytest
from specgen.diagnostics import has_errors, render_text, sorted_unique
from specgen.load import load_spec
from specgen.rules import run_rules

from tests.helpers import needs_shared

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus" / "asyncapi-examples"


def _is_document(path: Path) -> bool:
    """A top-level ``asyncapi:`` key (shared fragments under common/ have none)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return path.suffix in (".yml", ".yaml") and any(line.startswith("asyncapi:") for line in lines)


DOCUMENTS = (
    sorted(p for p in CORPUS.rglob("*") if p.is_file() and _is_document(p))
    if CORPUS.is_dir()
    else []
)
needs_corpus = needs_shared(CORPUS, "the AsyncAPI example corpus")


def _errors(paths: list[Path]) -> str:
    spec = load_spec(paths, root=CORPUS)
    assert spec.documents, "no AsyncAPI document was found"
    diagnostics = sorted_unique(run_rules(spec, "asyncapi"))
    return render_text(diagnostics) if has_errors(diagnostics) else ""


@needs_corpus
@pytest.mark.parametrize("path", DOCUMENTS, ids=[str(p.relative_to(CORPUS)) for p in DOCUMENTS])
def test_corpus_document(path: Path) -> None:
    assert _errors([path]) == ""


@needs_corpus
def test_corpus_as_one_folder() -> None:
    assert _errors([CORPUS]) == ""
