"""Build the IR from the typed model of a checked spec: one call, ``build_ir(model)``.

Reads the typed project file (package names, topology), each document's typed objects and
extensions (domain, stream, channels, CloudEvents attributes) and lowers every payload schema
through ``SchemaLowering``. Nothing here reads raw dictionaries: absent values fall back to
defaults (plain AsyncAPI documents generate too); problems the rules cannot see (unsupported
schema keywords) come back as diagnostics.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from specgen.diagnostics import Diagnostic
from specgen.ir import (
    DomainIR,
    EventIR,
    Example,
    MqttIR,
    PackageNames,
    Parameter,
    ProjectIR,
    SpecIR,
    StreamIR,
    TopologyIR,
    UploadStreamIR,
)
from specgen.ir.export_schema import export_schema
from specgen.ir.lower_schema import SchemaLowering
from specgen.ir.naming import pascal, snake
from specgen.load import LoadedSpec
from specgen.model import Channel, Message
from specgen.model.extensions import (
    CLOUDEVENTS,
    DELIVERY,
    DOMAIN,
    MQTT,
    STREAM,
    DomainStream,
    StreamSettings,
)
from specgen.model.messages import json_schema
from specgen.model.project import Project
from specgen.model.spec import Document, SpecModel, read_spec
from specgen.mqtt_topics import topic
from specgen.schema import schemas_of

_DEFAULTS = Project.model_construct(documents=[])
"""The project file's defaults, for documents generated without one."""
# A schema keeps the name it is defined under: a component, or a key of `definitions`.
_COMPONENT_SCHEMA = re.compile(r"^/components/schemas/([^/]+)$|/definitions/([^/]+)$")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_TOKEN = re.compile(r"[A-Za-z0-9_\-]+|\{[A-Za-z0-9_\-]+\}")


class _Builder:
    def __init__(self, model: SpecModel) -> None:
        self.model = model
        self.diagnostics: list[Diagnostic] = []
        self.lowering = SchemaLowering(schemas_of(model.loaded), self._component_name)
        self.settings = model.project or _DEFAULTS
        self._shared_messages: dict[int, int] = {}

    def _component_name(self, schema: Any) -> str | None:
        origin = self.model.loaded.origin_of(schema)
        match = _COMPONENT_SCHEMA.search(origin.pointer) if origin else None
        return (
            pascal(unquote((match.group(1) or match.group(2)).replace("~1", "/")))
            if match
            else None
        )

    def _pointer(self, schema: Any) -> str | None:
        origin = self.model.loaded.origin_of(schema)
        return origin.pointer if origin else None

    # -- project ---------------------------------------------------------------------------
    def project(self) -> ProjectIR:
        settings = self.settings
        title = self.model.documents[0].api.info.title if self.model.documents else ""
        name = settings.project or (snake(title) if title else "events")
        packages = settings.packages
        python, typescript, rust = packages.python, packages.typescript, packages.rust
        return ProjectIR(
            name=name,
            version=settings.version,
            dataschema_base=settings.dataschema_base or f"urn:{name}:events:",
            packages=PackageNames(
                python_distribution=(python and python.distribution) or f"{name}-events",
                python_module=(python and python.module) or f"{snake(name)}_events",
                typescript_name=(typescript and typescript.name) or f"@{name}/events",
                rust_crate=(rust and rust.crate) or f"{name}-events",
            ),
            languages=tuple(settings.languages),
            site_id_pattern=settings.site.id_pattern,
            example_site_ids=tuple(settings.site.example_ids),
            license=settings.license,
        )

    def topology(self) -> TopologyIR:
        topology, dead_letter = self.settings.topology, self.settings.dead_letter
        upload, cloud = topology.upload_stream, topology.cloud
        return TopologyIR(
            upload=UploadStreamIR(stream_ir(upload, ()), tuple(upload.domains)) if upload else None,
            cloud_domain=cloud.domain if cloud else "hub",
            cloud_streams=tuple(stream_ir(s, ()) for s in (cloud.streams if cloud else [])),
            dead_letter_stream=(
                stream_ir(dead_letter.stream, dead_letter.stream.subjects)
                if dead_letter.stream
                else None
            ),
        )

    # -- documents -------------------------------------------------------------------------
    def domain(self, document: Document, project: ProjectIR, dead_letter: str) -> DomainIR:
        api = document.api
        name = snake(DOMAIN.of(api) or api.info.title or "events")
        written = STREAM.of(api)
        stream = stream_ir(written, written.subjects) if written is not None else None
        channels = api.channels or {}
        self._shared_messages = {}
        for channel in channels.values():
            for message in (channel.messages or {}).values():
                self._shared_messages[id(message)] = self._shared_messages.get(id(message), 0) + 1
        events = [
            self.event(project, name, stream, channel_key, channel, message_key, message)
            for channel_key, channel in channels.items()
            for message_key, message in (channel.messages or {}).items()
        ]
        return DomainIR(
            name=name,
            title=api.info.title,
            description=api.info.description or "",
            stream=stream,
            dead_letter_template=dead_letter.replace("{domain}", name),
            events=tuple(sorted(events, key=lambda e: e.type)),
        )

    def _event_type(
        self, project: ProjectIR, domain: str, keys: tuple[str, str], message: Message
    ) -> str:
        ce = CLOUDEVENTS.of(message)
        if ce is not None:
            return ce.type
        channel_key, message_key = keys
        if self._shared_messages.get(id(message), 0) > 1:
            return f"{project.name}.{domain}.{snake(channel_key)}_{snake(message_key)}.v1"
        return f"{project.name}.{domain}.{snake(message_key)}.v1"

    def event(
        self,
        project: ProjectIR,
        domain: str,
        stream: StreamIR | None,
        channel_key: str,
        channel: Channel,
        message_key: str,
        message: Message,
    ) -> EventIR:
        ce_type = self._event_type(project, domain, (channel_key, message_key), message)
        tokens = ce_type.split(".")
        version_token = tokens[-1] if re.fullmatch(r"v\d+", tokens[-1]) else "v1"
        base = tokens[-2] if re.fullmatch(r"v\d+", tokens[-1]) and len(tokens) > 1 else tokens[-1]
        name = pascal(f"{base} {version_token}")
        address = nats_subject(channel.address, channel_key)
        parameters = channel.parameters or {}
        schema = json_schema(message.payload)
        schema = True if schema is None else schema
        delivery = DELIVERY.of(channel) or ("jetstream" if stream else "core")
        ce = CLOUDEVENTS.of(message)
        return EventIR(
            name=name,
            method=snake(name),
            type=ce_type,
            version=int(version_token[1:]),
            source_template=(ce and ce.source) or f"/{project.name}/{domain}",
            subject_template=address,
            parameters=tuple(
                Parameter(
                    p,
                    parameters[p].description or "" if p in parameters else "",
                    project.site_id_pattern if p == "site_id" else None,
                )
                for p in _PLACEHOLDER.findall(address)
            ),
            delivery=delivery,
            stream=stream.name if stream and delivery == "jetstream" else None,
            dataschema=f"{project.dataschema_base}{ce_type}",
            payload=self.lowering.lower_named(schema, pascal(base)),
            payload_schema=export_schema(schema, self._component_name, self._pointer),
            examples=tuple(
                Example(example.name or f"example{i + 1}", example.summary or "", example.payload)
                for i, example in enumerate(message.examples or [])
                if "payload" in example.raw
            ),
            title=message.title or "",
            summary=message.summary or "",
            description=message.description or "",
            deprecated=message.deprecated is True,
            mqtt=mqtt_ir(channel, address),
        )


def mqtt_ir(channel: Channel, subject: str) -> MqttIR | None:
    """The channel's ``x-mqtt`` as IR: its subject as a topic, QoS and device publishing."""
    settings = MQTT.of(channel)
    if settings is None:
        return None
    return MqttIR(topic(subject), settings.qos, settings.device_publish)


def stream_ir(stream: StreamSettings | DomainStream, subjects: Sequence[str]) -> StreamIR:
    """A valid stream of the typed model as IR (durations in whole milliseconds)."""
    return StreamIR(
        name=stream.name,
        subjects=tuple(subjects),
        retention=stream.retention,
        max_age_ms=stream.max_age,
        storage=stream.storage,
        replicas=stream.replicas,
        duplicate_window_ms=stream.duplicate_window or 0,
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


def build_ir(spec: SpecModel | LoadedSpec) -> tuple[SpecIR | None, list[Diagnostic]]:
    """The IR of every structurally valid document, with the schema lowering's diagnostics.

    Given a loaded spec, reads its typed model first (``specgen.model.spec``).
    """
    model = spec if isinstance(spec, SpecModel) else read_spec(spec)
    builder = _Builder(model)
    project = builder.project()
    dead_letter = builder.settings.dead_letter.subject
    domains = [builder.domain(doc, project, dead_letter) for doc in model.documents]
    ir = SpecIR(
        project=project,
        types=tuple(sorted(builder.lowering.decls.values(), key=lambda d: d.name)),
        domains=tuple(domains),
        topology=builder.topology(),
    )
    return ir, builder.diagnostics + builder.lowering.diagnostics
