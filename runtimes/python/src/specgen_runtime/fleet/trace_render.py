"""The text of ``specgen fleet trace``: one line per hop, in the order the event went.

Each line: the hop id (the server's ``Nats-Trace-Hop``; ``-`` at the origin), the time since
the event entered the first server, the server, and what happened there (``in``/``out`` of a
connection, ``js`` stored in a stream, ``map``/``export``/``import``). The copies JetStream
made afterwards (upload stream, then the hub's cloud stream over the leaf link) follow, on the
server leading each stream.
"""

from __future__ import annotations

from datetime import datetime

from specgen_runtime.fleet.msgtrace import ServerTrace, Step
from specgen_runtime.fleet.trace_path import StoredCopy, TracePath

__all__ = ["render_trace"]


def _offset(at: datetime | None, start: datetime | None) -> str:
    if at is None or start is None:
        return "?"
    ms = (at - start).total_seconds() * 1000
    return f"+{ms:.1f} ms" if ms < 1000 else f"+{ms / 1000:.2f} s"


def _peer(step: Step) -> str:
    return f'"{step.name}"' if step.kind == "client" else step.name


def _step(step: Step, trace: ServerTrace, path: TracePath) -> str:
    if step.type == "in":
        account = f" (account {step.account})" if step.account else ""
        subject = f" on {step.subject}" if step.subject != path.subject else ""
        return f"in   from {step.kind} {_peer(step)}{account}{subject}"
    if step.type == "eg":
        hop = f" (hop {step.hop})" if step.hop else ""
        return f"out  to {step.kind} {_peer(step)}{hop}"
    if step.type == "js":
        if step.no_interest:
            return f"js   not stored in stream {step.stream}: no interest"
        verb = "would be stored" if path.trace_only else "stored"
        domain = f" (domain {trace.domain})" if trace.domain else ""
        return f"js   {verb} in stream {step.stream}{domain}"
    if step.type == "sm":
        return f"map  subject mapped to {step.subject}"
    if step.type == "se":
        return f"exp  stream export to account {step.account} as {step.subject}"
    if step.type == "si":
        return f"imp  service import in account {step.account} to {step.subject}"
    return f"{step.type:<4} {step.name or step.subject}"


def _source(header: str) -> tuple[str, str]:
    """(stream, seq) of a ``Nats-Stream-Source`` value: ``NAME[:<api hash>] SEQ > > SUBJECT``."""
    parts = header.split()
    return (parts[0].split(":")[0], parts[1]) if len(parts) > 1 else (header, "?")


def _copy(copy: StoredCopy, before: StoredCopy | None) -> str:
    text = f"js   copied into stream {copy.stream} (domain {copy.domain}) seq {copy.seq}"
    if not copy.source:
        return text
    stream, seq = _source(copy.source)
    text += f", sourced from {stream} seq {seq}"
    if before is not None and before.domain != copy.domain:
        text += f" of {before.domain} over the leaf link"
    return text


def _row(hop: str, when: str, server: str, what: str) -> str:
    return f"  {hop or '-':<5} {when:>10}  {server:<16} {what}"


def render_trace(path: TracePath) -> str:
    steps = [(t, s) for t in path.servers for s in t.steps]
    start = min((s.at for _, s in steps if s.at is not None), default=None)
    mode = "trace only: nothing delivered or stored" if path.trace_only else "stored"
    lines = [
        f"trace of {path.subject} ({mode})",
        f"event {path.event_id} ({path.event_type}), site {path.site}",
        _row("hop", "time", "server", "what happened"),
    ]
    for trace, step in steps:
        what = _step(step, trace, path)
        lines.append(_row(trace.hop, _offset(step.at, start), trace.server, what))
        if step.error:
            lines.append(_row("", "", "", f"     ! {step.error}"))
    before = None
    for copy in path.copies:
        where = copy.leader or copy.domain
        lines.append(_row("", _offset(copy.at, start), where, _copy(copy, before)))
        before = copy
    lines += _outcome(path)
    return "\n".join(lines)


def _outcome(path: TracePath) -> list[str]:
    out = []
    for hop in path.missing:
        out.append(f"hop {hop} reported nothing: that server may be older than 2.11 or down")
    if path.stored is not None:
        stored = path.stored
        again = " (a duplicate: the id was stored before)" if stored.duplicate else ""
        out.append(f"acknowledged by stream {stored.stream} in domain {stored.domain}, "
                   f"seq {stored.seq}{again}")  # fmt: skip
    if path.refused:
        out.append(f"not stored: {path.refused}")
    for stream in path.not_reached:
        out.append(f"never reached {stream}: is sourcing flowing? (specgen fleet status)")
    return out
