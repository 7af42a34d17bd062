"""The event catalog in a real browser: Debian's headless Chromium over a loopback server.

One browser run visits every page of the catalog built from spec/ (light and dark colour
scheme), runs the searches, walks the page with the keyboard and keeps screenshots in
test-output/catalog/ for review; each test below judges one part of its report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.catalog.conftest import SHOTS, broken_links
from tests.helpers import GENERATED

EVENT_PAGE = "events/com.powerflex.charging.session_started.html"
SERVED_PAGE = "events/com.powerflex.site_operations.charger_status_changed.html"
SCREENSHOTS = {
    "index": {"page": "index.html", "fullPage": True},
    "domain-charging": {"page": "domains/charging.html", "fullPage": True},
    "event-session_started": {"page": EVENT_PAGE, "fullPage": True},
    "types": {"page": "types.html"},
    "topology": {"page": "topology.html", "fullPage": True},
    "mqtt": {"page": "mqtt.html", "fullPage": True},
    "search-vin": {"page": "index.html", "query": "vin"},
    "index-dark": {"page": "index.html", "scheme": "dark"},
    "event-dark": {"page": EVENT_PAGE, "scheme": "dark"},
}
SEARCHES = {
    "type": {"page": "index.html", "query": "session_started"},
    "full type": {"page": "types.html", "query": "com.powerflex.charging.session_started.v2"},
    "nested field": {"page": EVENT_PAGE, "query": "vin"},
    "top-level field": {"page": "domains/orders.html", "query": "meter_stop_wh"},
    "nothing": {"page": "index.html", "query": "zzzz-no-such-thing"},
}


def _pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))


@pytest.fixture(scope="module")
def report(catalog: Path, serve: Any, browse: Any) -> dict[str, Any]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    shots = [{**shot, "file": str(SHOTS / f"{name}.png")} for name, shot in SCREENSHOTS.items()]
    return browse(  # type: ignore[no-any-return]
        {
            "base": serve(catalog),
            "pages": _pages(catalog),
            "searches": list(SEARCHES.values()),
            "keyboard": "index.html",
            "screenshots": shots,
        }
    )


def _search(report: dict[str, Any], name: str) -> dict[str, Any]:
    wanted = SEARCHES[name]
    return next(s for s in report["searches"] if s["query"] == wanted["query"])


def _path(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def _events_with_property(name: str) -> list[str]:
    """Event types whose data schema (from generated/ir.json) has a property ``name``."""

    def has(node: Any) -> bool:
        if isinstance(node, dict):
            if name in (node.get("properties") or {}):
                return True
            return any(has(v) for v in node.values())
        return isinstance(node, list) and any(has(v) for v in node)

    ir = json.loads((GENERATED / "ir.json").read_text())
    events = [e for d in ir["domains"] for e in d["events"]]
    return sorted(e["type"] for e in events if has(e["payload_schema"]))


def test_every_page_renders_without_errors(report: dict[str, Any], catalog: Path) -> None:
    assert sorted(report["pages"]) == _pages(catalog)
    assert report["offsite"] == [], "the catalog asked for something outside itself"
    for path, page in report["pages"].items():
        assert page["status"] == 200, path
        assert page["problems"] == [], path
        assert page["title"].endswith("event catalog"), path
        assert [h for h in page["headings"] if h["level"] == 1], f"{path}: no h1"
        assert page["visibleCount"] > 20, f"{path}: almost nothing rendered"


def test_the_mqtt_page_shows_every_served_event(report: dict[str, Any]) -> None:
    """One table per domain, one row per x-mqtt event of generated/ir.json, as rendered."""
    ir = json.loads((GENERATED / "ir.json").read_text())
    served = [e for d in ir["domains"] for e in d["events"] if e.get("mqtt")]
    assert {e["mqtt"]["qos"] for e in served} == {0, 1}
    page = report["pages"]["mqtt.html"]
    rows = [row for table in page["tables"] for row in table["rows"]]
    expected = [
        [e["type"], e["subject_template"], e["mqtt"]["topic"], str(e["mqtt"]["qos"]),
         "devices → site → customers" if e["mqtt"]["device_publish"] else "site → customers"]
        for e in served
    ]  # fmt: skip
    assert [[r[0], r[1], r[2], r[3].split(" ")[0], r[4]] for r in rows] == expected
    links = {_path(link["href"]) for link in page["links"]}
    assert {f"events/{e['type'].rsplit('.', 1)[0]}.html" for e in served} <= links
    assert "Connecting" in [h["text"] for h in page["headings"]]

    def map_links(path: str) -> list[str]:  # the delivery facts' link, not the navigation's
        links = report["pages"][path]["links"]
        return [_path(x["href"]) for x in links if x["name"] == "topic map"]

    assert map_links(SERVED_PAGE) == ["mqtt.html"] and map_links(EVENT_PAGE) == []


def test_every_internal_link_resolves(report: dict[str, Any], catalog: Path) -> None:
    checked, broken = broken_links(report, catalog)
    assert checked > 500
    assert broken == []


def test_search_finds_an_event_by_type(report: dict[str, Any]) -> None:
    by_key = _search(report, "type")
    found = [_path(r["href"]) + "#" + r["href"].split("#")[1] for r in by_key["results"]]
    assert found[:2] == [f"{EVENT_PAGE}#v1", f"{EVENT_PAGE}#v2"], found
    exact = _search(report, "full type")
    assert exact["results"][0]["href"].endswith(f"{EVENT_PAGE}#v2")
    assert "com.powerflex.charging.session_started.v2" in exact["results"][0]["text"]


def test_search_finds_an_event_by_field_name(report: dict[str, Any]) -> None:
    nested = _search(report, "nested field")
    expected = _events_with_property("vin")
    assert expected == ["com.powerflex.charging.session_started.v2"]
    events = [r for r in nested["results"] if "Event" in r["text"]]
    assert [r["href"].endswith(f"{EVENT_PAGE}#v2") for r in events] == [True]
    assert "field vehicle.vin" in events[0]["text"]
    top = _search(report, "top-level field")
    event_texts = [r["text"] for r in top["results"] if "Event" in r["text"]]
    wanted = _events_with_property("meter_stop_wh")
    assert len(event_texts) == len(wanted) and wanted
    assert all(any(t in text for text in event_texts) for t in wanted)


def test_search_says_when_nothing_matches(report: dict[str, Any]) -> None:
    nothing = _search(report, "nothing")
    assert nothing["results"] == []
    assert nothing["status"].startswith("Nothing matches")


def test_search_results_are_reached_and_followed_by_keyboard(report: dict[str, Any]) -> None:
    for search in report["searches"]:
        if not search["results"]:
            continue
        followed = search["followed"]
        assert followed["focused"] == search["results"][0]["href"], search["query"]
        assert followed["url"] == followed["focused"], search["query"]


def test_keyboard_use(report: dict[str, Any]) -> None:
    keys = report["keyboard"]
    assert keys["first"] == {"text": "Skip to content", "href": "#main"}
    assert keys["afterSkip"] == "main"
    order = keys["order"]
    assert "search-input" in [f["id"] for f in order]
    assert all(f["outline"] not in ("none", "") for f in order if f["tag"] != "body"), order


def test_accessibility_basics(report: dict[str, Any]) -> None:
    for path, page in report["pages"].items():
        assert page["lang"] == "en", path
        assert page["inputs"] and all(i["label"] for i in page["inputs"]), path
        levels = [h["level"] for h in page["headings"]]
        assert levels[0] == 1 and levels.count(1) == 1, f"{path}: {levels}"
        skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert skips == [], f"{path}: heading levels skipped {skips}"
        for image in page["images"]:
            assert image["hidden"] or (image["role"] == "img" and image["name"]), (path, image)
        assert [page["landmarks"][k] for k in ("main", "banner", "contentinfo")] == [1, 1, 1]
        assert all(page["landmarks"]["nav"]), f"{path}: a nav without a name"
        assert all(link["name"] for link in page["links"]), f"{path}: a link without text"
        assert len(page["ids"]) == len(set(page["ids"])), f"{path}: duplicate ids"
    assert any(page["images"] for page in report["pages"].values()), "no topology picture"


def test_text_contrast_in_light_and_dark_schemes(report: dict[str, Any]) -> None:
    for path, page in report["pages"].items():
        for scheme in ("light", "dark"):
            measured = page["contrast"][scheme]
            assert measured["checked"] > 10, (path, scheme)
            assert measured["failures"] == [], (path, scheme)


def test_screenshots_are_kept_for_review(report: dict[str, Any]) -> None:
    assert [Path(p).name for p in report["screenshots"]] == [f"{n}.png" for n in SCREENSHOTS]
    for path in map(Path, report["screenshots"]):
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000, path
