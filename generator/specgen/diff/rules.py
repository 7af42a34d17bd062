"""Every rule of ``specgen diff``: a stable id, a category, what it means and what it breaks.

Categories nest the way buf's do, stricter ones including the looser ones::

    CONTRACT  ⊃  CODE  ⊃  WIRE        OPERATIONS (separate)     VERSION (separate)

- WIRE: what the generated validators accept and where events travel: payload schemas,
  CloudEvent attributes, subjects.
- CODE: the API of the generated packages (class, field, method and package names, types),
  which can break users' code while the wire stays the same.
- CONTRACT: the AsyncAPI documents as a contract: channels, operations, event types.
- OPERATIONS: JetStream streams and the fleet topology: settings that cannot change in place
  or that lose data.
- VERSION: the project version against what changed.

``breaks`` says which readers a finding can hurt: ``backward`` (new consumers reading what old
producers send), ``forward`` (old consumers reading what new producers send), both, or none
(a change worth a changelog line that breaks nobody). Schema rules come in pairs, one per
direction: the same facet moved one way or the other.
"""

from __future__ import annotations

from dataclasses import dataclass

WIRE, CODE, CONTRACT, OPERATIONS, VERSION = "WIRE", "CODE", "CONTRACT", "OPERATIONS", "VERSION"
CATEGORIES = (WIRE, CODE, CONTRACT, OPERATIONS, VERSION)
INCLUDES = {
    WIRE: {WIRE},
    CODE: {WIRE, CODE},
    CONTRACT: {WIRE, CODE, CONTRACT},
    OPERATIONS: {OPERATIONS},
    VERSION: {VERSION},
}
BACKWARD, FORWARD = "backward", "forward"
BOTH: frozenset[str] = frozenset({BACKWARD, FORWARD})
NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    summary: str
    breaks: frozenset[str]


def _rules() -> dict[str, Rule]:
    table: list[tuple[str, str, str, frozenset[str]]] = [
        # -- payload schemas (one per facet and direction) --------------------------------
        ("TYPE_NARROWED", WIRE, "a JSON type is no longer accepted", frozenset({BACKWARD})),
        ("TYPE_WIDENED", WIRE, "a JSON type is newly accepted", frozenset({FORWARD})),
        ("NULL_REMOVED", WIRE, "null is no longer accepted", frozenset({BACKWARD})),
        ("NULL_ADDED", WIRE, "null is newly accepted (nullable added)", frozenset({FORWARD})),
        ("ENUM_VALUE_REMOVED", WIRE, "an enum value is no longer accepted", frozenset({BACKWARD})),
        ("ENUM_VALUE_ADDED", WIRE, "an enum value was added", frozenset({FORWARD})),
        ("ENUM_INTRODUCED", WIRE, "values are restricted to a list", frozenset({BACKWARD})),
        ("ENUM_LIFTED", WIRE, "a list of values was lifted", frozenset({FORWARD})),
        ("CONST_CHANGED", WIRE, "a constant value changed or appeared", BOTH),
        ("MINIMUM_RAISED", WIRE, "a lower bound was raised", frozenset({BACKWARD})),
        ("MINIMUM_LOWERED", WIRE, "a lower bound was lowered or removed", frozenset({FORWARD})),
        ("MAXIMUM_LOWERED", WIRE, "an upper bound was lowered", frozenset({BACKWARD})),
        ("MAXIMUM_RAISED", WIRE, "an upper bound was raised or removed", frozenset({FORWARD})),
        ("MULTIPLE_OF_CHANGED", WIRE, "multipleOf changed", BOTH),
        ("LENGTH_NARROWED", WIRE, "a string length limit was tightened", frozenset({BACKWARD})),
        ("LENGTH_WIDENED", WIRE, "a string length limit was relaxed", frozenset({FORWARD})),
        ("PATTERN_CHANGED", WIRE, "a string pattern was added, removed or changed", BOTH),
        ("FORMAT_CHANGED", WIRE, "a string format was added, removed or changed", BOTH),
        ("REQUIRED_ADDED", WIRE, "a property became required", frozenset({BACKWARD})),
        ("REQUIRED_REMOVED", WIRE, "a property is no longer required", frozenset({FORWARD})),
        ("PROPERTY_REMOVED", WIRE, "a property is no longer allowed", frozenset({BACKWARD})),
        ("PROPERTY_ADDED", WIRE, "a property was added to a closed object", frozenset({FORWARD})),
        (
            "OPEN_PROPERTY_DECLARED",
            WIRE,
            "a property was declared in an open object (strict)",
            frozenset({BACKWARD}),
        ),
        (
            "OPEN_PROPERTY_UNDECLARED",
            WIRE,
            "a declared property of an open object was dropped (strict)",
            frozenset({FORWARD}),
        ),
        (
            "ADDITIONAL_PROPERTIES_NARROWED",
            WIRE,
            "undeclared properties are restricted",
            frozenset({BACKWARD}),
        ),
        (
            "ADDITIONAL_PROPERTIES_WIDENED",
            WIRE,
            "undeclared properties are newly allowed",
            frozenset({FORWARD}),
        ),
        ("PATTERN_PROPERTIES_CHANGED", WIRE, "patternProperties changed", BOTH),
        ("PROPERTY_COUNT_NARROWED", WIRE, "min/maxProperties tightened", frozenset({BACKWARD})),
        ("PROPERTY_COUNT_WIDENED", WIRE, "min/maxProperties relaxed", frozenset({FORWARD})),
        ("PROPERTY_NAMES_CHANGED", WIRE, "propertyNames changed", BOTH),
        (
            "DEPENDENCY_ADDED",
            WIRE,
            "a dependency between properties was added",
            frozenset({BACKWARD}),
        ),
        (
            "DEPENDENCY_REMOVED",
            WIRE,
            "a dependency between properties was removed",
            frozenset({FORWARD}),
        ),
        ("ITEM_COUNT_NARROWED", WIRE, "min/maxItems tightened", frozenset({BACKWARD})),
        ("ITEM_COUNT_WIDENED", WIRE, "min/maxItems relaxed", frozenset({FORWARD})),
        ("UNIQUE_ITEMS_ADDED", WIRE, "items must now be unique", frozenset({BACKWARD})),
        ("UNIQUE_ITEMS_REMOVED", WIRE, "items need no longer be unique", frozenset({FORWARD})),
        ("CONTAINS_CHANGED", WIRE, "contains changed", BOTH),
        ("ADDITIONAL_ITEMS_NARROWED", WIRE, "a tuple accepts fewer items", frozenset({BACKWARD})),
        ("ADDITIONAL_ITEMS_WIDENED", WIRE, "a tuple accepts more items", frozenset({FORWARD})),
        (
            "BRANCH_REMOVED",
            WIRE,
            "a oneOf/anyOf branch no longer accepts old values",
            frozenset({BACKWARD}),
        ),
        ("BRANCH_ADDED", WIRE, "a oneOf/anyOf branch accepts new values", frozenset({FORWARD})),
        ("BRANCH_OVERLAP", WIRE, "a value may match two oneOf branches", BOTH),
        ("NOT_CHANGED", WIRE, "a not schema changed", BOTH),
        ("CONDITIONAL_CHANGED", WIRE, "an if/then/else changed", BOTH),
        ("SCHEMA_UNPROVEN", WIRE, "the schemas cannot be compared here", BOTH),
        # -- events, subjects and CloudEvent attributes ---------------------------------------
        ("EVENT_REMOVED", CONTRACT, "a CloudEvent type was removed", frozenset({BACKWARD})),
        ("EVENT_ADDED", CONTRACT, "a CloudEvent type was added", NONE),
        ("EVENT_RENAMED", CONTRACT, "a CloudEvent type was renamed", BOTH),
        ("EVENT_MOVED", CONTRACT, "a CloudEvent type moved to another domain", BOTH),
        ("EVENT_DEPRECATED", CONTRACT, "an event was marked deprecated", NONE),
        ("SUBJECT_CHANGED", WIRE, "an event's subject template changed", BOTH),
        ("SOURCE_CHANGED", WIRE, "an event's CloudEvents source template changed", BOTH),
        ("DATASCHEMA_CHANGED", WIRE, "an event's dataschema URI changed", BOTH),
        ("PARAMETER_REMOVED", WIRE, "a subject parameter was removed", BOTH),
        ("PARAMETER_ADDED", WIRE, "a subject parameter was added", BOTH),
        ("PARAMETER_RENAMED", CODE, "a subject parameter was renamed (same position)", BOTH),
        ("CHANNEL_REMOVED", CONTRACT, "a channel was removed", BOTH),
        ("CHANNEL_RENAMED", CONTRACT, "a channel's key changed, its address did not", BOTH),
        ("CHANNEL_ADDED", CONTRACT, "a channel was added", NONE),
        ("OPERATION_REMOVED", CONTRACT, "an operation was removed", BOTH),
        ("OPERATION_CHANGED", CONTRACT, "an operation's action or channel changed", BOTH),
        ("DOMAIN_REMOVED", CONTRACT, "a domain (document) was removed", BOTH),
        ("DOMAIN_ADDED", CONTRACT, "a domain (document) was added", NONE),
        ("PROJECT_FILE_ADDED", CONTRACT, "a project file was added to plain documents", NONE),
        # -- generated code -------------------------------------------------------------------
        ("PACKAGE_RENAMED", CODE, "a generated package or module was renamed", BOTH),
        ("TYPE_RENAMED", CODE, "a generated payload type was renamed or removed", BOTH),
        ("FIELD_REMOVED", CODE, "a field of a generated type was removed", BOTH),
        ("FIELD_TYPE_CHANGED", CODE, "a field's generated type changed", BOTH),
        ("ENUM_MEMBER_REMOVED", CODE, "a member of a generated enum was removed", BOTH),
        # -- operations -----------------------------------------------------------------------
        ("DELIVERY_CHANGED", OPERATIONS, "delivery switched between JetStream and core", BOTH),
        ("STREAM_REMOVED", OPERATIONS, "a stream was removed or renamed", BOTH),
        ("STREAM_ADDED", OPERATIONS, "a stream was added", NONE),
        ("STREAM_RETENTION_CHANGED", OPERATIONS, "retention cannot change in place", BOTH),
        ("STREAM_STORAGE_CHANGED", OPERATIONS, "storage cannot change in place", BOTH),
        ("STREAM_MAX_AGE_SHORTENED", OPERATIONS, "a shorter max_age deletes stored events", BOTH),
        ("STREAM_REPLICAS_REDUCED", OPERATIONS, "fewer replicas lose redundancy", BOTH),
        ("STREAM_SUBJECTS_REMOVED", OPERATIONS, "events on a removed subject are not stored", BOTH),
        (
            "STREAM_DUPLICATE_WINDOW_SHORTENED",
            OPERATIONS,
            "a shorter duplicate window lets late retries through twice",
            BOTH,
        ),
        ("STREAM_SETTING_CHANGED", OPERATIONS, "a stream setting changed safely", NONE),
        ("UPLOAD_DOMAIN_REMOVED", OPERATIONS, "a domain no longer flows to the cloud", BOTH),
        ("DEAD_LETTER_CHANGED", OPERATIONS, "the dead-letter subject or stream changed", BOTH),
        # -- versions ------------------------------------------------------------------------
        ("VERSION_TOO_LOW", VERSION, "the version does not say what changed", BOTH),
        (
            "ANNOTATION_STALE",
            VERSION,
            "an x-specgen-breaking annotation names another version",
            NONE,
        ),
    ]
    return {rid: Rule(rid, category, summary, breaks) for rid, category, summary, breaks in table}


RULES = _rules()

# facet of the schema engine -> (rule when old is not within new, rule when new is not within old)
FACET_RULES = {
    "type": ("TYPE_NARROWED", "TYPE_WIDENED"),
    "null": ("NULL_REMOVED", "NULL_ADDED"),
    "enum": ("ENUM_VALUE_REMOVED", "ENUM_VALUE_ADDED"),
    "enum-introduced": ("ENUM_INTRODUCED", "ENUM_LIFTED"),
    "const": ("CONST_CHANGED", "CONST_CHANGED"),
    "minimum": ("MINIMUM_RAISED", "MINIMUM_LOWERED"),
    "maximum": ("MAXIMUM_LOWERED", "MAXIMUM_RAISED"),
    "multipleOf": ("MULTIPLE_OF_CHANGED", "MULTIPLE_OF_CHANGED"),
    "length": ("LENGTH_NARROWED", "LENGTH_WIDENED"),
    "pattern": ("PATTERN_CHANGED", "PATTERN_CHANGED"),
    "format": ("FORMAT_CHANGED", "FORMAT_CHANGED"),
    "required": ("REQUIRED_ADDED", "REQUIRED_REMOVED"),
    "property-forbidden": ("PROPERTY_REMOVED", "PROPERTY_ADDED"),
    "open-property": ("OPEN_PROPERTY_DECLARED", "OPEN_PROPERTY_UNDECLARED"),
    "additionalProperties": ("ADDITIONAL_PROPERTIES_NARROWED", "ADDITIONAL_PROPERTIES_WIDENED"),
    "patternProperties": ("PATTERN_PROPERTIES_CHANGED", "PATTERN_PROPERTIES_CHANGED"),
    "property-count": ("PROPERTY_COUNT_NARROWED", "PROPERTY_COUNT_WIDENED"),
    "propertyNames": ("PROPERTY_NAMES_CHANGED", "PROPERTY_NAMES_CHANGED"),
    "dependencies": ("DEPENDENCY_ADDED", "DEPENDENCY_REMOVED"),
    "item-count": ("ITEM_COUNT_NARROWED", "ITEM_COUNT_WIDENED"),
    "uniqueItems": ("UNIQUE_ITEMS_ADDED", "UNIQUE_ITEMS_REMOVED"),
    "contains": ("CONTAINS_CHANGED", "CONTAINS_CHANGED"),
    "additionalItems": ("ADDITIONAL_ITEMS_NARROWED", "ADDITIONAL_ITEMS_WIDENED"),
    "branch": ("BRANCH_REMOVED", "BRANCH_ADDED"),
    "oneOf-overlap": ("BRANCH_OVERLAP", "BRANCH_OVERLAP"),
    "not": ("NOT_CHANGED", "NOT_CHANGED"),
    "conditional": ("CONDITIONAL_CHANGED", "CONDITIONAL_CHANGED"),
    "unknown": ("SCHEMA_UNPROVEN", "SCHEMA_UNPROVEN"),
}


def rule_for_facet(facet: str, direction: str) -> Rule:
    pair = FACET_RULES.get(facet, FACET_RULES["unknown"])
    return RULES[pair[0] if direction == BACKWARD else pair[1]]


def in_categories(rule: Rule, chosen: tuple[str, ...]) -> bool:
    return any(rule.category in INCLUDES.get(c, {c}) for c in chosen)
