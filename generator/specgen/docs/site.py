"""Where everything lives in the catalog: pages, anchors and the event families.

Every href the views hold is relative to the site's root (``types.html#t-Money``); a page
prefixes its own ``root`` (``""`` or ``"../"``), so links work from a folder, a file:// URL
or a sub-path of a web server alike. A *family* is one event type across its major versions
(``...session_started.v1`` and ``.v2``), shown side by side on one page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from specgen.docs.text import humanize, safe_id
from specgen.ir import DomainIR, EventIR, SpecIR

_VERSION_SUFFIX = re.compile(r"\.v\d+$")

INDEX = "index.html"
TYPES = "types.html"
TOPOLOGY = "topology.html"
TOPOLOGY_SVG = "topology.svg"
MQTT = "mqtt.html"
CHANGES = "changes.html"


@dataclass(frozen=True)
class Family:
    key: str  # the CloudEvents type without its version suffix
    domain: DomainIR
    events: tuple[EventIR, ...]  # by version, oldest first
    href: str

    @property
    def latest(self) -> EventIR:
        return self.events[-1]

    @property
    def title(self) -> str:
        """The versions' common title, else the type's last word (``Session started``)."""
        titles = {e.title for e in self.events}
        if len(titles) == 1 and self.latest.title:
            return self.latest.title
        return humanize(self.key.rsplit(".", 1)[-1])


def family_key(event: EventIR) -> str:
    return _VERSION_SUFFIX.sub("", event.type)


class SiteMap:
    def __init__(self, ir: SpecIR) -> None:
        self.ir = ir
        self.families: dict[str, tuple[Family, ...]] = {}
        self._event_anchor: dict[str, str] = {}
        self._event_family: dict[str, Family] = {}
        self._taken: set[str] = set()
        for domain in ir.domains:
            self.families[domain.name] = tuple(self._families_of(domain))

    def _families_of(self, domain: DomainIR) -> list[Family]:
        grouped: dict[str, list[EventIR]] = {}
        for event in domain.events:
            grouped.setdefault(family_key(event), []).append(event)
        families = []
        for key in sorted(grouped):
            events = tuple(sorted(grouped[key], key=lambda e: (e.version, e.type)))
            slug = safe_id(key)
            if slug in self._taken:  # the same type in two documents: keep both pages
                slug = f"{slug}~~{safe_id(domain.name)}"
            self._taken.add(slug)
            family = Family(key, domain, events, f"events/{slug}.html")
            families.append(family)
            versions = [e.version for e in events]
            for event in events:
                unique = versions.count(event.version) == 1
                self._event_anchor[event.type] = (
                    f"v{event.version}" if unique else safe_id(event.name)
                )
                self._event_family[event.type] = family
        return families

    def all_families(self) -> list[Family]:
        return [f for domain in self.ir.domains for f in self.families[domain.name]]

    def family_of(self, event: EventIR) -> Family:
        return self._event_family[event.type]

    # -- hrefs, relative to the root -------------------------------------------------------
    @staticmethod
    def domain_href(domain: str) -> str:
        return f"domains/{safe_id(domain)}.html"

    def event_anchor(self, event: EventIR) -> str:
        return self._event_anchor[event.type]

    def event_href(self, event: EventIR) -> str:
        return f"{self.family_of(event).href}#{self.event_anchor(event)}"

    @staticmethod
    def schema_href(event: EventIR) -> str:
        return f"schemas/{safe_id(event.type)}.json"

    @staticmethod
    def type_anchor(name: str) -> str:
        return f"t-{safe_id(name)}"

    def type_href(self, name: str) -> str:
        return f"{TYPES}#{self.type_anchor(name)}"

    @staticmethod
    def stream_anchor(name: str) -> str:
        return f"stream-{safe_id(name)}"

    def stream_href(self, name: str) -> str:
        return f"{TOPOLOGY}#{self.stream_anchor(name)}"
