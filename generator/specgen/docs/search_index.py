"""The search index: every event (by type, name, title and field path) and every declaration.

The index is plain JSON data embedded in each page (``<script type="application/json">``,
inert) and read by the catalog's search script. Field paths reach into nested and
referenced types (``vehicle.vin``, ``samples[].measurand``), so a search for a field name
finds every event that carries it, however deep.
"""

from __future__ import annotations

import json
from typing import Any

from specgen.docs.site import SiteMap
from specgen.ir import SpecIR
from specgen.ir import types as t

MAX_DEPTH = 6  # field paths deeper than this are not indexed (recursive types end here)


def field_paths(ir: SpecIR, ref: t.TypeRef) -> list[str]:
    decls = {decl.name: decl for decl in ir.types}
    found: list[str] = []
    _collect(decls, ref, "", found, (), 0)
    return found


def _collect(
    decls: dict[str, t.TypeDecl],
    ref: t.TypeRef,
    prefix: str,
    found: list[str],
    seen: tuple[str, ...],
    depth: int,
) -> None:
    if depth > MAX_DEPTH:
        return
    if isinstance(ref, t.Named):
        decl = decls.get(ref.name)
        if decl is None or ref.name in seen:
            return
        inner = seen + (ref.name,)
        if isinstance(decl, t.ObjectDecl):
            for field in decl.fields:
                path = f"{prefix}.{field.json_name}" if prefix else field.json_name
                if path not in found:
                    found.append(path)
                _collect(decls, field.type, path, found, inner, depth + 1)
        elif isinstance(decl, t.AliasDecl):
            _collect(decls, decl.type, prefix, found, inner, depth)
    elif isinstance(ref, t.ArrayType):
        _collect(decls, ref.items, f"{prefix}[]", found, seen, depth)
    elif isinstance(ref, t.MapType):
        _collect(decls, ref.values, f"{prefix}{{}}", found, seen, depth)
    elif isinstance(ref, t.NullableType):
        _collect(decls, ref.inner, prefix, found, seen, depth)
    elif isinstance(ref, t.UnionType):
        for variant in ref.variants:
            _collect(decls, variant, prefix, found, seen, depth)
    elif isinstance(ref, t.ConstrainedType):
        _collect(decls, ref.base, prefix, found, seen, depth)


def index(ir: SpecIR, site: SiteMap) -> list[dict[str, Any]]:
    """Entries in catalog order: events (domain by domain), then declarations by name."""
    entries: list[dict[str, Any]] = []
    for event in ir.events():
        entries.append(
            {
                "kind": "event",
                "type": event.type,
                "name": event.name,
                "title": event.title or event.summary,
                "href": site.event_href(event),
                "fields": field_paths(ir, event.payload),
            }
        )
    for decl in ir.types:
        entries.append(
            {
                "kind": decl.kind,
                "type": decl.name,
                "name": decl.name,
                "title": decl.docs.title,
                "href": site.type_href(decl.name),
                "fields": [f.json_name for f in decl.fields]
                if isinstance(decl, t.ObjectDecl)
                else [],
            }
        )
    return entries


def script_json(data: Any) -> str:
    """JSON text that is safe inside a ``<script>`` element of an HTML page.

    ``<``, ``>`` and ``&`` become ``\\u003c``... so no spec string can close the element or
    open a comment; U+2028/2029 are escaped too. ``JSON.parse`` reads it back unchanged.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escape)
    return text
