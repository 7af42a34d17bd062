"""The generated TypeScript package: determinism, dependencies, prettier's layout, strict
declarations a consumer compiles against, escaping, and the golden CloudEvents vectors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from specgen.backends.runtimes import RUNTIME_VERSION
from specgen.backends.typescript import generate
from specgen.backends.typescript.capability import TypeScriptCapabilityError, check_capabilities
from specgen.backends.typescript.literals import jsdoc, ts_key, ts_str
from specgen.ir import SpecIR
from specgen.ir import types as t
from specgen.pipeline import build
from ts_support import (
    GENERATED,
    NODE,
    REPO,
    RUNTIME,
    TOOLS,
    declarations_as_sources,
    link_node_modules,
    linked_copy,
    node_json,
    prettier_changes,
    run,
    script_files,
    typecheck,
)


def spec_ir() -> SpecIR:
    result = build([REPO / "spec"])
    assert result.ir is not None
    return result.ir


def test_generated_is_up_to_date_and_deterministic() -> None:
    ir = spec_ir()
    first, second = generate(ir), generate(ir)
    assert first == second
    for file in first:
        assert (REPO / "generated" / file.path).read_text(encoding="utf-8") == file.content, (
            file.path
        )


def test_prettier_changes_nothing(node_tools: Path) -> None:
    files = script_files(GENERATED)
    assert {p.suffix for p in files} == {".js", ".ts"} and len(files) >= 10
    assert prettier_changes(files) == []


def _caret_allows(requirement: str, version: str) -> bool:
    """npm's ``^X.Y.Z``: the same leftmost non-zero part, and not older."""
    assert requirement.startswith("^"), requirement
    want = [int(p) for p in requirement[1:].split(".")]
    have = [int(p) for p in version.split(".")]
    fixed = next((i for i, p in enumerate(want) if p != 0), len(want) - 1) + 1
    return have[:fixed] == want[:fixed] and have >= want


def test_dependencies_are_ranges_the_pinned_tools_satisfy() -> None:
    tools = json.loads((TOOLS / "package.json").read_text())
    runtime = json.loads((RUNTIME / "package.json").read_text())
    assert runtime["name"] == "@specgen/runtime" and runtime["version"] == RUNTIME_VERSION
    for name, requirement in runtime["dependencies"].items():
        assert _caret_allows(requirement, tools["dependencies"][name]), (name, requirement)
    for name, version in runtime["devDependencies"].items():
        assert tools["devDependencies"][name] == version, name
    package = json.loads((GENERATED / "package.json").read_text())
    assert package["name"] == "@powerflex/events" and package["type"] == "module"
    # The generated package holds only what the spec decides: all else is the runtime's. It
    # is JavaScript with declarations, so it has nothing to build.
    assert package["dependencies"] == {"@specgen/runtime": "^0.2.0"}
    assert "scripts" not in package and "devDependencies" not in package
    assert package["exports"]["."] == {"types": "./lib/index.d.ts", "import": "./lib/index.js"}
    assert _caret_allows(package["dependencies"]["@specgen/runtime"], RUNTIME_VERSION)
    assert not _caret_allows("^0.2.0", "0.3.0") and _caret_allows("^0.2.0", "0.2.7")


CONSUMER = """\
import {
  ChargerStatusChangedV1,
  EVENT_TYPES,
  MQTT_TOPICS,
  OrderCreatedV1,
  OrdersPublisher,
  OrdersSubscriber,
  SpecgenError,
  type OrdersEvent,
  type models,
} from "@powerflex/events";
import type { NatsConnection } from "@specgen/runtime";

export async function use(nc: NatsConnection, data: models.OrderCreated): Promise<string> {
  const publisher = new OrdersPublisher(nc, { mode: "binary" });
  const result = await publisher.orderCreatedV1(data, { siteId: "site-1", id: "order-1" });
  const event: OrdersEvent = OrderCreatedV1.create(data, { site_id: "site-1" });
  await publisher.publish(event, OrderCreatedV1.subjectFor({ site_id: "site-1" }));
  const subscription = await new OrdersSubscriber(nc).orderCreatedV1({ siteId: "site-1" });
  for await (const received of subscription) {
    const paid: models.OrderCreated = received.event.data;
    received.ack();
    return paid.order_id + String(received.numDelivered);
  }
  // @ts-expect-error: the subject parameter is required
  await publisher.orderCreatedV1(data, {});
  // @ts-expect-error: an order is not a payment
  await publisher.orderPaidV1(data, { siteId: "site-1" });
  const spec = EVENT_TYPES["com.powerflex.orders.order_created.v1"];
  const topic: string = ChargerStatusChangedV1.topicFor({ site_id: "site-1" });
  const served = MQTT_TOPICS[ChargerStatusChangedV1.type];
  // @ts-expect-error: QoS is 0 or 1
  const qos: 2 = served?.qos ?? 2;
  return (result.stream ?? "") + String(spec instanceof Object) + String(SpecgenError.name) +
    topic + String(qos);
}
"""


def test_declarations_and_a_consumer_compile_strict(
    node_tools: Path, ts_runtime: Path, ts_package: Path, tmp_path: Path
) -> None:
    """The package's declarations and a typed consumer of them, with tsc --strict."""
    checked = linked_copy(GENERATED, tmp_path / "declarations", node_tools, ts_runtime)
    typecheck(checked, node_tools, declarations_as_sources(checked))
    modules = link_node_modules(tmp_path, node_tools, ts_runtime)
    (modules / "@powerflex").mkdir()
    (modules / "@powerflex" / "events").symlink_to(ts_package, target_is_directory=True)
    (tmp_path / "package.json").write_text('{"type": "module"}')
    (tmp_path / "consumer.ts").write_text(CONSUMER)
    typecheck(tmp_path, node_tools, ["consumer.ts"])
    # The same program with the expected errors made real must fail: the check has teeth.
    (tmp_path / "consumer.ts").write_text(CONSUMER.replace("// @ts-expect-error", "//"))
    with pytest.raises(AssertionError, match="TS2322|TS2345|TS2739|TS2741"):
        typecheck(tmp_path, node_tools, ["consumer.ts"])


HOSTILE = [
    'a */ b "c" \\ d \u2028 e \u2029 ${x} `y`\n*/',
    'it\'s "quoted" twice "here"',
    "tab\tnull\0bell\u0007 é 日本 \U0001f600",
    "\\'already\\' escaped",
]


def test_literals_evaluate_to_the_text_and_comments_cannot_break_out(tmp_path: Path) -> None:
    assert NODE is not None
    keys = [
        "__proto__",
        "a-b",
        "1",
        "1.5",
        "01",
        "größe",
        "default",
        "x y",
        "0.0000001",
        "0.000001",
    ]
    program = "console.log(JSON.stringify([" + ", ".join(ts_str(s) for s in HOSTILE) + "]));"
    program += "\nconsole.log(JSON.stringify(Object.keys({"
    program += ", ".join(f"{ts_key(k, javascript=True)}: 1" for k in keys) + "})));"
    (tmp_path / "literals.mjs").write_text(program, encoding="utf-8")
    strings, names = run([NODE, "literals.mjs"], tmp_path).rstrip("\n").split("\n")
    assert json.loads(strings) == HOSTILE
    assert sorted(json.loads(names)) == sorted(keys)
    for text in HOSTILE:
        assert "\u2028" not in ts_str(text) and "\u2029" not in ts_str(text)
        doc = jsdoc(text)
        assert doc.count("*/") == 1 and doc.endswith("*/")


def test_integers_beyond_2_53_are_refused() -> None:
    ir = spec_ir()
    check_capabilities(ir)  # the spec's u64 fields are bounded by 2^53 - 1
    wide = t.AliasDecl(
        "Big", t.IntegerType(t.NumericBounds(minimum=0, maximum=2**64 - 1), False, 64)
    )
    with pytest.raises(
        TypeScriptCapabilityError, match=r"Big: integer maximum 18446744073709551615"
    ):
        check_capabilities(type(ir)(ir.project, (*ir.types, wide), ir.domains, ir.topology))


def test_golden_vectors(ts_package: Path) -> None:
    report = node_json(
        "vectors.mjs",
        str(ts_package),
        str(REPO / "tests" / "vectors" / "vectors.json"),
        cwd=ts_package,
    )
    assert report["total"] == 84
    assert report["failures"] == []
