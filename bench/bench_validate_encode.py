"""Microseconds per event: generated validate+encode against the best validators and encoders.

Run: ``.venv/bin/python bench/bench_validate_encode.py [--json]`` (every side runs in this
process, on the same payloads: the first example of every event type of the spec).

- generated: build the event from the payload dict (validating it) and encode it in
  structured mode, exactly as a generated publisher method does (``create_encoded``);
- decode: the generated decode (parse + validate) of the bytes it encoded;
- anchors, each on the same payload and its schema (generated/python/.../schemas):
  python-jsonschema ``Draft7Validator.validate`` with format checks (the baseline of the
  ratio), fastjsonschema (compiled validator), jsonschema-rs ``Draft7Validator`` with format
  checks, pydantic ``validate_json`` of the payload bytes into the same data model and
  ``model_dump_json`` of it, and ``orjson.dumps`` of the payload dict.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import timeit
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema_rs
import orjson
from _table import Row, emit
from jsonschema import Draft7Validator
from powerflex_events.events import EVENT_TYPES
from specgen_runtime import Event, Mode, decode, encode
from specgen_runtime.codec import create_encoded

IR = Path(__file__).resolve().parents[1] / "generated" / "ir.json"
TIME = datetime(2026, 1, 1, tzinfo=UTC)
COLUMNS = (
    "generated",
    "decode",
    "jsonschema",
    "fastjsonschema",
    "jsonschema-rs",
    "validate_json",
    "model_dump_json",
    "orjson",
)


def _generated(event_cls: type[Event[Any]], payload: Any, mode: Mode) -> None:
    """What a generated publisher method does before sending (EventPublisher.publish_new)."""
    params = {name: "site-0001" for name in event_cls.SPEC.parameters}
    create_encoded(event_cls, payload, params, mode, id="bench-1", time=TIME)


def _best_of(func: Callable[[], object], number: int, repeat: int) -> float:
    """Best (least disturbed) microseconds per call over ``repeat`` runs of ``number`` calls.

    CPU time of this process (``process_time``), not wall time: on a shared machine the
    wall clock also counts the time other processes held the CPU.
    """
    runs = timeit.repeat(func, number=number, repeat=repeat, timer=time.process_time)
    return min(runs) / number * 1e6


def _measure(event: dict[str, Any], number: int, repeat: int) -> dict[str, float]:
    """Microseconds per call of every column, for the first example of ``event``."""
    cls = EVENT_TYPES[event["type"]]
    text = resources.files("powerflex_events").joinpath("schemas", f"{event['type']}.json")
    schema = json.loads(text.read_text())
    validator = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    fast = fastjsonschema.compile(schema)
    rust = jsonschema_rs.Draft7Validator(schema, validate_formats=True)
    payload = event["examples"][0]["payload"]
    model = cls.data_model()
    data = model.model_validate(payload)
    raw = json.dumps(payload).encode()
    headers, body = encode(cls.create(data, id="bench-1", time=TIME, site_id="site-0001"))
    runs: dict[str, Callable[[], object]] = {
        "generated": lambda: _generated(cls, payload, Mode.STRUCTURED),
        "decode": lambda: decode(cls, headers, body),
        "jsonschema": lambda: validator.validate(payload),
        "fastjsonschema": lambda: fast(payload),
        "jsonschema-rs": lambda: rust.validate(payload),
        "validate_json": lambda: model.model_validate_json(raw),
        "model_dump_json": lambda: data.model_dump_json(by_alias=True, exclude_unset=True),
        "orjson": lambda: orjson.dumps(payload),
    }
    return {name: _best_of(func, number, repeat) for name, func in runs.items()}


def _rows(results: dict[str, dict[str, float]]) -> list[Row]:
    median = {c: statistics.median(r[c] for r in results.values()) for c in COLUMNS}
    ratio = statistics.median(r["jsonschema"] / r["generated"] for r in results.values())
    ours = median["generated"]
    n = len(results)
    rows = [
        Row(
            "validate",
            f"generated validate+build+encode, median of {n} types",
            ours,
            "µs",
            "python-jsonschema validate",
            median["jsonschema"],
            ratio,
            ">= 25",
            "median of per-type ratios",
        ),
        Row("validate", "generated decode+validate, median", median["decode"], "µs"),
    ]
    anchors = {
        "fastjsonschema": "fastjsonschema validate",
        "jsonschema-rs": "jsonschema-rs validate",
        "validate_json": "pydantic validate_json (payload bytes)",
        "model_dump_json": "pydantic model_dump_json",
        "orjson": "orjson.dumps (payload dict)",
    }
    for column, label in anchors.items():
        rows.append(
            Row(
                "validate",
                f"  anchor: {label}",
                median[column],
                "µs",
                "generated validate+build+encode",
                ours,
                median[column] / ours,
                "",
                "",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--number", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="end with the rows for run_all.py")
    args = parser.parse_args()
    ir = json.loads(IR.read_text())
    results = {
        event["type"]: _measure(event, args.number, args.repeat)
        for domain in ir["domains"]
        for event in domain["events"]
    }
    print(f"{'event type (µs per event)':52}" + "".join(f"{c[:14]:>15}" for c in COLUMNS))
    for name, result in results.items():
        print(f"{name[14:66]:52}" + "".join(f"{result[c]:15.1f}" for c in COLUMNS))
    rows = _rows(results)
    ratios = [r["jsonschema"] / r["generated"] for r in results.values()]
    print(
        f"\nall {len(results)} event types: median ratio jsonschema/generated "
        f"{statistics.median(ratios):.1f}x, min {min(ratios):.1f}x, max {max(ratios):.1f}x"
    )
    if args.json:
        emit(rows)


if __name__ == "__main__":
    main()
