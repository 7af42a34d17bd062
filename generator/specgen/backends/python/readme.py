"""The view of the package README's example: publish one event and receive it back.

The example uses the JetStream event with the shortest spec example whose subject parameters
all have example values (the site id from the project file), so the snippet is short, valid
against its schema, and runs as written against a server whose site streams exist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from specgen.backends.python.events import DomainView, EventView
from specgen.backends.python.literals import py_str
from specgen.ir import EventIR, SpecIR


@dataclass(frozen=True)
class UsageView:
    domain_module: str
    publisher: str
    subscriber: str
    method: str
    data_class: str
    payload_literal: str  # a Python str literal holding the example's JSON
    params: str  # 'site_id="site-0001"'
    event_type: str
    site_id: str


def _example_params(ir: SpecIR, event: EventIR) -> str | None:
    values = {"site_id": ir.project.example_site_ids[0]} if ir.project.example_site_ids else {}
    if any(p.name not in values for p in event.parameters):
        return None
    return ", ".join(f"{p.name}={py_str(values[p.name])}" for p in event.parameters)


def usage_view(ir: SpecIR, domains: list[DomainView]) -> UsageView | None:
    candidates: list[tuple[int, str, EventIR, DomainView, EventView]] = []
    for domain_ir, domain in zip(ir.domains, domains, strict=True):
        for event, view in zip(domain_ir.events, domain.events, strict=True):
            params = _example_params(ir, event)
            if event.delivery != "jetstream" or not event.examples or params is None:
                continue
            size = len(json.dumps(event.examples[0].payload))
            candidates.append((size, event.type, event, domain, view))
    if not candidates:
        return None
    _, _, event, domain, view = min(candidates, key=lambda c: (c[0], c[1]))
    payload = json.dumps(event.examples[0].payload, ensure_ascii=False, separators=(", ", ": "))
    return UsageView(
        domain_module=domain.module,
        publisher=domain.publisher,
        subscriber=domain.subscriber,
        method=view.method,
        data_class=view.data_class,
        payload_literal=py_str(payload),
        params=_example_params(ir, event) or "",
        event_type=event.type,
        site_id=ir.project.example_site_ids[0],
    )
