"""Hand-written payload models and events for the runtime tests (no generated code)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from nats.js import JetStreamContext
from nats.js.api import StreamConfig
from pydantic import BaseModel, ConfigDict, Field, RootModel
from specgen_runtime import Delivery, Event, EventSpec


class LineItem(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    line_no: int = Field(ge=1)
    description: str


class OrderCreated(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    order_id: str = Field(min_length=1)
    amount: float = Field(ge=0)
    created_at: datetime
    line_items: list[LineItem] = Field(default_factory=list)


class OrderCreatedV1(Event[OrderCreated]):
    """CloudEvent com.example.orders.order_created.v1."""

    SPEC: ClassVar[EventSpec] = EventSpec(
        type="com.example.orders.order_created.v1",
        source_template="/sites/{site_id}/orders",
        subject_template="pf.{site_id}.orders.order_created.v1",
        dataschema="https://schemas.example/events/com.example.orders.order_created.v1",
        delivery=Delivery.JETSTREAM,
        stream="ORDERS",
        dead_letter_template="pf.{site_id}.deadletter.orders",
    )


class Reading(RootModel[float]):
    model_config = ConfigDict(strict=True)


class PowerReadingV1(Event[Reading]):
    """A CORE (fire-and-forget) event with a non-object payload."""

    SPEC: ClassVar[EventSpec] = EventSpec(
        type="com.example.telemetry.power_reading.v1",
        source_template="/sites/{site_id}/telemetry",
        subject_template="pf.{site_id}.telemetry.{charger_id}.power.v1",
        delivery=Delivery.CORE,
        dead_letter_template="pf.{site_id}.deadletter.telemetry",
    )


def order(order_id: str = "o-1", amount: float = 12.5) -> OrderCreated:
    return OrderCreated(
        order_id=order_id,
        amount=amount,
        created_at=datetime.fromisoformat("2025-03-14T09:26:53+00:00"),
        line_items=[LineItem(line_no=1, description="Energy delivered")],
    )


async def add_order_streams(js: JetStreamContext, *, dead_letter: bool = True) -> None:
    """ORDERS captures pf.*.orders.>; DEADLETTER captures pf.*.deadletter.>."""
    await js.add_stream(
        StreamConfig(name="ORDERS", subjects=["pf.*.orders.>"], duplicate_window=120.0)
    )
    if dead_letter:
        await add_dead_letter_stream(js)


async def add_dead_letter_stream(js: JetStreamContext) -> None:
    await js.add_stream(
        StreamConfig(name="DEADLETTER", subjects=["pf.*.deadletter.>"], duplicate_window=120.0)
    )
