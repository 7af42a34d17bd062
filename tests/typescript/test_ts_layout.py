"""The layout helper decides line breaks as the pinned prettier does, at every length.

Generated files are checked whole elsewhere; here each construct the TypeScript backend
emits is printed at lengths around the 100-column edge (names, unions, schema literals,
parameter lists, numbers), all in one JavaScript and one declaration file, and prettier must
find nothing to change.
"""

from __future__ import annotations

from pathlib import Path

from specgen.backends.layout import HARD, Doc, render
from specgen.backends.typescript import layout as ly
from ts_support import prettier_changes


def _name(width: int, stem: str = "Name") -> str:
    return (stem + "X" * width)[:width]


def _javascript() -> list[str]:
    out = []
    for width in range(50, 101, 3):
        name = _name(width, "OrderCreated")
        literal = ly.obj([("name", name), ("schema", {"type": "object"})], force_break=True)
        out.append(render(ly.export_const_call(name, "new rt.EventSpec", literal)))
        out.append(render(ly.export_const_string(_name(width // 2, "PACKAGE"), "x" * width)))
        made = ly.call("rt.publisherClass", ['"' + name + '"', "METHODS"])
        out.append(render(ly.export_const_value(name, made)))
    for width in range(60, 110, 7):
        schema = {
            "description": "d" * width,
            "abcd": "e" * width,
            "enum": ["v" * (width // 10)] * 9,
            "numbers": list(range(width)),
            "mixed": [1.5e-7, -2, 1e21, 0.1, 2**53 - 1],
            "rows": [{"a": 1, "b": "x" * (width // 3)}, {"c": [1, 2]}],
            "pairs": [[1, 2], [3, 4]],
            "nested": {"k" * (width // 4): {"j" * (width // 5): ["z" * (width // 2)]}},
            "keys": {"a-b": None, "1": True, "1.50": False, "__proto__": {}, "ok": []},
            "quotes": ['say "hi"', "it's", "\u2028"],
        }
        out.append(render(ly.export_const_value(_name(10), ly.obj(list(schema.items())))))
    names = [_name(w, "Event") for w in range(8, 40, 5)]
    out.append(render(ly.export_names(names, "@specgen/runtime")))
    return out


def _types(width: int) -> list[ly.TsType]:
    literal = [ly.TsType.simple(f'"{_name(width // 6, "v")}{i}"') for i in range(8)]
    union = ly.TsType.union(literal)
    named = ly.TsType.simple(_name(width // 3, "Payload"))
    return [
        union,
        ly.TsType.array(union),
        ly.TsType.map(union),
        ly.TsType.union([ly.TsType.array(union), ly.TsType.simple("null")]),
        ly.TsType.union([named, ly.TsType.simple("null")]),
        ly.TsType.array(ly.TsType.array(ly.TsType.map(named))),
        ly.TsType.union([named, ly.TsType.simple("string"), ly.TsType.array(named)]),
    ]


def _declarations() -> list[str]:
    out = []
    for width in range(30, 110, 9):
        members: list[Doc] = []
        for i, kind in enumerate(_types(width)):
            members.append(
                ly.property_signature(_name(width // 4, f"p{i}"), kind, optional=i % 2 == 0)
            )
            out.append(render(ly.type_alias(_name(width // 3, f"T{i}"), kind)))
        members.append(ly.property_signature("a-b", ly.TsType.simple("string"), optional=False))
        out.append(
            render([ly.interface_heading(_name(width, "Shape")), ly.block(members), HARD, "}"])
        )
        params = [f"data: models.{_name(width // 2, 'Data')}", f"options: {_name(width // 3)}"]
        result = ly.TsType.generic(
            "Promise", ly.TsType.generic("rt.Subscription", ly.TsType.simple("X"))
        )
        body = ly.body([ly.method_signature(_name(width // 3, "m"), params, result)])
        out.append(
            "\n".join(
                [render(ly.class_heading(_name(width, "Pub"), "rt.DomainPublisher")), body, "}"]
            )
        )
        base = ly.interface_heading(_name(width, "Options"), "rt.CreateOptions")
        option = ly.property_signature(
            "siteId", ly.TsType.simple("string"), optional=False, readonly=True
        )
        out.append(render([base, ly.block([option]), HARD, "}"]))
    return out


def test_prettier_agrees_at_every_length(node_tools: Path, tmp_path: Path) -> None:
    js = tmp_path / "layout.js"
    js.write_text("\n".join(_javascript()) + "\n", encoding="utf-8")
    dts = tmp_path / "layout.d.ts"
    dts.write_text("\n".join(_declarations()) + "\n", encoding="utf-8")
    assert prettier_changes([js, dts]) == []
