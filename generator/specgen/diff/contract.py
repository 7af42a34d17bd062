"""Contract findings: domains (documents), channels and operations of the AsyncAPI documents.

Channels are matched by address across all documents: an address that disappeared is a
removed channel, the same address under another key a renamed one. Operations are matched by
key within their domain; a changed action (send/receive) or channel is a changed operation.
"""

from __future__ import annotations

from typing import Any

from specgen.diff.findings import Finding, found
from specgen.diff.side import Side


def _channels(side: Side) -> dict[tuple[str, str], tuple[str, Any]]:
    """(domain, channel key) -> (address, channel object)."""
    table: dict[tuple[str, str], tuple[str, Any]] = {}
    for domain, document in side.documents.items():
        channels = document.data.get("channels") if isinstance(document.data, dict) else None
        for key, channel in channels.items() if isinstance(channels, dict) else ():
            address = channel.get("address") if isinstance(channel, dict) else None
            table[(domain, str(key))] = (str(address if address is not None else key), channel)
    return table


def _operations(side: Side) -> dict[tuple[str, str], tuple[str, str, Any]]:
    """(domain, operation key) -> (action, channel key, operation object)."""
    table: dict[tuple[str, str], tuple[str, str, Any]] = {}
    for domain, document in side.documents.items():
        data = document.data if isinstance(document.data, dict) else {}
        listed = data.get("channels")
        channels: dict[str, Any] = listed if isinstance(listed, dict) else {}
        operations = data.get("operations")
        for key, operation in operations.items() if isinstance(operations, dict) else ():
            if not isinstance(operation, dict):
                continue
            target = operation.get("channel")
            channel_key = next((k for k, c in channels.items() if c is target), "?")
            table[(domain, key)] = (str(operation.get("action")), channel_key, operation)
    return table


def _domain_finding(rule: str, message: str, old: Any, new: Any, domain: str) -> Finding:
    return found(rule, message, old, new, f"domain:{domain}", domain)


def compare_contract(old: Side, new: Side) -> list[Finding]:
    return _domains(old, new) + _compare_channels(old, new) + _compare_operations(old, new)


def _domains(old: Side, new: Side) -> list[Finding]:
    findings = []
    for name in old.documents:
        if name not in new.documents:
            findings.append(
                _domain_finding(
                    "DOMAIN_REMOVED",
                    f"domain {name} was removed",
                    old.at_document(name, ""),
                    None,
                    name,
                )
            )
    for name in new.documents:
        if name not in old.documents:
            findings.append(
                _domain_finding(
                    "DOMAIN_ADDED",
                    f"domain {name} was added",
                    None,
                    new.at_document(name, ""),
                    name,
                )
            )
    return findings


def _compare_channels(old: Side, new: Side) -> list[Finding]:
    """Channels are the same by key (an address change is the events' SUBJECT_CHANGED); a key
    that disappeared while its address lives on under another key is a rename."""
    before, after = _channels(old), _channels(new)
    by_address = {address: place for place, (address, _) in after.items() if place not in before}
    keys = {key for _, key in after}
    findings, renamed = [], set()
    for (domain, key), (address, channel) in before.items():
        if (domain, key) in after or key in keys:
            continue
        target = by_address.get(address)
        if target is not None:
            renamed.add(target)
            message = f"channel {key} is now {target[1]} (address {address})"
            findings.append(
                _domain_finding(
                    "CHANNEL_RENAMED",
                    message,
                    old.locate(channel),
                    new.locate(after[target][1]),
                    target[0],
                )
            )
        else:
            message = f"channel {key} ({address}) was removed"
            findings.append(
                _domain_finding("CHANNEL_REMOVED", message, old.locate(channel), None, domain)
            )
    old_keys = {key for _, key in before}
    for (domain, key), (address, channel) in after.items():
        if (domain, key) not in before and key not in old_keys and (domain, key) not in renamed:
            message = f"channel {key} ({address}) was added"
            findings.append(
                _domain_finding("CHANNEL_ADDED", message, None, new.locate(channel), domain)
            )
    return findings


def _compare_operations(old: Side, new: Side) -> list[Finding]:
    before, after = _operations(old), _operations(new)
    findings = []
    for (domain, key), (action, channel_key, operation) in before.items():
        if domain not in new.documents:
            continue  # the whole domain is reported as removed
        if (domain, key) not in after:
            findings.append(
                _domain_finding(
                    "OPERATION_REMOVED",
                    f"operation {key} ({action} {channel_key}) was removed",
                    old.locate(operation),
                    None,
                    domain,
                )
            )
            continue
        new_action, new_channel, new_operation = after[(domain, key)]
        if (new_action, new_channel) != (action, channel_key):
            findings.append(
                _domain_finding(
                    "OPERATION_CHANGED",
                    f"operation {key}: {action} {channel_key} is now {new_action} {new_channel}",
                    old.locate(operation),
                    new.locate(new_operation),
                    domain,
                )
            )
    return findings
