"""Event specifications: the static description of one CloudEvents event type (its
``type``, templates for ``source`` and the NATS subject, delivery, stream, site-id patterns)
and the subject-token checks that go with it. :mod:`specgen_runtime.events` binds a spec to a
payload model."""

from __future__ import annotations

import enum
import functools
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field

from specgen_runtime.ecma_regex import PatternError
from specgen_runtime.errors import SubjectError
from specgen_runtime.mqtt import MqttSpec, topic_of
from specgen_runtime.schema_checks import matcher

_TOKEN_BAD = re.compile(r"[.*>\s]")
# AsyncAPI parameter names: ^[A-Za-z0-9_\-]+$
_PARAMETER = re.compile(r"[A-Za-z0-9_\-]+")
# Names of keyword arguments of Event.create that a template parameter must not shadow.
_RESERVED_PARAMETERS = frozenset({"data", "id", "time", "subject", "extensions", "cls"})
_MAX_FILLED = 4096  # subjects remembered per spec


class Delivery(enum.Enum):
    """How an event travels: stored in a JetStream stream, or fire-and-forget core NATS."""

    JETSTREAM = "jetstream"
    CORE = "core"


def validate_token(name: str, value: object) -> str:
    """Return ``value`` if it is a valid single NATS subject token, else raise SubjectError."""
    if not isinstance(value, str):
        raise SubjectError(f"parameter {name!r} must be a str, got {type(value).__name__}")
    if not value:
        raise SubjectError(f"parameter {name!r} must not be empty")
    bad = _TOKEN_BAD.search(value)
    if bad is not None or not value.isprintable():
        char = bad.group() if bad is not None else "a non-printable character"
        raise SubjectError(
            f"parameter {name!r}={value!r} is not a single NATS subject token "
            f"(contains {char!r}; '.', '*', '>' and whitespace are not allowed)"
        )
    return value


@functools.cache
def _placeholders(template: str) -> tuple[str, ...]:
    names: list[str] = []
    for _, name, spec, conv in string.Formatter().parse(template):
        if name is None:
            continue
        if not _PARAMETER.fullmatch(name) or spec or conv:
            raise ValueError(f"template {template!r}: placeholder {{{name}}} is not a plain name")
        if name not in names:
            names.append(name)
    return tuple(names)


@functools.cache
def _compiled(pattern: str) -> Callable[[str], bool]:
    """A search for ``pattern`` (ECMA-262, in the linear-time dialect of ``ecma_regex``)."""
    try:
        return matcher(pattern)
    except PatternError as exc:
        raise ValueError(f"parameter pattern {pattern!r} does not compile: {exc}") from exc


@dataclass(frozen=True)
class EventSpec:
    """Static description of one CloudEvents event type and where it travels on NATS.

    ``parameters`` is derived from the ``{name}`` placeholders of ``subject_template``; each
    placeholder must be a whole subject token. The source and dead-letter templates may only
    use those parameters.
    """

    type: str
    source_template: str
    subject_template: str
    dataschema: str | None = None
    delivery: Delivery = Delivery.JETSTREAM
    stream: str | None = None
    dead_letter_template: str | None = None
    parameter_patterns: tuple[tuple[str, str], ...] = ()
    """``(name, pattern)``: values a parameter must match (JSON Schema ``pattern`` semantics)."""
    mqtt: MqttSpec | None = None
    """How a site's MQTT listener serves the event (the spec's ``x-mqtt``), None if it does not."""
    parameters: tuple[str, ...] = field(init=False)
    _filled: dict[tuple[str, ...], str] = field(
        init=False, default_factory=dict, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        params = _placeholders(self.subject_template)
        for token in self.subject_template.split("."):
            if "{" in token and not re.fullmatch(r"\{[A-Za-z0-9_\-]+\}", token):
                raise ValueError(
                    f"subject template {self.subject_template!r}: a placeholder must be a "
                    f"whole token, got {token!r}"
                )
        clash = _RESERVED_PARAMETERS.intersection(params)
        if clash:
            raise ValueError(f"subject template parameters {sorted(clash)} are reserved names")
        for label, template in (
            ("source", self.source_template),
            ("dead-letter", self.dead_letter_template),
        ):
            if template is not None and not set(_placeholders(template)) <= set(params):
                raise ValueError(
                    f"{label} template {template!r} uses parameters that the subject "
                    f"template {self.subject_template!r} does not have"
                )
        for name, pattern in self.parameter_patterns:
            if name not in params:
                raise ValueError(f"pattern given for {name!r}, which is not a subject parameter")
            _compiled(pattern)
        if self.delivery is Delivery.JETSTREAM and not self.stream:
            raise ValueError(f"event {self.type!r}: JETSTREAM delivery needs a stream")
        if self.delivery is Delivery.CORE and self.stream is not None:
            raise ValueError(f"event {self.type!r}: CORE delivery must not name a stream")
        self._check_mqtt()
        object.__setattr__(self, "parameters", params)

    def _check_mqtt(self) -> None:
        if self.mqtt is None:
            return
        expected = self.subject_template.replace(".", "/")
        if self.mqtt.topic_template != expected:
            raise ValueError(
                f"event {self.type!r}: MQTT topic template {self.mqtt.topic_template!r} is not "
                f"the subject template mapped by the server's rules ({expected!r})"
            )
        if self.mqtt.qos and self.delivery is not Delivery.JETSTREAM:
            raise ValueError(f"event {self.type!r}: MQTT QoS 1 needs JETSTREAM delivery")

    def _check(self, name: str, value: object) -> str:
        """``value`` as a subject token of parameter ``name``, checked against its pattern."""
        token = validate_token(name, value)
        for pname, pattern in self.parameter_patterns:
            if pname == name and not _compiled(pattern)(token):
                label = name.replace("_", " ").replace("-", " ")
                raise SubjectError(
                    f"{name}={token!r} is not a valid {label}: it must match {pattern!r} "
                    "(the pattern the spec gives this parameter)"
                )
        return token

    def _fill(self, template: str, params: dict[str, str], *, exact: bool) -> str:
        wanted = _placeholders(template)
        if len(params) == len(wanted) and all(name in params for name in wanted):
            # Checked fills are remembered: the same values always give the same text.
            key = (template, *(params[name] for name in wanted))
            try:
                return self._filled[key]
            except (KeyError, TypeError):  # TypeError: a value that is not even hashable
                pass
            filled = template.format_map({name: self._check(name, params[name]) for name in wanted})
            if len(self._filled) >= _MAX_FILLED:
                self._filled.clear()
            self._filled[key] = filled
            return filled
        unknown = set(params) - set(self.parameters)
        if unknown:
            raise SubjectError(f"unknown parameters {sorted(unknown)} for event {self.type!r}")
        missing = [name for name in wanted if name not in params]
        if missing and exact:
            raise SubjectError(f"missing parameters {missing} for event {self.type!r}")
        values = {name: self._check(name, params[name]) for name in wanted if name in params}
        return template.format_map({name: values.get(name, "*") for name in wanted})

    def subject_for(self, **params: str) -> str:
        """The concrete NATS subject to publish to; every parameter is required."""
        return self._fill(self.subject_template, params, exact=True)

    def source_for(self, **params: str) -> str:
        """The CloudEvents ``source`` for these parameters."""
        return self._fill(self.source_template, params, exact=True)

    def filter_subject(self, **params: str) -> str:
        """A subscription subject: missing parameters become ``*`` (for example all sites)."""
        return self._fill(self.subject_template, params, exact=False)

    def topic_for(self, **params: str) -> str:
        """The MQTT topic a site serves these events on; every parameter is required."""
        self._served_over_mqtt()
        return topic_of(self.subject_for(**params))

    def topic_filter(self, **params: str) -> str:
        """An MQTT subscription topic: missing parameters become ``+`` (for example all
        events of a site's other parameters)."""
        self._served_over_mqtt()
        return topic_of(self.filter_subject(**params))

    def _served_over_mqtt(self) -> None:
        if self.mqtt is None:
            raise SubjectError(f"event {self.type!r} is not served over MQTT (no x-mqtt)")

    def dead_letter_subject_for(self, **params: str) -> str:
        """The subject that undecodable messages of this event type are moved to."""
        if self.dead_letter_template is None:
            raise SubjectError(f"event {self.type!r} has no dead-letter subject template")
        return self._fill(self.dead_letter_template, params, exact=True)

    def parameters_from_subject(self, subject: str) -> dict[str, str]:
        """Read the parameter values back out of a concrete subject of this event."""
        template_tokens = self.subject_template.split(".")
        tokens = subject.split(".")
        if len(tokens) != len(template_tokens):
            raise SubjectError(
                f"subject {subject!r} does not match template {self.subject_template!r}"
            )
        return {
            tmpl[1:-1]: validate_token(tmpl[1:-1], token)
            for tmpl, token in zip(template_tokens, tokens, strict=True)
            if tmpl.startswith("{")
        }
