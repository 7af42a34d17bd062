"""Catalogs of documents not written for specgen: the public AsyncAPI examples corpus.

Every corpus document (Kafka and MQTT addresses, no streams, request/reply, a multi-document
service) gets a catalog; all of them are served together from sub-folders of one server, as a
catalog is under a GitHub Pages project path, and every event and domain page renders
without an error and with every internal link resolving (the other pages are the same
templates as the spec's own catalog, checked in test_catalog_browser).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from specgen import pipeline

from tests.catalog.conftest import broken_links
from tests.helpers import SHARED

CORPUS = SHARED / "corpus" / "asyncapi-examples"
DOCUMENTS = {
    p.stem if p.is_file() else p.name: p
    for p in sorted(CORPUS.iterdir() if CORPUS.is_dir() else ())
    if p.suffix in (".yml", ".yaml", ".json") or p.is_dir()
}
SHARED_PAGES = ("types.html", "topology.html", "mqtt.html")  # same templates as spec/'s


@pytest.mark.skipif(not DOCUMENTS, reason=f"the AsyncAPI examples corpus is not at {CORPUS}")
def test_corpus_catalogs_render(tmp_path: Path, serve: Any, browse: Any) -> None:
    for name, document in DOCUMENTS.items():
        result = pipeline.catalog([document])
        assert result.files is not None, (name, [str(d) for d in result.diagnostics])
        pipeline.write_files(result.files, tmp_path / name)
    pages = sorted(
        str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.html") if p.name not in SHARED_PAGES
    )
    assert len(pages) > 3 * len(DOCUMENTS)
    report = browse({"base": serve(tmp_path), "pages": pages, "contrast": False})
    assert report["offsite"] == []
    problems = {
        path: page["problems"] for path, page in report["pages"].items() if page["problems"]
    }
    assert problems == {}
    checked, broken = broken_links(report, tmp_path)
    assert checked > 100 and broken == []
