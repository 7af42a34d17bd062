"""One trace from a Python publisher at a site to a TypeScript consumer at the hub.

A LocalFleet (hub + one site, each a real nats-server, the site a leaf node behind its link
proxy) provisioned from the spec's topology. The generated Python publisher publishes at the
site inside an application span, once per content mode; the event is stored in the site
stream, sourced into UPLOAD, pulled over the leaf link into the hub's FLEET stream, where the
generated TypeScript subscriber reads it and handles it inside ``received.process()``.
Spans come from the Python SDK's InMemorySpanExporter and from @opentelemetry/sdk-trace-base's
in-memory exporter in the node process; together they must form one trace:
application span -> publish (PRODUCER) -> process (CONSUMER, TypeScript) -> handler span, in
start order, with the receive span linked to the publish span.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from powerflex_events import SiteOperationsPublisher
from specgen_runtime import Mode
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.jsapi import JsApi, connect
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.topology import load_topology
from ts_support import node_json

from tests.fleet.kit import status_event, wait_messages
from tests.trace_text import from_json, from_python, one, render, save

SITE = "site-0001"
TEMPLATE = "pf.{site_id}.site_operations.charger_status_changed.v1"


async def _publish_at_site(fleet: LocalFleet, provider: TracerProvider) -> list[str]:
    tracer = provider.get_tracer("site-app")
    nc = await connect([fleet.site_url(SITE)])
    ids = []
    try:
        for mode in (Mode.STRUCTURED, Mode.BINARY):
            publisher = SiteOperationsPublisher(nc, mode=mode, tracer_provider=provider)
            event_id = f"{mode.value}-{uuid.uuid4()}"
            with tracer.start_as_current_span(f"report status ({mode.value})"):
                await publisher.charger_status_changed_v1(
                    status_event(1), site_id=SITE, id=event_id
                )
            await publisher.publisher.close()
            ids.append(event_id)
    finally:
        await nc.close()
    return ids


async def test_python_site_publisher_to_typescript_hub_consumer(
    tmp_path: Path, ts_package: Path
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    async with LocalFleet(tmp_path / "fleet", [SITE]) as fleet:
        hub = await fleet.hub_client()
        try:
            topo = load_topology(package="powerflex_events")
            assert (await apply_plan(hub, await make_plan(hub, topo, [SITE], replicas=1))).ok
        finally:
            await hub.close()
        ids = await _publish_at_site(fleet, provider)
        hub = await fleet.hub_client()
        try:  # the hub's source of a new site may take a health-check round to start
            assert await wait_messages(JsApi(hub, domain=None, target="hub"), "FLEET", 2) == 2
        finally:
            await hub.close()
        job = {"subscriber": "SiteOperationsSubscriber", "method": "chargerStatusChangedV1",
               "siteId": SITE, "stream": "FLEET", "durable": "hub-status", "count": len(ids),
               "timeoutMs": 90_000}  # fmt: skip
        out = node_json("traced.mjs", str(ts_package), fleet.hub_url, cwd=tmp_path,
                        timeout=180, stdin=json.dumps(job))  # fmt: skip
    assert "fatal" not in out, out.get("fatal")
    assert [e["id"] for e in out["events"]] == ids
    spans = from_python(exporter.get_finished_spans()) + from_json(out["spans"], "typescript")
    for mode, event, event_id in zip(("structured", "binary"), out["events"], ids, strict=True):
        app = one(spans, "python", f"report status ({mode})")
        publish = next(s for s in spans if s.attributes.get("messaging.message.id") == event_id
                       and s.language == "python")  # fmt: skip
        process, receive = (
            next(s for s in spans if s.language == "typescript" and s.name == f"{op} {TEMPLATE}"
                 and s.attributes.get("messaging.message.id") == event_id)
            for op in ("process", "receive")
        )  # fmt: skip
        store = one(spans, "typescript", f"store {event_id}")
        assert {s.trace_id for s in (app, publish, process, store)} == {app.trace_id}
        assert (publish.parent_id, process.parent_id, store.parent_id) == (
            app.span_id,
            publish.span_id,
            process.span_id,
        )
        assert app.start <= publish.start <= process.start <= store.start
        assert (publish.kind, process.kind, receive.kind) == ("PRODUCER", "CONSUMER", "CLIENT")
        assert receive.links == ((publish.trace_id, publish.span_id),)
        assert process.attributes["messaging.nats.stream"] == "FLEET"
        assert publish.attributes["messaging.nats.stream"] == "SITE_OPERATIONS"
        origin = f"00-{publish.trace_id}-{publish.span_id}-"
        assert event["extensions"]["traceparent"].startswith(origin)  # set once, at the site
        assert event["headers"]["traceparent"].startswith(origin)  # the only client hop
        assert "Nats-Stream-Source" in event["headers"]  # sourced: UPLOAD, then FLEET
    path = save("python-to-typescript", render(spans))
    print(f"trace written to {path}")
