"""Message, Message Trait, Message Example and Correlation ID objects, and payload schemas."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from specgen.model.base import JsonObject, Node, RootSchemaObject, RuntimeExpression
from specgen.model.bindings import MessageBindings
from specgen.model.info import ExternalDocs, Tags

JSON_SCHEMA_FORMATS = (
    "application/schema+json;version=draft-07",
    "application/schema+yaml;version=draft-07",
)
ASYNCAPI_SCHEMA_FORMAT = "application/vnd.aai.asyncapi"


def _is_json_schema_format(schema_format: str | None) -> bool:
    """Whether ``schema`` must be a JSON Schema (object or boolean) for this format."""
    if schema_format is None or schema_format in JSON_SCHEMA_FORMATS:
        return True
    return schema_format.startswith(ASYNCAPI_SCHEMA_FORMAT)


class MultiFormatSchema(Node):
    """A schema in a named format (Avro, OpenAPI, JSON Schema, ...)."""

    model_config = ConfigDict(extra="allow")
    kind = "multi format schema object"

    schema_format: str | None = None
    schema_: Any = Field(alias="schema", description="the schema, in the format schemaFormat names")

    @field_validator("schema_")
    @classmethod
    def _json_schema_shape(cls, value: Any, info: ValidationInfo) -> Any:
        if _is_json_schema_format(info.data.get("schema_format")) and not isinstance(
            value, dict | bool
        ):
            raise PydanticCustomError("schema_type", "a schema must be an object or a boolean")
        return value


def _schema_tag(value: Any) -> str:
    return "<multi format schema>" if isinstance(value, dict) and "schema" in value else "<schema>"


AnySchema = Annotated[
    Annotated[RootSchemaObject, Tag("<schema>")]
    | Annotated[MultiFormatSchema, Tag("<multi format schema>")],
    Discriminator(_schema_tag),
]
"""A payload or headers schema: a JSON Schema object, or a Multi Format Schema (has ``schema``)."""


class CorrelationId(Node):
    kind = "correlation ID object"

    location: RuntimeExpression = Field(
        description="a runtime expression such as $message.header#/correlationId"
    )
    description: str | None = None


class MessageExample(Node):
    kind = "message example"
    allow_extensions = False
    nullable = frozenset({"payload"})

    name: str | None = None
    summary: str | None = None
    headers: JsonObject | None = None
    payload: Any = None

    @model_validator(mode="after")
    def _payload_or_headers(self) -> MessageExample:
        if not {"payload", "headers"} & self.model_fields_set:
            raise PydanticCustomError("required_one_of", "an example needs payload or headers")
        return self


class MessageTrait(Node):
    kind = "message trait"

    content_type: str | None = None
    headers: AnySchema | None = None
    correlation_id: CorrelationId | None = None
    tags: Tags | None = None
    summary: str | None = None
    name: str | None = None
    title: str | None = None
    description: str | None = None
    external_docs: ExternalDocs | None = None
    deprecated: bool | None = None
    bindings: MessageBindings | None = None
    examples: list[MessageExample] | None = None


def _trait_tag(value: Any) -> str:
    return "<trait with extra>" if isinstance(value, list) else "<trait>"


MessageTraitItem = Annotated[
    Annotated[MessageTrait, Tag("<trait>")]
    | Annotated[tuple[MessageTrait, JsonObject], Strict(False), Tag("<trait with extra>")],
    Discriminator(_trait_tag),
]


class Message(MessageTrait):
    kind = "message"

    payload: AnySchema | None = None
    traits: list[MessageTraitItem] | None = None


FOREIGN_FORMATS = {
    "application/vnd.apache.avro": "Avro",
    "application/vnd.google.protobuf": "Protobuf",
    "application/raml": "RAML",
    "application/vnd.oai.openapi": "OpenAPI",
}


def json_schema(value: Any) -> Any:
    """The JSON Schema (a dict or a boolean) of a payload or headers field, else None.

    None when the field is absent or holds a schema in another format (Avro, Protobuf, ...).
    """
    if isinstance(value, MultiFormatSchema):
        return value.schema_ if _is_json_schema_format(value.schema_format) else None
    return value if isinstance(value, dict | bool) else None


def foreign_format(value: Any) -> str | None:
    """``schemaFormat`` of a payload or headers field that is not JSON Schema, named.

    ``"Avro (application/vnd.apache.avro;version=1.9.0)"``; the format as written when it is
    not one of the known ones; None for JSON Schema and AsyncAPI schemas.
    """
    if not isinstance(value, MultiFormatSchema) or _is_json_schema_format(value.schema_format):
        return None
    written = value.schema_format or ""
    for prefix, name in FOREIGN_FORMATS.items():
        if written.startswith(prefix):
            return f"{name} ({written})"
    return repr(written)
