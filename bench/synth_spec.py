"""A synthetic specgen project of any size, for codegen-at-scale benchmarks.

Run: ``.venv/bin/python bench/synth_spec.py OUT_DIR [--events 500] [--per-domain 25]``

Writes ``OUT_DIR/specgen.yaml``, one AsyncAPI 3 document per domain and a shared
``common/schemas.yaml``, in the same shape as the PowerFlex spec (``spec/``): CloudEvents
types, ``pf.{site_id}.<domain>.<event>.v1`` subjects, one JetStream stream per durable
domain, an UPLOAD stream and a cloud FLEET stream. Payloads are drawn (deterministically,
from ``--seed``) from the same vocabulary as the real spec: uuids and date-times, bounded
integers and numbers, enums, patterns, nullable fields, shared ``$ref`` types, arrays of
nested objects and ``oneOf`` unions with a discriminator, each event with two valid examples.
The result validates with ``specgen validate`` and generates in every language.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import yaml

Schema = dict[str, Any]
COMMON = "./common/schemas.yaml#/components/schemas/"
WORDS = (
    "asset battery charger circuit contract device energy fleet grid invoice meter order "
    "panel payment phase power price rate relay reserve sample schedule sensor session "
    "setpoint solar station tariff token unit vehicle voltage window zone"
).split()


def _common() -> dict[str, Any]:
    """Shared schemas, referenced from every domain document."""
    return {
        "components": {
            "schemas": {
                "SiteId": {"type": "string", "pattern": "^[a-z][a-z0-9-]{1,31}$"},
                "CurrencyCode": {"type": "string", "pattern": "^[A-Z]{3}$"},
                "Money": {
                    "type": "object",
                    "title": "Money",
                    "properties": {
                        "amount_minor": {"type": "integer", "minimum": 0, "maximum": 10**12},
                        "currency": {"$ref": "#/components/schemas/CurrencyCode"},
                    },
                    "required": ["amount_minor", "currency"],
                    "additionalProperties": False,
                },
                "Power": {"type": "number", "minimum": -100000, "maximum": 100000},
            }
        }
    }


class _Drawer:
    """Draws one field (schema, example value) at a time from the spec's vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def uuid(self) -> str:
        r = self.rng.getrandbits(128)
        h = f"{r:032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:32]}"

    def scalar(self) -> tuple[Schema, Any]:
        rng = self.rng
        kind = rng.randrange(10)
        if kind == 0:
            return {"type": "string", "format": "uuid"}, self.uuid()
        if kind == 1:
            return {
                "type": "string",
                "format": "date-time",
            }, f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T08:30:00Z"
        if kind == 2:
            top = rng.choice((16, 1000, 100000))
            return {"type": "integer", "minimum": 0, "maximum": top}, rng.randint(0, top)
        if kind == 3:
            return {"type": "number", "minimum": -1000, "maximum": 1000}, round(
                rng.uniform(-999, 999), 2
            )
        if kind == 4:
            values = rng.sample(WORDS, rng.randint(2, 6))
            return {"type": "string", "enum": values}, rng.choice(values)
        if kind == 5:
            return {
                "type": "string",
                "pattern": "^[A-Z]{2}-[0-9]{4,8}$",
            }, f"DE-{rng.randint(1000, 99999999)}"
        if kind == 6:
            return {"type": "string", "minLength": 1, "maxLength": 200}, " ".join(
                rng.sample(WORDS, 3)
            )
        if kind == 7:
            return {"type": "boolean"}, rng.random() < 0.5
        if kind == 8:
            return {"type": ["string", "null"], "maxLength": 64}, rng.choice((None, "note"))
        return {"$ref": COMMON + "Power"}, round(rng.uniform(-50, 50), 1)

    def obj(self, depth: int, fields: int) -> tuple[Schema, dict[str, Any]]:
        props: dict[str, Schema] = {}
        example: dict[str, Any] = {}
        names = self.rng.sample(WORDS, fields)
        for name in names:
            schema, value = self.field(depth)
            props[f"{name}_{len(props)}"] = schema
            example[f"{name}_{len(example)}"] = value
        required = [n for n in props if self.rng.random() < 0.8]
        for name in list(example):
            if name not in required and self.rng.random() < 0.5:
                del example[name]
        schema = {"type": "object", "properties": props, "additionalProperties": False}
        if required:
            schema["required"] = required
        return schema, example

    def field(self, depth: int) -> tuple[Schema, Any]:
        roll = self.rng.random()
        if depth < 2 and roll < 0.08:
            item, value = self.obj(depth + 1, self.rng.randint(2, 4))
            return {"type": "array", "items": item, "minItems": 1, "maxItems": 50}, [value, value]
        if depth < 2 and roll < 0.14:
            return self.obj(depth + 1, self.rng.randint(2, 5))
        if roll < 0.2:
            return {"$ref": COMMON + "Money"}, {
                "amount_minor": self.rng.randint(0, 9999),
                "currency": "EUR",
            }
        if depth == 0 and roll < 0.23:
            return self.union()
        return self.scalar()

    def union(self) -> tuple[Schema, Any]:
        variants, examples = [], []
        for tag in self.rng.sample(WORDS, self.rng.randint(2, 3)):
            schema, example = self.obj(2, self.rng.randint(1, 3))
            schema["properties"] = {"kind": {"const": tag}, **schema["properties"]}
            schema["required"] = ["kind", *schema.get("required", [])]
            variants.append(schema)
            examples.append({"kind": tag, **example})
        return {"oneOf": variants, "discriminator": "kind"}, self.rng.choice(examples)


def _document(domain: str, events: list[str], durable: bool, rng: random.Random) -> dict[str, Any]:
    drawer = _Drawer(rng)
    channels, operations, messages, schemas = {}, {}, {}, {}
    for event in events:
        camel = "".join(w.capitalize() for w in event.split("_"))
        key = camel[0].lower() + camel[1:]
        schema, first = drawer.obj(0, rng.randint(4, 14))
        _, second = drawer.obj(0, 0)
        schema["properties"] = {"site_id": {"$ref": COMMON + "SiteId"}, **schema["properties"]}
        schema["required"] = ["site_id", *schema.get("required", [])]
        schema["title"] = camel
        schemas[camel] = schema
        channels[key] = {
            "address": f"pf.{{site_id}}.{domain}.{event}.v1",
            "description": f"Synthetic event {event} of {domain}.",
            "parameters": {
                "site_id": {"$ref": "./common/parameters.yaml#/components/parameters/site_id"}
            },
            "x-delivery": "jetstream" if durable else "core",
            "messages": {key: {"$ref": f"#/components/messages/{key}"}},
        }
        operations[f"send{camel}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{key}"},
            "messages": [{"$ref": f"#/channels/{key}/messages/{key}"}],
        }
        messages[key] = {
            "name": camel,
            "summary": f"{camel} happened.",
            "contentType": "application/json",
            "payload": {"$ref": f"#/components/schemas/{camel}"},
            "x-cloudevents": {
                "type": f"com.synth.{domain}.{event}.v1",
                "source": f"/sites/{{site_id}}/{domain}",
            },
            "examples": [
                {"name": "typical", "payload": {"site_id": "site-0001", **first}},
                {"name": "again", "payload": {"site_id": "site-0002", **first, **second}},
            ],
        }
    document: dict[str, Any] = {
        "asyncapi": "3.0.0",
        "info": {"title": f"Synthetic {domain} events", "version": "1.0.0"},
        "defaultContentType": "application/json",
        "x-domain": domain,
    }
    if durable:
        document["x-stream"] = {
            "name": domain.upper(),
            "subjects": [f"pf.{{site_id}}.{domain}.>"],
            "retention": "limits",
            "max_age": "30d",
            "storage": "file",
            "replicas": 3,
            "duplicate_window": "2h",
        }
    document |= {
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
    return document


def write_spec(out: Path, events: int, per_domain: int, seed: int = 12) -> list[str]:
    """Write the synthetic project into ``out``; returns the document file names."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "common").mkdir(exist_ok=True)
    (out / "common" / "schemas.yaml").write_text(yaml.safe_dump(_common(), sort_keys=False))
    (out / "common" / "parameters.yaml").write_text(
        yaml.safe_dump(
            {
                "components": {
                    "parameters": {
                        "site_id": {"description": "Site id.", "examples": ["site-0001"]}
                    }
                }
            }
        )
    )
    files, durable_domains = [], []
    for d in range(0, events, per_domain):
        domain = f"domain{d // per_domain:03d}"
        names = [
            f"{rng.choice(WORDS)}_{rng.choice(WORDS)}_{d + n}"
            for n in range(min(per_domain, events - d))
        ]
        durable = d // per_domain % 5 != 4  # every fifth domain is core NATS telemetry
        if durable:
            durable_domains.append(domain)
        document = _document(domain, names, durable, rng)
        name = f"{domain}.asyncapi.yaml"
        (out / name).write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
        files.append(name)
    (out / "specgen.yaml").write_text(
        yaml.safe_dump(_project(files, durable_domains), sort_keys=False)
    )
    return files


def _project(files: list[str], durable: list[str]) -> dict[str, Any]:
    stream = {
        "retention": "limits",
        "max_age": "30d",
        "storage": "file",
        "replicas": 3,
        "duplicate_window": "2h",
    }
    return {
        "project": "synth",
        "documents": files,
        "version": "1.0.0",
        "dataschema_base": "https://schemas.synth.example/events/",
        "packages": {
            "python": {"distribution": "synth-events", "module": "synth_events"},
            "typescript": {"name": "@synth/events"},
            "rust": {"crate": "synth-events"},
        },
        "languages": ["python", "typescript", "rust"],
        "site": {"id_pattern": "^[a-z][a-z0-9-]{1,31}$", "example_ids": ["site-0001", "site-0002"]},
        "dead_letter": {
            "subject": "pf.{site_id}.deadletter.{domain}",
            "stream": {"name": "DEADLETTER", "subjects": ["pf.{site_id}.deadletter.>"], **stream},
        },
        "topology": {
            "upload_stream": {"name": "UPLOAD", "domains": durable, **stream},
            "cloud": {"domain": "hub", "streams": [{"name": "FLEET", **stream, "max_age": "365d"}]},
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--per-domain", type=int, default=25)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    files = write_spec(args.out, args.events, args.per_domain, args.seed)
    print(f"{args.events} event types in {len(files)} documents under {args.out}")


if __name__ == "__main__":
    main()
