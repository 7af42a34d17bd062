"""The typed JSON Schema model (draft 7 and the AsyncAPI Schema Object), built once per spec.

- ``model``: :class:`Schema` (one per schema object; recursive schemas are cycles), ``walk``;
- ``read``: :class:`SchemaReader`, raw resolved data -> typed schemas, with located
  diagnostics for keyword values the meta-schema refuses (SG-SCHEMA-INVALID);
- ``vocabulary``: the keywords and the kind of value each takes; JSON equality;
- ``regex``: patterns, read with the dialect the runtimes run.

The model knows nothing of the IR or the generators: the lowering (``specgen.ir``) and the
rules consume it, and so can any other tool that compares or inspects schemas.
"""

from __future__ import annotations

from specgen.load import LoadedSpec
from specgen.schema.model import ExternalDocs, Literal, Schema, SchemaNode, walk
from specgen.schema.read import SchemaReader

__all__ = ["ExternalDocs", "Literal", "Schema", "SchemaNode", "SchemaReader", "schemas_of", "walk"]


def schemas_of(spec: LoadedSpec) -> SchemaReader:
    """The one schema reader of ``spec``: every schema object is read once, whoever asks."""
    reader = spec.derived.get("schemas")
    if not isinstance(reader, SchemaReader):
        reader = spec.derived["schemas"] = SchemaReader(spec.locate)
    return reader
