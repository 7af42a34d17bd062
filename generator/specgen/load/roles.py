"""What a JSON value is, from where it stands: an AsyncAPI object, a schema, or plain data.

The resolver needs to know three things about a position: whether a ``{"$ref": ...}`` there
is a reference at all (inside ``enum``, ``const``, ``default`` and ``examples`` of a schema it
is data), whether ``$id`` counts (only in schemas) and whether a reference may close a cycle
(only between schemas: a recursive type such as a tree is meaningful, a channel that contains
itself is not).

Roles follow the AsyncAPI 3 document structure: ``components.schemas.*`` and every message's
(or message trait's) ``payload`` and ``headers`` are schemas (a Multi Format Schema Object's
``schema`` when its format is JSON Schema); inside a schema, the draft-7 keywords say which
values are schemas. A ``$ref`` target takes the role of the position that refers to it.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class Role(Enum):
    ROOT = "root"  # an AsyncAPI document
    OBJECT = "object"  # any other AsyncAPI object, or a value of unknown meaning
    COMPONENTS = "components"
    MESSAGE = "message"  # a message or message trait
    MESSAGES = "messages"  # a map or list of messages
    SCHEMA = "schema"
    SCHEMAS = "schemas"  # a map or list of schemas
    DEPENDENCIES = "dependencies"  # values are schemas or lists of property names
    DATA = "data"


SCHEMA_VALUED = frozenset(
    {"additionalItems", "additionalProperties", "contains", "else", "if", "items", "not",
     "propertyNames", "then"}
)  # fmt: skip
SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "items"})
SCHEMA_MAPS = frozenset({"definitions", "properties", "patternProperties"})
DATA_VALUED = frozenset({"enum", "const", "default", "examples"})
JSON_SCHEMA_FORMATS = (
    "application/vnd.aai.asyncapi",
    "application/schema+json;version=draft-07",
    "application/schema+yaml;version=draft-07",
)

_OBJECT_CHILDREN = {
    Role.ROOT: {"components": Role.COMPONENTS},
    Role.COMPONENTS: {
        "schemas": Role.SCHEMAS,
        "messages": Role.MESSAGES,
        "messageTraits": Role.MESSAGES,
    },
    Role.MESSAGE: {"payload": Role.SCHEMA, "headers": Role.SCHEMA, "traits": Role.MESSAGES},
}


def is_multi_format(value: Any) -> bool:
    """A Multi Format Schema Object (``schemaFormat`` + ``schema``) in a schema position."""
    return isinstance(value, dict) and "schemaFormat" in value and "schema" in value


def _schema_child(key: str, value: Any) -> Role:
    if key in SCHEMA_VALUED:
        return Role.SCHEMAS if key == "items" and isinstance(value, list) else Role.SCHEMA
    if key in SCHEMA_LISTS or key in SCHEMA_MAPS:
        return Role.SCHEMAS
    if key == "dependencies":
        return Role.DEPENDENCIES
    if key in DATA_VALUED:
        return Role.DATA
    return Role.OBJECT  # annotations, extensions, AsyncAPI's externalDocs (may be a $ref)


def child_role(role: Role, container: Any, key: str | int, value: Any) -> Role:
    """The role of ``container[key]`` (``value``) when ``container`` has ``role``."""
    if role is Role.DATA:
        return Role.DATA
    if role is Role.SCHEMAS:
        return Role.SCHEMA
    if role is Role.MESSAGES:
        return Role.MESSAGE
    if role is Role.DEPENDENCIES:
        return Role.DATA if isinstance(value, list) else Role.SCHEMA
    if role is Role.SCHEMA:
        if is_multi_format(container):
            fmt = container.get("schemaFormat")
            json_schema = isinstance(fmt, str) and fmt.startswith(JSON_SCHEMA_FORMATS)
            return Role.SCHEMA if key == "schema" and json_schema else Role.OBJECT
        return _schema_child(str(key), value)
    if role is Role.OBJECT:
        return Role.MESSAGES if key == "messages" else Role.OBJECT
    return _OBJECT_CHILDREN.get(role, {}).get(str(key), Role.OBJECT)


def may_recurse(role: Role) -> bool:
    """Whether a reference in a position of this role may point back at an enclosing value."""
    return role is Role.SCHEMA
