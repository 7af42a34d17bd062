"""``specgen release build|status|publish|tag-name``; exit 0 fine, 1 failed, 2 usage."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from specgen.release.build import build_release
from specgen.release.manifest import Manifest, ReleaseError
from specgen.release.publish import Outcome, publish, status
from specgen.release.registries import Registries

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
TARGETS = ("pypi", "npm", "cargo")


def _registry_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dist", type=Path, default=Path("dist"))
    parser.add_argument("--to", action="append", choices=TARGETS, help="default: all three")
    parser.add_argument("--pypi-index", help="simple index (default: PyPI's)")
    parser.add_argument("--pypi-upload", help="upload URL (default: PyPI's)")
    parser.add_argument("--npm-registry", help="default: npm's configured registry")
    parser.add_argument(
        "--cargo-registry", help="name of an alternative registry in .cargo/config.toml"
    )
    parser.add_argument("--cargo-index", help="its index URL (default: crates.io's)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="specgen release", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build every package, checksums and a manifest")
    build.add_argument("paths", nargs="*", type=Path, help="project (default: found upward)")
    build.add_argument("--out", type=Path, default=Path("dist"))
    build.add_argument("--runtimes", type=Path, help="also build the runtimes in DIR")
    check = sub.add_parser("status", help="which registries lack which package version")
    _registry_options(check)
    check.add_argument("--github-output", type=Path, help="append pending=<targets> here")
    pub = sub.add_parser("publish", help="upload what the registries lack; report each")
    _registry_options(pub)
    tag = sub.add_parser("tag-name", help="print the git tag of this release")
    tag.add_argument("--dist", type=Path, default=Path("dist"))
    return parser


def _registries(args: argparse.Namespace) -> Registries:
    return Registries(
        targets=tuple(args.to or TARGETS),
        pypi_index=args.pypi_index,
        pypi_upload=args.pypi_upload,
        npm_registry=args.npm_registry,
        cargo_registry=args.cargo_registry,
        cargo_index=args.cargo_index,
    )


def _print(outcomes: Sequence[Outcome]) -> None:
    for outcome in outcomes:
        print(outcome.line())


def _build(args: argparse.Namespace) -> int:
    started = time.monotonic()
    manifest = build_release(args.paths, args.out, runtimes=args.runtimes)
    for package in manifest.packages:
        print(f"built {package.ecosystem:<6} {package.name} {package.version}: "
              f"{', '.join(package.files)}")  # fmt: skip
    commit = (manifest.commit or "no git commit") + (" (dirty)" if manifest.dirty else "")
    seconds = time.monotonic() - started
    print(f"specgen: {len(manifest.packages)} package(s) in {args.out} from {commit} "
          f"in {seconds:.1f}s", file=sys.stderr)  # fmt: skip
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    outcomes = status(Manifest.read(args.dist), args.dist, _registries(args))
    _print(outcomes)
    pending = sorted({o.target for o in outcomes if o.state == "missing"})
    if args.github_output:
        with args.github_output.open("a", encoding="utf-8") as handle:
            handle.write(f"pending={' '.join(pending)}\n")
    return EXIT_FAILED if any(o.state == "failed" for o in outcomes) else EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    outcomes = publish(Manifest.read(args.dist), args.dist, _registries(args))
    _print(outcomes)
    if any(o.state == "failed" for o in outcomes):
        print("specgen: some registries failed; run the release again to publish what is "
              "missing (what is already published is left alone)", file=sys.stderr)  # fmt: skip
        return EXIT_FAILED
    if not any(o.state == "published" for o in outcomes):
        version = {p.version for p in Manifest.read(args.dist).packages if p.kind == "events"}
        print(f"specgen: nothing to publish: every package of this release is already "
              f"published ({', '.join(sorted(version))}); bump `version` in the project file "
              "to release a change", file=sys.stderr)  # fmt: skip
        return EXIT_FAILED
    return EXIT_OK


def _tag_name(args: argparse.Namespace) -> int:
    manifest = Manifest.read(args.dist)
    versions = sorted({p.version for p in manifest.packages if p.kind == "events"})
    print(f"v{versions[0]}" if len(versions) == 1 else f"{manifest.project}-release")
    return EXIT_OK


COMMANDS = {"build": _build, "status": _status, "publish": _publish, "tag-name": _tag_name}


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    try:
        return COMMANDS[args.command](args)
    except ReleaseError as exc:
        print(f"specgen release: {exc}", file=sys.stderr)
        return EXIT_FAILED
