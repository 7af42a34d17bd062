"""What the TypeScript target can express (the quicktype idea: lower what the language can say,
refuse the rest).

- objects, enums, literals, nullable, unions, arrays (tuples too), maps, any: all expressible;
  a constrained type (``not``, ``if``, ``allOf`` parts, ...) is its base type (``unknown``
  alone), the checks themselves are ajv's, over the embedded schema;
- integers are JavaScript numbers, exact within +-(2^53 - 1). A schema whose *declared*
  integer bounds (or literal values) go beyond that is refused here, with the declaration and
  field named: generating ``number`` for it would round values silently. Integers without
  declared bounds (the IR's 64-bit default) are narrowed to the safe range at run time: the
  generated validator rejects larger values with a clear error, never rounds them, and
  decoding rejects any JSON integer literal a double cannot hold exactly.
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.backends import BackendRefusal
from specgen.backends.typescript.layout import check_value
from specgen.backends.typescript.literals import MAX_SAFE_INTEGER
from specgen.ir import SpecIR
from specgen.ir import types as t
from specgen.ir.memo import per_ir


class TypeScriptCapabilityError(BackendRefusal):
    """The spec asks for something the TypeScript target cannot represent exactly."""


def _problems(ref: t.TypeRef) -> Iterator[str]:
    if isinstance(ref, t.IntegerType):
        b = ref.bounds
        for label, value in (("minimum", b.minimum), ("maximum", b.maximum),
                             ("exclusiveMinimum", b.exclusive_minimum),
                             ("exclusiveMaximum", b.exclusive_maximum)):  # fmt: skip
            if value is not None and abs(value) > MAX_SAFE_INTEGER + 1:
                yield f"integer {label} {value} is outside +-(2^53 - 1)"
    if isinstance(ref, t.LiteralType):
        for literal in ref.values:
            try:
                check_value(literal)
            except ValueError as exc:
                yield f"literal value: {exc}"
    for child in t.children(ref):
        yield from _problems(child)


@per_ir
def _refused(ir: SpecIR) -> tuple[str, ...]:
    """Each place TypeScript cannot represent exactly (made once per IR: ``validate``'s
    capability check and ``generate`` both ask)."""
    found = []
    for decl in ir.types:
        if isinstance(decl, t.ObjectDecl):
            refs = [(f"{decl.name}.{f.json_name}", f.type) for f in decl.fields]
            if decl.additional is not None:
                refs.append((f"{decl.name}.*", decl.additional))
            refs += [(f"{decl.name} (keys)", k) for k in t.key_types(decl.keys)]
        elif isinstance(decl, t.AliasDecl):
            refs = [(decl.name, decl.type)]
        else:
            refs = []
        found += [f"{where}: {p}" for where, ref in refs for p in _problems(ref)]
    for event in ir.events():
        try:
            check_value(event.payload_schema)
        except ValueError as exc:
            found.append(f"data schema of {event.type}: {exc}")
    return tuple(sorted(set(found)))


def check_capabilities(ir: SpecIR) -> None:
    """Refuse, with every offending place named, what TypeScript cannot represent exactly."""
    found = _refused(ir)
    if found:
        raise TypeScriptCapabilityError(
            "the TypeScript backend cannot represent these integers exactly (JavaScript numbers "
            "hold integers up to 2^53 - 1); narrow the bounds or drop TypeScript from "
            "`languages`:\n  " + "\n  ".join(found)
        )
