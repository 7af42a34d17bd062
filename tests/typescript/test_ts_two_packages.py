"""Two generated TypeScript packages in one application share one @specgen/runtime.

Two small specs of their own (tests/two_packages/alpha and beta) are generated and installed
side by side with one runtime; a TypeScript program compiled with tsc --strict makes each
package raise an error and checks it against the other package's classes. As a control, the
same program with beta wired to a second copy of the runtime must see different classes: the
check can tell one runtime from two.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from specgen.pipeline import generate
from specgen.writer import write
from ts_support import NODE, REPO, link_node_modules, linked_copy, run, tsc

SPECS = REPO / "tests" / "two_packages"

PROGRAM = """\
import * as alpha from "@alpha/events";
import * as beta from "@beta/events";
import { SpecgenError, ValidationError } from "@specgen/runtime";

const seen: Record<string, boolean> = {};
try {
  alpha.ParcelScannedV1.create({ parcel_id: "nope", weight_kg: 1 }, { site_id: "site-0001" });
} catch (error) {
  seen.alphaErrorIsBetas = error instanceof beta.ValidationError;
  seen.alphaErrorIsTheRuntimes = error instanceof ValidationError && error instanceof SpecgenError;
}
try {
  const headers = { "Content-Type": "application/cloudevents+json" };
  beta.decode(beta.ReadingTakenV1, headers, new TextEncoder().encode("{"));
} catch (error) {
  seen.betaErrorIsAlphas = error instanceof alpha.DecodeError;
}
seen.oneRuntimeModule = alpha.runtime === beta.runtime;
console.log(JSON.stringify(seen));
"""

TSCONFIG = {
    "compilerOptions": {
        "target": "ES2022",
        "lib": ["ES2024"],
        "module": "NodeNext",
        "moduleResolution": "NodeNext",
        "types": ["node"],
        "strict": True,
        "skipLibCheck": True,
        "outDir": "out",
    },
    "include": ["main.ts"],
}


def _package(name: str, work: Path, tools: Path, runtime: Path) -> Path:
    result = generate([SPECS / name], languages=["typescript"])
    assert result.files, result.diagnostics
    write(result.files, work / f"{name}-out")
    return linked_copy(work / f"{name}-out" / "typescript", work / name, tools, runtime)


def _program(
    project: Path, tools: Path, runtime: Path, packages: dict[str, Path]
) -> dict[str, bool]:
    assert NODE is not None
    modules = link_node_modules(project, tools, runtime)
    for scope, package in packages.items():
        (modules / scope).mkdir()
        (modules / scope / "events").symlink_to(package, target_is_directory=True)
    (project / "package.json").write_text('{"type": "module"}')
    (project / "main.ts").write_text(PROGRAM)
    (project / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    tsc(tools, "-p", "tsconfig.json", cwd=project)
    result: dict[str, bool] = json.loads(run([NODE, "out/main.js"], project).splitlines()[-1])
    return result


def test_errors_of_one_package_are_instances_of_the_others_classes(
    node_tools: Path, ts_runtime: Path, tmp_path: Path
) -> None:
    alpha = _package("alpha", tmp_path, node_tools, ts_runtime)
    beta = _package("beta", tmp_path, node_tools, ts_runtime)
    seen = _program(tmp_path / "app", node_tools, ts_runtime, {"@alpha": alpha, "@beta": beta})
    assert seen == {
        "alphaErrorIsBetas": True,
        "alphaErrorIsTheRuntimes": True,
        "betaErrorIsAlphas": True,
        "oneRuntimeModule": True,
    }


def test_the_check_tells_two_runtimes_apart(
    node_tools: Path, ts_runtime: Path, tmp_path: Path
) -> None:
    """Control: beta on a second copy of the runtime sees classes that are not alpha's."""
    second = tmp_path / "second-runtime"
    shutil.copytree(ts_runtime, second, symlinks=True)
    alpha = _package("alpha", tmp_path, node_tools, ts_runtime)
    beta = _package("beta", tmp_path, node_tools, second)
    seen = _program(tmp_path / "app", node_tools, ts_runtime, {"@alpha": alpha, "@beta": beta})
    assert seen["alphaErrorIsBetas"] is False and seen["betaErrorIsAlphas"] is False
    assert seen["oneRuntimeModule"] is False
