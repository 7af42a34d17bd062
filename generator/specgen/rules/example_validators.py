"""python-jsonschema validators for message examples, built once per schema in one pass.

``Validators(formats)`` answers, for each schema of a spec, the draft-7 validator of its
examples or why the schema cannot be used, exactly as ``Draft7Validator.check_schema``
followed by ``Draft7Validator(schema)`` would. Two things make that cheap on large specs:

- one meta-schema validator serves the whole pass (``check_schema`` builds a new one per
  call), with the format checker ``check_schema`` uses;
- the meta-schema refers to itself (``{"$ref": "#"}``) for every subschema, and resolved
  specs share subschemas (a ``$ref`` target is one object wherever it is used). A subschema
  object found valid against ``#`` once is not walked again in the same pass. Its errors
  would have been none, so the errors of every schema, and their order, are unchanged; a
  subschema with errors is walked every time, lazily as before.

The memo lives as long as one ``Validators`` (one pass over one spec's examples), while the
spec's schemas do not change, and keeps the objects it vouches for alive so that their ids
are never reused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError

MAX_MESSAGE = 240


def short(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


class Validators:
    """The example validators of one pass; ``formats``: assert ``format`` in examples."""

    def __init__(self, formats: bool) -> None:
        self._formats = formats
        self._meta: Draft7Validator | None = None  # built on first use: imports jsonschema
        self._built: dict[int, tuple[Any, Draft7Validator | str]] = {}

    def of(self, schema: Any) -> Draft7Validator | str:
        """A validator for ``schema`` (the same one for the same object), or why not."""
        known = self._built.get(id(schema))
        if known is None:
            known = self._built[id(schema)] = (schema, self._build(schema))
        return known[1]

    def _build(self, schema: Any) -> Draft7Validator | str:
        if self._meta is None:
            self._meta = _meta_validator()  # imports jsonschema (specgen.jsonschema_import)
        from jsonschema import Draft7Validator, SchemaError
        from jsonschema.exceptions import best_match

        for first in self._meta.iter_errors(schema):
            exc = SchemaError.create_from(first)
            deep = (best_match(exc.context) if exc.context else None) or exc
            return f"it is not valid JSON Schema at {deep.json_path}: {short(deep.message)}"
        checker = Draft7Validator.FORMAT_CHECKER if self._formats else None
        return Draft7Validator(schema, format_checker=checker)


def _meta_validator() -> Draft7Validator:
    """What ``Draft7Validator.check_schema`` checks with, remembering valid subschemas."""
    from specgen.jsonschema_import import load

    load()
    from jsonschema import Draft7Validator
    from jsonschema.validators import extend, validator_for

    meta = validator_for(Draft7Validator.META_SCHEMA, default=Draft7Validator)
    ref = meta.VALIDATORS["$ref"]
    valid: dict[int, Any] = {}  # id -> subschema found valid against "#"

    def remembered_ref(
        validator: Any, target: str, instance: Any, schema: Any
    ) -> Iterator[ValidationError]:
        if target != "#" or not isinstance(instance, dict):
            yield from ref(validator, target, instance, schema)
            return
        if id(instance) in valid:
            return
        failed = False
        for found in ref(validator, target, instance, schema):
            failed = True
            yield found
        if not failed:
            valid[id(instance)] = instance

    checking: Any = extend(meta, {"$ref": remembered_ref})  # type: ignore[no-untyped-call]
    built: Draft7Validator = checking(meta.META_SCHEMA, format_checker=meta.FORMAT_CHECKER)
    return built
