"""trafilatura's class-and-id XPath expressions, tested only where they can match.

trafilatura finds what to prune, where the body is and who wrote the page with XPath
expressions such as `.//*[self::div or self::section][re:test(@id, '^shar|social|...') or
contains(@class, 'comment') or ...]`: dozens of tests on the attributes of every element of the
page. libxml2 takes about a quarter of a microsecond per test and element, and lxml runs every
EXSLT regex test as a Python call, so these expressions are 7-11 ms of a news page's
extraction, while they match a handful of elements.

Each such filter is true only for an element holding one of a few words in one of a few
attributes (`contains(@id, 'nav')` needs "nav" in the id; `re:test(@class, '^shar|viral')`
needs "shar" or "viral" in the class). `necessary_words` reads them from the filter; a
`PrefilteredXPath` collects the page's values of those attributes in one XPath call, finds the
values that hold a word with one regex (most calls find none: then a single path returns no
element without running), marks their elements with an attribute, and runs the original
expression with a test of that mark put in front of the filter. libxml2 checks
`and` from the left, so the costly tests run on the marked elements only; every element the
original matches is marked, so the result is the same node-set, in the same order. The marks
are removed before the call returns. A filter that could hold for an element without those
attributes (`not(...)`, an empty word, a regex that matches the empty string), or that the
reader here does not know, is left as it is; so is one whose few tests cost less than the
prefilter (`_Reading.worth_it`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, product

from lxml import etree

try:  # the parser behind `re`: its trees are the regex as `re` reads it
    from re import _constants as sre
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - a Python without them keeps the regex tests
    sre = sre_parse = None

EXSLT_REGEX = "http://exslt.org/regular-expressions"
#: The attribute that marks candidates while an expression runs; no page uses it, and one
#: that did would only add candidates (the filter still decides).
MARK = "data-ingest-xpath-candidate"
#: More spellings than this from one regex and its attribute's every value is a candidate.
MAX_WORDS = 256
_TOKEN = re.compile(
    r"\s*(?:(?P<literal>'[^']*'|\"[^\"]*\")|(?P<axis>::)|(?P<name>[A-Za-z_][\w.-]*(?::[\w.-]+)?)"
    r"|(?P<op>[()\[\]@|=,.*/]))"
)


class _Unknown(Exception):
    """The filter holds something this reader does not know."""


@dataclass(frozen=True)
class Need:
    """An element the filter holds for has attribute `attribute` with `word` in its value
    (any value when `word` is empty; in any case with `any_case`), or a child element
    `child`."""

    attribute: str | None = None
    word: str = ""
    child: str | None = None
    any_case: bool = False


def necessary_words(predicate: str) -> frozenset[Need] | None:
    """What an element must have for `predicate` to hold of it (one of the needs); None when
    the predicate may hold for elements that have none of them, or cannot be read."""
    try:
        return _read(predicate).needs
    except (_Unknown, IndexError):
        return None


@dataclass(frozen=True)
class _Reading:
    """A filter's needs, and how many attribute tests (regex tests among them) it makes of
    each element: what a prefilter saves."""

    needs: frozenset[Need] | None
    tests: int
    regex_tests: int

    @property
    def worth_it(self) -> bool:
        """Collecting the candidates costs about as much as 4-8 plain tests or 1-2 regex
        tests per element (measured on news pages); a need of any class or id at all makes
        nearly every element a candidate."""
        if self.needs is None or any(
            n.attribute in ("class", "id") and not n.word for n in self.needs
        ):
            return False
        return self.regex_tests >= 2 or self.tests >= 8


def _read(predicate: str) -> _Reading:
    """Read a filter; raises _Unknown for one this reader does not know (which may be
    positional, as `[1]`)."""
    parser = _Parser(predicate)
    needs = parser.or_expression()
    parser.expect_end()
    return _Reading(needs, parser.tests, parser.regex_tests)


class _Parser:
    """Recursive descent over the XPath 1.0 subset of trafilatura's filters."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0
        self.tests = 0
        self.regex_tests = 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.tokens[self.at]
        if expected is not None and token != expected:
            raise _Unknown(token)
        self.at += 1
        return token

    def expect_end(self) -> None:
        if self.peek() is not None:
            raise _Unknown(self.peek())

    def or_expression(self) -> frozenset[Need] | None:
        needs = self.and_expression()
        while self.peek() == "or":
            self.take()
            more = self.and_expression()
            needs = None if needs is None or more is None else needs | more
        return needs

    def and_expression(self) -> frozenset[Need] | None:
        needs = self.unary()
        while self.peek() == "and":
            self.take()
            more = self.unary()
            needs = needs if needs is not None else more
        return needs

    def unary(self) -> frozenset[Need] | None:
        token = self.peek()
        if token == "(":
            self.take()
            needs = self.or_expression()
            self.take(")")
            return needs
        if token == "not":
            self.take()
            self.take("(")
            self.or_expression()
            self.take(")")
            return None
        if token == "self":
            self.take()
            self.take("::")
            _name(self.take())
            return None
        if token == "@":
            self.tests += 1
            attributes = self.attributes()
            if self.peek() != "=":
                return frozenset(Need(a) for a in attributes)
            self.take()
            word = _text(self.take())
            return frozenset(Need(a, word) for a in attributes)
        if token in _FUNCTIONS:
            return self.function()
        child = _name(self.take())
        self.tests += 1
        self.take("=")
        _text(self.take())
        return frozenset([Need(child=child)])

    def attributes(self) -> list[str]:
        """`@a` or `@a|@b|...`."""
        names = []
        while True:
            self.take("@")
            names.append(_name(self.take()))
            if self.peek() != "|":
                return names
            self.take()

    def function(self) -> frozenset[Need] | None:
        function = self.take()
        self.tests += 1
        self.regex_tests += function == "re:test"
        self.take("(")
        translated, case_only = self.peek() == "translate", False
        if translated:
            self.take()
            self.take("(")
            attributes = self.attributes()
            self.take(",")
            source = _text(self.take())
            self.take(",")
            target = _text(self.take())
            self.take(")")
            case_only = len(source) == len(target) and source.casefold() == target.casefold()
        else:
            attributes = self.attributes()
        self.take(",")
        pattern = _text(self.take())
        flags = ""
        if function == "re:test" and self.peek() == ",":
            self.take()
            flags = _text(self.take())
        self.take(")")
        if function != "re:test":
            if not pattern:
                return None  # contains(x, '') holds of every element
            # a case mapping (translate(@id, 'CM', 'cm')) spells the word in other cases
            words = [""] if translated and not case_only else [pattern]
            any_case = case_only
        else:
            words = _regex_words(pattern, flags, translated)
            if words is None:
                return None
            any_case = "i" in flags
        return frozenset(Need(a, w, any_case=any_case) for a, w in product(attributes, words))


_FUNCTIONS = frozenset({"contains", "starts-with", "re:test"})


def _tokens(text: str) -> list[str]:
    tokens, at = [], 0
    while at < len(text):
        if text[at:].strip() == "":
            break
        match = _TOKEN.match(text, at)
        if match is None:
            raise _Unknown(text[at:])
        tokens.append(match[match.lastgroup])
        at = match.end()
    return tokens


def _name(token: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][\w.-]*", token) or token in ("or", "and"):
        raise _Unknown(token)
    return token


def _text(token: str) -> str:
    if len(token) < 2 or token[0] not in "'\"" or token[-1] != token[0]:
        raise _Unknown(token)
    return token[1:-1]


def _regex_words(pattern: str, flags: str, translated: bool) -> list[str] | None:
    """Words one of which every string the regex finds a match in holds (in any case, with
    flag i); None when it finds one in the empty string (then it holds of elements without
    the attribute). [""] when any value of the attribute may match."""
    re_flags = re.IGNORECASE if "i" in flags else 0
    try:
        if re.search(pattern, "", re_flags):
            return None
    except re.error:
        return None
    if translated or sre_parse is None:
        return [""]
    try:
        words = _spellings(sre_parse.parse(pattern))
    except (_Unknown, re.error):
        return [""]
    texts = ["".join(letter for letter in word if isinstance(letter, str)) for word in words]
    return [""] if "" in texts else sorted(set(texts))


def _spellings(parsed) -> list[tuple]:
    """The strings a parsed regex matches, letters only: anchors and lookaheads drop out
    (a match still holds the letters); classes, `?` and groups are spelt out."""
    words: list[tuple] = [()]
    for op, arg in parsed:
        alternatives = _alternatives(op, arg)
        words = [head + tail for head, tail in product(words, alternatives)]
        if len(words) > MAX_WORDS:
            raise _Unknown(len(words))
    return words


def _alternatives(op, arg) -> list[tuple]:
    if op is sre.LITERAL:
        return [(chr(arg),)]
    if op is sre.IN:
        return [(letter,) for letter in _letters(arg)]
    if op is sre.BRANCH:
        return [word for branch in arg[1] for word in _spellings(branch)]
    if op is sre.SUBPATTERN:
        return _spellings(arg[3])
    if op is sre.MAX_REPEAT and arg[0] == 0 and arg[1] == 1:
        return [(), *_spellings(arg[2])]
    if op in (sre.AT, sre.ASSERT_NOT):
        return [()]
    raise _Unknown(op)


def _letters(items) -> list[str]:
    """The letters of a class such as [Aa] or [-_]: literals and short ranges, not negated."""
    letters: list[str] = []
    for op, arg in items:
        if op is sre.LITERAL:
            letters.append(chr(arg))
        elif op is sre.RANGE and arg[1] - arg[0] < 64:
            letters.extend(map(chr, range(arg[0], arg[1] + 1)))
        else:
            raise _Unknown(op)
    return letters


@dataclass(frozen=True)
class _Filter:
    """One step's filters in an expression: where their text starts and what they need."""

    start: int
    needs: frozenset[Need]


class PrefilteredXPath:
    """An XPath expression that runs its class-and-id filters on candidate elements only;
    called as the expression is, it returns the same elements in the same order."""

    def __init__(self, path: str, filters: list[_Filter], namespaces: dict[str, str]) -> None:
        self.path = path
        marked = path
        for found in sorted(filters, key=lambda f: f.start, reverse=True):
            marked = f"{marked[: found.start]}[@{MARK}]{marked[found.start :]}"
        self.marked = etree.XPath(marked, namespaces=namespaces)
        needs = frozenset().union(*(f.needs for f in filters))
        scope = "//" if _absolute(path) else ".//"
        # a word across a newline could join two values in the regex's one pass (below)
        self.any_value = frozenset(
            n.attribute for n in needs if n.attribute and (not n.word or "\n" in n.word)
        )
        worded = [n for n in needs if n.attribute and n.attribute not in self.any_value]
        self.words = [
            re.compile(_trie_pattern(_shortest(words)), flags)
            for flags, words in (
                (0, {n.word for n in worded if not n.any_case}),
                (re.IGNORECASE, {n.word for n in worded if n.any_case}),
            )
            if words
        ]
        attributes = sorted({n.attribute for n in needs if n.attribute})
        self.values = _union(f"{scope}@{a}" for a in attributes)
        # the values as plain strings first (a third cheaper); their elements only on a hit
        self.plain_values = _union((f"{scope}@{a}" for a in attributes), smart_strings=False)
        self.one_path = "|" not in _without_predicates(path)
        self.child_parents = _union(
            f"{scope}{n.child}/.." for n in sorted(needs, key=str) if n.child
        )

    def __call__(self, tree: etree._Element) -> list:
        found = dict.fromkeys(self.candidates(tree))
        if not found and self.one_path:
            return []  # every result passes a marked step, and nothing is to be marked
        candidates = [e for e in found if e.get(MARK) is None]
        for element in candidates:
            element.set(MARK, "")
        try:
            return self.marked(tree)
        finally:
            for element in candidates:
                del element.attrib[MARK]

    def candidates(self, tree: etree._Element) -> Iterator[etree._Element]:
        """The elements holding a needed word in a needed attribute, a needed attribute
        whatever its value, or a needed child."""
        if self.values is not None:
            values = self.values(tree) if self.any_value else self.plain_values(tree)
            hits = set()
            if self.words:
                ends = [end + i for i, end in enumerate(accumulate(map(len, values)), 1)]
                joined = "\n".join(values)
                for words in self.words:
                    hits.update(bisect_right(ends, m.start()) for m in words.finditer(joined))
            if self.any_value:
                hits.update(i for i, v in enumerate(values) if v.attrname in self.any_value)
            elif hits:
                values = self.values(tree)  # the same values, in the same order, with elements
            yield from (values[index].getparent() for index in sorted(hits))
        if self.child_parents is not None:
            yield from self.child_parents(tree)

    def __repr__(self) -> str:
        return f"PrefilteredXPath({self.path!r})"


def _shortest(words: set[str]) -> list[str]:
    """The words that hold none of the others: a value holding a longer one holds a shorter."""
    return sorted(w for w in words if not any(o != w and o in w for o in words))


def _trie_pattern(words: list[str]) -> str:
    """One regex for any of `words`, alternatives sharing their first letters (`re` tries
    the alternatives of a flat one in turn at every position of the text)."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[:1], []).append(word[1:])
    branches = []
    for first, rests in sorted(by_first.items()):
        if not first:
            continue
        if "" in rests:  # a word ends here: nothing longer is needed (see _shortest)
            branches.append(re.escape(first))
        else:
            branches.append(re.escape(first) + _group(_trie_pattern(rests)))
    return "|".join(branches)


def _group(pattern: str) -> str:
    return f"(?:{pattern})" if "|" in pattern else pattern


def _union(paths: Iterable[str], *, smart_strings: bool = True) -> etree.XPath | None:
    paths = list(paths)
    return etree.XPath(" | ".join(paths), smart_strings=smart_strings) if paths else None


def _without_predicates(path: str) -> str:
    """`path` with its predicates' text (between brackets, quotes heeded) left out."""
    kept, depth, quote = [], 0, None
    for char in path:
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def prefiltered(
    expression: etree.XPath,
    namespaces: dict[str, str] | None = None,
    *,
    only_if_faster: bool = True,
) -> PrefilteredXPath | None:
    """`expression` prefiltered, or None when none of its steps can be; with
    `only_if_faster`, only the steps whose filters cost more than the prefilter are."""
    path = expression.path
    if "@*" in path or "attribute::" in path or MARK in path:
        return None
    filters = [
        _Filter(start, needs)
        for start, predicates in _steps(path)
        if (needs := _step_needs(predicates, only_if_faster)) is not None
    ]
    if not filters:
        return None
    return PrefilteredXPath(path, filters, namespaces or {"re": EXSLT_REGEX})


def _step_needs(predicates: list[str], only_if_faster: bool) -> frozenset[Need] | None:
    """The needs of the first filter with any among a step's leading plain filters (those
    before any predicate this reader does not know, such as a position), when testing only
    the elements that meet them saves time."""
    for predicate in predicates:
        try:
            reading = _read(predicate)
        except (_Unknown, IndexError):
            return None
        if reading.needs is not None:
            return reading.needs if reading.worth_it or not only_if_faster else None
    return None


def _steps(path: str) -> Iterator[tuple[int, list[str]]]:
    """(where its first predicate starts, the predicates' texts) of each step that has
    predicates after a name test."""
    depth, quote, start, chain = 0, None, 0, None
    for at, char in enumerate(path):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "[":
            if depth == 0:
                start = at
                if chain is None and _follows_name_test(path, at):
                    chain = (at, [])
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0 and chain is not None:
                chain[1].append(path[start + 1 : at])
                if path[at + 1 : at + 2] != "[":
                    yield chain
                    chain = None


def _follows_name_test(path: str, start: int) -> bool:
    before = path[:start].rstrip()
    return bool(before) and (before[-1] == "*" or before[-1].isalnum() or before[-1] in "_-")


def _absolute(path: str) -> bool:
    """True when a step of the path starts at the document's root (`//x`, not `.//x`)."""
    return bool(re.search(r"(?:^|[|(\s])//", path.strip()))
