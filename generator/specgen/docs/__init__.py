"""The event catalog: ``generate(ir) -> list[GeneratedFile]``, a static HTML site of the spec.

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

Pages embed their style, script and search index and load nothing else (a strict
Content-Security-Policy says so to the browser): the site works offline, from a folder or
from any web server path. Output is deterministic: no timestamps, everything in IR order.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from specgen.backends import GeneratedFile
from specgen.backends.templating import HEADER_TEXT
from specgen.docs import site as paths
from specgen.docs.event_view import family_view
from specgen.docs.overview_view import domain_view, packages, type_groups
from specgen.docs.render import Crumb, Frame, render_page, render_svg
from specgen.docs.search_index import index, script_json
from specgen.docs.site import SiteMap
from specgen.docs.streams_view import stream_views
from specgen.docs.text import humanize
from specgen.docs.topology_svg import picture
from specgen.ir import SpecIR

__all__ = ["generate"]


def _frame(ir: SpecIR, site: SiteMap) -> Frame:
    nav = [("Overview", paths.INDEX)]
    nav += [(humanize(d.name), site.domain_href(d.name)) for d in ir.domains]
    nav += [("Types", paths.TYPES), ("Topology", paths.TOPOLOGY), ("MQTT", paths.MQTT)]
    return Frame(ir.project.name, ir.project.version, tuple(nav), script_json(index(ir, site)))


class _Pages:
    """Collects rendered pages; each gets the frame and breadcrumbs below the overview."""

    def __init__(self, frame: Frame) -> None:
        self.frame = frame
        self.files: list[GeneratedFile] = []

    def add(self, template: str, href: str, title: str, *trail: Crumb, **context: Any) -> None:
        crumbs = () if href == paths.INDEX else (HOME, *trail, Crumb(title, ""))
        content = render_page(
            template, self.frame, href=href, title=title, crumbs=crumbs, **context
        )
        self.files.append(GeneratedFile(href, content))


HOME = Crumb("Overview", paths.INDEX)


def generate(ir: SpecIR) -> list[GeneratedFile]:
    site = SiteMap(ir)
    pages = _Pages(_frame(ir, site))
    drawing = picture(ir)
    svg = Markup(render_svg("topology.svg.jinja", p=drawing)) if drawing else ""
    domains = [domain_view(site, d) for d in ir.domains]
    pages.add(
        "index.html.jinja", paths.INDEX, "Overview", domains=domains, svg=svg,
        event_count=len(ir.events()), packages=packages(ir), with_subjects=False,
    )  # fmt: skip
    pages.add(
        "types.html.jinja", paths.TYPES, "Payload types", groups=type_groups(ir, site),
        count=len(ir.types),
    )  # fmt: skip
    core = [d for d in domains if not d.stream and d.event_count]
    pages.add(
        "topology.html.jinja", paths.TOPOLOGY, "Topology", svg=svg, core=core,
        streams=stream_views(ir, site), summary=drawing.description if drawing else "",
    )  # fmt: skip
    pages.add("mqtt.html.jinja", paths.MQTT, "MQTT topic map")
    for domain in domains:
        pages.add("domain.html.jinja", domain.href, domain.title, d=domain, with_subjects=True)
    for family in site.all_families():
        view = family_view(ir, site, family)
        parent = Crumb(view.domain_title, view.domain_href)
        pages.add("event.html.jinja", family.href, view.title, parent, f=view)
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
