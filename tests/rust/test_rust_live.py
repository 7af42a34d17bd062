"""Live round trips between the Python and the Rust code on a real nats-server (JetStream).

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
