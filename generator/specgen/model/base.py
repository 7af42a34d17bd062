"""The base of every AsyncAPI object model: strict, closed, with ``x-`` extensions on the side.

Every object of the spec is a :class:`Node`: a frozen pydantic model that refuses unknown
fields (``extra="forbid"``), refuses type coercion (``strict``) and refuses an explicit ``null``
unless the field is listed in ``nullable``. Keys matching the extension pattern are taken out
before validation and kept in :attr:`Node.extensions`. Field names are snake_case in Python and
camelCase in the document (``external_docs`` <-> ``externalDocs``).

Validation may be given a :class:`ValidationContext`; each validated object then records its
model class under ``id(raw_dict)``, which is how :mod:`specgen.model.structure` names objects
and suggests field names in its diagnostics.

Identity carries over from the loader: after ``$ref`` resolution one definition is one Python
dict wherever it is referenced, and with a context, validation returns one model instance per
dict and class. So ``operation.channel is document.channels["name"]`` when the operation
references that channel, and every node keeps the dict it was read from (:attr:`Node.raw`), which
the loader can locate in its file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ModelWrapValidatorHandler,
    PlainValidator,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

EXTENSION_KEY = re.compile(r"^x-[\w\d\.\x2d_]+$")
"""Specification extensions, as the official JSON Schema spells them."""

COMPONENT_KEY = re.compile(r"^[\w\d\.\-_]+$")
"""Keys of the ``components`` maps, as the official JSON Schema spells them."""

SUPPORTED_VERSIONS = ("3.0.0", "3.1.0")

JsonObject = dict[str, Any]

RUNTIME_EXPRESSION = r"^\$message\.(header|payload)#(\/(([^\/~])|(~[01]))*)*"
RuntimeExpression = Annotated[str, StringConstraints(pattern=RUNTIME_EXPRESSION)]
"""``$message.header#/pointer`` or ``$message.payload#/pointer``."""


@dataclass
class ValidationContext:
    """Passed as pydantic validation context: the document version and what validated what."""

    version: str
    kinds: dict[int, type[Node]] = field(default_factory=dict)
    instances: dict[tuple[type[Node], int], Node] = field(default_factory=dict)


def _shallow_key(item: Any) -> str:
    """A cheap key that equal items share: the scalar fields of an object, or the scalar."""
    if isinstance(item, dict):
        return repr(sorted((k, v) for k, v in item.items() if not isinstance(v, dict | list)))
    return repr(item) if not isinstance(item, list) else "[]"


def _unique_items(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    buckets: dict[str, list[Any]] = {}
    for index, item in enumerate(value):
        key = _shallow_key(item)
        bucket = buckets.setdefault(key, [])
        if any(other is item or other == item for other in bucket):
            raise PydanticCustomError(
                "unique_items",
                "item {index} repeats an earlier item: {item}",
                {"index": index, "item": key[:80]},
            )
        bucket.append(item)
    return value


UNIQUE = BeforeValidator(_unique_items)
"""Annotate a list type with this to require unique items (JSON Schema ``uniqueItems``)."""


def _schema_root(value: Any) -> Any:
    if isinstance(value, dict):
        return value
    raise PydanticCustomError("schema_root_type", "a payload or headers schema must be an object")


RootSchemaObject = Annotated[JsonObject, PlainValidator(_schema_root)]
"""A JSON Schema where AsyncAPI expects a Schema Object (payload, headers, components.schemas).

The official AsyncAPI JSON Schema accepts only objects there (``true``/``false`` are refused by
its ``anySchema`` definition), so this model does too.
"""


class Node(BaseModel):
    """One AsyncAPI object."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        alias_generator=to_camel,
        populate_by_name=True,
        defer_build=True,
    )

    kind: ClassVar[str] = "object"
    """How diagnostics name this object, e.g. ``"server"``."""
    allow_extensions: ClassVar[bool] = True
    nullable: ClassVar[frozenset[str]] = frozenset()
    """Python names of the fields that may be written as ``null``."""

    _extensions: JsonObject = PrivateAttr(default_factory=dict)
    _raw: JsonObject = PrivateAttr(default_factory=dict)
    _typed: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def extensions(self) -> JsonObject:
        """The ``x-...`` fields of this object, as written."""
        return self._extensions

    @property
    def typed_extensions(self) -> dict[str, Any]:
        """Our extensions of this object, typed (set by ``specgen.model.spec``)."""
        return self._typed

    @property
    def raw(self) -> JsonObject:
        """The (resolved) mapping this object was read from: locate it with the loaded spec."""
        return self._raw

    @classmethod
    def field_keys(cls) -> list[str]:
        """The keys this object accepts in a document (its camelCase aliases)."""
        return [info.alias or name for name, info in cls.model_fields.items()]

    @model_validator(mode="wrap")
    @classmethod
    def _split_extensions(
        cls, data: Any, handler: ModelWrapValidatorHandler[Self], info: ValidationInfo
    ) -> Self:
        if not isinstance(data, dict):
            return handler(data)
        context = info.context if isinstance(info.context, ValidationContext) else None
        if context is not None:
            context.kinds.setdefault(id(data), cls)
            shared = context.instances.get((cls, id(data)))
            if shared is not None:
                return shared  # type: ignore[return-value]
        declared = set(cls.field_keys())
        extensions = {
            key: value
            for key, value in data.items()
            if cls.allow_extensions
            and key not in declared
            and isinstance(key, str)
            and EXTENSION_KEY.search(key)
        }
        model = handler({k: v for k, v in data.items() if k not in extensions})
        model._extensions = extensions
        model._raw = data
        if context is not None:
            context.instances[(cls, id(data))] = model
        return model

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable:
            raise PydanticCustomError("null", "null is not allowed here")
        return value
