"""Work shared by ``validate`` and the backends is made once per IR object and forgotten with
it (specgen.ir.memo): the IR dump, Rust's payload modules, TypeScript's capability check."""

from __future__ import annotations

import gc
from dataclasses import replace

from specgen.backends import rust
from specgen.ir import SpecIR
from specgen.ir.memo import per_ir
from specgen.ir.serialize import dump_ir
from specgen.pipeline import build

from tests.helpers import REPO


def _ir() -> SpecIR:
    ir = build([REPO / "spec"]).ir
    assert ir is not None
    return ir


def test_a_result_is_made_once_per_ir_object_and_forgotten_with_it() -> None:
    calls: list[int] = []

    @per_ir
    def names(ir: SpecIR) -> list[str]:
        calls.append(id(ir))
        return [decl.name for decl in ir.types]

    first = _ir()
    twin = replace(first)  # equal, but another object: never shares a result
    assert names(first) is names(first)
    assert names(twin) == names(first) and names(twin) is not names(first)
    assert calls == [id(first), id(twin)] and len(names) == 2
    del first
    gc.collect()
    assert len(names) == 1
    del twin
    gc.collect()
    assert len(names) == 0


def test_the_ir_dump_is_made_once_and_is_what_a_fresh_dump_gives() -> None:
    ir = _ir()
    assert dump_ir(ir) is dump_ir(ir)
    assert dump_ir(ir) == dump_ir.__wrapped__(ir)


def test_rust_generate_reuses_the_payload_modules_of_the_capability_check() -> None:
    ir = _ir()
    checked = rust.payload_modules(ir)
    remembered = rust._payload(ir)
    files = {f.path.removeprefix("rust/src/"): f.content for f in rust.generate(ir)}
    assert rust._payload(ir) is remembered
    assert {path: files[path] for path in checked} == checked
    assert checked == rust._payload.__wrapped__(ir).files  # the same as made afresh
