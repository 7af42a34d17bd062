"""One trace from a Rust publisher at a site to a Python consumer at the hub (and the Rust
consumer's spans, from a Python publisher).

A LocalFleet (hub + one site, each a real nats-server, the site a leaf node behind its link
proxy) provisioned from the spec's topology. The generated Rust publisher (feature
`opentelemetry`, tests/rust/traced) publishes at the site inside application spans: one event
per content mode alone, and two events pipelined (a batch span with a `create` span per
event). Each event is stored in the site stream, sourced into UPLOAD, pulled over the leaf
link into the hub's FLEET stream, where the generated Python subscriber reads it and handles
it inside ``received.process()``. Spans come from opentelemetry_sdk's InMemorySpanExporter in
the Rust process and from the Python SDK's; together they must form one trace per event:
application span -> publish (PRODUCER) or batch (CLIENT) -> create (PRODUCER) -> process
(CONSUMER, Python) -> handler span, in start order, the receive span linked to the producer.
The generated Rust subscriber records its receive and process spans the same way (a Python
publisher, one server, a stream sourcing the site stream read through ``with_stream``).
"""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from nats.aio.client import Client
from nats.js.api import StreamConfig, StreamSource
from opentelemetry.sdk.trace import TracerProvider
from powerflex_events import SiteOperationsSubscriber
from rust_support import REPO, binary, cargo, needs_cargo
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.servers import NatsServer

from tests.e2e.site_streams import create_site_streams
from tests.fleet.kit import provision_hub, publish_traced_statuses, status_event, wait_at_hub
from tests.trace_text import (
    assert_chain,
    by_id,
    from_json,
    from_python,
    one,
    recording_provider,
    render,
    save,
)

pytestmark = needs_cargo
SITE = "site-0001"
TEMPLATE = "pf.{site_id}.site_operations.charger_status_changed.v1"
TRACED = REPO / "tests" / "rust" / "traced"


@pytest.fixture(scope="module")
def traced_binary() -> Path:
    cargo(["build", "--quiet", "--bin", "traced"], TRACED)
    return binary("traced")


def _traced(program: Path, command: str, url: str, job: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        [str(program), command, url],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert "fatal" not in out, out["fatal"]
    return out


async def _consume_at_hub(fleet: LocalFleet, provider: TracerProvider, count: int) -> list[Any]:
    tracer = provider.get_tracer("hub-app")
    nc = await fleet.hub_client()
    subscriber = SiteOperationsSubscriber(nc, stream="FLEET", tracer_provider=provider)
    events = []
    try:
        async with subscriber.charger_status_changed_v1(site_id=SITE, durable="hub-status") as sub:
            for _ in range(count):
                received = await sub.next(timeout=90)
                with received.process():
                    tracer.start_span(f"store {received.event.id}").end()
                    await received.ack(confirm=True)
                events.append(received)
    finally:
        await nc.close()
    return events


async def test_rust_site_publisher_to_python_hub_consumer(
    tmp_path: Path, traced_binary: Path
) -> None:
    provider, exporter = recording_provider()
    run = uuid.uuid4().hex[:8]
    single = [{"id": f"rs-{mode}-{run}", "mode": mode} for mode in ("structured", "binary")]
    batch = [f"rs-batch{i}-{run}" for i in (1, 2)]
    ids = [s["id"] for s in single] + batch
    data = status_event(1).model_dump(mode="json", exclude_unset=True)
    async with LocalFleet(tmp_path / "fleet", [SITE]) as fleet:
        await provision_hub(fleet, [SITE])
        job = {"site": SITE, "data": data, "single": single, "batch": batch}
        out = _traced(traced_binary, "publish", fleet.site_url(SITE), job)
        assert [a["id"] for a in out["acks"]] == ids
        assert {a["stream"] for a in out["acks"]} == {"SITE_OPERATIONS"}
        await wait_at_hub(fleet, "FLEET", len(ids))
        received = await _consume_at_hub(fleet, provider, len(ids))
    assert [r.event.id for r in received] == ids
    spans = from_json(out["spans"], "rust") + from_python(exporter.get_finished_spans())
    chains = {}
    for spec, r in zip(single, received[:2], strict=True):
        app = one(spans, "rust", f"report status ({spec['mode']})")
        publish = by_id(spans, "rust", f"publish {TEMPLATE}", r.event.id)
        assert publish.kind == "PRODUCER"
        assert publish.attributes["messaging.nats.stream"] == "SITE_OPERATIONS"
        assert publish.attributes["messaging.destination.name"] == r.subject
        chains[r.event.id] = (app, publish)
    app = one(spans, "rust", "report batch")
    batch_span = one(spans, "rust", "publish")
    assert batch_span.kind == "CLIENT"
    assert batch_span.attributes["messaging.batch.message_count"] == 2
    for r in received[2:]:
        create = by_id(spans, "rust", f"create {TEMPLATE}", r.event.id)
        assert create.kind == "PRODUCER"
        chains[r.event.id] = (app, batch_span, create)
    for r in received:
        *producers, producer = chains[r.event.id]
        process = by_id(spans, "python", f"process {TEMPLATE}", r.event.id)
        receive = by_id(spans, "python", f"receive {TEMPLATE}", r.event.id)
        store = one(spans, "python", f"store {r.event.id}")
        assert_chain(*producers, producer, process, store)
        assert (process.kind, receive.kind) == ("CONSUMER", "CLIENT")
        assert receive.links == ((producer.trace_id, producer.span_id),)
        assert process.attributes["messaging.nats.stream"] == "FLEET"
        origin = f"00-{producer.trace_id}-{producer.span_id}-"
        assert r.event.extensions["traceparent"].startswith(origin)  # set once, at the site
        assert r.headers["traceparent"].startswith(origin)  # the only client hop
        assert "Nats-Stream-Source" in r.headers  # sourced: UPLOAD, then FLEET
    binary_mode = received[1]
    assert "ce-traceparent" in {k.lower() for k in binary_mode.headers}
    path = save("rust-to-python", render(spans))
    print(f"trace written to {path}")


async def test_python_publisher_to_rust_consumer(
    nats_server: NatsServer, nc: Client, tmp_path: Path, traced_binary: Path
) -> None:
    js = nc.jetstream()
    await create_site_streams(js)
    sources = [StreamSource(name="SITE_OPERATIONS")]
    await js.add_stream(StreamConfig(name="COPY", sources=sources, duplicate_window=120))
    provider, exporter = recording_provider()
    ids = await publish_traced_statuses(nc, provider, SITE)
    job = {"site": SITE, "count": 2, "durable": "rust-hub", "stream": "COPY"}
    out = _traced(traced_binary, "consume", nats_server.url, job)
    assert [e["id"] for e in out["events"]] == ids
    spans = from_python(exporter.get_finished_spans()) + from_json(out["spans"], "rust")
    for mode, event_id in zip(("structured", "binary"), ids, strict=True):
        app = one(spans, "python", f"report status ({mode})")
        publish = by_id(spans, "python", f"publish {TEMPLATE}", event_id)
        process = by_id(spans, "rust", f"process {TEMPLATE}", event_id)
        receive = by_id(spans, "rust", f"receive {TEMPLATE}", event_id)
        store = one(spans, "rust", f"store {event_id}")
        assert_chain(app, publish, process, store)
        assert (process.kind, receive.kind) == ("CONSUMER", "CLIENT")
        assert receive.links == ((publish.trace_id, publish.span_id),)
        assert receive.attributes["messaging.nats.stream"] == "COPY"
        assert receive.attributes["messaging.consumer.group.name"] == "rust-hub"
        assert receive.attributes["messaging.destination.subscription.name"] == "rust-hub"
    save("python-to-rust", render(spans))


async def test_without_a_tracer_provider_rust_writes_no_trace_context(
    nats_server: NatsServer, nc: Client, traced_binary: Path
) -> None:
    js = nc.jetstream()
    await create_site_streams(js)
    data = status_event(1).model_dump(mode="json", exclude_unset=True)
    single = [{"id": "rs-plain-1", "mode": "structured"}, {"id": "rs-plain-2", "mode": "binary"}]
    job = {"site": SITE, "data": data, "single": single, "batch": ["rs-plain-3"], "provider": False}
    out = _traced(traced_binary, "publish", nats_server.url, job)
    assert [a["seq"] for a in out["acks"]] == [1, 2, 3] and out["spans"] == []
    for seq in (1, 2, 3):
        stored = await js.get_msg("SITE_OPERATIONS", seq)
        names = {k.lower() for k in stored.headers or {}}
        assert not names & {"traceparent", "tracestate", "ce-traceparent", "ce-tracestate"}
        assert b"traceparent" not in stored.data
