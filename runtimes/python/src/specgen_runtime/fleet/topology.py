"""The desired JetStream configuration of every site and of the hub, from the topology document.

The topology document is the spec's fleet layout (``powerflex_events.topology()`` or the
``topology.json`` next to it)::

    topo = Topology.from_document(powerflex_events.topology())
    topo.site_streams("site-0001")   # ORDERS ... (subjects filled), UPLOAD sourcing them
    topo.hub_streams(["site-0001", "site-0002"])   # FLEET sourcing each site's UPLOAD

Decisions:

* Every stream carries an explicit ``duplicate_window``: nats-py sends 0 when unset, and on a
  stream with sources 0 turns dedupe off (NATS.md trap 2).
* The site's UPLOAD stream sources its domain streams locally: no ``external`` (#6509).
* A cloud stream sources ``UPLOAD`` of each site through ``external.api = $JS.<site>.API``.
  No subject transform: site subjects already carry the site id (``pf.<site>.orders.>``),
  so events of different sites cannot collide in the cloud stream, and consumers filter on
  ``pf.<site>.>`` or ``pf.*.orders.>`` with the subjects the publishers used.
* Site ids are JetStream domains, server names and subject tokens: they must match the
  document's ``site_id_pattern``, be one NATS token, and differ from the cloud domain.
* Durations are whole milliseconds in the document (``max_age_ms``, ``duplicate_window_ms``,
  topology ``format`` 2, the generator's one duration parser) and integer nanoseconds on the
  wire, so comparisons are exact.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from nats.js.api import StreamConfig

from specgen_runtime.fleet.errors import TopologyError
from specgen_runtime.fleet.mqtt_layout import MqttLayout

__all__ = ["SourceSpec", "StreamSpec", "Topology", "deliver_prefix", "load_topology"]

NANOS = 1_000_000_000
NANOS_PER_MS = 1_000_000
FORMAT = 2
_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")
_PLACEHOLDER = "{site_id}"


def deliver_prefix(site: str) -> str:
    """Where the hub's source consumer at ``site`` delivers: only that site may publish here."""
    return f"$JS.SRC.{site}"


@dataclass(frozen=True, order=True)
class SourceSpec:
    """One source of a stream; ``external_api`` set for a source in another domain, and
    ``external_deliver`` the prefix its deliveries are published under. ``transforms``:
    ``(src, dest)`` subject transforms, which also filter what is sourced."""

    name: str
    external_api: str | None = None
    external_deliver: str | None = None
    transforms: tuple[tuple[str, str], ...] = ()

    def wire(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name}
        if self.external_api:
            data["external"] = {"api": self.external_api}
            if self.external_deliver:
                data["external"]["deliver"] = self.external_deliver
        if self.transforms:
            data["subject_transforms"] = [{"src": s, "dest": d} for s, d in self.transforms]
        return data

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> SourceSpec:
        external = data.get("external") or {}
        transforms = data.get("subject_transforms") or []
        return cls(
            name=str(data["name"]),
            external_api=external.get("api") or None,
            external_deliver=external.get("deliver") or None,
            transforms=tuple((str(t.get("src")), str(t.get("dest"))) for t in transforms),
        )

    def label(self) -> str:
        moved = " [" + ", ".join(f"{s} -> {d}" for s, d in self.transforms) + "]"
        label = self.name + (moved if self.transforms else "")
        if not self.external_api:
            return label
        deliver = f" (deliver {self.external_deliver})" if self.external_deliver else ""
        return f"{label}@{self.external_api}{deliver}"


@dataclass(frozen=True)
class StreamSpec:
    """The managed part of one stream's configuration (wire units: nanoseconds, bytes)."""

    name: str
    subjects: tuple[str, ...]
    retention: str
    storage: str
    max_age: int
    replicas: int
    duplicate_window: int
    max_msgs: int = -1
    max_bytes: int = -1
    sources: tuple[SourceSpec, ...] = ()

    def wire(self) -> dict[str, Any]:
        """The stream configuration as sent to ``$JS.API.STREAM.CREATE``."""
        data: dict[str, Any] = {
            "name": self.name,
            "retention": self.retention,
            "storage": self.storage,
            "max_age": self.max_age,
            "max_msgs": self.max_msgs,
            "max_bytes": self.max_bytes,
            "num_replicas": self.replicas,
            "duplicate_window": self.duplicate_window,
            "discard": "old",
        }
        if self.subjects:
            data["subjects"] = list(self.subjects)
        if self.sources:
            data["sources"] = [source.wire() for source in self.sources]
        return data

    def stream_config(self) -> StreamConfig:
        """The same configuration as a nats-py ``StreamConfig`` (durations in seconds)."""
        config: StreamConfig = StreamConfig.from_response(self.wire())
        return config


def _int(doc: Mapping[str, Any], key: str, where: str) -> int:
    value = doc.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TopologyError(f"{where}: {key!r} must be a non-negative integer, got {value!r}")
    return value


def _str(doc: Mapping[str, Any], key: str, where: str) -> str:
    value = doc.get(key)
    if not isinstance(value, str) or not value:
        raise TopologyError(f"{where}: {key!r} must be a non-empty string, got {value!r}")
    return value


@dataclass(frozen=True)
class _StreamTemplate:
    name: str
    subjects: tuple[str, ...]
    retention: str
    storage: str
    max_age_ms: int
    replicas: int
    duplicate_window_ms: int
    sources: tuple[str, ...] = ()

    @classmethod
    def parse(cls, doc: Any, where: str) -> _StreamTemplate:
        if not isinstance(doc, Mapping):
            raise TopologyError(f"{where}: expected an object")
        name = _str(doc, "name", where)
        subjects, sources = doc.get("subjects", []), doc.get("sources", [])
        for key, items in (("subjects", subjects), ("sources", sources)):
            if not isinstance(items, list) or not all(isinstance(s, str) and s for s in items):
                raise TopologyError(f"{where} {name}: {key!r} must be a list of strings")
        retention, storage = _str(doc, "retention", where), _str(doc, "storage", where)
        if retention not in ("limits", "interest", "workqueue"):
            raise TopologyError(f"{where} {name}: unknown retention {retention!r}")
        if storage not in ("file", "memory"):
            raise TopologyError(f"{where} {name}: unknown storage {storage!r}")
        window = _int(doc, "duplicate_window_ms", where)
        if window == 0:
            raise TopologyError(f"{where} {name}: duplicate_window_ms must be > 0")
        return cls(
            name=name,
            subjects=tuple(subjects),
            retention=retention,
            storage=storage,
            max_age_ms=_int(doc, "max_age_ms", where),
            replicas=max(1, _int(doc, "replicas", where)),
            duplicate_window_ms=window,
            sources=tuple(sources),
        )

    def render(
        self, site: str | None, replicas: int | None, sources: tuple[SourceSpec, ...]
    ) -> StreamSpec:
        subjects = tuple(s.replace(_PLACEHOLDER, site or "") for s in self.subjects)
        return StreamSpec(
            name=self.name,
            subjects=subjects,
            retention=self.retention,
            storage=self.storage,
            max_age=self.max_age_ms * NANOS_PER_MS,
            replicas=replicas if replicas is not None else self.replicas,
            duplicate_window=self.duplicate_window_ms * NANOS_PER_MS,
            sources=sources,
        )


@dataclass(frozen=True)
class Topology:
    """The fleet layout: site streams, the site's upload stream, cloud streams, cloud domain."""

    site_id_pattern: str
    cloud_domain: str
    site_templates: tuple[_StreamTemplate, ...]
    upload_template: _StreamTemplate
    cloud_templates: tuple[_StreamTemplate, ...]
    site_subject_templates: tuple[str, ...] = ()
    """Every subject a site's events use (over ``{site_id}``); credentials are scoped by it."""
    mqtt: MqttLayout = MqttLayout()
    """What a site's MQTT listener serves (``fleet.mqtt_layout``)."""

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> Topology:
        if not isinstance(doc, Mapping):
            raise TopologyError("topology: expected a JSON object")
        if doc.get("format") != FORMAT:
            raise TopologyError(
                f"topology: format {doc.get('format')!r} is not {FORMAT}; regenerate the event "
                "package with this specgen (durations are whole milliseconds since format 2)"
            )
        pattern = _str(doc, "site_id_pattern", "topology")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise TopologyError(f"topology: invalid site_id_pattern: {exc}") from exc
        for key in ("site_streams", "cloud_streams"):
            if not isinstance(doc.get(key), list):
                raise TopologyError(f"topology: {key!r} must be a list")
        topo = cls(
            site_id_pattern=pattern,
            cloud_domain=_str(doc, "cloud_domain", "topology"),
            site_templates=tuple(
                _StreamTemplate.parse(s, "site_streams") for s in doc["site_streams"]
            ),
            upload_template=_StreamTemplate.parse(doc.get("upload_stream"), "upload_stream"),
            cloud_templates=tuple(
                _StreamTemplate.parse(s, "cloud_streams") for s in doc["cloud_streams"]
            ),
            site_subject_templates=_site_subjects(doc),
            mqtt=MqttLayout.parse(doc.get("mqtt")),
        )
        topo._check_consistency()
        return topo

    def _check_consistency(self) -> None:
        names = [t.name for t in (*self.site_templates, self.upload_template)]
        if len(set(names)) != len(names):
            raise TopologyError(f"topology: duplicate site stream names in {names}")
        missing = set(self.upload_template.sources) - set(names)
        if missing:
            raise TopologyError(f"upload_stream: sources {sorted(missing)} are not site streams")
        for template in self.site_templates:
            for subject in template.subjects:
                if _PLACEHOLDER not in subject:
                    raise TopologyError(
                        f"site stream {template.name}: subject {subject!r} does not carry "
                        "{site_id}: the same subject at every site leaks across sites"
                    )

    def check_site(self, site: str) -> str:
        """Return ``site`` if it is a valid site id, else raise TopologyError."""
        if not isinstance(site, str) or not re.fullmatch(self.site_id_pattern, site):
            raise TopologyError(f"invalid site id {site!r}: must match {self.site_id_pattern!r}")
        if not _TOKEN.match(site):
            raise TopologyError(f"invalid site id {site!r}: not a single NATS subject token")
        if site == self.cloud_domain:
            raise TopologyError(f"invalid site id {site!r}: it is the cloud's domain")
        return site

    def check_sites(self, sites: Iterable[str]) -> tuple[str, ...]:
        checked = tuple(self.check_site(site) for site in sites)
        if len(set(checked)) != len(checked):
            raise TopologyError(f"duplicate site ids in {list(checked)}")
        return checked

    @property
    def upload_name(self) -> str:
        return self.upload_template.name

    @property
    def cloud_stream_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.cloud_templates)

    def site_streams(self, site: str, *, replicas: int | None = None) -> tuple[StreamSpec, ...]:
        """The streams of one site, domain streams first, then UPLOAD (which sources them)."""
        self.check_site(site)
        streams = [t.render(site, replicas, ()) for t in self.site_templates]
        local = tuple(SourceSpec(name) for name in self.upload_template.sources)
        return (*streams, self.upload_template.render(site, replicas, local))

    def upload_source(self, site: str) -> SourceSpec:
        """How a cloud stream sources one site's upload stream: through the site's domain.

        Deliveries go to ``$JS.SRC.<site>.>``: with credentials only that site may publish
        there, so no site can inject events into another site's source.
        """
        self.check_site(site)
        return SourceSpec(
            self.upload_name, external_api=f"$JS.{site}.API", external_deliver=deliver_prefix(site)
        )

    def hub_streams(
        self, sites: Iterable[str], *, replicas: int | None = None
    ) -> tuple[StreamSpec, ...]:
        """The cloud streams, each sourcing every listed site's upload stream."""
        sources = tuple(sorted(self.upload_source(site) for site in self.check_sites(sites)))
        return tuple(t.render(None, replicas, sources) for t in self.cloud_templates)


def _site_subjects(doc: Mapping[str, Any]) -> tuple[str, ...]:
    """``site_subjects`` of the document; older documents: the site streams' subjects."""
    listed = doc.get("site_subjects")
    if listed is None:
        listed = [s for t in doc["site_streams"] if isinstance(t, Mapping)
                  for s in t.get("subjects", [])]  # fmt: skip
    if not isinstance(listed, list) or not all(isinstance(s, str) and s for s in listed):
        raise TopologyError("topology: 'site_subjects' must be a list of subject templates")
    for subject in listed:
        if _PLACEHOLDER not in subject:
            raise TopologyError(f"topology: site subject {subject!r} does not carry {{site_id}}")
    return tuple(listed)


def load_topology(path: Path | None = None, package: str | None = None) -> Topology:
    """Read the topology from a JSON file or from a generated package's ``topology()``."""
    if (path is None) == (package is None):
        raise TopologyError("give exactly one of a topology file or a generated package")
    if path is not None:
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise TopologyError(f"cannot read topology {path}: {exc}") from exc
        return Topology.from_document(doc)
    try:
        module = import_module(str(package))
        doc = module.topology()
    except (ImportError, AttributeError) as exc:
        raise TopologyError(f"package {package!r} has no topology(): {exc}") from exc
    return Topology.from_document(doc)
