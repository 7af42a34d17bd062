"""The MQTT topic map in the IR and the topology document, from the spec's ``x-mqtt``."""

from __future__ import annotations

import shutil
from pathlib import Path

from specgen.ir import MqttIR, SpecIR
from specgen.ir.build import build_ir
from specgen.ir.fleet import fleet_document
from specgen.load import load_spec

SPEC = Path(__file__).resolve().parents[2] / "spec"


def _ir(root: Path) -> SpecIR:
    ir, diagnostics = build_ir(load_spec([root]))
    assert ir is not None, diagnostics
    return ir


def test_channels_with_x_mqtt_carry_their_topic_qos_and_publishers() -> None:
    events = {e.type: e for e in _ir(SPEC).events()}
    status = events["com.powerflex.site_operations.charger_status_changed.v1"]
    assert status.mqtt == MqttIR("pf/{site_id}/site_operations/charger_status_changed/v1", 1, False)
    battery = events["com.powerflex.telemetry.battery_state.v1"]
    assert battery.mqtt == MqttIR("pf/{site_id}/telemetry/battery_state/v1", 0, True)
    assert events["com.powerflex.orders.order_created.v1"].mqtt is None


def test_customers_may_read_the_served_topics_and_nothing_else(tmp_path: Path) -> None:
    mqtt = fleet_document(_ir(SPEC))["mqtt"]
    # every event of these two domains is served: one filter each
    assert mqtt["customer_subjects"] == [
        "pf.{site_id}.site_operations.>",
        "pf.{site_id}.telemetry.>",
    ]
    assert mqtt["device_subjects"] == [
        f"pf.{{site_id}}.telemetry.{name}.v1"
        for name in ("battery_state", "grid_frequency", "inverter_temperature", "solar_output")
    ]
    root = tmp_path / "spec"
    shutil.copytree(SPEC, root)
    telemetry = root / "telemetry.asyncapi.yaml"
    text = telemetry.read_text(encoding="utf-8")
    served = (
        "    x-mqtt: {qos: 0, device_publish: true}"
        "   # devices publish it over MQTT; customers read it\n"
    )
    assert text.count(served) == 4
    telemetry.write_text(text.replace(served, "", 1), encoding="utf-8")  # battery_state unserved
    narrowed = fleet_document(_ir(root))["mqtt"]
    assert narrowed["customer_subjects"] == [
        "pf.{site_id}.site_operations.>",
        *(
            f"pf.{{site_id}}.telemetry.{n}.v1"
            for n in ("grid_frequency", "inverter_temperature", "solar_output")
        ),
    ]
    assert [t["type"] for t in narrowed["topics"] if "battery" in t["type"]] == []
