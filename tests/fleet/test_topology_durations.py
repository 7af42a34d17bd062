"""One duration parser: what the spec writes is the same whole number in the IR, in
topology.json and on the wire (the runtime only converts milliseconds to nanoseconds)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from specgen import pipeline
from specgen_runtime.fleet import TopologyError
from specgen_runtime.fleet.topology import Topology

from tests.helpers import SPEC


def _generated_topology(tmp_path: Path, upload_window: str, fleet_age: str) -> dict[str, object]:
    spec = tmp_path / "spec"
    shutil.copytree(SPEC, spec)
    project = spec / "specgen.yaml"
    text = project.read_text(encoding="utf-8")
    upload, cloud = text.split("  cloud:\n")
    upload = upload.replace("duplicate_window: 2h", f"duplicate_window: {upload_window}")
    cloud = cloud.replace("max_age: 365d", f"max_age: {fleet_age}")
    project.write_text(upload + "  cloud:\n" + cloud, encoding="utf-8")
    result = pipeline.generate([spec], languages=["python"], out=tmp_path / "out")
    assert result.files is not None, [d.message for d in result.diagnostics]
    [topology] = [f for f in result.files if f.path.endswith("topology.json")]
    [ir] = [f for f in result.files if f.path == "ir.json"]
    assert (
        json.loads(ir.content)["topology"]["upload"]["stream"]["duplicate_window_ms"]
        == (json.loads(topology.content)["upload_stream"]["duplicate_window_ms"])
    )
    document: dict[str, object] = json.loads(topology.content)
    return document


def test_milliseconds_reach_the_wire_exactly(tmp_path: Path) -> None:
    document = _generated_topology(tmp_path, upload_window="1500ms", fleet_age="150m")
    assert document["format"] == 2
    topology = Topology.from_document(document)
    upload = topology.site_streams("site-0001")[-1]
    assert upload.name == "UPLOAD"
    assert upload.duplicate_window == 1_500_000_000  # 1500 ms in nanoseconds, no float
    [fleet] = topology.hub_streams(["site-0001"])
    assert fleet.max_age == 150 * 60 * 1_000_000_000


def test_a_topology_of_the_old_format_is_refused_by_name(tmp_path: Path) -> None:
    document = _generated_topology(tmp_path, upload_window="2h", fleet_age="365d")
    document["format"] = 1
    with pytest.raises(TopologyError, match="format 1 is not 2; regenerate"):
        Topology.from_document(document)
