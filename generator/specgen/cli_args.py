"""The argument parsers of ``specgen``'s own commands, one builder per command.

``overview_parser()`` lists every command by name and help (COMMAND_HELP) without importing
any of them; ``command_parser(command)`` builds the one command that runs, importing only what
its choices need (the pipeline's rulesets and languages, the diff's options).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from specgen.diagnostics import RENDERERS

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


def overview_parser() -> argparse.ArgumentParser:
    """The top-level parser: every command by name and help, none of them imported."""
    parser = argparse.ArgumentParser(prog="specgen", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in COMMAND_HELP.items():
        sub.add_parser(name, help=text, add_help=False)
    return parser


def command_parser(command: str) -> argparse.ArgumentParser:
    """The parser of ``command`` (its sub-parser built, its choices imported)."""
    parser = argparse.ArgumentParser(prog="specgen", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", required=True)
    BUILDERS[command](sub)
    return parser


def validate_parser(sub: Any) -> None:
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


def generate_parser(sub: Any) -> None:
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


def init_parser(sub: Any) -> None:
    init = sub.add_parser("init", help=COMMAND_HELP["init"])
    init.add_argument("dir", nargs="?", type=Path, default=Path("."))
    init.add_argument("--name", help="project name, e.g. acme (default: from DIR's name)")
    init.add_argument("--prefix", help="first token of every NATS subject (default: the name)")
    init.add_argument(
        "--namespace", help="CloudEvents type namespace, e.g. com.acme (default: com.<name>)"
    )


def docs_parser(sub: Any) -> None:
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


def diff_parser(sub: Any) -> None:
    from specgen.diff import cli as diff_cli

    diff_cli.add_parser(sub)


def changelog_parser(sub: Any) -> None:
    from specgen.diff import cli as diff_cli

    diff_cli.add_changelog_parser(sub)


def refs_parser(sub: Any) -> None:
    refs = sub.add_parser("refs", help=COMMAND_HELP["refs"])
    actions = refs.add_subparsers(dest="action", required=True)
    vendor = actions.add_parser(
        "vendor", help="download every URL of refs.pinned once, check its SHA-256, keep it"
    )
    vendor.add_argument("paths", nargs="*", type=Path, help="the project (default: found upward)")
    vendor.add_argument("--refresh", action="store_true", help="download even copies in place")
    vendor.add_argument("--timeout", type=float, default=30.0, help="seconds per download")
    vendor.add_argument("--format", choices=sorted(RENDERERS), default="text")


def rules_parser(sub: Any) -> None:
    rules = sub.add_parser("rules", help=COMMAND_HELP["rules"])
    rules.add_argument("--format", choices=("text", "json"), default="text")


BUILDERS: dict[str, Callable[[Any], None]] = {
    "validate": validate_parser,
    "generate": generate_parser,
    "init": init_parser,
    "docs": docs_parser,
    "diff": diff_parser,
    "changelog": changelog_parser,
    "rules": rules_parser,
    "refs": refs_parser,
}
