"""The official corpus and JSON Schemas in ../shared, as the agreement tests use them."""

from __future__ import annotations

import functools
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
from specgen.load.source import read_source

from tests.helpers import needs_shared as shared_data

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus" / "asyncapi-examples"
SCHEMAS = SHARED / "schemas" / "asyncapi"
MULTI_FILE = "social-media"

needs_shared = [
    shared_data(CORPUS, "the official AsyncAPI examples"),
    shared_data(SCHEMAS, "the official AsyncAPI JSON Schemas"),
]


@dataclass(frozen=True)
class CorpusDocument:
    """One root document of the corpus; multi-file sets are copied whole."""

    path: Path

    @property
    def name(self) -> str:
        return str(self.path.relative_to(CORPUS))

    @property
    def folder(self) -> Path:
        """What must be copied for relative refs to keep working."""
        relative = self.path.relative_to(CORPUS)
        return CORPUS / relative.parts[0] if len(relative.parts) > 1 else self.path

    def copy_to(self, tmp: Path) -> tuple[Path, Path]:
        """Copy into ``tmp``; returns (root document, spec root)."""
        target = tmp / self.folder.name
        if self.folder.is_dir():
            shutil.copytree(self.folder, target)
            return target / self.path.relative_to(self.folder), target
        shutil.copy(self.path, target)
        return target, tmp


def corpus_documents() -> list[CorpusDocument]:
    if not CORPUS.is_dir():
        return []
    found = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix in (".yml", ".yaml", ".json") and "asyncapi" in raw_document(path):
            found.append(CorpusDocument(path))
    return found


def raw_document(path: Path) -> Any:
    """The file's data, unresolved, as the loader parses it (JSON-compatible values)."""
    source, _ = read_source(path, path.name)
    return source.data if source is not None and isinstance(source.data, dict) else {}


@functools.cache
def official_validator(version: str) -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMAS / f"{version}-without-id.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def official_errors(document: Any, version: str) -> list[str]:
    validator = official_validator(version)
    return [
        f"/{'/'.join(map(str, e.absolute_path))}: {e.message[:120]}"
        for e in validator.iter_errors(document)
    ]
