"""Lower resolved JSON Schema (draft 7) nodes into the neutral type model of ``ir.types``.

Every keyword is either understood, an annotation, or refused by name with a diagnostic
(SG-SCHEMA-UNSUPPORTED): a generator never ignores a constraint silently. Schemas defined under
``components/schemas`` keep their component name; inline objects and enums are named after
the place they appear (``Parent`` + ``Property``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from specgen.diagnostics import Diagnostic, Location, error, warning
from specgen.ir import types as t
from specgen.ir.all_of import merge_all_of
from specgen.ir.naming import NameAllocator, pascal
from specgen.ir.schema_vocabulary import (
    ANNOTATIONS,
    FORMATS,
    JSON_TYPES,
    REFUSED,
    SUPPORTED,
    TYPE_KEYWORDS,
    UNSUPPORTED_HINT,
    accepts_null,
    docs_of,
    has_no_effect,
    integer_type,
    is_number,
    json_type_of,
    variant_hint,
)

Locate = Callable[..., Location]
ComponentName = Callable[[Any], str | None]


class SchemaLowering:
    """Lowers schemas one by one, sharing declarations between them."""

    def __init__(self, locate: Locate, component_name: ComponentName) -> None:
        self._locate = locate
        self.component_name = component_name
        self._merged_from: dict[int, Any] = {}  # merged allOf schema -> the schema written
        self._keep_alive: list[Any] = []  # merged schemas live as long as their ids are keys
        self.decls: dict[str, t.TypeDecl] = {}
        self.diagnostics: list[Diagnostic] = []
        self._names = NameAllocator()
        self._memo: dict[int, t.TypeRef] = {}

    # -- entry -----------------------------------------------------------------------------
    def lower_named(self, schema: Any, name_hint: str) -> t.Named:
        """Lower a payload: the result is always a declaration, wrapping non-objects in an alias."""
        ref = self.lower(schema, name_hint)
        if isinstance(ref, t.Named):
            return ref
        name = self._names.allocate(pascal(name_hint))
        docs = docs_of(schema) if isinstance(schema, dict) else t.Docs()
        self.decls[name] = t.AliasDecl(name, ref, docs)
        return t.Named(name)

    def lower(self, schema: Any, name_hint: str) -> t.TypeRef:
        if schema is True:
            return t.AnyType()
        if schema is False:
            return t.LiteralType(())  # no value is valid: an empty set of allowed values
        if not isinstance(schema, dict):
            self._refuse(schema, "a schema that is `false` or not an object", None)
            return t.AnyType()
        key = id(schema)
        if key not in self._memo:
            component = self.component_name(schema)
            lowered = self._lower_dict(schema, component or name_hint)
            if component is not None and not isinstance(lowered, t.Named | t.AnyType):
                name = self._names.allocate(component)
                self.decls[name] = t.AliasDecl(name, lowered, docs_of(schema))
                lowered = t.Named(name)
            self._memo[key] = lowered
        return self._memo[key]

    def locate(self, schema: Any, *keys: str) -> Location:
        return self._locate(self._merged_from.get(id(schema), schema), *keys)

    # -- dispatch --------------------------------------------------------------------------
    def _lower_dict(self, schema: dict[str, Any], hint: str) -> t.TypeRef:
        if "allOf" in schema:
            merged, problem = merge_all_of(schema)
            if merged is None:
                self._refuse(schema, problem, "allOf", "write the schema without allOf")
                return t.AnyType()
            self._merged_from[id(merged)] = self._merged_from.get(id(schema), schema)
            self._keep_alive.append(merged)
            schema = merged
        if "not" in schema:
            return self._not(schema, hint)
        refused = sorted(k for k in schema if k in REFUSED and not has_no_effect(schema, k))
        for keyword in refused:
            self._refuse(schema, f"keyword {keyword!r}", keyword)
        for keyword in sorted(schema):
            if not (keyword in SUPPORTED or keyword in ANNOTATIONS or keyword in REFUSED
                    or keyword.startswith("x-")):  # fmt: skip
                self.diagnostics.append(
                    warning(
                        "SG-SCHEMA-UNKNOWN-KEYWORD",
                        f"{keyword!r} is not a JSON Schema draft-7 keyword; it is ignored",
                        self.locate(schema, keyword),
                        "remove it, or prefix it with x- to mark an extension",
                    )
                )
        if refused:
            return t.AnyType()
        if "oneOf" in schema or "anyOf" in schema:
            return self._union(schema, hint)
        if "enum" in schema or "const" in schema:
            return self._literal(schema, hint)
        types = schema.get("type")
        if types is None:
            constrained = sorted(k for k in schema if any(k in s for s in TYPE_KEYWORDS.values()))
            if not constrained:
                return t.AnyType()
            # JSON Schema applies each keyword to values of its type only and lets every other
            # value through: exactly a union over all the types, each with its own keywords.
            self.diagnostics.append(
                warning(
                    "SG-SCHEMA-UNTYPED",
                    f"{', '.join(constrained)} without a `type`: the value may be of any JSON "
                    "type, and the keywords only constrain values of their own type",
                    self.locate(schema, constrained[0]),
                    "say which type the value has, e.g. `type: object`",
                )
            )
            return self._typed(schema, list(JSON_TYPES), hint)
        names = [types] if isinstance(types, str) else types
        if not isinstance(names, list) or not names or any(n not in JSON_TYPES for n in names):
            self._refuse(schema, f"type {types!r}", "type", "use draft-7 type names")
            return t.AnyType()
        return self._typed(schema, list(dict.fromkeys(names)), hint)

    def _typed(self, schema: dict[str, Any], names: list[str], hint: str) -> t.TypeRef:
        nullable = "null" in names and len(names) > 1
        names = [n for n in names if n != "null"] if nullable else names
        if "integer" in names and "number" in names:
            names.remove("integer")
        lowered = [self._single(schema, name, hint) for name in names]
        result = lowered[0] if len(lowered) == 1 else t.UnionType(tuple(lowered), exclusive=False)
        return t.NullableType(result) if nullable else result

    def _single(self, schema: dict[str, Any], name: str, hint: str) -> t.TypeRef:
        if name == "object":
            return self._object(schema, hint)
        if name == "array":
            return self._array(schema, hint)
        if name == "string":
            return self._string(schema)
        if name in ("integer", "number"):
            return self._numeric(schema, name)
        return t.BoolType() if name == "boolean" else t.NullType()

    # -- kinds -----------------------------------------------------------------------------
    def _not(self, schema: dict[str, Any], hint: str) -> t.TypeRef:
        """``not`` beside other keywords: a value of the others' type that ``not`` rejects."""
        negated = self.lower(schema["not"], f"{hint}Not")
        rest = {key: value for key, value in schema.items() if key != "not"}
        self._merged_from[id(rest)] = self._merged_from.get(id(schema), schema)
        self._keep_alive.append(rest)
        constrained = any(k not in ANNOTATIONS and not k.startswith("x-") for k in rest)
        base = self._lower_dict(rest, f"{hint}Base") if constrained else t.AnyType()
        return t.NotType(negated, base)

    def _object(self, schema: dict[str, Any], hint: str) -> t.TypeRef:
        props = schema.get("properties", {})
        required = schema.get("required", [])
        extra = schema.get("additionalProperties", True)
        if (
            not isinstance(props, dict)
            or not isinstance(required, list)
            or not all(isinstance(r, str) for r in required)
        ):
            self._refuse(schema, "malformed properties/required", "properties")
            return t.AnyType()
        missing = [r for r in dict.fromkeys(required) if r not in props]
        if missing:
            # JSON Schema: the property must be present, and any value will do.
            self.diagnostics.append(
                warning(
                    "SG-SCHEMA-REQUIRED-UNDECLARED",
                    f"required {missing!r} not declared in properties: any value is accepted",
                    self.locate(schema, "required"),
                    "declare every required property under `properties`",
                )
            )
        additional = None if extra is False else self.lower(extra, f"{hint}Value")
        if not props and not missing and additional is not None:
            return t.MapType(additional)
        name = self._names.allocate(pascal(hint))
        self._memo[id(schema)] = t.Named(name)  # placeholder: lets fields refer back by name
        fields = []
        for prop, sub in props.items():
            docs = _field_docs(sub)
            fields.append(t.Field(prop, self.lower(sub, f"{name}{pascal(prop)}"), prop in required,
                                  docs))  # fmt: skip
        fields += [t.Field(prop, t.AnyType(), True) for prop in missing]
        self.decls[name] = t.ObjectDecl(name, tuple(fields), additional, docs_of(schema))
        return t.Named(name)

    def _array(self, schema: dict[str, Any], hint: str) -> t.TypeRef:
        items = schema.get("items", True)
        if isinstance(items, list):
            self._refuse(schema, "`items` as a list (tuple validation)", "items")
            return t.AnyType()
        return t.ArrayType(
            self.lower(items, f"{hint}Item"),
            min_items=self._count(schema, "minItems"),
            max_items=self._count(schema, "maxItems"),
            unique_items=schema.get("uniqueItems") is True,
        )

    def _string(self, schema: dict[str, Any]) -> t.StringType:
        pattern = schema.get("pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except (re.error, TypeError) as exc:
                self._refuse(schema, f"pattern {pattern!r} ({exc})", "pattern")
                pattern = None
        fmt = schema.get("format")
        if fmt is not None and fmt not in FORMATS:
            self.diagnostics.append(
                warning(
                    "SG-SCHEMA-FORMAT",
                    f"format {fmt!r} is not checked by the generated code",
                    self.locate(schema, "format"),
                    f"supported formats: {', '.join(sorted(FORMATS))}",
                )
            )
            fmt = None
        return t.StringType(
            self._count(schema, "minLength"), self._count(schema, "maxLength"), pattern, fmt
        )

    def _numeric(self, schema: dict[str, Any], name: str) -> t.TypeRef:
        values = {}
        for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                        "multipleOf"):  # fmt: skip
            value = schema.get(keyword)
            if value is not None and not is_number(value):
                self._refuse(schema, f"{keyword} {value!r} (not a number)", keyword)
                value = None
            values[keyword] = value
        if values["multipleOf"] is not None and values["multipleOf"] <= 0:
            self._refuse(schema, "multipleOf <= 0", "multipleOf")
            values["multipleOf"] = None
        bounds = t.NumericBounds(
            values["minimum"], values["maximum"], values["exclusiveMinimum"],
            values["exclusiveMaximum"], values["multipleOf"],
        )  # fmt: skip
        if name == "number":
            return t.NumberType(bounds)
        return integer_type(bounds)

    def _literal(self, schema: dict[str, Any], hint: str) -> t.TypeRef:
        values = schema["enum"] if "enum" in schema else [schema["const"]]
        if not isinstance(values, list) or not values:
            self._refuse(schema, "an empty or malformed enum", "enum")
            return t.AnyType()
        types = schema.get("type")
        allowed = [types] if isinstance(types, str) else types
        if isinstance(allowed, list):
            kept = [v for v in values if json_type_of(v) in allowed
                    or (json_type_of(v) == "integer" and "number" in allowed)]  # fmt: skip
            values = kept or values
        if "const" not in schema and values and all(isinstance(v, str) for v in values):
            name = self._names.allocate(pascal(hint))
            self.decls[name] = t.EnumDecl(name, tuple(values), docs_of(schema))
            return t.Named(name)
        return t.LiteralType(tuple(values))

    def _union(self, schema: dict[str, Any], hint: str) -> t.TypeRef:
        keyword = "oneOf" if "oneOf" in schema else "anyOf"
        others = sorted(k for k in schema if k in SUPPORTED and k not in (keyword, "discriminator"))
        if others or ("oneOf" in schema and "anyOf" in schema):
            self._refuse(
                schema,
                f"{keyword} combined with {', '.join(others) or 'oneOf/anyOf'}",
                keyword,
                f"move the other keywords into every {keyword} branch",
            )
            return t.AnyType()
        branches = schema[keyword]
        if not isinstance(branches, list) or not branches:
            self._refuse(schema, f"an empty {keyword}", keyword)
            return t.AnyType()
        variants = tuple(self.lower(b, variant_hint(hint, b, i)) for i, b in enumerate(branches))
        discriminator = schema.get("discriminator")
        rest = tuple(v for v in variants if not isinstance(v, t.NullType))
        if discriminator is None and len(rest) == len(variants) - 1 and rest:
            if not any(accepts_null(v, self.decls) for v in rest):
                inner = rest[0] if len(rest) == 1 else t.UnionType(rest, keyword == "oneOf")
                return t.NullableType(inner)
        if discriminator is None:
            return t.UnionType(variants, exclusive=keyword == "oneOf")
        mapping = self._mapping(schema, variants, discriminator)
        return t.UnionType(variants, keyword == "oneOf", discriminator if mapping else None,
                           mapping)  # fmt: skip

    def _mapping(
        self, schema: dict[str, Any], variants: tuple[t.TypeRef, ...], discriminator: Any
    ) -> tuple[tuple[str, str], ...]:
        mapping: list[tuple[str, str]] = []
        for variant in variants:
            decl = self.decls.get(variant.name) if isinstance(variant, t.Named) else None
            field = None
            if isinstance(decl, t.ObjectDecl):
                field = next((f for f in decl.fields if f.json_name == discriminator), None)
            literal = field.type if field is not None and field.required else None
            if not (isinstance(literal, t.LiteralType) and len(literal.values) == 1
                    and isinstance(literal.values[0], str)):  # fmt: skip
                self.diagnostics.append(
                    error(
                        "SG-SCHEMA-DISCRIMINATOR",
                        f"discriminator {discriminator!r}: every variant must be an object "
                        "with that property required and a string `const`",
                        self.locate(schema, "discriminator"),
                        f"add `{discriminator}: {{const: <tag>}}` to each variant and require it",
                    )
                )
                return ()
            mapping.append((literal.values[0], decl.name))  # type: ignore[union-attr]
        if len({tag for tag, _ in mapping}) != len(mapping):
            self.diagnostics.append(
                error(
                    "SG-SCHEMA-DISCRIMINATOR",
                    f"discriminator {discriminator!r}: two variants share a tag",
                    self.locate(schema, "discriminator"),
                    "give every variant its own tag",
                )
            )
            return ()
        return tuple(mapping)

    # -- helpers ---------------------------------------------------------------------------
    def _count(self, schema: dict[str, Any], keyword: str) -> int | None:
        value = schema.get(keyword)
        if value is None:
            return None
        if is_number(value) and float(value).is_integer() and value >= 0:
            return int(value)
        self._refuse(schema, f"{keyword} {value!r} (not a non-negative integer)", keyword)
        return None

    def _refuse(self, schema: Any, what: str, keyword: str | None, hint: str = "") -> None:
        where = self.locate(schema, keyword) if keyword else self.locate(schema)
        self.diagnostics.append(
            error(
                "SG-SCHEMA-UNSUPPORTED",
                f"the code generators do not support {what}",
                where,
                hint or UNSUPPORTED_HINT,
            )
        )


def _field_docs(schema: Any) -> t.Docs:
    """A property's documentation, including what an ``allOf`` branch says about it."""
    if not isinstance(schema, dict):
        return t.Docs()
    if "allOf" in schema:
        merged, _ = merge_all_of(schema)
        return docs_of(merged if merged is not None else schema)
    return docs_of(schema)
