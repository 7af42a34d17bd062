"""The one reading of a spec that rules and the IR share: one instance per definition, every
object locatable, our extensions typed (and opaque to plain AsyncAPI)."""

from __future__ import annotations

from pathlib import Path

from specgen.load import load_spec
from specgen.model.extensions import CLOUDEVENTS, DELIVERY, DOMAIN, STREAM
from specgen.model.spec import read_spec
from specgen.rules import run_rules

from tests.helpers import SPEC


def test_one_instance_per_definition() -> None:
    model = read_spec(load_spec([SPEC]))
    assert len(model.documents) == 5 and model.diagnostics == []
    orders = next(d.api for d in model.documents if DOMAIN.of(d.api) == "orders")
    channels, operations = orders.channels or {}, orders.operations or {}
    send = operations["sendOrderCreated"]
    assert send.channel is channels["orderCreated"]
    [message] = send.messages or []
    assert message is (channels["orderCreated"].messages or {})["orderCreated"]
    assert message is (orders.components.messages or {})["orderCreated"]  # type: ignore[union-attr]


def test_every_object_can_say_where_it_is_written() -> None:
    model = read_spec(load_spec([SPEC]))
    orders = next(d for d in model.documents if DOMAIN.of(d.api) == "orders")
    channel = (orders.api.channels or {})["orderCreated"]
    where = model.locate(channel)
    lines = orders.source.path.read_text(encoding="utf-8").splitlines()
    assert where.file.endswith("orders.asyncapi.yaml")
    assert lines[where.line - 1].strip() == "orderCreated:"  # where its key is written
    address = model.locate(channel, "address", value=True)
    assert lines[address.line - 1][address.column - 1 :] == channel.address


def test_extensions_are_typed() -> None:
    model = read_spec(load_spec([SPEC]))
    orders = next(d.api for d in model.documents if DOMAIN.of(d.api) == "orders")
    stream = STREAM.of(orders)
    assert stream is not None
    assert (stream.name, stream.max_age, stream.duplicate_window) == (
        "ORDERS",
        30 * 86_400_000,
        2 * 3_600_000,
    )
    channel = (orders.channels or {})["orderCreated"]
    assert DELIVERY.of(channel) == "jetstream"
    message = (channel.messages or {})["orderCreated"]
    attributes = CLOUDEVENTS.of(message)
    assert attributes is not None and attributes.type == "com.powerflex.orders.order_created.v1"


def test_our_extensions_are_opaque_to_plain_asyncapi(tmp_path: Path) -> None:
    document = tmp_path / "asyncapi.yaml"
    document.write_text(
        "asyncapi: 3.0.0\ninfo: {title: T, version: 1.0.0}\nx-stream: 42\nx-domain: Not-Snake\n"
        "channels:\n  a:\n    address: a\n    x-delivery: [maybe]\n",
        encoding="utf-8",
    )
    spec = load_spec([document], root=tmp_path)
    model = read_spec(spec)
    assert run_rules(model, "asyncapi") == []
    reported = {d.rule for d in run_rules(model, "specgen")}
    assert {"SG-STREAM-CONFIG", "SG-DOMAIN", "SG-DELIVERY"} <= reported
