"""`specgen docs`: what the catalog holds, that it is deterministic, and that it fails well."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from specgen import pipeline

from tests.catalog.conftest import HASH_SEED, build_catalog
from tests.helpers import HOSTILE_STREAM, SPEC, one_event_document, run_specgen


class _Page(HTMLParser):
    """Tags, ids, inline script and style texts of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.texts: dict[str, list[str]] = {"script": [], "style": []}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.ids += [v for k, v in attrs if k == "id" and v]
        self._open = tag if tag in self.texts else None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.texts[self._open].append(data)
            self._open = None


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_every_event_and_version_has_its_place(catalog: Path) -> None:
    ir = pipeline.build([SPEC]).ir
    assert ir is not None
    for event in ir.events():
        family = event.type.rsplit(".", 1)[0]
        page = catalog / "events" / f"{family}.html"
        text = page.read_text(encoding="utf-8")
        assert f'id="v{event.version}"' in text and event.type in text, event.type
        schema = json.loads((catalog / "schemas" / f"{event.type}.json").read_text())
        assert schema == event.payload_schema
    session = (catalog / "events" / "com.powerflex.charging.session_started.html").read_text()
    assert "Versions side by side" in session
    assert session.index('id="v1"') < session.index('id="v2"')
    for domain in ir.domains:
        assert (catalog / "domains" / f"{domain.name}.html").is_file()
    for name in ("index.html", "types.html", "topology.html", "topology.svg", "mqtt.html"):
        assert (catalog / name).is_file(), name


def test_pages_allow_only_their_own_style_and_script(catalog: Path) -> None:
    """The Content-Security-Policy names the embedded style and script by hash, nothing else."""
    for path in catalog.rglob("*.html"):
        page = _parse(path)
        metas = [a for t, a in page.tags if t == "meta" and a.get("http-equiv")]
        policy = metas[0]["content"] or ""
        assert "default-src 'none'" in policy, path
        for kind in ("style", "script"):
            digest = hashlib.sha256(page.texts[kind][-1].encode()).digest()
            assert f"'sha256-{base64.b64encode(digest).decode()}'" in policy, (path, kind)
        loaded = [a for t, a in page.tags if t in ("script", "link", "img") and a.get("src")]
        assert loaded == [], path
        icons = [a["href"] for t, a in page.tags if t == "link"]
        assert icons == ["data:,"], path


def test_catalog_is_byte_identical_across_runs_and_hash_seeds(
    catalog: Path, tmp_path: Path
) -> None:
    assert HASH_SEED != "4242"
    second = build_catalog(tmp_path / "b", env={"PYTHONHASHSEED": "4242"})
    one, other = _tree(catalog), _tree(second)
    assert sorted(one) == sorted(other)
    assert [name for name in one if one[name] != other[name]] == []
    assert len(one) > 40


def test_a_broken_spec_gets_diagnostics_and_no_catalog(tmp_path: Path) -> None:
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "broken.asyncapi.yaml").write_text("asyncapi: 3.0.0\ninfo: [not, a, mapping]\n")
    result = run_specgen("docs", spec, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert re.search(r"broken\.asyncapi\.yaml:2:\d+: error", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_reports_what_it_wrote(catalog_run: tuple[Path, str]) -> None:
    site, printed = catalog_run
    count = len([p for p in site.rglob("*") if p.is_file()])
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert f"event catalog of {count} file(s), {size / 1024:.0f} KiB" in printed, printed
    assert f"open {site / 'index.html'}" in printed


HOSTILE = "</script><script>alert(1)</script> <img src=x onerror=alert(2)> \"' & {{ x }} --> "
PROPERTY = "<b onmouseover=alert(3)>"


def hostile_spec(root: Path) -> Path:
    schema = {
        "type": "object",
        "title": HOSTILE,
        "description": HOSTILE,
        "additionalProperties": False,
        "required": ["text"],
        "properties": {
            "text": {"type": "string", "description": HOSTILE, "pattern": "^<[a-z]+>$"},
            "kind": {"type": "string", "enum": [HOSTILE, "</script>"], "description": HOSTILE},
            PROPERTY: {"type": ["integer", "null"], "description": HOSTILE},
        },
    }
    stream = HOSTILE_STREAM
    sourced = {k: v for k, v in stream.items() if k != "subjects"}  # sources, no subjects
    examples = [{"name": HOSTILE, "summary": HOSTILE, "payload": {"text": "<b>", PROPERTY: None}}]
    document = one_event_document(HOSTILE, schema, examples)
    project = {
        "project": "hostile",
        "documents": ["hostile.asyncapi.yaml"],
        "version": "0.0.1",
        # identifiers (site ids, the cloud domain) are checked before the catalog sees them
        "dead_letter": {
            "subject": "pf.{site_id}.deadletter.{domain}",
            "stream": {**stream, "name": "DEADLETTER", "subjects": ["pf.{site_id}.deadletter.>"]},
        },
        "topology": {
            "upload_stream": {**sourced, "name": "UPLOAD", "domains": ["hostile"]},
            "cloud": {"domain": "hub", "streams": [{**sourced, "name": "FLEET"}]},
        },
    }
    (root / "hostile.asyncapi.yaml").write_text(json.dumps(document, indent=2))
    (root / "specgen.yaml").write_text(json.dumps(project, indent=2))
    return root


@pytest.fixture(scope="module")
def hostile_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = hostile_spec(tmp_path_factory.mktemp("hostile"))
    return build_catalog(root / "site", root)


def test_hostile_strings_stay_text(hostile_catalog: Path) -> None:
    pages = sorted(hostile_catalog.rglob("*.html")) + [hostile_catalog / "topology.svg"]
    assert len(pages) >= 6
    for path in pages:
        page = _parse(path)
        tags = [t for t, _ in page.tags]
        assert "img" not in tags and "b" not in tags and "i" not in tags, path
        assert not [a for _, a in page.tags for k in a if k.startswith("on")], path
        if path.suffix == ".html":
            scripts = [a for t, a in page.tags if t == "script"]
            assert scripts == [{"type": "application/json", "id": "search-data"}, {}], path
    for name in (
        "index.html",
        "domains/hostile.html",
        "types.html",
        "events/com.hostile.hostile.thing.html",
    ):
        text = (hostile_catalog / name).read_text(encoding="utf-8")
        assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;img" in text, name
    index = (hostile_catalog / "index.html").read_text(encoding="utf-8")
    data = index.split('id="search-data">', 1)[1].split("</script>", 1)[0]
    entries = json.loads(data)
    assert any(e["title"] == HOSTILE for e in entries)
    assert any(PROPERTY in e["fields"] for e in entries)


def test_hostile_strings_in_the_browser(hostile_catalog: Path, serve: Any, browse: Any) -> None:
    """Nothing runs, nothing errs, and the reader sees the strings exactly as written."""
    pages = sorted(str(p.relative_to(hostile_catalog)) for p in hostile_catalog.rglob("*.html"))
    report = browse(
        {
            "base": serve(hostile_catalog),
            "pages": pages,
            "searches": [{"page": "index.html", "query": "onerror=alert(2)>"}],
        }
    )
    assert report["offsite"] == []
    for path, page in report["pages"].items():
        assert page["problems"] == [], path
    shown = " ".join(HOSTILE.split())
    domain = report["pages"]["domains/hostile.html"]
    assert domain["headings"][0] == {"level": 1, "text": shown}
    (search,) = report["searches"]
    assert search["results"] and shown in search["results"][0]["text"]
