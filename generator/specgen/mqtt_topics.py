"""NATS subjects as MQTT topics, by the rules of the NATS server's MQTT listener.

The server maps every token separator ``.`` to the topic level separator ``/``, the wildcard
``*`` to ``+`` and ``>`` to ``#``; a ``{parameter}`` token stays a whole level. A subject token
is an MQTT topic level only if the way back gives the same subject: a ``/`` inside a token
would split the level (the server drops a lone ``/`` on the way out), ``+`` and ``#`` are MQTT
wildcards that no topic name may contain, whitespace and DEL the server refuses in topics,
and topics starting with ``$`` are reserved (wildcard subscriptions never match them).
"""

from __future__ import annotations

from specgen.nats_subjects import is_param, tokens

_WILDCARDS = {"*": "+", ">": "#"}
_REFUSED = {
    "/": "'/' (it would split the topic level)",
    "+": "'+' (an MQTT wildcard)",
    "#": "'#' (an MQTT wildcard)",
    "\x7f": "DEL",
}


def topic(subject: str) -> str:
    """The MQTT topic (or filter) of a NATS subject (or filter); parameters stay ``{name}``."""
    return "/".join(_WILDCARDS.get(token, token) for token in tokens(subject))


def topic_problems(subject: str) -> list[str]:
    """Why tokens of ``subject`` cannot be MQTT topic levels; empty when all of them can."""
    problems: list[str] = []
    for index, token in enumerate(tokens(subject)):
        if token in _WILDCARDS or is_param(token):
            continue
        where = f"token {index + 1} ({token!r})"
        found = [label for char, label in _REFUSED.items() if char in token]
        if any(c.isspace() or c == "\x00" for c in token):
            found.append("whitespace or NUL")
        if found:
            problems.append(f"{where} contains " + ", ".join(found))
        elif index == 0 and token.startswith("$"):
            problems.append(
                f"{where} starts with '$': MQTT reserves such topics for the server and "
                "wildcard subscriptions never match them"
            )
    return problems
