"""The syntax tree of the regex dialect (``ecma_regex``), its errors and ECMA-262's sets.

Part of the dialect, with ``ecma_parse`` (reading a pattern) and ``ecma_regex`` (writing it
for the linear-time engines): the generator holds verbatim copies of the three modules
(tools/sync_dialect.py), so they import each other relatively.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_COUNT = 1000
MAX_NESTING = 100
MAX_CODE_POINT = 0x10FFFF


class PatternError(ValueError):
    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


class PatternSyntaxError(PatternError):
    """Not an ECMA-262 regular expression."""


class Unsupported(PatternError):
    """ECMA-262, but outside the linear-time dialect: ``construct`` names what (a lookahead...)."""

    def __init__(self, construct: str, position: int) -> None:
        super().__init__(f"{construct} is outside the linear-time regex dialect", position)
        self.construct = construct


# -- the tree -----------------------------------------------------------------------------------
Range = tuple[int, int]


@dataclass(frozen=True)
class Prop:
    """``\\p{...}``: ``kind`` is "gc" (value: a short General_Category) or "script"."""

    kind: str
    value: str
    negated: bool = False


@dataclass(frozen=True)
class CharSet:
    """A set of code points: ``ranges`` and properties, complemented when ``negated``."""

    ranges: tuple[Range, ...] = ()
    props: tuple[Prop, ...] = ()
    negated: bool = False


@dataclass(frozen=True)
class Repeat:
    node: Node
    low: int
    high: int | None
    lazy: bool


@dataclass(frozen=True)
class Assertion:
    kind: str  # "^", "$", "b", "B"


@dataclass(frozen=True)
class Sequence:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Alternation:
    branches: tuple[Node, ...]


Node = CharSet | Repeat | Assertion | Sequence | Alternation

# -- ECMA-262 sets --------------------------------------------------------------------------------
DIGIT: tuple[Range, ...] = ((0x30, 0x39),)
WORD: tuple[Range, ...] = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
SPACE: tuple[Range, ...] = (
    (0x09, 0x0D), (0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A),
    (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000), (0xFEFF, 0xFEFF),
)  # fmt: skip
LINE_TERMINATORS: tuple[Range, ...] = ((0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029))
CLASS_ESCAPES = {"d": (DIGIT, False), "D": (DIGIT, True), "w": (WORD, False),
                  "W": (WORD, True), "s": (SPACE, False), "S": (SPACE, True)}  # fmt: skip
CONTROL = {"t": 0x09, "n": 0x0A, "v": 0x0B, "f": 0x0C, "r": 0x0D}
SYNTAX = set("^$\\.*+?()[]{}|/")

_GENERAL_CATEGORIES = {
    "L": "L Letter", "LC": "LC Cased_Letter", "Lu": "Lu Uppercase_Letter",
    "Ll": "Ll Lowercase_Letter", "Lt": "Lt Titlecase_Letter", "Lm": "Lm Modifier_Letter",
    "Lo": "Lo Other_Letter", "M": "M Mark Combining_Mark", "Mn": "Mn Nonspacing_Mark",
    "Mc": "Mc Spacing_Mark", "Me": "Me Enclosing_Mark", "N": "N Number",
    "Nd": "Nd Decimal_Number digit", "Nl": "Nl Letter_Number", "No": "No Other_Number",
    "P": "P Punctuation punct", "Pc": "Pc Connector_Punctuation", "Pd": "Pd Dash_Punctuation",
    "Ps": "Ps Open_Punctuation", "Pe": "Pe Close_Punctuation", "Pi": "Pi Initial_Punctuation",
    "Pf": "Pf Final_Punctuation", "Po": "Po Other_Punctuation", "S": "S Symbol",
    "Sm": "Sm Math_Symbol", "Sc": "Sc Currency_Symbol", "Sk": "Sk Modifier_Symbol",
    "So": "So Other_Symbol", "Z": "Z Separator", "Zs": "Zs Space_Separator",
    "Zl": "Zl Line_Separator", "Zp": "Zp Paragraph_Separator", "C": "C Other",
    "Cc": "Cc Control cntrl", "Cf": "Cf Format", "Cs": "Cs Surrogate", "Co": "Co Private_Use",
    "Cn": "Cn Unassigned",
}  # fmt: skip
GENERAL_CATEGORY = {
    alias: short for short, names in _GENERAL_CATEGORIES.items() for alias in names.split()
}
"""Every ECMA-262 name of a General_Category value -> its short name."""


def single(code_point: int) -> CharSet:
    return CharSet(((code_point, code_point),))


def normalise(ranges: list[Range] | tuple[Range, ...]) -> tuple[Range, ...]:
    merged: list[list[int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return tuple((low, high) for low, high in merged)


def complement(ranges: tuple[Range, ...]) -> tuple[Range, ...]:
    out, start = [], 0
    for low, high in normalise(ranges):
        if low > start:
            out.append((start, low - 1))
        start = high + 1
    if start <= MAX_CODE_POINT:
        out.append((start, MAX_CODE_POINT))
    return tuple(out)
