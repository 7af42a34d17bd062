"""Read resolved schema data into the typed model, refusing what the meta-schema refuses.

``SchemaReader(locate).read(value)`` returns the :class:`~specgen.schema.model.Schema` of a
resolved schema value (``True``/``False`` for boolean schemas), building each schema object
once: reading the same object again returns the same :class:`Schema`. A
:class:`~specgen.load.RecursiveRef` is read as its target, so recursive schemas become cycles.

A keyword whose value has the wrong type for the draft-7 meta-schema (or for the AsyncAPI
Schema Object: ``discriminator`` is a property name, not OpenAPI's object) is reported as
SG-SCHEMA-INVALID at the keyword, with what was expected, and left out of the model. Keys that
are no keyword are kept in ``unknown`` and reported as SG-SCHEMA-UNKNOWN-KEYWORD (a warning:
the meta-schema allows them, and they have no effect). Reading is iterative: any depth.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from specgen.diagnostics import Diagnostic, Location, error, warning
from specgen.load import RecursiveRef
from specgen.schema import regex
from specgen.schema.model import ExternalDocs, Literal, Schema, SchemaNode
from specgen.schema.vocabulary import JSON_TYPES, KEYWORDS, json_equal

Locate = Callable[..., Location]
HINT = "see the JSON Schema draft-07 meta-schema for what each keyword takes"


class _Invalid(Exception):
    """``expected`` says what the keyword takes; ``where`` is the path to the bad part of it."""

    def __init__(
        self, expected: str, where: tuple[str | int, ...] = (), *, show_value: bool = True
    ) -> None:
        super().__init__(expected)
        self.expected = expected
        self.where = where
        self.show_value = show_value and not where


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _shown(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return "null" if value is None else str(value).lower()
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return repr(value)


class SchemaReader:
    """Reads schemas of one loaded spec; ``diagnostics`` collects what was refused."""

    def __init__(self, locate: Locate) -> None:
        self._locate = locate
        self._read: dict[int, Schema] = {}
        self._raw: dict[int, Any] = {}
        self._keep: list[Any] = []  # raw values whose ids are keys of _read
        self._todo: list[tuple[Schema, dict[str, Any]]] = []
        self.diagnostics: list[Diagnostic] = []

    def read(self, value: Any) -> SchemaNode:
        """The typed schema of ``value``; a non-schema value is reported and read as ``True``."""
        node = self._node(value, None)
        while self._todo:
            schema, raw = self._todo.pop()
            self._fill(schema, raw)
        return node

    def known(self, value: Any) -> Schema | None:
        """The schema already read from ``value`` (a raw dict), if any."""
        return self._read.get(id(value.target if isinstance(value, RecursiveRef) else value))

    def raw_of(self, schema: Schema) -> Any:
        """The resolved data ``schema`` was read from (None for schemas the IR synthesised)."""
        return self._raw.get(id(schema))

    # -- building --------------------------------------------------------------------------
    def _node(self, value: Any, where: Location | None) -> SchemaNode:
        while isinstance(value, RecursiveRef):
            value = value.target
        if isinstance(value, bool):
            return value
        if not isinstance(value, dict):
            location = where or self._locate(value)
            self.diagnostics.append(
                error(
                    "SG-SCHEMA-INVALID",
                    f"a schema must be an object or a boolean, not {_shown(value)}",
                    location,
                    HINT,
                )  # fmt: skip
            )
            return True
        schema = self._read.get(id(value))
        if schema is None:
            schema = Schema(self._locate(value))
            self._read[id(value)] = schema
            self._raw[id(schema)] = value
            self._keep.append(value)
            self._todo.append((schema, value))
        return schema

    def _fill(self, schema: Schema, raw: dict[str, Any]) -> None:
        unknown, refused = [], []
        for key, value in raw.items():
            if not isinstance(key, str):
                continue
            schema.keyword_locations[key] = self._locate(raw, key)
            if key.startswith("x-"):
                schema.extensions[key] = value
                continue
            spec = KEYWORDS.get(key)
            if spec is None:
                unknown.append(key)
                continue
            attribute, kind = spec
            try:
                converted = _READERS[kind](self, raw, key, value)
            except _Invalid as problem:
                self._invalid(raw, key, value, problem)
                refused.append(key)
                continue
            if converted is not None:
                setattr(schema, attribute, converted)
        schema.unknown, schema.refused = tuple(unknown), tuple(refused)
        for key in unknown:
            self.diagnostics.append(
                warning(
                    "SG-SCHEMA-UNKNOWN-KEYWORD",
                    f"{key!r} is not a JSON Schema draft-7 keyword; it has no effect",
                    schema.at(key),
                    _UNKNOWN_HINTS.get(key, "remove it, or prefix it with x- to mark an extension"),
                )
            )

    def _invalid(self, raw: dict[str, Any], key: str, value: Any, problem: _Invalid) -> None:
        shown = f", not {_shown(value)}" if problem.show_value else ""
        self.diagnostics.append(
            error(
                "SG-SCHEMA-INVALID",
                f"`{key}` must be {problem.expected}{shown}",
                self._locate(raw, key, *problem.where),
                _HINTS.get(key, HINT),
            )
        )

    # -- keyword kinds ---------------------------------------------------------------------
    def _schema(self, raw: dict[str, Any], key: str, value: Any) -> SchemaNode:
        if not isinstance(value, dict | bool):
            raise _Invalid("a schema (an object or a boolean)")
        return self._node(value, None)

    def _schema_list(self, raw: dict[str, Any], key: str, value: Any) -> tuple[SchemaNode, ...]:
        if not isinstance(value, list) or not value:
            raise _Invalid("a non-empty array of schemas")
        for i, item in enumerate(value):
            if not isinstance(item, dict | bool):
                raise _Invalid(f"a non-empty array of schemas; item {i} is {_shown(item)}", (i,))
        return tuple(self._node(item, None) for item in value)

    def _items(self, raw: dict[str, Any], key: str, value: Any) -> Any:
        if isinstance(value, list):
            return self._schema_list(raw, key, value)
        return self._schema(raw, key, value)

    def _schema_map(self, raw: dict[str, Any], key: str, value: Any) -> dict[str, SchemaNode]:
        if not isinstance(value, dict):
            raise _Invalid("an object whose values are schemas")
        for name, item in value.items():
            if not isinstance(item, dict | bool):
                raise _Invalid(f"an object of schemas; {name!r} is {_shown(item)}", (name,))
        return {name: self._node(item, None) for name, item in value.items()}

    def _pattern_map(self, raw: dict[str, Any], key: str, value: Any) -> dict[str, SchemaNode]:
        mapped = self._schema_map(raw, key, value)
        for source in mapped:
            problem = regex.syntax_error(source)
            if problem is not None:
                raise _Invalid(f"an object keyed by ECMA-262 regular expressions; {source!r} "
                               f"is not one: {problem}", (source,))  # fmt: skip
        return mapped

    def _dependencies(self, raw: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise _Invalid("an object of schemas or arrays of property names")
        out: dict[str, Any] = {}
        for name, item in value.items():
            if isinstance(item, list):
                out[name] = self._names(raw, key, item, (name,))
            elif isinstance(item, dict | bool):
                out[name] = self._node(item, None)
            else:
                raise _Invalid(f"an object of schemas or arrays of property names; {name!r} is "
                               f"{_shown(item)}", (name,))  # fmt: skip
        return out

    def _names(
        self, raw: dict[str, Any], key: str, value: Any, where: tuple[str | int, ...] = ()
    ) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _Invalid("an array of property names (strings)", where)
        if len(set(value)) != len(value):
            raise _Invalid("an array of unique property names; a name is listed twice", where)
        return tuple(value)

    def _types(self, raw: dict[str, Any], key: str, value: Any) -> tuple[str, ...]:
        names = [value] if isinstance(value, str) else value
        expected = f"one of {', '.join(JSON_TYPES)}, or a non-empty array of them"
        if not isinstance(names, list) or not names:
            raise _Invalid(expected)
        for i, name in enumerate(names):
            if name not in JSON_TYPES:
                raise _Invalid(f"{expected}; {_shown(name)} is no JSON type", show_value=False)
            if name in names[:i]:
                raise _Invalid(f"{expected}, each once; {name!r} is listed twice", show_value=False)
        return tuple(names)

    def _enum(self, raw: dict[str, Any], key: str, value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list) or not value:
            raise _Invalid("a non-empty array of values")
        for i, item in enumerate(value):
            if any(json_equal(item, earlier) for earlier in value[:i]):
                raise _Invalid(f"an array of unique values; item {i} repeats an earlier one", (i,))
        return tuple(value)

    def _number(self, raw: dict[str, Any], key: str, value: Any) -> Any:
        if not _is_number(value):
            raise _Invalid("a number")
        return value

    def _positive(self, raw: dict[str, Any], key: str, value: Any) -> Any:
        if not _is_number(value) or value <= 0:
            raise _Invalid("a number greater than 0")
        return value

    def _count(self, raw: dict[str, Any], key: str, value: Any) -> int:
        if not _is_number(value) or value < 0 or not float(value).is_integer():
            raise _Invalid("a non-negative integer")
        return int(value)

    def _string(self, raw: dict[str, Any], key: str, value: Any) -> str:
        if not isinstance(value, str):
            raise _Invalid("a string")
        return value

    def _pattern(self, raw: dict[str, Any], key: str, value: Any) -> str:
        source = self._string(raw, key, value)
        problem = regex.syntax_error(source)
        if problem is not None:
            raise _Invalid(
                f"an ECMA-262 regular expression; {source!r} is not one: {problem}",
                show_value=False,
            )
        return source

    def _discriminator(self, raw: dict[str, Any], key: str, value: Any) -> str:
        if not isinstance(value, str):
            raise _Invalid("the name of a property (a string)")
        return value

    def _bool(self, raw: dict[str, Any], key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise _Invalid("true or false")
        return value

    def _literal(self, raw: dict[str, Any], key: str, value: Any) -> Literal:
        return Literal(value)

    def _examples(self, raw: dict[str, Any], key: str, value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise _Invalid("an array of example values")
        return tuple(value)

    def _external_docs(self, raw: dict[str, Any], key: str, value: Any) -> ExternalDocs:
        if not isinstance(value, dict) or not isinstance(value.get("url"), str):
            raise _Invalid("an External Documentation Object with a `url`")
        description = value.get("description")
        if description is not None and not isinstance(description, str):
            raise _Invalid("an External Documentation Object; its description is a string")
        extra = [k for k in value if k not in ("url", "description") and not k.startswith("x-")]
        if extra:
            raise _Invalid(f"an External Documentation Object (url, description); not {extra[0]!r}")
        return ExternalDocs(value["url"], description)


_READERS: dict[str, Callable[[SchemaReader, dict[str, Any], str, Any], Any]] = {
    "schema": SchemaReader._schema,
    "schema_list": SchemaReader._schema_list,
    "items": SchemaReader._items,
    "schema_map": SchemaReader._schema_map,
    "pattern_map": SchemaReader._pattern_map,
    "dependencies": SchemaReader._dependencies,
    "names": SchemaReader._names,
    "types": SchemaReader._types,
    "enum": SchemaReader._enum,
    "number": SchemaReader._number,
    "positive": SchemaReader._positive,
    "count": SchemaReader._count,
    "string": SchemaReader._string,
    "pattern": SchemaReader._pattern,
    "discriminator": SchemaReader._discriminator,
    "bool": SchemaReader._bool,
    "literal": SchemaReader._literal,
    "examples": SchemaReader._examples,
    "external_docs": SchemaReader._external_docs,
}

_UNKNOWN_HINTS = {
    "nullable": "OpenAPI's `nullable` is no JSON Schema: write `type: [<type>, 'null']`",
    "example": "JSON Schema has `examples` (a list): `examples: [<value>]`",
    "$defs": "draft 7 keeps reusable schemas under `definitions` (`$defs` is 2019-09)",
}

_HINTS = {
    "discriminator": "AsyncAPI's discriminator names the property that tells the variants "
    "apart, e.g. `discriminator: kind`; OpenAPI's {propertyName, mapping} object is not "
    "AsyncAPI",
    "required": "list the required property names, e.g. `required: [id, name]`",
    "type": "use the draft-07 type names: array, boolean, integer, null, number, object, string",
}
