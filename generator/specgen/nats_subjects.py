"""NATS subjects with AsyncAPI ``{parameters}``: tokens, validity, matching against filters.

A subject is split on ``.`` into tokens. ``*`` matches one token, ``>`` one or more trailing
tokens. A ``{name}`` token is a channel parameter: one token whose value is filled in at run
time. For capture (does a stream filter hold every subject of a channel) a parameter is only
matched by ``*``, ``>`` or the same parameter; for overlap (could one subject be in both) a
parameter may be any value.
"""

from __future__ import annotations

import re

PARAM = re.compile(r"\{([^{}]*)\}")
PARAM_TOKEN = re.compile(r"\{[A-Za-z0-9_\-]+\}")
SAFE_TOKEN = re.compile(r"[A-Za-z0-9_\-]+")
WILDCARDS = ("*", ">")


def tokens(subject: str) -> list[str]:
    return subject.split(".")


def params(text: str) -> list[str]:
    """Names of the ``{name}`` placeholders in ``text``, in order."""
    return PARAM.findall(text)


def is_param(token: str) -> bool:
    return PARAM_TOKEN.fullmatch(token) is not None


def normalized(subject: str) -> str:
    """The subject with every parameter renamed to ``{}``: two channels with equal
    normalized addresses publish on the same subjects."""
    return PARAM.sub("{}", subject)


def token_problems(subject: str, *, strict: bool) -> list[str]:
    """What makes ``subject`` an invalid NATS subject (or filter); empty when it is valid.

    ``strict`` also refuses characters outside ``[A-Za-z0-9_-]`` in literal tokens.
    """
    problems: list[str] = []
    parts = tokens(subject)
    for index, token in enumerate(parts):
        where = f"token {index + 1} ({token!r})"
        if token == "":
            problems.append(f"token {index + 1} is empty (leading, trailing or double '.')")
        elif any(c.isspace() for c in token):
            problems.append(f"{where} contains whitespace")
        elif token in WILDCARDS or is_param(token):
            if token == ">" and index != len(parts) - 1:
                problems.append(f"{where}: '>' may only be the last token")
        elif "{" in token or "}" in token:
            problems.append(f"{where}: a {{parameter}} must be a whole token")
        elif "*" in token or ">" in token:
            problems.append(f"{where}: wildcards '*' and '>' must be whole tokens")
        elif strict and SAFE_TOKEN.fullmatch(token) is None:
            problems.append(f"{where} has characters outside [A-Za-z0-9_-]")
    return problems


def wildcard_tokens(subject: str) -> list[str]:
    return [t for t in tokens(subject) if t in WILDCARDS]


def captures(filter_subject: str, subject: str) -> bool:
    """True if every subject that ``subject`` (with parameters) stands for matches the filter."""
    wanted, actual = tokens(filter_subject), tokens(subject)
    for index, want in enumerate(wanted):
        if want == ">":
            return len(actual) > index
        if index >= len(actual):
            return False
        have = actual[index]
        if want == "*":
            if have == ">":
                return False
            continue
        if want != have:
            return False
    return len(wanted) == len(actual)


def _token_overlaps(a: str, b: str) -> bool:
    if a == b or a == "*" or b == "*":
        return True
    return is_param(a) or is_param(b)


def overlaps(first: str, second: str) -> bool:
    """True if at least one concrete subject could match both (parameters match anything)."""
    a, b = tokens(first), tokens(second)
    for index in range(max(len(a), len(b))):
        if index >= len(a) or index >= len(b):
            return False
        if a[index] == ">" or b[index] == ">":
            return True
        if not _token_overlaps(a[index], b[index]):
            return False
    return True
