"""Streams, retention and the path an event takes from a site to the cloud, as text.

One place decides what the catalog says about delivery and storage, for the event pages,
the domain pages and the topology page alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from specgen.docs.site import SiteMap
from specgen.docs.text import count, duration
from specgen.ir import DomainIR, SpecIR, StreamIR

DELIVERY = {
    "jetstream": "JetStream: stored in a stream; a publish returns once the stream has "
    "acknowledged it",
    "core": "Core NATS: not stored; only subscribers connected at the time receive it "
    "(at most once)",
}


@dataclass(frozen=True)
class StreamView:
    name: str
    anchor: str
    href: str
    where: str  # "every site", "the hub (JetStream domain hub)"
    subjects: tuple[str, ...]
    sources: str
    retention: str
    max_age: str
    storage: str
    replicas: int
    duplicate_window: str


@dataclass(frozen=True)
class Hop:
    """One stream on an event's way: where it is kept and for how long."""

    stream: str
    href: str
    where: str
    keeps: str


def delivery_text(delivery: str) -> str:
    return DELIVERY.get(delivery, delivery)


def _stream_view(site: SiteMap, stream: StreamIR, where: str, sources: str) -> StreamView:
    return StreamView(
        name=stream.name,
        anchor=site.stream_anchor(stream.name),
        href=site.stream_href(stream.name),
        where=where,
        subjects=stream.subjects,
        sources=sources,
        retention=stream.retention,
        max_age=duration(stream.max_age_ms),
        storage=stream.storage,
        replicas=stream.replicas,
        duplicate_window=duration(stream.duplicate_window_ms),
    )


def keeps(stream: StreamIR) -> str:
    return (
        f"{stream.retention} retention, up to {duration(stream.max_age_ms)}, "
        f"{stream.storage} storage, {count(stream.replicas, 'replica')}"
    )


def cloud_where(ir: SpecIR) -> str:
    return f"the cloud (JetStream domain {ir.topology.cloud_domain})"


def stream_views(ir: SpecIR, site: SiteMap) -> list[StreamView]:
    """Every stream of the fleet: site streams, the dead letters, UPLOAD, the cloud streams."""
    views = [
        _stream_view(site, d.stream, "every site", f"events of the {d.name} domain")
        for d in ir.domains
        if d.stream is not None
    ]
    topology = ir.topology
    if topology.dead_letter_stream is not None:
        views.append(
            _stream_view(site, topology.dead_letter_stream, "every site", "dead-lettered events")
        )
    upload_name = ""
    if topology.upload is not None:
        upload_name = topology.upload.stream.name
        names = ", ".join(_domain_streams(ir, topology.upload.domains)) or "nothing"
        views.append(_stream_view(site, topology.upload.stream, "every site", f"sources {names}"))
    for stream in topology.cloud_streams:
        sources = f"sources {upload_name} of every site" if upload_name else "no sources"
        views.append(_stream_view(site, stream, cloud_where(ir), sources))
    return views


def _domain_streams(ir: SpecIR, domains: tuple[str, ...]) -> list[str]:
    by_name = {d.name: d.stream.name for d in ir.domains if d.stream is not None}
    return [by_name[name] for name in domains if name in by_name]


def hops(ir: SpecIR, site: SiteMap, domain: DomainIR, delivery: str) -> list[Hop]:
    """The streams an event of ``domain`` is stored in, from the site to the cloud."""
    if delivery != "jetstream" or domain.stream is None:
        return []
    stream = domain.stream
    path = [Hop(stream.name, site.stream_href(stream.name), "every site", keeps(stream))]
    upload = ir.topology.upload
    if upload is None or domain.name not in upload.domains:
        return path
    path.append(
        Hop(
            upload.stream.name,
            site.stream_href(upload.stream.name),
            "every site",
            keeps(upload.stream),
        )  # fmt: skip
    )
    for cloud in ir.topology.cloud_streams:
        path.append(Hop(cloud.name, site.stream_href(cloud.name), cloud_where(ir), keeps(cloud)))
    return path
