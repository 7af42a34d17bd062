"""The project file, ``specgen.yaml``, typed: what to generate and how the fleet is laid out.

Every key is declared here and nowhere else is the file read. :func:`read_project` reads each
top-level section on its own, so one broken section is reported (SG-PROJECT, at the key or
value, with "did you mean") without hiding the others; only a broken ``documents`` list
makes the whole project unusable. Relations to the documents (upload domains that exist,
example site ids that match the pattern) are checked by the rules (``rules/project.py``).
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import Field, PlainValidator, PrivateAttr

from specgen.diagnostics import Diagnostic, Location, error
from specgen.load.source import SourceFile, child_pointer
from specgen.model.base import EXTENSION_KEY
from specgen.model.errors import did_you_mean, json_type
from specgen.model.extensions import SnakeToken, StreamSettings, SubjectFilter
from specgen.model.typed import (
    Reading,
    Settings,
    Text,
    expected,
    field_names,
    matching,
    one_of,
    read_value,
)

RULE = "SG-PROJECT"
LANGUAGES = ("python", "typescript", "rust")

__all__ = ["LANGUAGES", "Project", "RULE", "read_project"]


def _python_module(value: Any) -> str:
    if isinstance(value, str) and value.isidentifier() and not keyword.iskeyword(value):
        if value.isascii():
            return value
    raise expected("a Python module name (an ASCII identifier, not a keyword)")


def _relative_path(value: Any) -> str:
    """A path inside the project folder, written with '/': no absolute path, no '..'."""
    if isinstance(value, str) and value and not value.startswith(("/", "\\")):
        parts = value.replace("\\", "/").split("/")
        if ".." not in parts and not re.match(r"^[A-Za-z]:", value):
            return value
    raise expected("a relative path inside the project folder (no '..', not absolute)")


def _regex(value: Any) -> str:
    if isinstance(value, str):
        try:
            re.compile(value)
        except re.error as exc:
            raise expected(f"a regular expression ({exc})") from exc
        return value
    raise expected("a regular expression (a string)")


def _sha256(value: Any) -> str:
    if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value):
        return value
    quote = "" if isinstance(value, str) else " (quote it: YAML read a number)"
    raise expected("a SHA-256 digest: 64 lowercase hex digits" + quote)


ProjectName = Annotated[
    str, matching(r"[a-z][a-z0-9_-]*", "a lowercase name (letters, digits, '-', '_')")
]
Version = Annotated[
    str,
    matching(
        r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?",
        "a semantic version like 1.0.0",
    ),
]
Distribution = Annotated[
    str,
    matching(
        r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?",
        "a Python distribution name (letters, digits, '.', '-', '_')",
    ),
]
PythonModule = Annotated[str, PlainValidator(_python_module)]
NpmName = Annotated[
    str,
    matching(
        r"(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]{0,213}",
        "an npm package name such as @scope/events (lowercase)",
    ),
]
CrateName = Annotated[
    str, matching(r"[A-Za-z][A-Za-z0-9_-]{0,63}", "a crate name (letters, digits, '-', '_')")
]
License = Annotated[
    str,
    matching(
        r"\(?[A-Za-z0-9.+-]+\)?( (AND|OR|WITH) \(?[A-Za-z0-9.+-]+\)?)*",
        "an SPDX license expression such as Apache-2.0 or MIT OR Apache-2.0",
    ),
]
RelativePath = Annotated[str, PlainValidator(_relative_path)]
Regex = Annotated[str, PlainValidator(_regex)]
Sha256 = Annotated[str, PlainValidator(_sha256)]
Language = Annotated[str, one_of(*LANGUAGES)]
NatsToken = Annotated[str, matching(r"[A-Za-z0-9_-]+", "one NATS subject token")]


class PythonPackage(Settings):
    distribution: Distribution | None = None
    module: PythonModule | None = None


class TypeScriptPackage(Settings):
    name: NpmName | None = None


class RustPackage(Settings):
    crate: CrateName | None = None


class Packages(Settings):
    python: PythonPackage | None = None
    typescript: TypeScriptPackage | None = None
    rust: RustPackage | None = None


class Site(Settings):
    id_pattern: Regex = r"^[a-z][a-z0-9-]{1,31}$"
    example_ids: Annotated[list[Text], Field(min_length=1)] = ["site-0001"]


class ProjectStream(StreamSettings):
    """A stream the project file declares in full (the dead-letter stream)."""

    subjects: Annotated[list[SubjectFilter], Field(min_length=1)]


class UploadStream(StreamSettings):
    """The per-site stream that sources the durable domain streams of the site."""

    domains: list[SnakeToken]


class Cloud(Settings):
    domain: NatsToken = "hub"
    streams: list[StreamSettings] = []


class Topology(Settings):
    upload_stream: UploadStream | None = None
    cloud: Cloud | None = None


class DeadLetter(Settings):
    subject: Text = "deadletter.{domain}"
    stream: ProjectStream | None = None


class RuleException(Settings):
    """``rules.except``: a rule turned off for the whole project, and why."""

    rule: Text
    reason: Text = Field(description="why the rule is off; validate shows it")


class RuleIgnore(Settings):
    """``rules.ignore``: a rule's findings in some files dropped, and why."""

    rule: Text
    paths: Annotated[list[RelativePath], Field(min_length=1)] = Field(
        description="the files (relative to the project file) whose findings are dropped"
    )
    reason: Text = Field(description="why they are dropped; validate shows it")


class Rules(Settings):
    use: Annotated[str, one_of("asyncapi", "generator", "specgen")] = "specgen"
    except_: list[RuleException] = Field(default=[], alias="except")
    ignore: list[RuleIgnore] = []


class PinnedRef(Settings):
    """A remote ``$ref`` target, pinned by content: ``specgen refs vendor`` fetches it once."""

    url: Annotated[str, matching(r"https?://\S+", "an http(s) URL without a fragment")]
    sha256: Sha256


class Refs(Settings):
    vendor: RelativePath = "vendor"
    pinned: list[PinnedRef] = []


class Project(Settings):
    """``specgen.yaml``. Keys named ``x-...`` are extensions other tools read
    (:attr:`extensions`); every other key is declared here."""

    _extensions: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def extensions(self) -> dict[str, Any]:
        return self._extensions

    documents: Annotated[list[RelativePath], Field(min_length=1)]
    project: ProjectName | None = None
    version: Version = "0.1.0"
    license: License | None = None
    dataschema_base: Text | None = None
    packages: Packages = Packages()
    languages: Annotated[list[Language], Field(min_length=1)] = ["python"]
    site: Site = Site()
    dead_letter: DeadLetter = DeadLetter()
    topology: Topology = Topology()
    output: Annotated[str, Field(min_length=1)] = "generated"
    rules: Rules = Rules()
    refs: Refs = Refs()


HINTS = {
    "documents": "list the domain documents relative to the project file",
    "languages": "choose from " + ", ".join(LANGUAGES),
}


def _locator(source: SourceFile, base: str) -> Any:
    def locate(path: Sequence[str | int], at_value: bool) -> Location:
        pointer = base
        for token in path:
            pointer = child_pointer(pointer, token)
        return source.value_location(pointer) if at_value else source.location(pointer)

    return locate


def read_project(source: SourceFile) -> tuple[Project | None, list[Diagnostic]]:
    """The typed project file; None when it has no usable ``documents`` list."""
    data = source.data
    if not isinstance(data, dict):
        found = json_type(data)
        return None, [
            error(RULE, f"the project file must be a mapping, not {found}", source.location(""))
        ]
    fields = {info.alias or name: (name, info) for name, info in Project.model_fields.items()}
    values: dict[str, Any] = {}
    diagnostics: list[Diagnostic] = []
    for key in data:
        if key not in fields and not EXTENSION_KEY.search(key):
            hint = did_you_mean(key, field_names(Project)) or "known keys: " + ", ".join(fields)
            diagnostics.append(
                error(
                    RULE,
                    f"unknown key {key!r} in the project file",
                    source.location(f"/{key}"),
                    hint,
                )
            )
    for key, (name, info) in fields.items():
        if key not in data:
            continue
        reading = Reading(RULE, key, _locator(source, f"/{key}"), hint=HINTS.get(key, ""))
        kind = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        value, problems = read_value(kind, data[key], reading)
        diagnostics += problems
        if not problems:
            values[name] = value
    if "documents" not in data:
        diagnostics.append(
            error(
                RULE, "the project file has no 'documents'", source.location(""), HINTS["documents"]
            )
        )
    if "documents" not in values:
        return None, diagnostics
    project = Project.model_construct(**values)
    project._extensions = {k: v for k, v in data.items() if EXTENSION_KEY.search(k)}
    return project, diagnostics
