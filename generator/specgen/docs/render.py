"""Rendering the catalog's pages: the page frame around ``templates/docs``.

The templates of ``templates/docs`` are rendered with autoescape on (backends.templating),
so every string from the spec is escaped for HTML (or SVG) wherever it lands; only our own
static assets and the script-safe search index are marked safe. Each page carries a
Content-Security-Policy that allows nothing but its own embedded style and script (by hash)
and images from the site itself: the browser enforces that the catalog loads no external
asset.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from markupsafe import Markup

from specgen.backends.templating import HEADER_TEXT, render


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str  # relative to the root
    current: bool


@dataclass(frozen=True)
class Crumb:
    label: str
    href: str  # relative to the root; "" for the current page


@dataclass(frozen=True)
class Frame:
    """What every page shares: project, navigation, assets and the search index."""

    project: str
    version: str
    nav: tuple[tuple[str, str], ...]  # (label, href) of the primary navigation
    search_data: str  # script-safe JSON text (search_index.script_json)


@cache
def asset(name: str) -> str:
    return resources.files("specgen.docs").joinpath("assets", name).read_text(encoding="utf-8")


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


@cache
def content_security_policy() -> str:
    return (
        "default-src 'none'; img-src 'self' data:; "
        f"style-src {_hash(asset('catalog.css'))}; script-src {_hash(asset('search.js'))}; "
        "base-uri 'none'; form-action 'none'"
    )


def render_page(
    template: str, frame: Frame, *, href: str, title: str, crumbs: tuple[Crumb, ...] = (),
    **context: Any,
) -> str:  # fmt: skip
    """Render one page; ``href`` is the page's own path, relative to the root."""
    root = "../" * href.count("/")
    nav = tuple(NavItem(label, target, target == href) for label, target in frame.nav)
    return render(
        f"docs/{template}",
        header=HEADER_TEXT,
        project=frame.project,
        version=frame.version,
        title=title,
        root=root,
        nav=nav,
        crumbs=crumbs,
        csp=content_security_policy(),
        css=Markup(asset("catalog.css")),
        js=Markup(asset("search.js")),
        search_data=Markup(frame.search_data),
        **context,
    )


def render_svg(template: str, **context: Any) -> str:
    return render(f"docs/{template}", header=HEADER_TEXT, **context)
