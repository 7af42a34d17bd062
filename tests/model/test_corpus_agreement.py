"""Our structural check agrees with the official AsyncAPI JSON Schema on the corpus.

Every corpus document, and every mutation of its root file, is validated twice: raw and
unresolved with the official JSON Schema of its version (``jsonschema.Draft7Validator``), and by
``load_spec`` + ``check_structure``. Valid must stay valid (no error at all from us), invalid
must be caught by both, and ours must name the expected rule at the mutated place.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from specgen.diagnostics import Diagnostic, Level
from specgen.load import load_spec
from specgen.model import check_structure

from tests.model.corpus import (
    CorpusDocument,
    corpus_documents,
    needs_shared,
    official_errors,
    raw_document,
)
from tests.model.mutations import MUTATIONS, VALID, Expect

pytestmark = needs_shared

DOCUMENTS = corpus_documents()
SUPPORTED = ("3.0.0", "3.1.0")


def _ours(root_file: Path, root: Path) -> list[Diagnostic]:
    spec = load_spec([root_file], root=root)
    return spec.diagnostics + check_structure(spec)


def _errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.level is Level.ERROR]


def _describe(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(f"{d.rule} {d.location.pointer}: {d.message}" for d in diagnostics)


def test_corpus_is_present() -> None:
    assert len(DOCUMENTS) >= 13
    assert any("social-media" in d.name for d in DOCUMENTS)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_corpus_document_is_valid_for_both(document: CorpusDocument, tmp_path: Path) -> None:
    root_file, root = document.copy_to(tmp_path)
    raw = raw_document(root_file)
    assert official_errors(raw, raw["asyncapi"]) == []
    assert _describe(_ours(root_file, root)) == ""


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_mutation_agrees(document: CorpusDocument, mutation: str, tmp_path: Path) -> None:
    root_file, root = document.copy_to(tmp_path)
    original = raw_document(root_file)
    mutated = copy.deepcopy(original)
    expect = MUTATIONS[mutation](mutated)
    if expect is None:
        pytest.skip(f"{document.name} has nothing for {mutation} to change")
    root_file.write_text(yaml.safe_dump(mutated, sort_keys=False), encoding="utf-8")

    version = mutated.get("asyncapi")
    official = official_errors(mutated, version if version in SUPPORTED else original["asyncapi"])
    ours = _ours(root_file, root)
    errors = _errors(ours)

    assert bool(official) == bool(errors), f"official: {official[:5]}\nours:\n{_describe(ours)}"
    _assert_expected(expect, errors, root_file)


def _assert_expected(expect: Expect, errors: list[Diagnostic], root_file: Path) -> None:
    if expect == VALID:
        assert errors == []
        return
    hits = [
        d
        for d in errors
        if d.rule == expect.rule
        and d.location.pointer == expect.pointer
        and Path(d.location.file).resolve() == root_file.resolve()
    ]
    assert hits, f"expected {expect.rule} at {expect.pointer!r}; got:\n{_describe(errors)}"
    assert all(d.location.line > 0 and d.message and d.hint for d in hits)
