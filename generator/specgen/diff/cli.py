"""``specgen diff``: its arguments and its exit code (the main CLI only registers it).

Exit codes as ``specgen validate``: 0 nothing breaks under the configured modes and the
version says what changed, 1 findings that need attention, 2 usage or I/O errors (a ref that
does not exist, a version that cannot be loaded).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from specgen.diff import changelog
from specgen.diff.modes import MODES, OPEN_CONTENT
from specgen.diff.render import RENDERERS
from specgen.diff.run import Options, run_diff

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
MODE_CHOICES = sorted([*MODES, *(f"{m}-transitive" for m in MODES if m != "none")])


def add_parser(sub: Any) -> None:
    diff = sub.add_parser(
        "diff",
        help="compare the spec with another version; exit 1 on breaking changes",
        description="Compare two versions of a spec as sets of accepted events (wire), "
        "generated code, contract and operations, and check the project version.",
    )
    diff.add_argument(
        "paths", nargs="*", type=Path, help="project folder (default: the project found upward)"
    )
    diff.add_argument(
        "--against",
        required=True,
        metavar="REF",
        help="the version to compare with: a git ref or tag (main, v1.2.0) or a path",
    )
    diff.add_argument("--format", choices=sorted(RENDERERS), default="text")
    diff.add_argument(
        "--mode",
        choices=MODE_CHOICES,
        help="judge every event with this mode instead of the project's `compatibility`",
    )
    diff.add_argument(
        "--open-content",
        choices=OPEN_CONTENT,
        help="strict: a property declared in an open object may clash with what old "
        "producers sent; lenient: undeclared properties are assumed never sent",
    )
    diff.add_argument(
        "--no-transitive",
        action="store_true",
        help="compare with --against only, even for transitive modes",
    )


def run(args: argparse.Namespace, paths_of: Callable[[list[Path]], list[Path]]) -> int:
    paths = paths_of(args.paths)
    options = Options(args.mode, args.open_content, transitive=not args.no_transitive)
    report = run_diff(paths, args.against, options)
    rendered = RENDERERS[args.format](report)
    stream = sys.stderr if args.format == "text" else sys.stdout
    print(rendered, file=stream)
    if report.usage_error:
        return EXIT_USAGE
    return EXIT_ERRORS if report.errors else EXIT_OK


def add_changelog_parser(sub: Any) -> None:
    changelog = sub.add_parser(
        "changelog",
        help="write the current version's entry of CHANGELOG.md from the diff",
        description="Write (or rewrite) the entry of the project version in CHANGELOG.md beside "
        "the project file, from the diff against REF; `specgen generate` copies the file into "
        "every generated package. --notes prints a version's entry (the release notes).",
    )
    changelog.add_argument(
        "paths", nargs="*", type=Path, help="project folder (default: the project found upward)"
    )
    changelog.add_argument("--against", metavar="REF", help="the last release (a tag, a ref)")
    changelog.add_argument("--notes", metavar="VERSION", help="print the entry of VERSION")


def run_changelog(args: argparse.Namespace, paths_of: Callable[[list[Path]], list[Path]]) -> int:
    paths = paths_of(args.paths)
    folder = paths[0].resolve() if paths[0].is_dir() else paths[0].resolve().parent
    if args.notes:
        notes = changelog.release_notes(folder, args.notes)
        if notes is None:
            print(
                f"specgen: {folder / changelog.FILE} has no entry for {args.notes}", file=sys.stderr
            )
            return EXIT_ERRORS
        print(notes, end="")
        return EXIT_OK
    if not args.against:
        print(
            "specgen changelog: give --against REF (the last release) or --notes VERSION",
            file=sys.stderr,
        )
        return EXIT_USAGE
    report = run_diff(paths, args.against, Options(check_version=False))
    if report.usage_error:
        print(RENDERERS["text"](report), file=sys.stderr)
        return EXIT_USAGE
    written = changelog.write(folder, report)
    print(
        f"specgen: {written} has the entry for {report.new_version}; run `specgen generate` "
        "to copy it into the packages",
        file=sys.stderr,
    )
    return EXIT_OK
