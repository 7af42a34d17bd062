"""``build-info.json``: what every generated package records about where it comes from.

The same small JSON document ships in the package of each language and is readable at run
time (Python ``<module>.build_info()``; TypeScript and Rust through their accessors):
name, package version, the version of the spec, a digest of the spec (its IR) and the git
commit. In the committed ``generated/`` tree the commit is ``null``, so generation stays
deterministic; ``specgen release build`` stamps the commit into the copy it builds the
artifacts from (:func:`stamp`), never into the committed tree.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from specgen.ir import SpecIR
from specgen.ir.serialize import dump_ir

FILE_NAME = "build-info.json"

__all__ = ["FILE_NAME", "content", "stamp"]


def content(ir: SpecIR, package: str) -> str:
    document = {
        "name": package,
        "version": ir.project.version,
        "spec": ir.project.name,
        "spec_version": ir.project.version,
        "spec_digest": "sha256:" + hashlib.sha256(dump_ir(ir).encode()).hexdigest(),
        "commit": None,
    }
    return _dump(document)


def stamp(text: str, commit: str | None, *, dirty: bool = False) -> str:
    """The document of ``text`` with the commit it is built from (``+dirty`` for local edits)."""
    document: dict[str, Any] = json.loads(text)
    document["commit"] = f"{commit}+dirty" if commit and dirty else commit
    return _dump(document)


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
