"""The catalog's views of the IR: type text, constraints, recursion, the picture's colours."""

from __future__ import annotations

from specgen import pipeline
from specgen.docs.schema_view import Constraint, SchemaView
from specgen.docs.search_index import MAX_DEPTH, field_paths, script_json
from specgen.docs.text import duration, safe_id
from specgen.docs.topology_svg import picture
from specgen.ir import PackageNames, ProjectIR, SpecIR, TopologyIR
from specgen.ir import types as t

from tests.helpers import SPEC

NODE = t.ObjectDecl(
    "Node",
    (
        t.Field("children", t.ArrayType(t.Named("Node"), min_items=1, max_items=8), True),
        t.Field("next", t.NullableType(t.Named("Node")), False),
        t.Field("label", t.Named("Label"), True),
    ),
    additional=None,
)
LABEL = t.AliasDecl("Label", t.StringType(min_length=1, max_length=20, pattern="^[a-z]+$"))


def _ir(*decls: t.TypeDecl) -> SpecIR:
    project = ProjectIR("p", "1.0.0", "urn:p:", PackageNames("p", "p", "p", "p"), (), "", ())
    return SpecIR(project, decls, (), TopologyIR(None, "hub", (), None))


def _text(view: SchemaView, ref: t.TypeRef) -> str:
    return "".join(p.text for p in view.type_text(ref))


def test_type_text_links_declarations_and_groups_unions() -> None:
    view = SchemaView(_ir(NODE, LABEL), lambda name: f"types.html#{name}")
    pieces = view.type_text(t.ArrayType(t.NullableType(t.Named("Node"))))
    assert [(p.text, p.href) for p in pieces] == [
        ("array of (", ""),
        ("Node", "types.html#Node"),
        (" | null)", ""),
    ]
    assert _text(view, t.Named("Label")) == "Label (string)"
    assert _text(view, t.LiteralType(("a", None))) == "string | null"


def test_constraints_follow_aliases_and_items() -> None:
    view = SchemaView(_ir(NODE, LABEL), lambda name: "")
    assert view.constraints(t.Named("Label")) == [
        Constraint("length: 1 to 20"),
        Constraint("pattern", ("^[a-z]+$",)),
    ]
    items = view.constraints(t.ArrayType(t.Named("Label"), max_items=3, unique_items=True))
    assert items[:2] == [Constraint("items: at most 3"), Constraint("unique items")]
    assert items[2] == Constraint("each item: length: 1 to 20")
    bounds = view.constraints(t.NumberType(t.NumericBounds(minimum=0.0, exclusive_maximum=1.5)))
    assert bounds == [Constraint("minimum", ("0",)), Constraint("less than", ("1.5",))]


def test_recursive_types_end() -> None:
    ir = _ir(NODE, LABEL)
    assert SchemaView(ir, lambda name: "").reachable(t.Named("Node")) == ["Node", "Label"]
    paths = field_paths(ir, t.Named("Node"))
    assert paths == ["children", "next", "label"]  # Node inside Node is not entered again
    assert max(p.count(".") for p in paths) <= MAX_DEPTH


def test_ids_and_texts() -> None:
    assert safe_id("com.x.thing_done") == "com.x.thing_done"
    assert safe_id("a b/ü") == "a~20b~2f~c3~bc"
    assert safe_id("..") == "~2e." and safe_id("") == "~"
    assert len({safe_id(s) for s in ("a~20", "a ", "a~7e20")}) == 3
    assert [duration(ms) for ms in (2_592_000_000, 7_200_000, 90_000, 1500, 0)] == [
        "30 days", "2 hours", "90 seconds", "1500 milliseconds", "unlimited"
    ]  # fmt: skip
    assert (
        script_json(["</script>", "a&b", "\u2028"])
        == '["\\u003c/script\\u003e","a\\u0026b","\\u2028"]'
    )


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(one: str, other: str) -> float:
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_picture_text_contrast() -> None:
    """Every text of the topology picture against the innermost box it sits in (AA, 4.5:1)."""
    ir = pipeline.build([SPEC]).ir
    assert ir is not None
    drawing = picture(ir)
    assert drawing is not None and len(drawing.texts) > 20
    for text in drawing.texts:
        inside = [
            b for b in drawing.boxes if b.x <= text.x <= b.x + b.w and b.y <= text.y <= b.y + b.h
        ]
        background = min(inside, key=lambda b: b.w * b.h).fill if inside else "#ffffff"
        assert _contrast(text.colour, background) >= 4.5, (text, background)
        assert text.x >= 0 and text.y <= drawing.height


def test_changes_summary_without_an_old_project_version() -> None:
    from specgen.diff.run import Report
    from specgen.docs.changes_view import changes_view
    from specgen.docs.site import SiteMap

    site = SiteMap(_ir(NODE, LABEL))
    assert changes_view(Report("v0", "", "1.0.0"), site).summary == "Since v0: no changes."
    both = changes_view(Report("v0", "0.9.0", "1.0.0"), site)
    assert both.summary == "Version 0.9.0 to 1.0.0: no changes." and both.groups == ()
