"""Live round trips between the Python and the Rust code on a real nats-server (JetStream),
and what the Rust runtime does on a real server: pipelined publishing with a bounded window
(every event acknowledged or reported, in input order) and the delivery count.

Python publishes, a Rust subscriber receives and validates; Rust publishes (both content
modes), Python receives; the same event id published from Python and from Rust is stored once
(the Rust publish is acknowledged as a duplicate). Streams come from generated/ir.json.
"""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime
from typing import Any

import pytest
from nats.aio.client import Client
from powerflex_events.events import EVENT_TYPES
from rust_support import HARNESS, REPO, binary, cargo, needs_cargo
from specgen_runtime import EventPublisher, Mode, subscribe
from specgen_runtime.servers import NatsServer

sys.path.insert(0, str(REPO / "tests" / "e2e"))
from site_streams import SITE, create_site_streams, load_ir  # noqa: E402

from tests.nats_helpers import settled_consumer  # noqa: E402

pytestmark = needs_cargo
EVENT = "com.powerflex.orders.order_created.v1"
TIMEOUT = 30


@pytest.fixture(scope="module")
def live_binary() -> str:
    cargo(["build", "--quiet", "--bin", "live"], HARNESS)
    return str(binary("live"))


def example(event_type: str) -> dict[str, Any]:
    for domain in load_ir()["domains"]:
        for event in domain["events"]:
            if event["type"] == event_type:
                payload: dict[str, Any] = event["examples"][0]["payload"]
                return payload
    raise KeyError(event_type)


async def run(*args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), TIMEOUT)
    assert process.returncode == 0, err.decode()
    return out.decode()


def python_event(event_id: str) -> Any:
    cls = EVENT_TYPES[EVENT]
    data = cls.data_model().model_validate(example(EVENT))
    return cls.create(
        data, id=event_id, time=datetime(2026, 1, 2, 3, 4, 5, 678000, UTC), site_id=SITE
    )


async def test_python_publishes_rust_receives(
    nats_server: NatsServer, nc: Client, live_binary: str
) -> None:
    await create_site_streams(nc.jetstream())
    process = await asyncio.create_subprocess_exec(
        live_binary,
        "subscribe",
        nats_server.url,
        EVENT,
        "2",
        SITE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    ready = await asyncio.wait_for(process.stdout.readline(), TIMEOUT)
    assert ready.strip() == b"ready"
    subject = EVENT_TYPES[EVENT].SPEC.subject_for(site_id=SITE)
    # an undecodable message first: dead-lettered by Rust, which keeps running
    await nc.jetstream().publish(subject, b"not json", headers={"Content-Type": "application/json"})
    for mode, event_id in ((Mode.STRUCTURED, "py-structured-1"), (Mode.BINARY, "py-binary-1")):
        ack = await EventPublisher(nc, mode=mode).publish(python_event(event_id), subject)
        assert not ack.duplicate
    lines = [
        json.loads(await asyncio.wait_for(process.stdout.readline(), TIMEOUT)) for _ in range(2)
    ]
    await asyncio.wait_for(process.wait(), TIMEOUT)
    assert process.returncode == 0
    assert [line["id"] for line in lines] == ["py-structured-1", "py-binary-1"]
    assert all(line["data"] == example(EVENT) for line in lines)
    assert lines[-1]["dead_lettered"] == 1
    dead = await nc.jetstream().get_last_msg("DEADLETTER", f"pf.{SITE}.deadletter.orders")
    assert dead.headers is not None
    assert dead.headers["Specgen-Event-Type"] == EVENT
    assert dead.headers["Specgen-Original-Subject"] == subject
    assert "Specgen-Dead-Letter-Reason" in dead.headers


@pytest.mark.parametrize("mode", ["structured", "binary"])
async def test_rust_publishes_python_receives(
    nats_server: NatsServer, nc: Client, live_binary: str, mode: str
) -> None:
    await create_site_streams(nc.jetstream())
    cls = EVENT_TYPES[EVENT]
    async with subscribe(nc, cls, params={"site_id": SITE}) as sub:
        data = json.dumps(example(EVENT))
        ack = json.loads(
            await run(
                live_binary, "publish", nats_server.url, EVENT, f"rs-{mode}", SITE, data, mode
            )
        )
        assert ack["stream"] == "ORDERS" and ack["duplicate"] is False
        received = await sub.next(timeout=TIMEOUT)
        await received.ack()
    assert received.event.id == f"rs-{mode}"
    assert received.event.data.model_dump(
        mode="json", by_alias=True, exclude_unset=True
    ) == example(EVENT)


async def test_same_id_from_python_and_rust_is_stored_once(
    nats_server: NatsServer, nc: Client, live_binary: str
) -> None:
    await create_site_streams(nc.jetstream())
    subject = EVENT_TYPES[EVENT].SPEC.subject_for(site_id=SITE)
    first = await EventPublisher(nc).publish(python_event("shared-id-1"), subject)
    assert not first.duplicate
    ack = json.loads(
        await run(
            live_binary,
            "publish",
            nats_server.url,
            EVENT,
            "shared-id-1",
            SITE,
            json.dumps(example(EVENT)),
        )
    )
    assert ack["duplicate"] is True and ack["seq"] == first.seq
    info = await nc.jetstream().stream_info("ORDERS")
    assert info.state.messages == 1


async def test_rust_pipelined_publish_reports_every_event_in_input_order(
    nats_server: NatsServer, nc: Client, live_binary: str
) -> None:
    """120 events, at most 8 acknowledgements outstanding: one outcome each, in order."""
    await create_site_streams(nc.jetstream())
    data = json.dumps(example(EVENT))
    out = await run(live_binary, "pipelined", nats_server.url, EVENT, SITE, data, "120", "8")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["index"] for line in lines] == list(range(120))
    nowhere = {i for i in range(120) if i % 25 == 24}
    for i in nowhere:  # no stream captures the subject: refused, certainly not stored
        assert lines[i]["error"] == "not_acknowledged" and lines[i]["maybe_stored"] is False
        assert "no JetStream stream captures this subject" in lines[i]["reason"]
    assert lines[7]["error"] == "refused" and "extension name" in lines[7]["reason"]
    assert lines[10] == {"index": 10, "stream": "ORDERS", "seq": lines[3]["seq"], "duplicate": True}
    stored = [lines[i] for i in range(120) if i not in nowhere | {7, 10}]
    assert all(line["stream"] == "ORDERS" and not line["duplicate"] for line in stored)
    # Acknowledged in the order sent: sequences rise with the input.
    assert [line["seq"] for line in stored] == list(range(1, len(stored) + 1))
    info = await nc.jetstream().stream_info("ORDERS")
    assert info.state.messages == len(stored)


async def test_rust_subscriber_reports_the_delivery_count(
    nats_server: NatsServer, nc: Client, live_binary: str
) -> None:
    await create_site_streams(nc.jetstream())
    subject = EVENT_TYPES[EVENT].SPEC.subject_for(site_id=SITE)
    process = await asyncio.create_subprocess_exec(
        live_binary, "redeliver", nats_server.url, EVENT, SITE, "rs_redeliver",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    ready = await asyncio.wait_for(process.stdout.readline(), TIMEOUT)
    assert ready.strip() == b"ready"
    ack = await EventPublisher(nc, mode=Mode.BINARY).publish(python_event("twice-1"), subject)
    out, err = await asyncio.wait_for(process.communicate(), TIMEOUT)
    assert process.returncode == 0, err.decode()
    first, second = (json.loads(line) for line in out.decode().splitlines())
    assert first == {"id": "twice-1", "num_delivered": 1, "stream_sequence": ack.seq,
                     "content_type": "application/json"}  # fmt: skip
    assert second == {**first, "num_delivered": 2}
    info = await settled_consumer(nc.jetstream(), "ORDERS", "rs_redeliver")
    assert (info.num_ack_pending, info.num_pending) == (0, 0)
