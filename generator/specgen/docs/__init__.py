"""The event catalog: ``generate(ir, report=None) -> [GeneratedFile]``, a static HTML site.

Like a language backend, a pure function of the IR; the one writer writes its files. Layout::

    index.html                  domains, every event family, packages, the topology picture
    domains/<domain>.html       a domain: stream, dead letters, its event families
    events/<type>.html          one CloudEvents type, every major version side by side, then
                                each version: attributes, delivery and storage, payload
                                tables (nested and referenced types too), examples
    types.html                  every named payload type and the events that use it
    topology.html, .svg         the edge-to-cloud picture and every stream's retention
    mqtt.html                   the MQTT topic map
    schemas/<type>.json         each event's data schema (its ``dataschema``)
    changes.html                with a ``specgen diff`` report: what changed since then

Pages embed their style, script and search index and load nothing else (a strict
Content-Security-Policy says so to the browser): the site works offline, from a folder or
from any web server path. Output is deterministic: no timestamps, everything in IR order.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from specgen.backends import GeneratedFile
from specgen.backends.templating import HEADER_TEXT
from specgen.docs import site as paths
from specgen.docs.event_view import family_view
from specgen.docs.mqtt_view import mqtt_view
from specgen.docs.overview_view import DomainView, domain_view, packages, type_groups
from specgen.docs.render import Crumb, Frame, render_page, render_svg
from specgen.docs.search_index import index, script_json
from specgen.docs.site import SiteMap
from specgen.docs.streams_view import stream_views
from specgen.docs.text import humanize
from specgen.docs.topology_svg import picture
from specgen.ir import SpecIR

if TYPE_CHECKING:
    from specgen.diff.run import Report
    from specgen.docs.changes_view import ChangesView

__all__ = ["generate"]


def _frame(ir: SpecIR, site: SiteMap, with_changes: bool) -> Frame:
    nav = [("Overview", paths.INDEX)]
    nav += [(humanize(d.name), site.domain_href(d.name)) for d in ir.domains]
    nav += [("Types", paths.TYPES), ("Topology", paths.TOPOLOGY), ("MQTT", paths.MQTT)]
    nav += [("Changes", paths.CHANGES)] if with_changes else []
    return Frame(ir.project.name, ir.project.version, tuple(nav), script_json(index(ir, site)))


class _Pages:
    """Collects rendered pages; each gets the frame and breadcrumbs below the overview."""

    def __init__(self, frame: Frame) -> None:
        self.frame = frame
        self.files: list[GeneratedFile] = []
        self.domains: list[DomainView] = []

    def add(self, template: str, href: str, title: str, *trail: Crumb, **context: Any) -> None:
        crumbs = () if href == paths.INDEX else (HOME, *trail, Crumb(title, ""))
        content = render_page(
            template, self.frame, href=href, title=title, crumbs=crumbs, **context
        )
        self.files.append(GeneratedFile(href, content))


HOME = Crumb("Overview", paths.INDEX)


def generate(ir: SpecIR, report: Report | None = None) -> list[GeneratedFile]:
    """The catalog's files; with a ``specgen diff`` report, also what changed since then."""
    site = SiteMap(ir)
    changes = _changes(report, site)
    pages = _Pages(_frame(ir, site, changes is not None))
    drawing = picture(ir)
    svg = Markup(render_svg("topology.svg.jinja", p=drawing)) if drawing else ""
    _overview_pages(pages, ir, site, svg, changes)
    core = [d for d in pages.domains if not d.stream and d.event_count]
    pages.add(
        "topology.html.jinja", paths.TOPOLOGY, "Topology", svg=svg, core=core,
        streams=stream_views(ir, site), summary=drawing.description if drawing else "",
    )  # fmt: skip
    for family in site.all_families():
        view = family_view(ir, site, family)
        parent = Crumb(view.domain_title, view.domain_href)
        mine = changes.for_subjects({e.type for e in family.events}) if changes else ()
        pages.add("event.html.jinja", family.href, view.title, parent, f=view,
                  changes=changes, f_changes=mine)  # fmt: skip
    files = pages.files
    if drawing:
        files.append(GeneratedFile(paths.TOPOLOGY_SVG, f"<!-- {HEADER_TEXT} -->\n{svg}"))
    files += [
        GeneratedFile(
            site.schema_href(event),
            json.dumps(event.payload_schema, indent=2, ensure_ascii=False) + "\n",
        )
        for event in ir.events()
    ]
    return sorted(files, key=lambda f: f.path)


def _changes(report: Report | None, site: SiteMap) -> ChangesView | None:
    if report is None:
        return None
    from specgen.docs.changes_view import changes_view  # only a catalog --against needs diff

    return changes_view(report, site)


def _overview_pages(
    pages: _Pages, ir: SpecIR, site: SiteMap, svg: str, changes: ChangesView | None
) -> None:
    pages.domains = [domain_view(site, d) for d in ir.domains]
    pages.add(
        "index.html.jinja", paths.INDEX, "Overview", domains=pages.domains, svg=svg,
        event_count=len(ir.events()), packages=packages(ir), with_subjects=False,
        changes=changes,
    )  # fmt: skip
    pages.add(
        "types.html.jinja", paths.TYPES, "Payload types", groups=type_groups(ir, site),
        count=len(ir.types),
    )  # fmt: skip
    pages.add("mqtt.html.jinja", paths.MQTT, "MQTT topic map", mqtt=mqtt_view(ir, site))
    for domain in pages.domains:
        pages.add("domain.html.jinja", domain.href, domain.title, d=domain, with_subjects=True)
    if changes is not None:
        pages.add("changes.html.jinja", paths.CHANGES, f"Changes since {changes.against}",
                  c=changes)  # fmt: skip
