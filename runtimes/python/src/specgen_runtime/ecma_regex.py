"""The regex dialect of every generated validator: the ECMA-262 patterns a linear-time engine runs.

JSON Schema's ``pattern`` and ``patternProperties`` are ECMA-262 regular expressions. This
module reads one (``parse``) and writes the same language for the linear-time engines the
three runtimes use: the Rust ``regex`` crate (``to_rust``: the Rust runtime, and pydantic-core's
``rust-regex`` engine in Python) and RE2 (``to_re2``: ``re2js`` in the TypeScript runtime). A
match never backtracks, so no payload can make a check take more than linear time.

The dialect (docs/regex-dialect.md) is ECMA-262 with the ``u`` flag, without flags otherwise:

- alternation, groups (capturing, ``(?:...)``, ``(?<name>...)``), quantifiers ``* + ? {n}
  {n,} {n,m}`` (greedy or lazy; counts up to 1000), ``^`` and ``$`` (start and end of the
  string), ``\\b``/``\\B`` (ASCII word boundaries), ``.`` (any code point but a line
  terminator);
- classes ``[...]``/``[^...]`` with ranges; ``\\d \\w \\s`` and their negations with ECMA-262's
  sets (ASCII digits and word characters, Unicode white space); ``\\t \\n \\v \\f \\r \\0
  \\cX \\xHH \\uHHHH \\u{H...}`` (surrogate pairs are one code point) and escaped punctuation;
- ``\\p{...}``/``\\P{...}`` with a General_Category value (``L``, ``Letter``, ``Nd``,
  ``digit``, ``gc=Lu``...), a script by its long name (``Script=Greek``, ``sc=Latin``), or
  ``Any``, ``ASCII``, ``Assigned``.

Refused by name (:class:`Unsupported`): lookahead and lookbehind, backreferences (numbered and
named), binary properties and script extensions, lone surrogates, counts above 1000. A
pattern that is not ECMA-262 at all raises :class:`PatternSyntaxError`. Both are
:class:`PatternError` (``position`` is the offending character's index).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

__all__ = [
    "PatternError",
    "PatternSyntaxError",
    "Unsupported",
    "parse",
    "to_re2",
    "to_rust",
]

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
_CLASS_ESCAPES = {"d": (DIGIT, False), "D": (DIGIT, True), "w": (WORD, False),
                  "W": (WORD, True), "s": (SPACE, False), "S": (SPACE, True)}  # fmt: skip
_CONTROL = {"t": 0x09, "n": 0x0A, "v": 0x0B, "f": 0x0C, "r": 0x0D}
_SYNTAX = set("^$\\.*+?()[]{}|/")

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


# -- parsing ------------------------------------------------------------------------------------
class _Parser:
    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0
        self.depth = 0

    def peek(self, offset: int = 0) -> str:
        j = self.i + offset
        return self.s[j] if j < len(self.s) else ""

    def take(self, text: str) -> bool:
        if self.s.startswith(text, self.i):
            self.i += len(text)
            return True
        return False

    def fail(self, message: str, at: int | None = None) -> PatternSyntaxError:
        return PatternSyntaxError(message, self.i if at is None else at)

    def disjunction(self) -> Node:
        branches = [self.alternative()]
        while self.take("|"):
            branches.append(self.alternative())
        return branches[0] if len(branches) == 1 else Alternation(tuple(branches))

    def alternative(self) -> Node:
        items: list[Node] = []
        while self.peek() not in ("", "|", ")"):
            items.append(self.term())
        return items[0] if len(items) == 1 else Sequence(tuple(items))

    def term(self) -> Node:
        start = self.i
        atom = self.atom()
        if isinstance(atom, Assertion):
            if self.peek() in ("*", "+", "?") or self._quantifier_ahead():
                raise self.fail("an assertion cannot be repeated")
            return atom
        return self.quantified(atom, start)

    def _quantifier_ahead(self) -> bool:
        return self.peek() == "{" and self._braces() is not None

    def _braces(self) -> tuple[int, int | None, int] | None:
        """``{n}``, ``{n,}`` or ``{n,m}`` at the cursor: (n, m, length), else None."""
        j, s = self.i + 1, self.s
        digits = j
        while j < len(s) and s[j].isascii() and s[j].isdigit():
            j += 1
        if j == digits:
            return None
        low, high = int(s[digits:j]), None
        if j < len(s) and s[j] == ",":
            j += 1
            more = j
            while j < len(s) and s[j].isascii() and s[j].isdigit():
                j += 1
            high = int(s[more:j]) if j > more else None
        else:
            high = low
        if j < len(s) and s[j] == "}":
            return low, high, j + 1 - self.i
        return None

    def quantifier(self) -> tuple[int, int | None] | None:
        """The quantifier at the cursor, consumed: (low, high), or None if there is none."""
        char, at = self.peek(), self.i
        if char in ("*", "+", "?"):
            self.i += 1
            return {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        braces = self._braces() if char == "{" else None
        if braces is None:
            return None
        low, high, length = braces
        self.i += length
        if high is not None and high < low:
            raise self.fail("numbers out of order in {} quantifier", at)
        if max(low, high or 0) > MAX_COUNT:
            raise Unsupported(f"a repetition count above {MAX_COUNT}", at)
        return low, high

    def quantified(self, atom: Node, start: int) -> Node:
        bounds = self.quantifier()
        if bounds is None:
            return atom
        lazy = self.take("?")
        at = self.i
        if self.quantifier() is not None:
            raise self.fail("nothing to repeat (a quantifier follows a quantifier)", at)
        return Repeat(atom, bounds[0], bounds[1], lazy)

    def atom(self) -> Node:
        char, at = self.peek(), self.i
        if char == "^" or char == "$":
            self.i += 1
            return Assertion(char)
        if char == ".":
            self.i += 1
            return CharSet(LINE_TERMINATORS, negated=True)
        if char == "(":
            return self.group()
        if char == "[":
            return self.char_class()
        if char == "\\":
            return self.atom_escape()
        if char in ("*", "+", "?"):
            raise self.fail("nothing to repeat")
        if char == "{" and self._braces() is not None:
            raise self.fail("nothing to repeat")
        self.i += 1
        return _single(self.combine_surrogates(ord(char), at))

    def group(self) -> Node:
        at = self.i
        self.i += 1
        for opener, construct in (("?=", "a lookahead `(?=...)`"),
                                  ("?!", "a negative lookahead `(?!...)`"),
                                  ("?<=", "a lookbehind `(?<=...)`"),
                                  ("?<!", "a negative lookbehind `(?<!...)`")):  # fmt: skip
            if self.s.startswith(opener, self.i):
                raise Unsupported(construct, at)
        if self.take("?:"):
            pass
        elif self.take("?<"):
            end = self.s.find(">", self.i)
            name = self.s[self.i : end] if end >= 0 else ""
            if (
                not name
                or not (name[0].isalpha() or name[0] in "_$")
                or not all(c.isalnum() or c in "_$" for c in name)
            ):
                raise self.fail("invalid capture group name", at)
            self.i = end + 1
        elif self.peek() == "?":
            raise self.fail("invalid group: `(?` must be followed by `:`, `<name>`, `=` or `!`")
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise Unsupported(f"nesting deeper than {MAX_NESTING} groups", at)
        inner = self.disjunction()
        self.depth -= 1
        if not self.take(")"):
            raise self.fail("unterminated group", at)
        return inner

    # -- escapes ------------------------------------------------------------------------------
    def atom_escape(self) -> Node:
        at = self.i
        self.i += 1
        char = self.peek()
        if char == "":
            raise self.fail("a pattern cannot end with `\\`", at)
        if char in ("b", "B"):
            self.i += 1
            return Assertion(char)
        if char.isascii() and char.isdigit() and char != "0":
            raise Unsupported(f"a backreference `\\{char}`", at)
        if char == "0" and self.peek(1).isascii() and self.peek(1).isdigit():
            raise Unsupported("a backreference or octal escape `\\0<digit>`", at)
        if char == "k":
            raise Unsupported("a named backreference `\\k<name>`", at)
        found = self.class_escape(at)
        if isinstance(found, CharSet):
            return found
        return _single(found)

    def class_escape(self, at: int) -> CharSet | int:
        """After a backslash: a set (``\\d``, ``\\p{L}``...) or one code point."""
        char = self.peek()
        self.i += 1
        if char in _CLASS_ESCAPES:
            ranges, negated = _CLASS_ESCAPES[char]
            return CharSet(ranges, negated=negated)
        if char in ("p", "P"):
            return CharSet(props=(self.property(at, char == "P"),))
        if char in _CONTROL:
            return _CONTROL[char]
        if char == "0":
            return 0
        if char == "c":
            letter = self.peek()
            if not (letter.isascii() and letter.isalpha()):
                raise self.fail("`\\c` must be followed by a letter", at)
            self.i += 1
            return ord(letter) % 32
        if char == "x":
            return self.hex_digits(2, at)
        if char == "u":
            return self.unicode_escape(at)
        if char in _SYNTAX or char == "-" or not (char.isascii() and char.isalnum()):
            return ord(char)
        raise self.fail(f"`\\{char}` is not an escape of ECMA-262 (u flag)", at)

    def hex_digits(self, count: int, at: int) -> int:
        text = self.s[self.i : self.i + count]
        if len(text) != count or any(c not in "0123456789abcdefABCDEF" for c in text):
            raise self.fail(f"expected {count} hex digits", at)
        self.i += count
        return int(text, 16)

    def unicode_escape(self, at: int) -> int:
        if self.take("{"):
            end = self.s.find("}", self.i)
            text = self.s[self.i : end] if end >= 0 else ""
            if not text or any(c not in "0123456789abcdefABCDEF" for c in text):
                raise self.fail("invalid `\\u{...}` escape", at)
            self.i = end + 1
            value = int(text, 16)
            if value > MAX_CODE_POINT:
                raise self.fail("`\\u{...}` beyond U+10FFFF", at)
            return self.combine_surrogates(value, at)
        return self.combine_surrogates(self.hex_digits(4, at), at)

    def combine_surrogates(self, value: int, at: int) -> int:
        if 0xD800 <= value <= 0xDBFF and self.s.startswith("\\u", self.i):
            save = self.i
            self.i += 2
            try:
                low = self.hex_digits(4, at)
            except PatternSyntaxError:
                low = -1
            if 0xDC00 <= low <= 0xDFFF:
                return 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            self.i = save
        if 0xD800 <= value <= 0xDFFF:
            raise Unsupported("a lone surrogate", at)
        return value

    def property(self, at: int, negated: bool) -> Prop:
        if not self.take("{"):
            raise self.fail("`\\p` must be followed by `{name}`", at)
        end = self.s.find("}", self.i)
        if end < 0:
            raise self.fail("unterminated `\\p{...}`", at)
        text = self.s[self.i : end]
        self.i = end + 1
        name, _, value = text.partition("=")
        if value and name in ("General_Category", "gc") and value in GENERAL_CATEGORY:
            return Prop("gc", GENERAL_CATEGORY[value], negated)
        if not value and name in GENERAL_CATEGORY:
            return Prop("gc", GENERAL_CATEGORY[name], negated)
        if value and name in ("Script", "sc") and value.replace("_", "").isalpha():
            if len(value) == 4 and value[0].isupper() and value[1:].islower():
                raise Unsupported(f"the script code `{value}` (write the script's long name)", at)
            return Prop("script", value, negated)
        if not value and name in ("Any", "ASCII", "Assigned"):
            return Prop(name, "", negated)
        if value and name in ("Script_Extensions", "scx"):
            raise Unsupported(f"the script extensions property `\\p{{{text}}}`", at)
        if not value and name.replace("_", "").isalpha():
            raise Unsupported(f"the Unicode property `\\p{{{text}}}`", at)
        raise self.fail(f"unknown Unicode property `\\p{{{text}}}`", at)

    # -- classes -------------------------------------------------------------------------------
    def char_class(self) -> CharSet:
        at = self.i
        self.i += 1
        negated = self.take("^")
        ranges: list[Range] = []
        props: list[Prop] = []
        while not self.take("]"):
            if self.peek() == "":
                raise self.fail("unterminated character class", at)
            start, low = self.i, self.class_atom()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.i += 1
                high = self.class_atom()
                if isinstance(low, CharSet) or isinstance(high, CharSet):
                    raise self.fail("a class escape cannot be a range's end", start)
                if high < low:
                    raise self.fail("range out of order in character class", start)
                ranges.append((low, high))
            elif isinstance(low, CharSet):
                ranges.extend(_complement(low.ranges) if low.negated else low.ranges)
                props.extend(low.props)
            else:
                ranges.append((low, low))
        return CharSet(_normalise(ranges), tuple(props), negated)

    def class_atom(self) -> CharSet | int:
        at, char = self.i, self.peek()
        if char != "\\":
            self.i += 1
            return self.combine_surrogates(ord(char), at)
        self.i += 1
        if self.peek() == "b":
            self.i += 1
            return 0x08
        if self.peek().isascii() and self.peek().isdigit() and self.peek() != "0":
            raise self.fail("a backreference cannot stand in a character class", at)
        return self.class_escape(at)


def _single(code_point: int) -> CharSet:
    return CharSet(((code_point, code_point),))


def _normalise(ranges: list[Range] | tuple[Range, ...]) -> tuple[Range, ...]:
    merged: list[list[int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return tuple((low, high) for low, high in merged)


def _complement(ranges: tuple[Range, ...]) -> tuple[Range, ...]:
    out, start = [], 0
    for low, high in _normalise(ranges):
        if low > start:
            out.append((start, low - 1))
        start = high + 1
    if start <= MAX_CODE_POINT:
        out.append((start, MAX_CODE_POINT))
    return tuple(out)


@cache
def parse(source: str) -> Node:
    """The tree of an ECMA-262 pattern in the dialect; raises :class:`PatternError`."""
    parser = _Parser(source)
    node = parser.disjunction()
    if parser.i < len(source):
        raise parser.fail("unmatched `)`")
    return node


# -- writing ------------------------------------------------------------------------------------
_NEVER = r"[^\x{0}-\x{10FFFF}]"
_ANYTHING = r"[\x{0}-\x{10FFFF}]"


def _code_point(value: int) -> str:
    """One code point, readable where that is safe in both syntaxes (escaped punctuation;
    ``<`` and ``>`` plain: ``\\<`` is a word boundary in the regex crate)."""
    char = chr(value)
    if char.isascii() and (char.isalnum() or char in " <>"):
        return char
    if char.isascii() and char.isprintable():
        return "\\" + char
    if not char.isascii() and char.isprintable() and not char.isspace():
        return char
    return f"\\x{{{value:X}}}"


def _prop(prop: Prop) -> str:
    if prop.kind == "Any":
        return "" if prop.negated else r"\x{0}-\x{10FFFF}"
    if prop.kind == "ASCII":
        return r"\x{80}-\x{10FFFF}" if prop.negated else r"\x{0}-\x{7F}"
    if prop.kind == "Assigned":
        return r"\p{Cn}" if prop.negated else r"\P{Cn}"
    return ("\\P" if prop.negated else "\\p") + "{" + prop.value + "}"


def _set(charset: CharSet) -> str:
    items = "".join(
        _code_point(low) if low == high else f"{_code_point(low)}-{_code_point(high)}"
        for low, high in charset.ranges
    ) + "".join(_prop(p) for p in charset.props)
    if not items:
        return _ANYTHING if charset.negated else _NEVER
    if not charset.negated and len(charset.ranges) == 1 and not charset.props:
        low, high = charset.ranges[0]
        if low == high:
            return _code_point(low)
    return "[" + ("^" if charset.negated else "") + items + "]"


def _write(node: Node, boundary: str) -> str:
    if isinstance(node, CharSet):
        return _set(node)
    if isinstance(node, Assertion):
        return node.kind if node.kind in ("^", "$") else boundary.replace("b", node.kind)
    if isinstance(node, Sequence):
        return "".join(_write(item, boundary) for item in node.items) or "(?:)"
    if isinstance(node, Alternation):
        return "(?:" + "|".join(_write(b, boundary) for b in node.branches) + ")"
    inner = _write(node.node, boundary)
    if not isinstance(node.node, CharSet | Alternation):
        inner = f"(?:{inner})"
    if (node.low, node.high) == (0, None):
        count = "*"
    elif (node.low, node.high) == (1, None):
        count = "+"
    elif (node.low, node.high) == (0, 1):
        count = "?"
    elif node.high is None:
        count = f"{{{node.low},}}"
    else:
        count = f"{{{node.low}}}" if node.low == node.high else f"{{{node.low},{node.high}}}"
    return inner + count + ("?" if node.lazy else "")


@cache
def to_rust(source: str) -> str:
    """``source`` (ECMA-262, in the dialect) in the Rust ``regex`` crate's syntax."""
    return _write(parse(source), r"(?-u:\b)")


@cache
def to_re2(source: str) -> str:
    """``source`` (ECMA-262, in the dialect) in RE2's syntax (``re2js``)."""
    return _write(parse(source), r"\b")
