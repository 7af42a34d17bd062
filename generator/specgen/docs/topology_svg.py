"""The edge-to-cloud topology as an SVG picture, laid out here and drawn by a template.

Left, one box per example site with its domain streams, the dead-letter stream and the
upload stream that sources the domain streams; right, the cloud with the streams that source
every site's upload stream over the leaf link. Core (not stored) domains are dashed. Every
coordinate is an integer computed from the IR, so the picture is deterministic; colours are
presentation attributes (no style element, so the strict Content-Security-Policy holds and
the file stands alone).
"""

from __future__ import annotations

from dataclasses import dataclass

from specgen.docs.text import duration
from specgen.ir import SpecIR, StreamIR

MAX_SITES = 3
ROW, GAP, PAD, HEADER = 44, 12, 16, 44
# Generous widths of one character (sans-serif): 16px bold headings, 14px bold stream names,
# 12px notes. Text is never measured, so boxes are sized from these.
TITLE_CHAR, NAME_CHAR, SMALL_CHAR = 9.6, 10.4, 7.0

LEGEND = (
    "Arrow: a stream sources another (copies what it stores). Dashed: core NATS, never stored.",
    "In a stream's box: maximum age · replicas (R3: three) · retention.",
)
INK, MUTED, ARROW = "#1a1a1a", "#3f3f3f", "#333333"
PALETTE = {
    "site": ("#eef4fb", "#2b5d8a"),
    "cloud": ("#eef6ea", "#3d6b2e"),
    "stream": ("#ffffff", "#4a4a4a"),
    "upload": ("#fff4dc", "#7a5200"),
    "core": ("#ffffff", "#6b6b6b"),
}


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int
    fill: str
    stroke: str
    dashed: bool = False


@dataclass(frozen=True)
class Text:
    x: int
    y: int
    text: str
    size: int = 13
    bold: bool = False
    colour: str = INK
    anchor: str = "start"


@dataclass(frozen=True)
class Arrow:
    d: str  # SVG path data
    dashed: bool = False


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    title: str
    description: str
    boxes: tuple[Box, ...]
    texts: tuple[Text, ...]
    arrows: tuple[Arrow, ...]
    ink: str = INK
    arrow_colour: str = ARROW


class _Canvas:
    def __init__(self) -> None:
        self.boxes: list[Box] = []
        self.texts: list[Text] = []
        self.arrows: list[Arrow] = []

    def box(self, kind: str, x: int, y: int, w: int, h: int, dashed: bool = False) -> None:
        fill, stroke = PALETTE[kind]
        self.boxes.append(Box(x, y, w, h, fill, stroke, dashed))

    def stream(self, kind: str, x: int, y: int, w: int, name: str, meta: str) -> None:
        self.box(kind, x, y, w, ROW, dashed=kind == "core")
        self.texts.append(Text(x + 10, y + 18, name, 14, bold=True))
        self.texts.append(Text(x + 10, y + 35, meta, 12, colour=MUTED))

    def arrow(self, x1: int, y1: int, x2: int, y2: int) -> None:
        middle = (x1 + x2) // 2
        self.arrows.append(Arrow(f"M{x1} {y1} C{middle} {y1} {middle} {y2} {x2 - 2} {y2}"))


def _meta(stream: StreamIR) -> str:
    return f"{duration(stream.max_age_ms)} · R{stream.replicas} · {stream.retention}"


def _width(streams: list[tuple[str, str]]) -> int:
    """Width of stream boxes holding these (name, meta) labels."""
    widths = [max(len(name) * NAME_CHAR, len(meta) * SMALL_CHAR) for name, meta in streams]
    return int(max(widths + [100.0])) + 32


@dataclass(frozen=True)
class _Site:
    streams: tuple[tuple[str, str, str], ...]  # (kind, name, meta)
    sourced: tuple[str, ...]  # names sourced by the upload stream
    upload: tuple[str, str] | None  # (name, meta)
    linked: bool  # cloud streams source the upload stream over the leaf link


def _site_contents(ir: SpecIR) -> _Site:
    upload = ir.topology.upload
    upload_domains = upload.domains if upload else ()
    streams, sourced = [], []
    for domain in ir.domains:
        if domain.stream is not None:
            streams.append(("stream", domain.stream.name, _meta(domain.stream)))
            if domain.name in upload_domains:
                sourced.append(domain.stream.name)
        elif domain.events:
            streams.append(("core", domain.name, "core NATS, not stored"))
    dead = ir.topology.dead_letter_stream
    if dead is not None:
        streams.append(("stream", dead.name, _meta(dead)))
    up = (upload.stream.name, _meta(upload.stream)) if upload else None
    return _Site(tuple(streams), tuple(sourced), up, bool(ir.topology.cloud_streams))


def picture(ir: SpecIR) -> Picture | None:
    """The topology picture, or None when the spec declares no stream at all."""
    contents = _site_contents(ir)
    if not any(kind == "stream" for kind, _, _ in contents.streams):
        return None
    sites = list(ir.project.example_site_ids[:MAX_SITES]) or ["site"]
    canvas = _Canvas()
    left = _width([(n, m) for _, n, m in contents.streams])
    mid = _width([contents.upload] if contents.upload else [])
    site_w = PAD * 3 + left + (mid + PAD * 3 if contents.upload else 0)
    site_w = max([site_w] + [_site_header_width(site_id) for site_id in sites])
    site_h = HEADER + len(contents.streams) * (ROW + GAP) - GAP + PAD
    uploads = []
    for i, site_id in enumerate(sites):
        y = PAD + i * (site_h + PAD * 2)
        uploads.append(_draw_site(canvas, site_id, contents, (PAD, y, site_w), left, mid))
    height = PAD + len(sites) * (site_h + PAD * 2) - PAD
    cloud_x = PAD + site_w + 150
    cloud_w = _draw_cloud(canvas, ir, cloud_x, height, uploads)
    more = len(ir.project.example_site_ids) > MAX_SITES
    if more:
        canvas.texts.append(Text(PAD, height + 8, "… and every other site, the same way", 13))
    legend_y = height + (32 if more else 12)
    for line in LEGEND:
        canvas.texts.append(Text(PAD, legend_y, line, 12, colour=MUTED))
        legend_y += 18
    return Picture(
        width=max(cloud_x + cloud_w, PAD + int(max(len(x) for x in LEGEND) * SMALL_CHAR)) + PAD,
        height=legend_y,
        title=f"Edge-to-cloud topology of {ir.project.name}",
        description=_description(ir, sites, contents),
        boxes=tuple(canvas.boxes),
        texts=tuple(canvas.texts),
        arrows=tuple(canvas.arrows),
    )


def _site_header_width(site_id: str) -> int:
    return (
        int(len(f"Site {site_id}") * TITLE_CHAR + len(f"JetStream domain {site_id}") * SMALL_CHAR)
        + PAD * 4
    )


def _draw_site(
    canvas: _Canvas, site_id: str, contents: _Site, frame: tuple[int, int, int], left: int,
    mid: int,
) -> tuple[int, int] | None:  # fmt: skip
    """One site box at (x, y) of the given width; returns the right edge midpoint of its
    upload stream (None: no upload stream)."""
    x, y, width = frame
    rows = len(contents.streams)
    height = HEADER + rows * (ROW + GAP) - GAP + PAD
    canvas.box("site", x, y, width, height)
    canvas.texts.append(Text(x + PAD, y + 26, f"Site {site_id}", 16, bold=True))
    canvas.texts.append(Text(x + width - PAD, y + 26, f"JetStream domain {site_id}", 12,
                             colour=MUTED, anchor="end"))  # fmt: skip
    positions = {}
    for row, (kind, name, meta) in enumerate(contents.streams):
        top = y + HEADER + row * (ROW + GAP)
        canvas.stream(kind, x + PAD, top, left, name, meta)
        positions[name] = top + ROW // 2
    if contents.upload is None:
        return None
    sourced = [positions[n] for n in contents.sourced] or [y + HEADER + ROW // 2]
    up_x = x + PAD * 4 + left
    up_y = (min(sourced) + max(sourced)) // 2 - ROW // 2
    canvas.stream("upload", up_x, up_y, mid, *contents.upload)
    for centre in sourced:
        canvas.arrow(x + PAD + left, centre, up_x, up_y + ROW // 2)
    if contents.linked:
        canvas.texts.append(Text(x + width + 8, up_y + ROW // 2 - 8, "leaf link", 12, colour=MUTED))
    return (up_x + mid, up_y + ROW // 2)


def _draw_cloud(
    canvas: _Canvas, ir: SpecIR, x: int, height: int, uploads: list[tuple[int, int] | None]
) -> int:
    streams = ir.topology.cloud_streams
    domain = ir.topology.cloud_domain
    inner = _width([(s.name, _meta(s)) for s in streams])
    heading = f"Cloud: JetStream domain {domain}"
    width = max(inner + PAD * 2, int(len(heading) * TITLE_CHAR) + PAD * 3)
    inner = width - PAD * 2
    box_h = HEADER + max(len(streams), 1) * (ROW + GAP) - GAP + PAD
    y = max(PAD, (height - box_h) // 2)
    canvas.box("cloud", x, y, width, box_h)
    canvas.texts.append(Text(x + PAD, y + 26, heading, 16, bold=True))
    if not streams:
        canvas.texts.append(Text(x + PAD, y + HEADER + 20, "no cloud stream", 13, colour=MUTED))
    for row, stream in enumerate(streams):
        top = y + HEADER + row * (ROW + GAP)
        canvas.stream("stream", x + PAD, top, inner, stream.name, _meta(stream))
        for end in uploads:
            if end is not None:
                canvas.arrow(end[0], end[1], x + PAD, top + ROW // 2)
    return width


def _description(ir: SpecIR, sites: list[str], contents: _Site) -> str:
    stored = [name for kind, name, _ in contents.streams if kind == "stream"]
    core = [name for kind, name, _ in contents.streams if kind == "core"]
    parts = [f"Each site ({', '.join(sites)}) keeps its events in the streams "
             f"{', '.join(stored)}."]  # fmt: skip
    if core:
        domains = "domain" if len(core) == 1 else "domains"
        parts.append(
            f"Events of the {', '.join(core)} {domains} use core NATS and are never stored."
        )
    if contents.upload is not None:
        parts.append(f"At each site, {contents.upload[0]} sources "
                     f"{', '.join(contents.sourced) or 'no stream'}.")  # fmt: skip
        for stream in ir.topology.cloud_streams:
            parts.append(
                f"In the cloud (JetStream domain {ir.topology.cloud_domain}), {stream.name} "
                f"sources {contents.upload[0]} of every site over its leaf link."
            )
    return " ".join(parts)
