"""Which generated event package ``specgen site|fleet|demo`` work on.

In order: ``--package``/``--topology`` as given; the project found from the current folder
(its generated Python package: imported if installed, else from the project's output
folder); the event package installed in this environment (the runtime picks it when it is
the only one); and, for ``specgen demo`` only, the ``specgen init`` example generated into a
temporary folder. That last choice keeps ``pip install 'specgen[fleet]' && specgen demo``
working on a machine that has no spec yet, and shows specgen's whole job: the starter spec
a team would begin with, generated to typed code, published through a commissioned fleet.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path
from tempfile import TemporaryDirectory

from specgen import init, pipeline
from specgen.discover import project_for

CHOOSING = ("--package", "--topology")
STARTER = init.Choices(name="example", prefix="example", namespace="com.example")


def _given(argv: Sequence[str]) -> bool:
    return any(a in CHOOSING or a.startswith(("--package=", "--topology=")) for a in argv)


def _from_project() -> tuple[str, Path] | None:
    """(module, the folder it imports from) of the project around the current folder."""
    project = project_for([])
    if project is None:
        return None
    found = sorted(project.output.glob("python/src/*/topology.json"))
    if len(found) != 1:
        return None
    return found[0].parent.name, found[0].parent.parent


def _installed_elsewhere() -> bool:
    try:
        from specgen_runtime.fleet.cli import installed_event_packages
    except ImportError:
        return False
    return bool(installed_event_packages())


def _generate_starter(folder: Path) -> str:
    init.init_project(folder, STARTER)
    out = folder / "generated"
    result = pipeline.generate([folder / "spec"], languages=["python"], out=out)
    if result.files is None:
        raise RuntimeError("the specgen init example does not generate: a specgen bug")
    pipeline.write_files(result.files, out)
    sys.path.insert(0, str(out / "python" / "src"))
    return f"{STARTER.name}_events"


@contextmanager
def fleet_argv(argv: Sequence[str]) -> Iterator[list[str]]:
    """``argv`` with ``--package`` added where the user left the choice to us."""
    args = list(argv)
    command = args[0] if args else ""
    if _given(args) or command not in ("site", "fleet", "demo") or "-h" in args:
        yield args
        return
    found = _from_project()
    if found is not None:
        module, folder = found
        if find_spec(module) is None:
            sys.path.insert(0, str(folder))
        yield [*args, "--package", module]
        return
    if command != "demo" or _installed_elsewhere():
        yield args
        return
    with TemporaryDirectory(prefix="specgen-demo-spec-") as tmp:
        print(
            "specgen demo: no event package here; using the `specgen init` example "
            "(generated into a temporary folder)",
            file=sys.stderr,
        )
        yield [*args, "--package", _generate_starter(Path(tmp))]
