"""The ``x-stream`` of a domain document: a complete, explicit JetStream stream configuration.

Every key is required so that what runs is what the spec says; ``duplicate_window`` most of
all (NATS.md trap 2: a window of 0 switches dedupe off on sourced streams).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from specgen.diagnostics import Diagnostic, Location, error, warning
from specgen.rules.context import Context, Document, Mapping
from specgen.rules.nats_subjects import duration_ms, overlaps, token_problems
from specgen.rules.registry import SPECGEN_ONLY, Rule

KEYS = ("name", "subjects", "retention", "max_age", "storage", "replicas", "duplicate_window")
RETENTIONS = ("limits", "interest", "workqueue")
STORAGES = ("file", "memory")
STREAM_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
EXAMPLE = (
    "x-stream: {name: ORDERS, subjects: ['pf.{site_id}.orders.>'], retention: limits, "
    "max_age: 30d, storage: file, replicas: 3, duplicate_window: 2h}"
)


def _config_error(message: str, location: Location, hint: str) -> Diagnostic:
    return error("SG-STREAM-CONFIG", message, location, hint)


def _check_keys(ctx: Context, stream: Mapping) -> Iterator[Diagnostic]:
    for key in stream:
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(KEYS)}"
            yield _config_error(
                f"x-stream has an unknown key {key!r}", ctx.locate(stream, key), hint
            )
    for key in KEYS:
        if key not in stream and key != "duplicate_window":  # SG-STREAM-DEDUPE reports that
            yield _config_error(
                f"x-stream has no {key!r}; every stream setting must be explicit",
                ctx.locate(stream),
                f"add it, e.g. {EXAMPLE}",
            )


def _value_problem(key: str, value: Any) -> str | None:
    if key == "name" and not (isinstance(value, str) and STREAM_NAME.fullmatch(value)):
        return f"name {value!r} is not an UPPER_SNAKE stream name"
    if key == "retention" and value not in RETENTIONS:
        return f"retention {value!r} is not one of {', '.join(RETENTIONS)}"
    if key == "storage" and value not in STORAGES:
        return f"storage {value!r} is not one of {', '.join(STORAGES)}"
    if key == "replicas" and not (type(value) is int and 1 <= value <= 5):
        return f"replicas {value!r} is not a whole number from 1 to 5"
    if key == "max_age" and duration_ms(value) is None:
        return f"max_age {value!r} is not a duration like 30d, 12h, 90m, 30s or 500ms"
    return None


def _check_subjects(ctx: Context, stream: Mapping) -> Iterator[Diagnostic]:
    subjects = stream.get("subjects")
    if "subjects" not in stream:
        return
    if not isinstance(subjects, list) or not subjects:
        yield _config_error(
            "x-stream subjects must be a non-empty list of subjects",
            ctx.locate(stream, "subjects"),
            "list the subject filters the stream stores, e.g. ['pf.{site_id}.orders.>']",
        )
        return
    for index, subject in enumerate(subjects):
        problems = (
            token_problems(subject, strict=True) if isinstance(subject, str) else ["not a string"]
        )
        if problems:
            yield _config_error(
                f"x-stream subject {subject!r} is not a valid NATS subject filter: "
                + "; ".join(problems),
                ctx.locate(subjects, index),
                "use dot-separated tokens; '*' and '>' only as whole tokens, '>' last",
            )


def _check_overlaps(ctx: Context) -> Iterator[Diagnostic]:
    seen: list[tuple[Document, str]] = []
    for document in ctx.documents:
        stream = document.stream
        for index, subject in document.stream_subjects():
            for other_doc, other in seen:
                if overlaps(subject, other):
                    assert stream is not None
                    yield _config_error(
                        f"x-stream subject {subject!r} overlaps {other!r} of the stream in "
                        f"{other_doc.source.display}; NATS refuses streams with overlapping "
                        "subjects",
                        ctx.locate(stream["subjects"], index),
                        "give every stream its own subject space, e.g. 'pf.{site_id}.<domain>.>'",
                    )
            seen.append((document, subject))


def check_config(ctx: Context) -> Iterator[Diagnostic]:
    for document in ctx.documents:
        if "x-stream" not in document.data:
            continue
        stream = document.stream
        if stream is None:
            yield _config_error(
                "x-stream must be a mapping", ctx.locate(document.data, "x-stream"), EXAMPLE
            )
            continue
        yield from _check_keys(ctx, stream)
        for key in ("name", "retention", "storage", "replicas", "max_age"):
            problem = _value_problem(key, stream[key]) if key in stream else None
            if problem is not None:
                yield _config_error(f"x-stream {problem}", ctx.locate(stream, key), EXAMPLE)
        yield from _check_subjects(ctx, stream)
    yield from _check_overlaps(ctx)


def _dedupe_problem(stream: Mapping) -> str | None:
    if "duplicate_window" not in stream:
        return "x-stream has no duplicate_window"
    raw = stream["duplicate_window"]
    window = duration_ms(raw)
    if window is None:
        return f"x-stream duplicate_window {raw!r} is not a duration like 2h or 120s"
    if window == 0:
        return f"x-stream duplicate_window {raw!r} is zero, which turns dedupe off"
    max_age = duration_ms(stream.get("max_age"))
    if max_age and max_age < window:  # a max_age of 0 means unlimited
        return f"x-stream duplicate_window {raw!r} is longer than max_age {stream['max_age']!r}"
    return None


def check_dedupe(ctx: Context) -> Iterator[Diagnostic]:
    for document in ctx.documents:
        stream = document.stream
        message = _dedupe_problem(stream) if stream is not None else None
        if message is None or stream is None:
            continue
        keys = ("duplicate_window",) if "duplicate_window" in stream else ()
        yield error(
            "SG-STREAM-DEDUPE",
            message,
            ctx.locate(stream, *keys),
            "set an explicit non-zero duplicate_window (e.g. 2h) no longer than max_age and "
            "longer than the publisher's retry horizon (NATS.md trap 2)",
        )


def check_retention(ctx: Context) -> Iterator[Diagnostic]:
    for document in ctx.documents:
        stream = document.stream
        retention = stream.get("retention") if stream else None
        if stream is not None and retention in ("interest", "workqueue"):
            yield warning(
                "SG-STREAM-RETENTION",
                f"x-stream retention {retention!r}: sourcing such a stream to the cloud is "
                "unsafe on servers before 2.14 and loses messages nobody consumed",
                ctx.locate(stream, "retention"),
                "use 'retention: limits' with a max_age longer than the longest outage",
            )


RULES = (
    Rule(
        "SG-STREAM-CONFIG",
        SPECGEN_ONLY,
        "x-stream is complete and valid (name, subjects, retention, max_age, storage, "
        "replicas) and its subjects overlap no other stream",
        check_config,
    ),
    Rule(
        "SG-STREAM-DEDUPE",
        SPECGEN_ONLY,
        "x-stream duplicate_window is explicit, non-zero and not longer than max_age (NATS trap 2)",
        check_dedupe,
    ),
    Rule(
        "SG-STREAM-RETENTION",
        SPECGEN_ONLY,
        "x-stream retention is 'limits' (warning otherwise: sourcing WorkQueue/Interest "
        "streams is unsafe)",
        check_retention,
    ),
)
