"""Reading an ECMA-262 pattern into the tree of ``ecma_syntax``, refusing what the linear-time
dialect leaves out by name (docs/regex-dialect.md; the public entry is ``ecma_regex.parse``)."""

from __future__ import annotations

from functools import cache

from .ecma_syntax import (
    CLASS_ESCAPES,
    CONTROL,
    GENERAL_CATEGORY,
    LINE_TERMINATORS,
    MAX_CODE_POINT,
    MAX_COUNT,
    MAX_NESTING,
    SYNTAX,
    Alternation,
    Assertion,
    CharSet,
    Node,
    PatternSyntaxError,
    Prop,
    Range,
    Repeat,
    Sequence,
    Unsupported,
    complement,
    normalise,
    single,
)


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
        return single(self.combine_surrogates(ord(char), at))

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
        return single(found)

    def class_escape(self, at: int) -> CharSet | int:
        """After a backslash: a set (``\\d``, ``\\p{L}``...) or one code point."""
        char = self.peek()
        self.i += 1
        if char in CLASS_ESCAPES:
            ranges, negated = CLASS_ESCAPES[char]
            return CharSet(ranges, negated=negated)
        if char in ("p", "P"):
            return CharSet(props=(self.property(at, char == "P"),))
        if char in CONTROL:
            return CONTROL[char]
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
        if char in SYNTAX or char == "-" or not (char.isascii() and char.isalnum()):
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
                ranges.extend(complement(low.ranges) if low.negated else low.ranges)
                props.extend(low.props)
            else:
                ranges.append((low, low))
        return CharSet(normalise(ranges), tuple(props), negated)

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


@cache
def parse(source: str) -> Node:
    """The tree of an ECMA-262 pattern in the dialect; raises :class:`PatternError`."""
    parser = _Parser(source)
    node = parser.disjunction()
    if parser.i < len(source):
        raise parser.fail("unmatched `)`")
    return node
