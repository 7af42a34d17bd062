"""Command line: parse arguments, call the pipeline, render diagnostics once, pick the exit code.

Exit codes: 0 clean, 1 the spec has errors (or ``generate --check`` found stale files),
2 usage or I/O errors.

Start-up is kept short: this module imports only what every command needs. The parser of a
command is built (and its modules imported) only when that command runs; ``specgen --help``
lists the commands from COMMAND_HELP without importing any of them.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from specgen.diagnostics import RENDERERS, Diagnostic, Level, sorted_unique

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
GC_THRESHOLDS = (50_000, 20, 20)  # Python's default: (700, 10, 10)
DEFAULT_SPEC = Path("spec")
DEFAULT_CATALOG = Path("build") / "catalog"
DESCRIPTION = "Validate an AsyncAPI event spec and generate typed NATS JetStream code."
# Fleet commands live in the runtime (specgen_runtime.fleet.cli); only they need it installed.
FLEET_COMMANDS = {
    "site": "plan or apply the JetStream configuration of edge sites (see `specgen site -h`)",
    "fleet": "fleet status: is sourcing flowing, per site (see `specgen fleet status -h`)",
    "demo": "run a hub and two sites locally: commission, cut a link, catch up",
}
COMMAND_HELP = {
    "validate": "check spec files; exit 1 when errors are found",
    "generate": "write generated code under generated/",
    "init": "start a new spec repository in DIR (default: .)",
    "docs": "write the event catalog, a static HTML site",
    "diff": "compare the spec with another version; exit 1 on breaking changes",
    "rules": "list the rules: id, category and what each checks",
    "refs": "remote $refs: `specgen refs vendor` downloads the pinned ones once",
    "changelog": "write the current version's entry of CHANGELOG.md from the diff",
    "release": "build packages into dist/ and publish them (see `specgen release -h`)",
    **FLEET_COMMANDS,
}


def _overview() -> argparse.ArgumentParser:
    """The top-level parser: every command by name and help, none of them imported."""
    parser = argparse.ArgumentParser(prog="specgen", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in COMMAND_HELP.items():
        sub.add_parser(name, help=text, add_help=False)
    return parser


def _parser(command: str) -> argparse.ArgumentParser:
    """The parser of ``command`` (its sub-parser built, its choices imported)."""
    parser = argparse.ArgumentParser(prog="specgen", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True)
    BUILDERS[command](sub)
    return parser


def _validate_parser(sub: Any) -> None:
    from specgen import pipeline

    validate = sub.add_parser("validate", help=COMMAND_HELP["validate"])
    validate.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: the project found upward)"
    )
    validate.add_argument(
        "--ruleset",
        choices=pipeline.RULESETS,
        default=None,
        help="'asyncapi' (what AsyncAPI 3 requires; default outside a specgen project), "
        "'generator' (+ what generate needs: NATS subjects, JSON Schema payloads, the IR and "
        "each language's limits) or 'specgen' (+ our conventions; default in a project, "
        "or its rules.use)",
    )
    validate.add_argument("--format", choices=sorted(RENDERERS), default="text")
    validate.add_argument("--root", type=Path, help="folder that $refs may not leave")
    validate.add_argument(
        "--fail-on-warning", action="store_true", help="exit 1 on warnings as well"
    )


def _generate_parser(sub: Any) -> None:
    from specgen import pipeline

    generate = sub.add_parser("generate", help=COMMAND_HELP["generate"])
    generate.add_argument(
        "paths", nargs="*", type=Path, help="project folder (default: the project found upward)"
    )
    generate.add_argument("--lang", action="append", choices=pipeline.LANGUAGES)
    generate.add_argument(
        "--out", type=Path, help="output folder (default: the project file's `output`)"
    )
    generate.add_argument("--root", type=Path, help="folder that $refs may not leave")
    generate.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if generated/ is stale"
    )
    generate.add_argument("--format", choices=sorted(RENDERERS), default="text")


def _init_parser(sub: Any) -> None:
    init = sub.add_parser("init", help=COMMAND_HELP["init"])
    init.add_argument("dir", nargs="?", type=Path, default=Path("."))
    init.add_argument("--name", help="project name, e.g. acme (default: from DIR's name)")
    init.add_argument("--prefix", help="first token of every NATS subject (default: the name)")
    init.add_argument(
        "--namespace", help="CloudEvents type namespace, e.g. com.acme (default: com.<name>)"
    )


def _docs_parser(sub: Any) -> None:
    docs = sub.add_parser("docs", help=COMMAND_HELP["docs"])
    docs.add_argument(
        "paths", nargs="*", type=Path, help="project folder (default: the project found upward)"
    )
    docs.add_argument(
        "--out", type=Path, default=DEFAULT_CATALOG, help=f"default: {DEFAULT_CATALOG}/"
    )
    docs.add_argument("--root", type=Path, help="folder that $refs may not leave")
    docs.add_argument(
        "--against",
        metavar="REF",
        help="also show what changed since this version: a git ref or tag (v1.2.0) or a path",
    )
    docs.add_argument("--format", choices=sorted(RENDERERS), default="text")


def _diff_parser(sub: Any) -> None:
    from specgen.diff import cli as diff_cli

    diff_cli.add_parser(sub)


def _changelog_parser(sub: Any) -> None:
    from specgen.diff import cli as diff_cli

    diff_cli.add_changelog_parser(sub)


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


def _refs_parser(sub: Any) -> None:
    refs = sub.add_parser("refs", help=COMMAND_HELP["refs"])
    actions = refs.add_subparsers(dest="action", required=True)
    vendor = actions.add_parser(
        "vendor", help="download every URL of refs.pinned once, check its SHA-256, keep it"
    )
    vendor.add_argument("paths", nargs="*", type=Path, help="the project (default: found upward)")
    vendor.add_argument("--refresh", action="store_true", help="download even copies in place")
    vendor.add_argument("--timeout", type=float, default=30.0, help="seconds per download")
    vendor.add_argument("--format", choices=sorted(RENDERERS), default="text")


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


def _rules_parser(sub: Any) -> None:
    rules = sub.add_parser("rules", help=COMMAND_HELP["rules"])
    rules.add_argument("--format", choices=("text", "json"), default="text")


def _rules(args: argparse.Namespace) -> int:
    from specgen.rules import describe_rules

    print(describe_rules(args.format))
    return EXIT_OK


Command = Callable[[argparse.Namespace], int]
BUILDERS: dict[str, Callable[[Any], None]] = {
    "validate": _validate_parser,
    "generate": _generate_parser,
    "init": _init_parser,
    "docs": _docs_parser,
    "diff": _diff_parser,
    "changelog": _changelog_parser,
    "rules": _rules_parser,
    "refs": _refs_parser,
}
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
        _overview().parse_args(arguments)  # help, or a usage error: exits
    args = _parser(arguments[0]).parse_args(arguments)
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
