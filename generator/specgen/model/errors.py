"""Turn pydantic validation errors into diagnostics that point at the offending value.

A pydantic error carries a ``loc`` path through the input. The input is the resolved spec, so
walking that path through the very same dicts and lists finds the offending container, and
``LoadedSpec.locate`` knows where that container was written (following ``$ref``s to the file
that defines it). Tokens of ``loc`` that are not keys of the data (union tags such as
``<apiKey>``, or the name of a missing field) are skipped by the walk.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from pydantic_core import ErrorDetails

from specgen.diagnostics import Diagnostic, Location, error
from specgen.load import LoadedSpec
from specgen.model.base import EXTENSION_KEY, Node, ValidationContext
from specgen.model.security import SCHEME_TYPES

REQUIRED = "SG-STRUCT-REQUIRED"
TYPE = "SG-STRUCT-TYPE"
UNKNOWN = "SG-STRUCT-UNKNOWN"
VALUE = "SG-STRUCT-VALUE"

_EXPECTED = {
    "string_type": "a string",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "list_type": "a list",
    "tuple_type": "a list",
    "bool_type": "a boolean (true or false)",
    "schema_type": "a schema (an object or a boolean)",
    "schema_root_type": "a schema object",
}

_JSON_TYPES = ((bool, "a boolean"), (int, "a number"), (float, "a number"), (str, "a string"))


def json_type(value: Any) -> str:
    """The JSON name of ``value``'s type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    for kind, name in _JSON_TYPES:
        if isinstance(value, kind):
            return name
    return type(value).__name__


@dataclass(frozen=True)
class Target:
    """Where a ``loc`` path ends in the data: ``parent[key] is value``."""

    value: Any
    parent: Any = None
    key: str | int | None = None


def walk(root: Any, loc: tuple[str | int, ...]) -> Target:
    target = Target(root)
    for token in loc:
        value = target.value
        if isinstance(value, dict) and isinstance(token, str) and token in value:
            target = Target(value[token], value, token)
        elif isinstance(value, list) and isinstance(token, int) and 0 <= token < len(value):
            target = Target(value[token], value, token)
    return target


def did_you_mean(word: str, choices: list[str]) -> str:
    folded = {choice.lower(): choice for choice in choices}
    if word.lower() in folded:
        return f"did you mean '{folded[word.lower()]}'?"
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


class ErrorTranslator:
    """Translates the errors of one document's validation."""

    def __init__(self, spec: LoadedSpec, root: Any, context: ValidationContext) -> None:
        self.spec = spec
        self.root = root
        self.context = context

    def diagnostic(self, details: ErrorDetails) -> Diagnostic | None:
        """The diagnostic for one error, or None when the loader already reported the cause."""
        kind = details["type"]
        target = walk(self.root, tuple(details["loc"]))
        if self.is_failed_ref(target.value):
            return None
        if kind == "missing":
            return self._missing(target, str(details["loc"][-1]))
        if kind == "extra_forbidden":
            return self._unknown(target)
        if kind == "needs_version":
            return error(
                UNKNOWN,
                details["msg"],
                self.key_location(target),
                "set 'asyncapi: 3.1.0' or remove this binding",
            )
        if kind in ("union_tag_not_found", "union_tag_invalid"):
            ctx = details.get("ctx") or {}
            if "binding_version" in str(ctx.get("discriminator", "")):
                return self._binding_version(target, str(ctx.get("expected_tags", "")))
            return self._scheme_type(target)
        if kind == "required_one_of":
            return error(
                REQUIRED,
                f"{self.name_of(target)}: {details['msg']}",
                self.value_location(target),
                "add a 'payload' or a 'headers' example",
            )
        if kind == "null":
            return error(
                TYPE,
                f"{self.name_of(target)} must not be null",
                self.value_location(target),
                "give it a value or remove the field",
            )
        if kind in _EXPECTED:
            return self._type(target, _EXPECTED[kind])
        return self._value(target, details)

    def is_failed_ref(self, value: Any) -> bool:
        """A ``$ref`` the loader could not resolve became a fresh ``{}`` with no origin."""
        return isinstance(value, dict) and not value and self.spec.origin_of(value) is None

    # -- locations ------------------------------------------------------------------------
    def value_location(self, target: Target) -> Location:
        """Where the offending value is written (its own definition if it is a container)."""
        value = target.value
        if isinstance(value, dict | list) and self.spec.origin_of(value) is not None:
            return self.spec.locate(value)
        if target.parent is not None and target.key is not None:
            return self.spec.locate(target.parent, target.key)
        return self.spec.locate(self.root)

    def key_location(self, target: Target) -> Location:
        """Where the key holding the offending value is written."""
        if target.parent is not None and target.key is not None:
            return self.spec.locate(target.parent, target.key)
        return self.value_location(target)

    # -- naming ---------------------------------------------------------------------------
    def model_of(self, value: Any) -> type[Node] | None:
        return self.context.kinds.get(id(value)) if isinstance(value, dict) else None

    def name_of(self, target: Target) -> str:
        model = self.model_of(target.value)
        if target.key is None:
            return f"the {model.kind}" if model else "the document"
        label = f"item {target.key}" if isinstance(target.key, int) else f"'{target.key}'"
        return f"{label} ({model.kind})" if model else label

    # -- translations ---------------------------------------------------------------------
    def _missing(self, target: Target, field: str) -> Diagnostic:
        model = self.model_of(target.value)
        hint = f"add '{field}'"
        if model is not None:
            description = next(
                (f.description for n, f in model.model_fields.items() if (f.alias or n) == field),
                None,
            )
            hint += f": {description}" if description else ""
        what = self.name_of(target)
        return error(
            REQUIRED,
            f"{what} is missing the required field '{field}'",
            self.value_location(target),
            hint,
        )

    def _unknown(self, target: Target) -> Diagnostic:
        key = str(target.key)
        model = self.model_of(target.parent)
        allowed = model.field_keys() if model else []
        kind = model.kind if model else "object"
        hint = did_you_mean(key, allowed)
        if not hint and key.lower().startswith("x"):
            hint = f"extension fields must match {EXTENSION_KEY.pattern}"
        if not hint and allowed:
            hint = "allowed fields: " + ", ".join(allowed)
            if model is not None and model.allow_extensions:
                hint += ", or an extension named x-..."
        return error(UNKNOWN, f"unknown field '{key}' in {kind}", self.key_location(target), hint)

    def _type(self, target: Target, expected: str) -> Diagnostic:
        found = json_type(target.value)
        hint = f"write {expected} here"
        if expected == "a string" and isinstance(target.value, int | float | bool):
            hint = f"quote the value: YAML reads {target.value!r} as {found}"
        message = f"{self.name_of(target)} must be {expected}, not {found}"
        return error(TYPE, message, self.value_location(target), hint)

    def _scheme_type(self, target: Target) -> Diagnostic:
        value = target.value
        types = list(SCHEME_TYPES)
        if not isinstance(value, dict):
            return self._type(target, "an object")
        if "type" not in value:
            return error(
                REQUIRED,
                "the security scheme is missing the required field 'type'",
                self.value_location(target),
                "add 'type': one of " + ", ".join(types),
            )
        at = Target(value["type"], value, "type")
        if not isinstance(value["type"], str):
            return self._type(at, "a string")
        hint = did_you_mean(value["type"], types) or "use one of " + ", ".join(types)
        message = f"unknown security scheme type {value['type']!r}"
        return error(VALUE, message, self.key_location(at), hint)

    def _binding_version(self, target: Target, expected: str) -> Diagnostic:
        value = target.value
        if not isinstance(value, dict):
            return self._type(target, "an object")
        versions = [v.strip(" '") for v in expected.split(",") if v.strip(" '") != "latest"]
        at = Target(value.get("bindingVersion"), value, "bindingVersion")
        message = (
            f"bindingVersion {at.value!r} of the {target.key} binding is not one of "
            + ", ".join(versions)
        )
        return error(VALUE, message, self.value_location(at), "use one of " + ", ".join(versions))

    def _value(self, target: Target, details: ErrorDetails) -> Diagnostic:
        ctx = details.get("ctx") or {}
        name, value = self.name_of(target), target.value
        if "expected" in ctx:
            expected = str(ctx["expected"])
            options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",")]
            guess = did_you_mean(value, options) if isinstance(value, str) else ""
            message = f"{name} is {value!r}; expected {expected}"
            hint = guess or f"use {expected}"
        elif "pattern" in ctx:
            message = f"{name} {value!r} does not match the pattern {ctx['pattern']}"
            hint = "runtime expressions look like $message.header#/name or $message.payload#/a/b"
            if "linkedin" in str(ctx["pattern"]):
                hint = "give the URL of a LinkedIn profile, https://www.linkedin.com/..."
        elif details["type"] == "unique_items":
            message, hint = f"{name} has a repeated item: {details['msg']}", "remove the repeat"
        else:
            message, hint = f"{name} is invalid: {details['msg']}", ""
        return error(VALUE, message, self.value_location(target), hint)
