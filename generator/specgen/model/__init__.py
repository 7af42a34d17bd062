"""Typed model of AsyncAPI 3.0/3.1 documents and the structural check built on it.

``check_structure(spec)`` validates every loaded (resolved) document and returns diagnostics;
``parse_document(spec, source)`` also returns the typed :class:`AsyncAPI` model when the
document is valid. The objects live in ``info``, ``servers``, ``security``, ``bindings``,
``messages``, ``channels``, ``operations`` and ``document``; ``errors`` maps validation errors
to places in the files.

Rule ids: SG-STRUCT-VERSION, SG-STRUCT-REQUIRED, SG-STRUCT-TYPE, SG-STRUCT-UNKNOWN,
SG-STRUCT-VALUE, SG-STRUCT-REF (an inline object where a $ref is required) and SG-STRUCT-KEY
(warning: a component name the official schema would skip).
"""

from __future__ import annotations

from specgen.model.base import Node
from specgen.model.channels import Channel, Parameter
from specgen.model.document import AsyncAPI, Components
from specgen.model.info import Contact, ExternalDocs, Info, License, Tag
from specgen.model.messages import CorrelationId, Message, MessageTrait, MultiFormatSchema
from specgen.model.operations import Operation, OperationTrait, Reply, ReplyAddress
from specgen.model.servers import Server, ServerVariable
from specgen.model.structure import check_structure, parse_document

__all__ = [
    "AsyncAPI",
    "Channel",
    "Components",
    "Contact",
    "CorrelationId",
    "ExternalDocs",
    "Info",
    "License",
    "Message",
    "MessageTrait",
    "MultiFormatSchema",
    "Node",
    "Operation",
    "OperationTrait",
    "Parameter",
    "Reply",
    "ReplyAddress",
    "Server",
    "ServerVariable",
    "Tag",
    "check_structure",
    "parse_document",
]
