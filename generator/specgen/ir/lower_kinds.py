"""What a value *is*: a schema's own keywords (no applicators) as one neutral type.

The part of the lowering that turns ``type`` and the keywords of each JSON type into kinds:
objects (named properties, patterns, key rules, dependencies), maps, arrays (tuples,
``contains``), strings, numbers, literals. ``SchemaLowering`` (``lower_schema``) mixes it in
and provides ``lower``, ``register``, ``synth`` and the name allocator.
"""

from __future__ import annotations

from specgen.diagnostics import Diagnostic, Location, warning
from specgen.ir import types as t
from specgen.ir.all_of import Synthesis, fold_all_of
from specgen.ir.naming import NameAllocator, pascal
from specgen.ir.schema_vocabulary import (
    FORMATS,
    JSON_TYPES,
    constrains,
    docs_of,
    integer_type,
    json_type_of,
)
from specgen.schema import Schema, SchemaNode
from specgen.schema.regex import dialect_error, matches, outside_dialect

Same = tuple[int, ...]


class KindLowering:
    decls: dict[str, t.TypeDecl]
    diagnostics: list[Diagnostic]
    synth: Synthesis
    _names: NameAllocator

    def lower(self, schema: SchemaNode, hint: str, same: Same = ()) -> t.TypeRef:
        raise NotImplementedError

    def register(self, name: str) -> None:
        raise NotImplementedError

    def warn(self, rule: str, message: str, where: Location, hint: str) -> None:
        self.diagnostics.append(warning(rule, message, where, hint))

    # -- dispatch --------------------------------------------------------------------------
    @staticmethod
    def has_type_keywords(schema: Schema) -> bool:
        if schema.types is not None or schema.enum is not None or schema.const is not None:
            return True
        return any(constrains(schema, name) for name in JSON_TYPES)

    def typed(
        self, schema: Schema, hint: str, same: Same = (), *, register: bool = False
    ) -> t.TypeRef:
        """The type of ``schema``'s own keywords; ``register``: this type is the whole schema."""
        if schema.enum is not None or schema.const is not None:
            return self._literal(schema, hint, same)
        if schema.types is None:
            constrained = sorted(k for name in JSON_TYPES for k in constrains(schema, name))
            if not constrained:
                return t.AnyType()
            # JSON Schema applies each keyword to values of its type only and lets every other
            # value through: exactly a union over all the types, each with its own keywords.
            keywords = ", ".join(dict.fromkeys(constrained))
            self.warn(
                "SG-SCHEMA-UNTYPED",
                f"{keywords} without a `type`: the value may be of any JSON type, and the "
                "keywords only constrain values of their own type",
                schema.location,
                "say which type the value has, e.g. `type: object`",
            )
            return self._types(schema, list(JSON_TYPES), hint, same, False)
        return self._types(schema, list(schema.types), hint, same, register)

    def _types(
        self, schema: Schema, names: list[str], hint: str, same: Same, register: bool
    ) -> t.TypeRef:
        nullable = "null" in names and len(names) > 1
        names = [n for n in names if n != "null"] if nullable else names
        if "integer" in names and "number" in names:
            names.remove("integer")
        register = register and len(names) == 1 and not nullable
        lowered = [self._single(schema, name, hint, same, register) for name in names]
        result = lowered[0] if len(lowered) == 1 else t.UnionType(tuple(lowered), exclusive=False)
        return t.NullableType(result) if nullable else result

    def _single(
        self, schema: Schema, name: str, hint: str, same: Same, register: bool
    ) -> t.TypeRef:
        if name == "object":
            return self._object(schema, hint, same, register)
        if name == "array":
            return self._array(schema, hint)
        if name == "string":
            return self._string(schema)
        if name in ("integer", "number"):
            bounds = t.NumericBounds(schema.minimum, schema.maximum, schema.exclusive_minimum,
                                     schema.exclusive_maximum, schema.multiple_of)  # fmt: skip
            return t.NumberType(bounds) if name == "number" else integer_type(bounds)
        return t.BoolType() if name == "boolean" else t.NullType()

    # -- objects ---------------------------------------------------------------------------
    def _patterns_of(self, schema: Schema, key: str) -> list[SchemaNode]:
        return [s for p, s in schema.pattern_properties.items() if matches(p, key)]

    def _keys(self, schema: Schema, hint: str, same: Same) -> t.KeyRules:
        patterns = []
        for i, (source, sub) in enumerate(schema.pattern_properties.items()):
            problem = outside_dialect(source)
            if problem is not None:
                where = schema.at("patternProperties")
                self.diagnostics.append(dialect_error("patternProperties", source, problem, where))
                continue
            patterns.append(t.PatternField(source, self.lower(sub, f"{hint}Pattern{i + 1}")))
        names = schema.property_names
        dependencies = []
        for prop, dependency in schema.dependencies.items():
            if isinstance(dependency, tuple):
                dependencies.append(t.Dependency(prop, required=dependency))
            else:
                lowered = self.lower(dependency, f"{hint}With{pascal(prop)}", same)
                dependencies.append(t.Dependency(prop, type=lowered))
        return t.KeyRules(
            tuple(patterns),
            self.lower(names, f"{hint}Key") if names is not None else None,
            schema.min_properties,
            schema.max_properties,
            tuple(dependencies),
        )

    def _object(self, schema: Schema, hint: str, same: Same, register: bool) -> t.TypeRef:
        props, required, extra = schema.properties, schema.required, schema.additional_properties
        missing = [r for r in required if r not in props]
        additional = None if extra is False else self.lower(extra or True, f"{hint}Value")
        if not props and not missing and (additional is not None or schema.pattern_properties):
            keys = self._keys(schema, f"{hint}Value", same)
            return t.MapType(additional or t.LiteralType(()), keys)
        name = self._names.allocate(pascal(hint))
        if register:
            self.register(name)
        fields = []
        for prop, sub in props.items():
            typed = self.synth.all_of(schema, [sub, *self._patterns_of(schema, prop)])
            lowered = self.lower(typed, f"{name}{pascal(prop)}")
            fields.append(t.Field(prop, lowered, prop in required, _field_docs(self, sub)))
        for prop in missing:
            fields.append(t.Field(prop, self._undeclared(schema, prop, name), True))
        keys = self._keys(schema, name, same)
        self.decls[name] = t.ObjectDecl(name, tuple(fields), additional, docs_of(schema), keys)
        return t.Named(name)

    def _undeclared(self, schema: Schema, prop: str, owner: str) -> t.TypeRef:
        """A required property that ``properties`` does not declare: what else says its type."""
        patterns = self._patterns_of(schema, prop)
        if patterns or schema.additional_properties not in (None, True):
            extra = schema.additional_properties
            parts = patterns or [extra if extra is not None else True]
            return self.lower(self.synth.all_of(schema, parts), f"{owner}{pascal(prop)}")
        self.warn(
            "SG-SCHEMA-REQUIRED-UNDECLARED",
            f"required {prop!r} is not declared in properties: any value is accepted",
            schema.at("required"),
            "declare every required property under `properties`",
        )
        return t.AnyType()

    # -- arrays and scalars ----------------------------------------------------------------
    def _array(self, schema: Schema, hint: str) -> t.TypeRef:
        prefix: tuple[t.TypeRef, ...] = ()
        if isinstance(schema.items, tuple):
            prefix = tuple(self.lower(s, f"{hint}Item{i + 1}") for i, s in enumerate(schema.items))
            rest = schema.additional_items if schema.additional_items is not None else True
            items = self.lower(rest, f"{hint}Item")
        else:
            items = self.lower(schema.items if schema.items is not None else True, f"{hint}Item")
        contains = schema.contains
        return t.ArrayType(
            items,
            min_items=schema.min_items,
            max_items=schema.max_items,
            unique_items=schema.unique_items,
            prefix=prefix,
            contains=self.lower(contains, f"{hint}Contains") if contains is not None else None,
        )

    def _string(self, schema: Schema) -> t.StringType:
        pattern = schema.pattern
        problem = outside_dialect(pattern) if pattern is not None else None
        if problem is not None and pattern is not None:
            self.diagnostics.append(
                dialect_error("pattern", pattern, problem, schema.at("pattern"))
            )
            pattern = None
        fmt = schema.format
        if fmt is not None and fmt not in FORMATS:
            self.warn(
                "SG-SCHEMA-FORMAT",
                f"format {fmt!r} is not checked by the generated code",
                schema.at("format"),
                f"checked formats: {', '.join(sorted(FORMATS))} (docs/formats.md)",
            )
            fmt = None
        return t.StringType(schema.min_length, schema.max_length, pattern, fmt)

    def _literal(self, schema: Schema, hint: str, same: Same) -> t.TypeRef:
        values = list(schema.enum) if schema.enum is not None else [schema.const.value]  # type: ignore[union-attr]
        if schema.types is not None:
            allowed = schema.types
            values = [v for v in values if json_type_of(v) in allowed
                      or (json_type_of(v) == "integer" and "number" in allowed)]  # fmt: skip
        rest = self.synth.copy(schema)
        rest.enum = rest.const = rest.types = None
        if schema.const is None and values and all(isinstance(v, str) for v in values):
            name = self._names.allocate(pascal(hint))
            self.decls[name] = t.EnumDecl(name, tuple(values), docs_of(schema))
            literal: t.TypeRef = t.Named(name)
        else:
            literal = t.LiteralType(tuple(values))
        if not values or not self.has_type_keywords(rest):
            return literal
        check = t.AllOfCondition(self.typed(rest, f"{hint}Value", same))
        return t.ConstrainedType(literal, (check,))


def _field_docs(lowering: KindLowering, schema: SchemaNode) -> t.Docs:
    """A property's documentation, including what an ``allOf`` branch says about it."""
    if isinstance(schema, Schema) and schema.all_of:
        folded, _, _ = fold_all_of(schema, lambda _: False, lowering.synth)
        return docs_of(folded)
    return docs_of(schema)
