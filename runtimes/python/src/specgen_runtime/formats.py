"""String formats, exactly as docs/formats.md states them (the same in every runtime).

Formats whose whole meaning is a grammar are ECMA-262 patterns in the dialect of
``ecma_regex`` (``PATTERNS``), run natively by pydantic-core's linear-time engine; the
TypeScript and Rust runtimes hold the same pattern texts. The formats of time also need
arithmetic (days of the month, leap seconds) and are Python checks (``CHECKS``). Every check
takes the whole string: nothing before or after a match (a trailing newline included).
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["CHECKS", "FORMATS", "PATTERNS"]

_DEC_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = rf"{_DEC_OCTET}(?:\.{_DEC_OCTET}){{3}}"
_H16 = "[0-9A-Fa-f]{1,4}"
_LS32 = f"(?:{_H16}:{_H16}|{_IPV4})"
_IPV6 = (
    "(?:"
    f"(?:{_H16}:){{6}}{_LS32}"
    f"|::(?:{_H16}:){{5}}{_LS32}"
    f"|(?:{_H16})?::(?:{_H16}:){{4}}{_LS32}"
    f"|(?:(?:{_H16}:){{0,1}}{_H16})?::(?:{_H16}:){{3}}{_LS32}"
    f"|(?:(?:{_H16}:){{0,2}}{_H16})?::(?:{_H16}:){{2}}{_LS32}"
    f"|(?:(?:{_H16}:){{0,3}}{_H16})?::{_H16}:{_LS32}"
    f"|(?:(?:{_H16}:){{0,4}}{_H16})?::{_LS32}"
    f"|(?:(?:{_H16}:){{0,5}}{_H16})?::{_H16}"
    f"|(?:(?:{_H16}:){{0,6}}{_H16})?::"
    ")"
)
_PCT = "%[0-9A-Fa-f]{2}"
_PCHAR = f"(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|{_PCT})"
_SEGMENT_NC = f"(?:[A-Za-z0-9._~!$&'()*+,;=@-]|{_PCT})"
_USERINFO = f"(?:[A-Za-z0-9._~!$&'()*+,;=:-]|{_PCT})*"
_REG_NAME = f"(?:[A-Za-z0-9._~!$&'()*+,;=-]|{_PCT})*"
_IP_LITERAL = rf"\[(?:{_IPV6}|v[0-9A-Fa-f]+\.[A-Za-z0-9._~!$&'()*+,;=:-]+)\]"
_AUTHORITY = f"(?:{_USERINFO}@)?(?:{_IP_LITERAL}|{_REG_NAME})(?::[0-9]*)?"
_PATH_ABEMPTY = f"(?:/{_PCHAR}*)*"
_PATH_ABSOLUTE = f"/(?:{_PCHAR}+(?:/{_PCHAR}*)*)?"
_PATH_ROOTLESS = f"{_PCHAR}+(?:/{_PCHAR}*)*"
_PATH_NOSCHEME = f"{_SEGMENT_NC}+(?:/{_PCHAR}*)*"
_TAIL = rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"
_URI = (
    f"[A-Za-z][A-Za-z0-9+.-]*:"
    f"(?://{_AUTHORITY}{_PATH_ABEMPTY}|{_PATH_ABSOLUTE}|{_PATH_ROOTLESS}|){_TAIL}"
)
_RELATIVE_REF = f"(?://{_AUTHORITY}{_PATH_ABEMPTY}|{_PATH_ABSOLUTE}|{_PATH_NOSCHEME}|){_TAIL}"
_ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LOCAL_PART = rf'(?:{_ATEXT}+(?:\.{_ATEXT}+)*|"(?:[ !#-\[\]-~]|\\[ -~])*")'
_SUB_DOMAIN = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DOMAIN = rf"(?:{_SUB_DOMAIN}(?:\.{_SUB_DOMAIN})*|\[(?:{_IPV4}|IPv6:{_IPV6})\])"

PATTERNS: dict[str, str] = {
    "email": f"^{_LOCAL_PART}@{_DOMAIN}$",
    "ipv4": f"^{_IPV4}$",
    "ipv6": f"^{_IPV6}$",
    "uri": f"^{_URI}$",
    "uri-reference": f"^(?:{_URI}|{_RELATIVE_REF})$",
    "uuid": "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$",
}
"""Formats that are a grammar: ECMA-262 patterns (anchored, ASCII classes only)."""

_DATE = "([0-9]{4})-([0-9]{2})-([0-9]{2})"
_TIME = r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))"
_DATE_RE = re.compile(_DATE)
_TIME_RE = re.compile(_TIME)
_DATE_TIME_RE = re.compile(f"{_DATE}[Tt]{_TIME}")


def _valid_date(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return day <= days


def _valid_time(parts: tuple[str | None, ...]) -> bool:
    """RFC 3339 partial time and offset; a leap second only at 23:59:60 UTC."""
    hour, minute, second, sign, off_hour, off_minute = parts
    h, m, s = int(hour or 0), int(minute or 0), int(second or 0)
    oh, om = int(off_hour or 0), int(off_minute or 0)
    if h > 23 or m > 59 or s > 60 or oh > 23 or om > 59:
        return False
    if s == 60:
        offset = (oh * 60 + om) * (-1 if sign == "-" else 1)
        return (h * 60 + m - offset) % 1440 == 23 * 60 + 59
    return True


def _is_date(value: str) -> bool:
    match = _DATE_RE.fullmatch(value)
    return match is not None and _valid_date(*(int(g) for g in match.groups()))


def _is_time(value: str) -> bool:
    match = _TIME_RE.fullmatch(value)
    return match is not None and _valid_time(match.groups())


def _is_date_time(value: str) -> bool:
    match = _DATE_TIME_RE.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(g) for g in match.groups()[:3])
    return _valid_date(year, month, day) and _valid_time(match.groups()[3:])


CHECKS: dict[str, Callable[[str], bool]] = {
    "date": _is_date,
    "date-time": _is_date_time,
    "time": _is_time,
}
"""Formats that need arithmetic besides their grammar."""

FORMATS = frozenset(PATTERNS) | frozenset(CHECKS)
"""Every format the runtimes check; any other format is an annotation."""
