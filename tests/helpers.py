"""Shared test helpers: repository paths and running the CLI as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SPEC = REPO / "spec"
GENERATED = REPO / "generated"


def run_specgen(
    *args: str | Path, cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m specgen ARGS`` in a child process and capture its output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "specgen", *map(str, args)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


HOSTILE_STREAM = {
    "name": "HOSTILE",
    "subjects": ["pf.{site_id}.hostile.>"],
    "retention": "limits",
    "max_age": "1d",
    "storage": "file",
    "replicas": 1,
    "duplicate_window": "2m",
}


def one_event_document(text: str, schema: Any, examples: list[Any]) -> dict[str, Any]:
    """An AsyncAPI document of one durable event (domain ``hostile``, payload ``Thing``) whose
    every title, summary and description is ``text``: for tests of hostile spec strings."""
    message = {
        "name": "Thing",
        "title": text,
        "summary": text,
        "description": text,
        "x-cloudevents": {"type": "com.hostile.hostile.thing.v1", "source": "/sites/{site_id}"},
        "payload": {"$ref": "#/components/schemas/Thing"},
        "examples": examples,
    }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": text, "version": "1.0.0", "description": text},
        "x-domain": "hostile",
        "x-stream": HOSTILE_STREAM,
        "channels": {
            "thing": {
                "address": "pf.{site_id}.hostile.thing.v1",
                "description": text,
                "parameters": {"site_id": {"description": text}},
                "x-delivery": "jetstream",
                "messages": {"thing": {"$ref": "#/components/messages/thing"}},
            }
        },
        "operations": {
            "sendThing": {
                "action": "send",
                "channel": {"$ref": "#/channels/thing"},
                "messages": [{"$ref": "#/channels/thing/messages/thing"}],
            }
        },
        "components": {"messages": {"thing": message}, "schemas": {"Thing": schema}},
    }


def needs_shared(path: Path, what: str) -> pytest.MarkDecorator:
    """Mark tests that read conformance data under ../shared.

    Missing data skips them with the reason locally; with ``CI`` set they fail instead, so the
    public CI never skips a conformance suite silently (.ci/fetch-conformance fetches it).
    The check runs in ``pytest_runtest_setup`` (tests/conftest.py).
    """
    return pytest.mark.needs_shared(path=path, what=what)


def shared_problem(item: pytest.Item) -> str | None:
    for marker in item.iter_markers("needs_shared"):
        if not Path(marker.kwargs["path"]).exists():
            return f"{marker.kwargs['what']} not found at {marker.kwargs['path']}"
    return None


TOOLS = Path(os.environ.get("SPECGEN_TOOLS", Path.home() / ".cache" / "specgen-tools"))


def tool_path(relative: str) -> Path:
    """A test-only tool that `make test-tools` installs under $SPECGEN_TOOLS (see Makefile)."""
    path = TOOLS / relative
    if path.is_file():
        return path
    message = f"{path} is missing: run `make test-tools`"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
