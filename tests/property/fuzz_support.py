"""What the spec fuzzer shares: the seed documents and the mutations hypothesis draws.

Seeds are the public AsyncAPI examples (../shared/corpus, each root document with the files it
references) and our own spec project. A mutation picks one place in the parsed file and
deletes it, retypes it (a value of another JSON type), duplicates it (a copy under a new key,
or a sibling's value in its place), nests it (wrapped in a mapping or a list), or inserts
random Unicode (in a key, a string, or a new entry). Several mutations may stack.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from tests.helpers import SHARED, SPEC

CORPUS = SHARED / "corpus" / "asyncapi-examples"
JsonPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Seed:
    """A spec to mutate: the folder to copy and the file within it whose content changes."""

    name: str
    folder: Path
    file: str
    project: bool = False


def seeds() -> list[Seed]:
    found = [Seed("powerflex", SPEC, f.name, project=True) for f in sorted(SPEC.glob("*.yaml"))]
    found.append(Seed("powerflex-common", SPEC, "common/schemas.yaml", project=True))
    if CORPUS.is_dir():
        for path in sorted(CORPUS.iterdir()):
            if path.suffix in (".yml", ".yaml"):
                found.append(Seed(path.stem, CORPUS, path.name))
        for path in sorted((CORPUS / "social-media").glob("*/*.yaml")):
            found.append(Seed("social-media", CORPUS / "social-media", str(path.relative_to(
                CORPUS / "social-media"))))  # fmt: skip
    return found


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def places(value: Any, path: JsonPath = ()) -> Iterator[JsonPath]:
    """Every path into ``value`` (the root included), depth first."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from places(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from places(child, (*path, index))


def get(value: Any, path: JsonPath) -> Any:
    for token in path:
        value = value[token]
    return value


UNICODE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=12)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    UNICODE,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(UNICODE, inner, max_size=3)
    ),
    max_leaves=6,
)
KINDS = ("delete", "retype", "duplicate", "nest", "unicode")
TEXT_INSERTS = st.none() | st.tuples(st.floats(min_value=0, max_value=1), UNICODE)
"""Random Unicode in the YAML text itself, for a part of the examples."""


@st.composite
def mutated(draw: st.DrawFn, document: Any) -> tuple[Any, list[str]]:
    """``document`` with one to three mutations, and what was done (for the failure report)."""
    document = copy.deepcopy(document)
    done = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        spots = list(places(document))
        path = draw(st.sampled_from(spots))
        kind = draw(st.sampled_from(KINDS))
        document, note = _apply(draw, document, path, kind)
        done.append(note)
    return document, done


def _apply(draw: st.DrawFn, document: Any, path: JsonPath, kind: str) -> tuple[Any, str]:
    target = get(document, path)
    where = "/" + "/".join(map(str, path))
    if not path:  # the root: only retype or nest it
        return (draw(VALUES), f"retype {where}") if kind == "retype" else (document, "keep")
    parent, key = get(document, path[:-1]), path[-1]
    if kind == "delete":
        del parent[key]
    elif kind == "retype":
        parent[key] = draw(VALUES.filter(lambda v: type(v) is not type(target)))
    elif kind == "duplicate":
        if isinstance(parent, list):
            parent.insert(key, copy.deepcopy(target))
        else:
            parent[f"{key}{draw(UNICODE)}"] = copy.deepcopy(target)
    elif kind == "nest":
        parent[key] = {draw(UNICODE): target} if draw(st.booleans()) else [target]
    else:
        if isinstance(target, str):
            at = draw(st.integers(min_value=0, max_value=len(target)))
            parent[key] = target[:at] + draw(UNICODE) + target[at:]
        elif isinstance(target, dict):
            target[draw(UNICODE)] = draw(VALUES)
        else:
            parent[key] = draw(UNICODE)
    return document, f"{kind} {where}"


def write_case(
    seed: Seed, document: Any, work: Path, insert: tuple[float, str] | None = None
) -> Path:
    """Copy the seed's folder into ``work`` with the mutated file; returns what to validate.

    ``insert`` puts text into the written YAML itself, at a fraction of its length: what the
    parser sees is then not even YAML that a dumper would write.
    """
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(seed.folder, work)
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    if insert is not None:
        at = int(len(text) * insert[0])
        text = text[:at] + insert[1] + text[at:]
    (work / seed.file).write_text(text, encoding="utf-8")
    return work if seed.project or seed.name == "social-media" else work / seed.file
