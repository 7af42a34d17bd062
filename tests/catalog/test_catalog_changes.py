"""`specgen docs --against REF`: what changed since a previous version, from `specgen diff`.

The previous version is the repository's spec/; the new one a copy with one enum value
removed (breaking for new consumers of old events) and one optional field added.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.catalog.conftest import broken_links
from tests.helpers import SPEC, run_specgen

EVENT = "com.powerflex.charging.authorization_decided"
PAGE = f"events/{EVENT}.html"


def _changed_spec(folder: Path) -> Path:
    shutil.copytree(SPEC, folder)
    document = folder / "charging.asyncapi.yaml"
    text = document.read_text()
    assert "            - concurrent_tx\n" in text and "        group_id:\n" in text
    text = text.replace("            - concurrent_tx\n", "", 1)
    text = text.replace(
        "        group_id:\n",
        "        site_note:\n          type: string\n          description: A note.\n"
        "        group_id:\n",
        1,
    )
    document.write_text(text)
    return folder


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("changes")
    spec = _changed_spec(root / "spec")
    result = run_specgen("docs", spec, "--against", SPEC, "--out", root / "site")
    assert result.returncode == 0, result.stderr  # breaking changes are shown, not refused
    return root / "site"


def test_changes_page_lists_each_change_with_its_rule(changed: Path) -> None:
    page = (changed / "changes.html").read_text(encoding="utf-8")
    breaking = page.split('id="changes-breaking"', 1)[1].split("</section>", 1)[0]
    assert "WIRE/ENUM_VALUE_REMOVED" in breaking and "concurrent_tx" in breaking
    assert f'href="{PAGE}#v1"' in breaking
    assert "new consumers (backward)" in breaking
    assert "site_note" in page
    assert "need a major release, at least 2.0.0; this spec still says 1.0.0." in page


def test_changes_reach_the_overview_and_the_event_page(changed: Path) -> None:
    index = (changed / "index.html").read_text(encoding="utf-8")
    assert 'href="changes.html"' in index and "What changed since" in index
    event = (changed / PAGE).read_text(encoding="utf-8")
    section = event.split('id="changes"', 1)[1].split("</section>", 1)[0]
    assert "ENUM_VALUE_REMOVED" in section
    untouched = (changed / "events" / "com.powerflex.orders.order_paid.html").read_text()
    assert "None: these event types are as they were in" in untouched


def test_an_unknown_version_is_a_usage_error(tmp_path: Path) -> None:
    result = run_specgen("docs", SPEC, "--against", "no-such-ref-xyz", "--out", tmp_path / "o")
    assert result.returncode == 2, result.stderr
    assert "no-such-ref-xyz" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()


def test_changes_pages_in_the_browser(changed: Path, serve: Any, browse: Any) -> None:
    pages = ["changes.html", "index.html", PAGE]
    report = browse({"base": serve(changed), "pages": pages})
    assert report["offsite"] == []
    for path, page in report["pages"].items():
        assert page["problems"] == [], path
        assert page["contrast"]["light"]["failures"] == [], path
        assert page["contrast"]["dark"]["failures"] == [], path
        levels = [h["level"] for h in page["headings"]]
        assert levels[0] == 1 and all(
            b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)
        ), path
    checked, broken = broken_links(report, changed)
    assert checked > 50 and broken == []
