"""Golden CloudEvents vectors: every spec example encoded once, in both content modes.

Every language decodes each vector to equal values and encodes it back to the same bytes.
Regenerate with ``python tests/vectors/make_vectors.py`` (deterministic: the event id is a
UUIDv5 of type and example name, the time fixed, one extension set).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from powerflex_events.events import EVENT_TYPES
from specgen_runtime import Mode, encode

HERE = Path(__file__).resolve().parent
IR = HERE.parents[1] / "generated" / "ir.json"
SITE = "site-0001"
TIME = datetime(2026, 3, 1, 12, 30, 15, 250000, tzinfo=UTC)
NAMESPACE = uuid.UUID("6f1d3c5e-2b7a-4c1e-9a0f-7c3b2d1e0f42")
EXTENSIONS = {"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}


def vectors() -> dict[str, Any]:
    ir = json.loads(IR.read_text())
    cases = []
    for domain in ir["domains"]:
        for event in domain["events"]:
            cls = EVENT_TYPES[event["type"]]
            for example in event["examples"]:
                data = cls.data_model().model_validate(example["payload"])
                ev = cls.create(
                    data,
                    id=str(uuid.uuid5(NAMESPACE, f"{event['type']}/{example['name']}")),
                    time=TIME,
                    subject=f"example/{example['name']}",
                    extensions=EXTENSIONS,
                    site_id=SITE,
                )
                for mode in (Mode.STRUCTURED, Mode.BINARY):
                    headers, payload = encode(ev, mode)
                    cases.append(
                        {
                            "name": f"{event['type']}/{example['name']}/{mode.value}",
                            "type": event["type"],
                            "mode": mode.value,
                            "nats_subject": cls.SPEC.subject_for(site_id=SITE),
                            "headers": dict(sorted(headers.items())),
                            "payload": payload.decode("utf-8"),
                            "event": {
                                "id": ev.id,
                                "source": ev.source,
                                "type": ev.type,
                                "time": "2026-03-01T12:30:15.250000Z",
                                "subject": ev.subject,
                                "extensions": EXTENSIONS,
                                "data": example["payload"],
                            },
                        }
                    )
    return {
        "description": "CloudEvents NATS binding vectors; payload is UTF-8 text",
        "vectors": cases,
    }


def main() -> None:
    text = json.dumps(vectors(), indent=2, ensure_ascii=False) + "\n"
    (HERE / "vectors.json").write_text(text)


if __name__ == "__main__":
    main()
