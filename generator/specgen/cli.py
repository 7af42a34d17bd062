"""Command line: parse arguments, call the pipeline, render diagnostics once, pick the exit code.

Exit codes: 0 clean, 1 the spec has errors (or ``generate --check`` found stale files),
2 usage or I/O errors.

Start-up is kept short: this module imports only what every command needs. The parser of a
command is built (and its modules imported) only when that command runs; ``specgen --help``
lists the commands from ``cli_args.COMMAND_HELP`` without importing any of them.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from specgen.cli_args import FLEET_COMMANDS, command_parser, overview_parser
from specgen.diagnostics import RENDERERS, Diagnostic, Level, sorted_unique

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
GC_THRESHOLDS = (50_000, 20, 20)  # Python's default: (700, 10, 10)
DEFAULT_SPEC = Path("spec")


def _fleet(argv: Sequence[str]) -> int:
    """Delegate ``specgen site|fleet|demo ...`` to the runtime's fleet CLI (imported lazily)."""
    try:
        from specgen_runtime.fleet import cli as fleet_cli
    except ImportError:
        print(
            f"specgen {argv[0]}: needs the runtime and nats-server: pip install 'specgen[fleet]'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from specgen.fleet_package import fleet_argv

    with fleet_argv(argv) as arguments:
        code: int = fleet_cli.main(arguments)
    return code


def _report(diagnostics: Sequence[Diagnostic], fmt: str) -> None:
    rendered = RENDERERS[fmt](sorted_unique(diagnostics))
    if rendered and fmt == "json":
        print(rendered)
    elif rendered:
        print(rendered, file=sys.stderr if fmt == "text" else sys.stdout)
    elif fmt == "json":
        print("[]")


def _exit_code(diagnostics: Sequence[Diagnostic], fail_on_warning: bool = False) -> int:
    if any(d.rule in ("SG-LOAD-IO", "SG-DIFF-SOURCE") for d in diagnostics):
        return EXIT_USAGE
    levels = {d.level for d in diagnostics}
    if Level.ERROR in levels or (fail_on_warning and Level.WARNING in levels):
        return EXIT_ERRORS
    return EXIT_OK


class NoProject(Exception):
    """No paths given and no project file found from the current folder upward."""


def _paths(given: Sequence[Path]) -> list[Path]:
    from specgen.discover import project_for

    if given:
        return list(given)
    project = project_for([])
    if project is not None:
        return [project.file]
    if DEFAULT_SPEC.is_dir():
        return [DEFAULT_SPEC]
    raise NoProject(
        f"no specgen.yaml in {Path.cwd()} or its parents (nor in a spec/ folder there): "
        "give the spec files or folders, or start a project with `specgen init`"
    )


def _output(args: argparse.Namespace) -> Path:
    from specgen.discover import DEFAULT_OUTPUT, project_for

    if args.out is not None:
        return Path(args.out)
    project = project_for(args.paths)
    return project.output if project is not None else Path(DEFAULT_OUTPUT)


def _shown(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def _validate(args: argparse.Namespace) -> int:
    from specgen import pipeline

    paths = _paths(args.paths)
    result = pipeline.validate(paths, ruleset=args.ruleset, root=args.root)
    _report(result.diagnostics, args.format)
    code = _exit_code(result.diagnostics, args.fail_on_warning)
    if args.format == "text" and code == EXIT_OK:
        count = len(result.spec.documents)
        print(f"specgen: {count} document(s) valid", file=sys.stderr)
    return code


def _generate(args: argparse.Namespace) -> int:
    from specgen import pipeline

    paths, out = _paths(args.paths), _output(args)
    result = pipeline.generate(paths, languages=args.lang, out=out, root=args.root)
    _report(result.diagnostics, args.format)
    code = _exit_code(result.diagnostics)
    if code != EXIT_OK or result.files is None:
        return code or EXIT_ERRORS
    if args.check:
        stale = pipeline.stale_files(result.files, out)
        for name in stale:
            print(
                f"{_shown(name)}: stale; run `specgen generate` and commit the result",
                file=sys.stderr,
            )
        return EXIT_ERRORS if stale else EXIT_OK
    written = pipeline.write_files(result.files, out)
    print(f"specgen: {len(result.files)} file(s) generated, {written} changed", file=sys.stderr)
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from specgen import init

    defaults = init.default_choices(args.dir)
    choices = init.Choices(
        name=args.name or defaults.name,
        prefix=args.prefix or (args.name.replace("-", "") if args.name else defaults.prefix),
        namespace=args.namespace or (f"com.{args.name}" if args.name else defaults.namespace),
    )
    written = init.init_project(args.dir, choices)
    for path in written:
        print(f"  {_shown(str(path))}", file=sys.stderr)
    print(
        f"specgen: started project {choices.name!r} ({len(written)} files); next: "
        f"`specgen validate` and `specgen generate` in {_shown(str(args.dir))}",
        file=sys.stderr,
    )
    return EXIT_OK


def _docs(args: argparse.Namespace) -> int:
    from specgen import pipeline

    result = pipeline.catalog(_paths(args.paths), root=args.root, against=args.against)
    _report(result.diagnostics, args.format)
    code = _exit_code(result.diagnostics)
    if code != EXIT_OK or result.files is None:
        return code or EXIT_ERRORS
    written = pipeline.write_files(result.files, args.out)
    size = sum(len(f.content.encode()) for f in result.files)
    print(
        f"specgen: event catalog of {len(result.files)} file(s), {size / 1024:.0f} KiB, in "
        f"{args.out}/ ({written} changed); open {args.out / 'index.html'}",
        file=sys.stderr,
    )
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from specgen.diff import cli as diff_cli

    return diff_cli.run(args, _paths)


def _changelog(args: argparse.Namespace) -> int:
    from specgen.diff import cli as diff_cli

    return diff_cli.run_changelog(args, _paths)


def _refs(args: argparse.Namespace) -> int:
    from specgen.discover import project_for
    from specgen.vendor import vendor

    project = project_for(args.paths)
    if project is None:
        raise NoProject("no specgen.yaml found: pinned refs live in the project file")
    outcome = vendor(project.file, refresh=args.refresh, timeout=args.timeout)
    _report(outcome.diagnostics, args.format)
    code = _exit_code(outcome.diagnostics)
    if args.format == "text":
        print(
            f"specgen: {outcome.fetched} downloaded, {outcome.unchanged} already vendored",
            file=sys.stderr,
        )
    return code


def _rules(args: argparse.Namespace) -> int:
    from specgen.rules import describe_rules

    print(describe_rules(args.format))
    return EXIT_OK


Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Command] = {
    "validate": _validate,
    "generate": _generate,
    "init": _init,
    "docs": _docs,
    "diff": _diff,
    "changelog": _changelog,
    "rules": _rules,
    "refs": _refs,
}


def _usage_errors() -> tuple[type[BaseException], ...]:
    """Errors a command reports in one line with exit 2 (imported with the commands)."""
    from specgen.backends import BackendMissing
    from specgen.init import InitError
    from specgen.writer import FormatError, UnsafePath

    return (OSError, FormatError, BackendMissing, NoProject, InitError, UnsafePath)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] in FLEET_COMMANDS:
        return _fleet(arguments)
    if arguments and arguments[0] == "release":
        from specgen.release.cli import main as release_main

        return release_main(arguments[1:])
    if not arguments or arguments[0] not in COMMANDS:
        overview_parser().parse_args(arguments)  # help, or a usage error: exits
    args = command_parser(arguments[0]).parse_args(arguments)
    try:
        with _fewer_collections():
            return COMMANDS[args.command](args)
    except _usage_errors() as exc:
        print(f"specgen: {exc}", file=sys.stderr)
        return EXIT_USAGE


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's cyclic garbage collector less often while a command runs.

    Reading a spec makes millions of small objects and hardly any cycles, and at the default
    thresholds the collector rescans them again and again: a fifth of ``validate``'s time on
    a 500-event spec. Memory grows by a few percent. The thresholds are put back afterwards
    (tests call ``main`` inside the test process).
    """
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


if __name__ == "__main__":
    raise SystemExit(main())
