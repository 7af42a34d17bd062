"""Which module of ``models/`` each payload declaration goes to.

An event's payload type and the types only it uses live in a module of their own
(``models/order_created.rs``); types the payloads of one domain share live in that domain's
module (``models/orders.rs``), types several domains share in ``models/shared.rs``. So the
types are split by the concepts the spec already has, and every module stays small.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from specgen.backends.rust.names import module_name
from specgen.ir import SpecIR
from specgen.ir import types as t
from specgen.ir.naming import NameAllocator, snake

SHARED = "shared"


@dataclass(frozen=True)
class ModulePlan:
    modules: tuple[str, ...]  # sorted by name (as rustfmt orders `mod` items)
    of: dict[str, str]  # declaration name -> module
    about: dict[str, str]  # module -> what it holds


def children(ref: t.TypeRef, *, checked: bool = True) -> tuple[t.TypeRef, ...]:
    """The types directly inside ``ref``; without ``checked``, only those its Rust type
    stores (not the schemas it is only checked against: conditions, ``contains``, tuple
    items and pattern values, which are read as JSON)."""
    if checked:
        return t.children(ref)
    if isinstance(ref, t.ArrayType):
        return () if ref.prefix else (ref.items,)
    if isinstance(ref, t.MapType):
        return () if ref.keys.patterns else (ref.values,)
    if isinstance(ref, t.NullableType):
        return (ref.inner,)
    if isinstance(ref, t.UnionType):
        return ref.variants
    if isinstance(ref, t.ConstrainedType):
        return (ref.base,)
    return ()


def _refs(ref: t.TypeRef) -> Iterator[str]:
    if isinstance(ref, t.Named):
        yield ref.name
    for child in children(ref):
        yield from _refs(child)


def decl_refs(decl: t.TypeDecl) -> Iterator[str]:
    """The declarations ``decl`` names directly."""
    for ref in t.decl_types(decl):
        yield from _refs(ref)


def _reach(root: str, decls: dict[str, t.TypeDecl]) -> set[str]:
    seen: set[str] = set()
    todo = [root]
    while todo:
        name = todo.pop()
        if name not in seen and name in decls:
            seen.add(name)
            todo.extend(decl_refs(decls[name]))
    return seen


def plan_modules(ir: SpecIR, type_name: Callable[[str], str]) -> ModulePlan:
    """A module per event payload (with the types only it uses), per domain (types its
    payloads share) and one for types several domains share."""
    decls = {d.name: d for d in ir.types}
    by_payload: dict[str, set[str]] = {name: set() for name in decls}
    by_domain: dict[str, set[str]] = {name: set() for name in decls}
    names = NameAllocator()
    domain_module = {d.name: names.allocate(module_name(d.name)) for d in ir.domains}
    shared = names.allocate(SHARED)
    payload_module: dict[str, str] = {}
    for domain in ir.domains:
        for event in domain.events:
            if not isinstance(event.payload, t.Named):
                continue
            root = event.payload.name
            if root not in payload_module:
                payload_module[root] = names.allocate(module_name(snake(type_name(root))))
            for name in _reach(root, decls):
                by_payload[name].add(root)
                by_domain[name].add(domain.name)
    of = {}
    for name in decls:
        if len(by_payload[name]) == 1:
            of[name] = payload_module[next(iter(by_payload[name]))]
        elif len(by_domain[name]) == 1:
            of[name] = domain_module[next(iter(by_domain[name]))]
        else:
            of[name] = shared
    about = {
        m: f"The `{type_name(root)}` payload and the types only it uses."
        for root, m in payload_module.items()
    }
    for domain in ir.domains:
        about[domain_module[domain.name]] = f"Payload types the {domain.name} events share."
    about[shared] = "Payload types the events of several domains share."
    used = set(of.values())
    return ModulePlan(tuple(sorted(used)), of, about)
