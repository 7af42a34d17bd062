"""Microseconds per event: generated validate+encode against python-jsonschema validation.

Run: ``.venv/bin/python bench/bench_validate_encode.py`` (both sides run in this process, on
the same payloads: every example of every event type of the spec).
"""

from __future__ import annotations

import argparse
import json
import statistics
import timeit
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from powerflex_events.events import EVENT_TYPES
from specgen_runtime import Event, Mode, decode, encode

IR = Path(__file__).resolve().parents[1] / "generated" / "ir.json"
TIME = datetime(2026, 1, 1, tzinfo=UTC)


def _generated(event_cls: type[Event[Any]], payload: Any, mode: Mode) -> None:
    data = event_cls.data_model().model_validate(payload)
    event = event_cls.create(data, id="bench-1", time=TIME, site_id="site-0001")
    encode(event, mode, validate=False)  # as EventPublisher does: data was just validated


def _best_of(func: Any, number: int, repeat: int) -> float:
    """Best (least disturbed) microseconds per call over ``repeat`` runs of ``number`` calls."""
    return min(timeit.repeat(func, number=number, repeat=repeat)) / number * 1e6


def _measure(event: dict[str, Any], number: int, repeat: int) -> tuple[float, float, float]:
    """(generated validate+encode, generated decode+validate, jsonschema validate) in µs."""
    cls = EVENT_TYPES[event["type"]]
    schema = resources.files("powerflex_events").joinpath("schemas", f"{event['type']}.json")
    validator = Draft7Validator(
        json.loads(schema.read_text()), format_checker=Draft7Validator.FORMAT_CHECKER
    )
    payload = event["examples"][0]["payload"]
    data = cls.data_model().model_validate(payload)
    headers, body = encode(cls.create(data, id="bench-1", time=TIME, site_id="site-0001"))
    return (
        _best_of(lambda: _generated(cls, payload, Mode.STRUCTURED), number, repeat),
        _best_of(lambda: decode(cls, headers, body), number, repeat),
        _best_of(lambda: validator.validate(payload), number, repeat),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--number", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ir = json.loads(IR.read_text())
    rows = []
    for domain in ir["domains"]:
        for event in domain["events"]:
            generated, decoded, baseline = _measure(event, args.number, args.repeat)
            rows.append((event["type"], generated, decoded, baseline, baseline / generated))
    print(f"{'event type':58} {'gen µs':>8} {'decode µs':>10} {'jsonschema µs':>14} {'ratio':>7}")
    for name, generated, decoded, baseline, ratio in rows:
        print(f"{name:58} {generated:8.1f} {decoded:10.1f} {baseline:14.1f} {ratio:6.1f}x")
    ratios = [r[-1] for r in rows]
    typical = next(r for r in rows if r[0].endswith("orders.order_created.v1"))
    print(
        f"\ntypical event (order_created.v1): generated validate+encode {typical[1]:.1f} µs, "
        f"jsonschema validate {typical[3]:.1f} µs, ratio {typical[4]:.1f}x"
    )
    print(
        f"all {len(rows)} event types: median ratio {statistics.median(ratios):.1f}x, "
        f"min {min(ratios):.1f}x, max {max(ratios):.1f}x (target: >= 15x)"
    )


if __name__ == "__main__":
    main()
