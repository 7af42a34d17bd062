"""``specgen init [DIR]``: start a spec repository that validates and generates right away.

It writes the project file and one example domain document under ``spec/``, the pre-commit
configuration, the pull-request and release workflows, a ``requirements.txt`` pinning this
specgen release, a README and a ``.gitignore``. Nothing is overwritten: a folder that
already holds any of these files is refused, naming the file.

The starter files live in ``specgen/templates/init/``; a leading ``dot-`` in their names
becomes ``.`` (so packaging keeps them), ``*.jinja`` files are rendered with the names the
team chose and the rest are copied as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from specgen import __version__
from specgen.backends.templating import render

STARTER = "init"
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_PREFIX = re.compile(r"^[a-z][a-z0-9_]*$")
_NAMESPACE = re.compile(r"^[a-z][a-z0-9]*(\.[a-z][a-z0-9_]*)+$")


class InitError(ValueError):
    """The folder or a chosen name cannot be used; the message says what to change."""


@dataclass(frozen=True)
class Choices:
    """What a team sets for itself: project name, subject prefix, CloudEvents type namespace."""

    name: str
    prefix: str
    namespace: str
    domain: str = "orders"

    def check(self) -> None:
        if not _NAME.match(self.name):
            raise InitError(f"project name {self.name!r}: use lowercase letters, digits and '-'")
        if not _PREFIX.match(self.prefix):
            raise InitError(f"subject prefix {self.prefix!r}: one lowercase NATS token")
        if not _NAMESPACE.match(self.namespace):
            raise InitError(f"type namespace {self.namespace!r}: reverse DNS, e.g. com.example")

    def context(self) -> dict[str, str]:
        return {
            "name": self.name,
            "title": self.name.replace("-", " ").title(),
            "module": self.name.replace("-", "_") + "_events",
            "prefix": self.prefix,
            "namespace": self.namespace,
            "domain": self.domain,
            "domain_title": self.domain.replace("_", " ").title(),
            "domain_file": f"{self.domain.replace('_', '-')}.asyncapi.yaml",
            "stream": self.domain.upper(),
            "specgen_version": __version__,
        }


def default_choices(folder: Path) -> Choices:
    """Names derived from the folder: ``acme-events`` gives ``acme``, prefix ``acme``."""
    base = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-")
    base = re.sub(r"-?(events|spec)$", "", base) or "example"
    if not base[0].isalpha():
        base = f"x{base}"
    return Choices(name=base, prefix=base.replace("-", "")[:12], namespace=f"com.{base}")


def _walk(node: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name in ("__pycache__", "__init__.py"):
            continue
        name = prefix + child.name
        found += _walk(child, name + "/") if child.is_dir() else [(name, child)]
    return found


def _target(relative: str, context: dict[str, str]) -> str:
    parts = [p.replace("dot-", ".", 1) if p.startswith("dot-") else p for p in relative.split("/")]
    path = "/".join(parts).removesuffix(".jinja")
    return path.replace("spec/domain.asyncapi.yaml", f"spec/{context['domain_file']}")


def starter_files(choices: Choices) -> dict[str, str]:
    """Relative path -> content of every file ``specgen init`` writes."""
    choices.check()
    context = choices.context()
    root = resources.files("specgen.templates").joinpath(STARTER)
    files = {}
    for relative, node in _walk(root):
        if relative.endswith(".jinja"):
            content = render(f"{STARTER}/{relative}", **context)
        else:
            content = node.read_text(encoding="utf-8")
        files[_target(relative, context)] = content
    return files


def init_project(folder: Path, choices: Choices) -> list[Path]:
    """Write the starter into ``folder`` (created if missing); refuses to overwrite anything."""
    files = starter_files(choices)
    existing = [folder / p for p in files if (folder / p).exists()]
    if existing:
        raise InitError(
            f"{existing[0]} already exists: specgen init never overwrites files; "
            "choose an empty folder"
        )
    written = []
    for relative, content in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        written.append(target)
    return written
