"""Build the IR from a loaded, checked spec: one call, ``build_ir(spec)``.

Reads the project file (``specgen.yaml``) for package names and topology, each document for
its domain, stream and channels, and lowers every payload schema through ``SchemaLowering``.
Problems the rules cannot see (unsupported schema keywords, a malformed project file) come
back as diagnostics.
"""

from __future__ import annotations

import re
from typing import Any

from specgen.diagnostics import Diagnostic, Location, error
from specgen.ir import (
    DomainIR,
    EventIR,
    Example,
    PackageNames,
    Parameter,
    ProjectIR,
    SpecIR,
    StreamIR,
    TopologyIR,
    UploadStreamIR,
)
from specgen.ir.durations import parse_duration
from specgen.ir.export_schema import export_schema
from specgen.ir.lower_schema import SchemaLowering
from specgen.ir.naming import pascal, snake
from specgen.load import LoadedSpec, SourceFile

_COMPONENT_SCHEMA = re.compile(r"^/components/schemas/([^/]+)$")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_TOKEN = re.compile(r"[A-Za-z0-9_\-]+|\{[A-Za-z0-9_\-]+\}")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


class _Builder:
    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec
        self.diagnostics: list[Diagnostic] = []
        self.lowering = SchemaLowering(spec.locate, self._component_name)
        self.project_data = _dict(spec.project.data if spec.project else {})
        self._shared_messages: dict[int, int] = {}

    def _component_name(self, schema: Any) -> str | None:
        origin = self.spec.origin_of(schema)
        match = _COMPONENT_SCHEMA.match(origin.pointer) if origin else None
        return pascal(match.group(1)) if match else None

    def _where(self, pointer: str) -> Location:
        project = self.spec.project
        return project.location(pointer) if project else Location("<project>", 0, 0, pointer)

    # -- project ---------------------------------------------------------------------------
    def project(self) -> ProjectIR:
        data = self.project_data
        first = _dict(self.spec.documents[0].data) if self.spec.documents else {}
        title = _str(_dict(first.get("info")).get("title"))
        name = _str(data.get("project")) or (snake(title) if title else "events")
        packages = _dict(data.get("packages"))
        site = _dict(data.get("site"))
        languages = data.get("languages", ["python"])
        return ProjectIR(
            name=name,
            version=_str(data.get("version"), "0.1.0"),
            dataschema_base=_str(data.get("dataschema_base"), f"urn:{name}:events:"),
            packages=PackageNames(
                python_distribution=_str(
                    _dict(packages.get("python")).get("distribution"), f"{name}-events"
                ),  # fmt: skip
                python_module=_str(
                    _dict(packages.get("python")).get("module"), f"{snake(name)}_events"
                ),  # fmt: skip
                typescript_name=_str(
                    _dict(packages.get("typescript")).get("name"), f"@{name}/events"
                ),  # fmt: skip
                rust_crate=_str(_dict(packages.get("rust")).get("crate"), f"{name}-events"),
            ),
            languages=tuple(languages) if isinstance(languages, list) else ("python",),
            site_id_pattern=_str(site.get("id_pattern"), r"^[a-z][a-z0-9-]{1,31}$"),
            example_site_ids=tuple(str(s) for s in site.get("example_ids", ["site-0001"])),
        )

    def stream(self, data: Any, where: Location) -> StreamIR | None:
        if not isinstance(data, dict) or not data:
            return None
        try:
            return StreamIR(
                name=str(data["name"]),
                subjects=tuple(str(s) for s in data.get("subjects", ())),
                retention=str(data.get("retention", "limits")),
                max_age_seconds=parse_duration(data.get("max_age", "0s")),
                storage=str(data.get("storage", "file")),
                replicas=int(data.get("replicas", 1)),
                duplicate_window_seconds=parse_duration(data["duplicate_window"]),
            )
        except (KeyError, ValueError, TypeError) as exc:
            self.diagnostics.append(
                error(
                    "SG-STREAM-CONFIG",
                    f"stream definition is incomplete or malformed: {exc}",
                    where,
                    "give name, subjects, retention, max_age, storage, replicas and "
                    "duplicate_window (durations like 30d, 2h, 90s)",
                )
            )
            return None

    def topology(self, dead_letter: dict[str, Any]) -> TopologyIR:
        topo = _dict(self.project_data.get("topology"))
        upload = _dict(topo.get("upload_stream"))
        cloud = _dict(topo.get("cloud"))
        upload_stream = self.stream(upload, self._where("/topology/upload_stream"))
        cloud_streams = [
            self.stream(s, self._where(f"/topology/cloud/streams/{i}"))
            for i, s in enumerate(cloud.get("streams", []))
        ]
        return TopologyIR(
            upload=UploadStreamIR(upload_stream, tuple(upload.get("domains", [])))
            if upload_stream
            else None,
            cloud_domain=_str(cloud.get("domain"), "hub"),
            cloud_streams=tuple(s for s in cloud_streams if s is not None),
            dead_letter_stream=self.stream(
                dead_letter.get("stream"), self._where("/dead_letter/stream")
            ),  # fmt: skip
        )

    # -- documents -------------------------------------------------------------------------
    def domain(self, document: SourceFile, project: ProjectIR, dead_letter: str) -> DomainIR:
        data = _dict(document.data)
        info = _dict(data.get("info"))
        name = snake(_str(data.get("x-domain")) or _str(info.get("title"), "events"))
        stream = self.stream(data.get("x-stream"), document.location("/x-stream"))
        events = []
        channels = _dict(data.get("channels"))
        self._shared_messages = {}
        for channel in channels.values():
            for message in _dict(_dict(channel).get("messages")).values():
                self._shared_messages[id(message)] = self._shared_messages.get(id(message), 0) + 1
        for channel_key, channel in channels.items():
            for message_key, message in _dict(_dict(channel).get("messages")).items():
                event = self.event(project, name, stream, channel_key, channel, message_key,
                                   message)  # fmt: skip
                if event is not None:
                    events.append(event)
        return DomainIR(
            name=name,
            title=_str(info.get("title")),
            description=_str(info.get("description")),
            stream=stream,
            dead_letter_template=dead_letter.replace("{domain}", name),
            events=tuple(sorted(events, key=lambda e: e.type)),
        )

    def event(
        self,
        project: ProjectIR,
        domain: str,
        stream: StreamIR | None,
        channel_key: str,
        channel: dict[str, Any],
        message_key: str,
        message: Any,
    ) -> EventIR | None:
        message = _dict(message)
        ce = _dict(message.get("x-cloudevents"))
        fallback = f"{project.name}.{domain}.{snake(message_key)}.v1"
        if self._shared_messages.get(id(message), 0) > 1:
            fallback = f"{project.name}.{domain}.{snake(channel_key)}_{snake(message_key)}.v1"
        ce_type = _str(ce.get("type")) or fallback
        tokens = ce_type.split(".")
        version_token = tokens[-1] if re.fullmatch(r"v\d+", tokens[-1]) else "v1"
        base = tokens[-2] if re.fullmatch(r"v\d+", tokens[-1]) else tokens[-1]
        name = pascal(f"{base} {version_token}")
        address = nats_subject(channel.get("address"), channel_key)
        params = _dict(channel.get("parameters"))
        payload = self.lowering.lower_named(message.get("payload", True), pascal(base))
        delivery = _str(channel.get("x-delivery"), "jetstream" if stream else "core")
        return EventIR(
            name=name,
            method=snake(name),
            type=ce_type,
            version=int(version_token[1:]),
            source_template=_str(ce.get("source"), f"/{project.name}/{domain}"),
            subject_template=address,
            parameters=tuple(
                Parameter(
                    p,
                    _str(_dict(params.get(p)).get("description")),
                    project.site_id_pattern if p == "site_id" else None,
                )  # fmt: skip
                for p in _PLACEHOLDER.findall(address)
            ),
            delivery=delivery,
            stream=stream.name if stream and delivery == "jetstream" else None,
            dataschema=f"{project.dataschema_base}{ce_type}",
            payload=payload,
            payload_schema=export_schema(message.get("payload", True), self._component_name),
            examples=tuple(
                Example(
                    _str(ex.get("name"), f"example{i + 1}"),
                    _str(ex.get("summary")),
                    ex.get("payload"),
                )  # fmt: skip
                for i, ex in enumerate(message.get("examples", []))
                if isinstance(ex, dict) and "payload" in ex
            ),
            title=_str(message.get("title")),
            summary=_str(message.get("summary")),
            description=_str(message.get("description")),
            deprecated=message.get("deprecated") is True,
        )


def nats_subject(address: Any, channel_key: str) -> str:
    """A channel address as a NATS subject: MQTT-style ``a/b/{id}`` becomes ``a.b.{id}``.

    Addresses of our spec are already subjects (the rules check them); plain AsyncAPI
    documents use other brokers' conventions, mapped the way NATS' MQTT bridge does. A null
    address (a dynamic channel) falls back to the channel's key.
    """
    text = address if isinstance(address, str) and address else snake(channel_key)
    tokens = [t for t in text.replace("/", ".").split(".") if t]
    safe = [t if _TOKEN.fullmatch(t) else re.sub(r"[^A-Za-z0-9_\-]", "_", t) for t in tokens]
    return ".".join(safe) or snake(channel_key)


def build_ir(spec: LoadedSpec) -> tuple[SpecIR | None, list[Diagnostic]]:
    builder = _Builder(spec)
    project = builder.project()
    dead_letter = _dict(builder.project_data.get("dead_letter"))
    dl_template = _str(dead_letter.get("subject"), "deadletter.{domain}")
    domains = [builder.domain(doc, project, dl_template) for doc in spec.documents]
    ir = SpecIR(
        project=project,
        types=tuple(sorted(builder.lowering.decls.values(), key=lambda d: d.name)),
        domains=tuple(domains),
        topology=builder.topology(dead_letter),
    )
    return ir, builder.diagnostics + builder.lowering.diagnostics
