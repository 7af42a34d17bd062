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
from pathlib import Path

from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.jsapi import connect
from ts_support import node_json

from tests.fleet.kit import provision_hub, publish_traced_statuses, wait_at_hub
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

SITE = "site-0001"
TEMPLATE = "pf.{site_id}.site_operations.charger_status_changed.v1"


async def test_python_site_publisher_to_typescript_hub_consumer(
    tmp_path: Path, ts_package: Path
) -> None:
    provider, exporter = recording_provider()
    async with LocalFleet(tmp_path / "fleet", [SITE]) as fleet:
        await provision_hub(fleet, [SITE])
        nc = await connect([fleet.site_url(SITE)])
        try:
            ids = await publish_traced_statuses(nc, provider, SITE)
        finally:
            await nc.close()
        await wait_at_hub(fleet, "FLEET", len(ids))
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
        publish = by_id(spans, "python", f"publish {TEMPLATE}", event_id)
        process = by_id(spans, "typescript", f"process {TEMPLATE}", event_id)
        receive = by_id(spans, "typescript", f"receive {TEMPLATE}", event_id)
        store = one(spans, "typescript", f"store {event_id}")
        assert_chain(app, publish, process, store)
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
