"""Mutations of a raw (unresolved) AsyncAPI root document, for the agreement tests.

Each mutation edits the document in place and returns what our check must report: the rule
and the JSON pointer of the offending value in the root file, or ``VALID`` when the result is
still a valid document. It returns ``None`` when the document has nothing to mutate (e.g. no
inline server), and the test is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from specgen.load.source import child_pointer

Doc = dict[str, Any]


@dataclass(frozen=True)
class Expect:
    rule: str | None  # None: the mutated document is valid
    pointer: str = ""


VALID = Expect(None)


def _inline(mapping: Any) -> list[tuple[str, dict[str, Any]]]:
    """The (key, object) entries of a map that are written inline (not ``$ref``)."""
    if not isinstance(mapping, dict):
        return []
    return [(k, v) for k, v in mapping.items() if isinstance(v, dict) and "$ref" not in v]


def _first(doc: Doc, field: str) -> tuple[str, dict[str, Any]] | None:
    """The first inline object of a root map, then of the same components map."""
    for prefix, mapping in (("", doc.get(field)), ("/components", _components(doc, field))):
        for key, value in _inline(mapping):
            return f"{prefix}/{field}/{key}", value
    return None


def _components(doc: Doc, field: str) -> Any:
    components = doc.get("components")
    return components.get(field) if isinstance(components, dict) else None


def _first_message(doc: Doc) -> tuple[str, dict[str, Any]] | None:
    for key, message in _inline(_components(doc, "messages")):
        return f"/components/messages/{key}", message
    for prefix, mapping in (
        ("", doc.get("channels")),
        ("/components", _components(doc, "channels")),
    ):
        for name, channel in _inline(mapping):
            for key, message in _inline(channel.get("messages")):
                return f"{prefix}/channels/{name}/messages/{key}", message
    return None


def drop_asyncapi(doc: Doc) -> Expect:
    del doc["asyncapi"]
    return Expect("SG-STRUCT-REQUIRED", "")


def drop_info(doc: Doc) -> Expect:
    del doc["info"]
    return Expect("SG-STRUCT-REQUIRED", "")


def drop_info_title(doc: Doc) -> Expect:
    del doc["info"]["title"]
    return Expect("SG-STRUCT-REQUIRED", "/info")


def drop_info_version(doc: Doc) -> Expect:
    del doc["info"]["version"]
    return Expect("SG-STRUCT-REQUIRED", "/info")


def info_title_number(doc: Doc) -> Expect:
    doc["info"]["title"] = 42
    return Expect("SG-STRUCT-TYPE", "/info/title")


def info_title_null(doc: Doc) -> Expect:
    doc["info"]["title"] = None
    return Expect("SG-STRUCT-TYPE", "/info/title")


def unknown_root_field(doc: Doc) -> Expect:
    doc["chanels"] = {}
    return Expect("SG-STRUCT-UNKNOWN", "/chanels")


def unknown_info_field(doc: Doc) -> Expect:
    doc["info"]["descripton"] = "typo"
    return Expect("SG-STRUCT-UNKNOWN", "/info/descripton")


def _unknown_in(found: tuple[str, dict[str, Any]] | None, key: str) -> Expect | None:
    if found is None:
        return None
    pointer, obj = found
    obj[key] = "typo"
    return Expect("SG-STRUCT-UNKNOWN", child_pointer(pointer, key))


def unknown_channel_field(doc: Doc) -> Expect | None:
    return _unknown_in(_first(doc, "channels"), "adress")


def unknown_operation_field(doc: Doc) -> Expect | None:
    return _unknown_in(_first(doc, "operations"), "actoin")


def unknown_message_field(doc: Doc) -> Expect | None:
    return _unknown_in(_first_message(doc), "payloads")


def bad_action(doc: Doc) -> Expect | None:
    found = _first(doc, "operations")
    if found is None:
        return None
    found[1]["action"] = "publish"
    return Expect("SG-STRUCT-VALUE", found[0] + "/action")


def drop_operation_channel(doc: Doc) -> Expect | None:
    found = _first(doc, "operations")
    if found is None:
        return None
    del found[1]["channel"]
    return Expect("SG-STRUCT-REQUIRED", found[0])


def inline_operation_channel(doc: Doc) -> Expect | None:
    found = _first(doc, "operations")
    if found is None:
        return None
    found[1]["channel"] = {"address": "inline/channel"}
    return Expect("SG-STRUCT-REF", found[0] + "/channel")


def version_2(doc: Doc) -> Expect:
    doc["asyncapi"] = "2.6.0"
    return Expect("SG-STRUCT-VERSION", "/asyncapi")


def version_3_0(doc: Doc) -> Expect:
    doc["asyncapi"] = "3.0.0"
    return VALID


def channels_as_list(doc: Doc) -> Expect:
    doc["channels"] = [{"address": "a"}]
    return Expect("SG-STRUCT-TYPE", "/channels")


def bad_component_key(doc: Doc) -> Expect:
    components = doc.setdefault("components", {})
    components.setdefault("schemas", {})["bad key!"] = {"type": "string"}
    return VALID  # the official schema does not look at such keys; we warn


def tags_as_string(doc: Doc) -> Expect:
    doc["info"]["tags"] = "one,two"
    return Expect("SG-STRUCT-TYPE", "/info/tags")


def duplicate_tags(doc: Doc) -> Expect:
    doc["info"]["tags"] = [{"name": "same"}, {"name": "same"}]
    return Expect("SG-STRUCT-VALUE", "/info/tags")


def content_type_number(doc: Doc) -> Expect | None:
    found = _first_message(doc)
    if found is None:
        return None
    found[1]["contentType"] = 415
    return Expect("SG-STRUCT-TYPE", found[0] + "/contentType")


def payload_string(doc: Doc) -> Expect | None:
    found = _first_message(doc)
    if found is None:
        return None
    found[1]["payload"] = "string"
    return Expect("SG-STRUCT-TYPE", found[0] + "/payload")


def _drop_from_server(doc: Doc, field: str) -> Expect | None:
    found = _first(doc, "servers")
    if found is None or field not in found[1]:
        return None
    del found[1][field]
    return Expect("SG-STRUCT-REQUIRED", found[0])


def server_missing_host(doc: Doc) -> Expect | None:
    return _drop_from_server(doc, "host")


def server_missing_protocol(doc: Doc) -> Expect | None:
    return _drop_from_server(doc, "protocol")


def bad_security_type(doc: Doc) -> Expect:
    components = doc.setdefault("components", {})
    components.setdefault("securitySchemes", {})["broken"] = {"type": "userPasword"}
    return Expect("SG-STRUCT-VALUE", "/components/securitySchemes/broken/type")


def root_extension(doc: Doc) -> Expect:
    doc["x-specgen"] = {"anything": [1, 2, {"goes": None}]}
    return VALID


def info_extension(doc: Doc) -> Expect:
    doc["info"]["x-team"] = "platform"
    return VALID


def bad_extension_name(doc: Doc) -> Expect:
    doc["x-"] = 1
    return Expect("SG-STRUCT-UNKNOWN", "/x-")


def null_address(doc: Doc) -> Expect | None:
    found = _first(doc, "channels")
    if found is None:
        return None
    found[1]["address"] = None
    return VALID


MUTATIONS: dict[str, Callable[[Doc], Expect | None]] = {
    f.__name__: f
    for f in (
        drop_asyncapi,
        drop_info,
        drop_info_title,
        drop_info_version,
        info_title_number,
        info_title_null,
        unknown_root_field,
        unknown_info_field,
        unknown_channel_field,
        unknown_operation_field,
        unknown_message_field,
        bad_action,
        drop_operation_channel,
        inline_operation_channel,
        version_2,
        version_3_0,
        channels_as_list,
        bad_component_key,
        tags_as_string,
        duplicate_tags,
        content_type_number,
        payload_string,
        server_missing_host,
        server_missing_protocol,
        bad_security_type,
        root_extension,
        info_extension,
        bad_extension_name,
        null_address,
    )
}
