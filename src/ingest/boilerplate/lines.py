"""What one paragraph looks like: size, sentence shape, script, and the chrome it resembles.

Every positional rule reads these features, so they are computed once per paragraph.
Shapes (date line, byline, caption credit, bare domain, copyright line) are language-light
patterns; the words that vary by language come from the phrase book.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

import regex

from ingest.boilerplate.inline import closing_credit_start
from ingest.boilerplate.kinds import RemovalKind
from ingest.boilerplate.phrases import (
    HEADING_NAME_WORDS,
    LEFT_JUNK,
    PhraseBook,
    PhraseMatch,
    find_words,
    fold,
    is_plain,
    phrase_book,
    strip_decoration,
)
from ingest.scripts import UNSPACED_SCRIPTS, char_script, dominant_script

_WORD = regex.compile(r"\w+")
_ASCII_NON_LETTERS = bytes(code for code in range(128) if not chr(code).isalpha())
# Searched backwards ((?r)): both are anchored at the end, so the search starts there.
_FULL_STOP = regex.compile(r"(?r)[.。։۔।](?:[\p{Pf}\p{Pe}\"'»”’」』)\]]*)$")
_TERMINAL = regex.compile(r"(?r)[.!?…。！？؟۔।॥](?:[\p{Pf}\p{Pe}\"'»”’」』)\]]*)$")
_QUOTES = frozenset('"“”„«»「」『』‹›')
_QUOTE = re.compile(f"[{''.join(map(re.escape, sorted(_QUOTES)))}]")  # finds one in C
_DOMAIN = re.compile(
    r"^(?:https?://)?(?:www\.)?(?=[^.]*[^\W\d_])[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}/?$"
)
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$")
# A rule between sections ("***", "___", "———"): no letter, digit or word in it.
_SEPARATOR = regex.compile(r"^[\p{P}\p{S}\s]+$")
_FIELD_SEPARATOR = re.compile(r"\s[-|·•–—]\s")
# "News >", "Home › World › Europe", "News»": a trail of section links.
_BREADCRUMB = re.compile(r"^[^<]*(?:\S\s?[>›»]$|\S\s[>›»]\s\S)")
_HAS_DIGIT = re.compile(r"\d")
_TRAIL_SIGNS = frozenset(">›»")
_EMAIL = re.compile(r"^(?:e-?mail:\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}\.?$", re.I)
# A short pointer that ends on a web address: "More at www.example.org.", "Details:
# example.org/plan". A bare name such as "Wired.com" is often the publication a story cites.
_WEB_ADDRESS = re.compile(r"(?:https?://\S+|www\.\S+|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}/\S*)\.?")
_DOMAIN_NAME = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}\.?")
#: A byline names at most this many words after its label ("By Jane Doe and John Roe").
BYLINE_TOKENS = 8
#: A contributor credit ("Reporting by A in Oslo and B in Rome; Editing by C") is this long.
CREDIT_NAME_TOKENS = 30
#: An author's name on a line of its own is at most this many words.
NAME_LINE_WORDS = 3
#: The authors' names under a story are at most this many words.
SIGNATURE_WORDS = 8
#: A metadata stamp line (date, author, category fields) is at most this long.
STAMP_WORDS = 30
#: A field of a metadata line: a label of at most this many words, a value or name of these.
FIELD_LABEL_WORDS = 3
FIELD_VALUE_WORDS = 5
#: Follow prompts are this short.
PROMPT_WORDS = 25
#: A teaser title (under a "related" label, or tagged "... [VIDEO]") is at most this long.
SHORT_TEASER_WORDS = 20
#: A breadcrumb trail ("News > World") is this short.
BREADCRUMB_WORDS = 6
#: A line ending on a web address is a pointer up to this many words.
POINTER_WORDS = 10
#: A label that opens an appendix below the story ("Further information:") is this short.
APPENDIX_LABEL_WORDS = 4
#: Lines that open an appendix (headings, phone numbers, e-mail addresses) are this short.
APPENDIX_LINE_WORDS = 12
#: A wire story's dateline opening its first paragraph: the place (and date), the agency in
#: parentheses, a dash, the story: "MELBOURNE, Dec 30 (Reuters) - ...", "ROMA (ANSA) - ...",
#: "MADRID (EFE).- ...". The agency tag there is story text, not a trailer.
_DATELINE = regex.compile(r"^\W*\p{L}[^()\n]{0,80}?\([^()\n]{1,40}\)\.?\s*[-–—]+\s*\w")
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b|ⓒ)", re.IGNORECASE)
_NUMERIC_DATE = re.compile(
    r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}:\d{2}|\b\d{4}\b|\d+\s*[年月日]|\d{1,2}\.\s"
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_CAPTION_END = frozenset('.!?…)”"')
_GLUED_AGENCY = regex.compile(
    r"(?<=\p{Ll}{2})[.!?…]\p{Lu}[\w.'’-]+(?: [\w.'’-]+){0,3} ?/ ?[\w.'’-]+(?: [\w.'’-]+){0,3}$"
)
# A photographer and the picture agency's address on a line of their own: "Jane Doe/pics.example.se".
_ADDRESS_CREDIT = regex.compile(
    r"^\p{Lu}[\p{L}'’.-]+(?: \p{Lu}[\p{L}'’.-]+){1,3} ?/ ?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}$"
)
#: A credit tail closes a caption of at most this many words; longer text is a story paragraph.
CREDITED_CAPTION_WORDS = 50
#: An agency credit glued onto a caption is found within this many closing characters.
GLUED_TAIL_CHARS = 160
_MARKUP = re.compile(r"</?(?:div|a|img|span|script|iframe|p|br|ins|noscript)\b[^>]*>", re.I)
_JSON_LD = re.compile(r"\{\s*\"@context\"")
#: Tags make up at least this share of a line of markup; a paragraph of prose that quotes a
#: tag ("held together with <br> tags") or keeps a stray one ("... a colleague <p>") is story.
MARKUP_SHARE = 0.2
_LETTER_RUN = regex.compile(r"[^\W\d_]+")
_DATE_DIGITS = regex.compile(r"\d[./:-]\d|\d{4}|[年月日]")
# A number in Hebrew letters, as Hebrew-calendar dates write day and year: a gershayim or
# geresh inside ("כ״ח", "התשפ\"ו", "ט\"ו") or a lone letter ("ה אב"); read as a digit.
_HEBREW_NUMBER = regex.compile(
    r"(?<!\S)(?:[\u05d0-\u05ea]{0,4}[\u05f3\u05f4\"'][\u05d0-\u05ea]|[\u05d0-\u05ea])(?!\S)"
)
#: A line of date words alone ("יום רביעי", "Monday morning" is not: "morning" is no date
#: word) is a date stamp up to this many words; one word alone may be a heading.
UNNUMBERED_DATE_WORDS = range(2, 5)
# Letters of scripts written without spaces (and the kana length mark, which is "Common"):
# lines without any are counted word by word, the rest character by character.
_MAYBE_UNSPACED = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}\u30fc]"
)
#: Characters of scripts written without spaces (Chinese, Japanese, Thai) per word-equivalent:
#: a 35-character Japanese headline then weighs what a 12-word English one does.
CHARS_PER_WORD = 3
#: Above this many words a paragraph reads as story text whatever phrase it contains.
SHORT_LINE_WORDS = 25
#: A banner states its chrome phrase within this many characters ("We use cookies ...").
BANNER_OPENING_CHARS = 30
BANNER_WORDS = 12
#: A paragraph stating this many different chrome phrases is a banner, not a story sentence.
BANNER_PHRASES = 2
#: Prose: a sentence-shaped paragraph of at least this many words (or twice as many unpunctuated).
PROSE_WORDS = 8
#: Analysed lines kept per process: the fixed-point passes, the site-line model and the
#: story check see the same lines again, and a page dump has a few hundred of them.
ANALYSIS_CACHE_LINES = 8192
#: Characters read to find a paragraph's script.
SCRIPT_SAMPLE_CHARS = 200


@dataclass(frozen=True, slots=True)
class Patterns:
    """The shape patterns built from the phrase book's vocabulary (the words vary by
    language, the shapes do not)."""

    signed: re.Pattern  # a date stamp signed by its author: "... by Jane Doe"
    follow_prompt: re.Pattern  # "Follow Jo Roe on Instagram and X." in the book's languages
    follow_handle: re.Pattern
    media_tag: re.Pattern  # a teaser title tagged "[VIDEO]"
    phone: re.Pattern  # a phone, fax or mobile number behind its label
    agency_tail: re.Pattern  # a line closing on an agency's name: "Photo: Jo Roe/AFP"
    # A caption with its credit glued on: "... World CupCredit: PA", "... Regionalverkehr.
    # Bild: M. von Lackum" (a credit label closing the line). Labels are found first and their
    # left side checked after, so the cost stays low on lines without any.
    credit_label: re.Pattern
    # A credit line for a picture (not a "Source:" line under a fact box, which names no picture).
    picture_label: re.Pattern
    # Capitalised names, joined by "and", with the particles that stay lower-case in names.
    name_word: regex.Pattern


def _any(words: Iterable[str]) -> str:
    """An alternation of `words` as written, longest first (a deterministic order)."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=4)
def patterns(book: PhraseBook) -> Patterns:
    words = {key: _any(found) for key, found in book.vocabulary.items()}
    platforms = f"(?:{words['platforms']})"
    credit_labels = book.vocabulary["credit_labels"]
    return Patterns(
        signed=re.compile(rf"\s(?:{words['signed_words']})\s[^\d]{{2,60}}$"),
        follow_prompt=re.compile(
            rf"^(?:{words['follow_verbs']})\b.{{0,80}}\b(?:{words['follow_prepositions']})\s+"
            rf"{platforms}\b",
            re.IGNORECASE,
        ),
        follow_handle=re.compile(rf"^follow @\w+ on {platforms}\b", re.IGNORECASE),
        media_tag=re.compile(rf"[\[(](?:{words['media_tags']})[\])]\s*$", re.IGNORECASE),
        phone=re.compile(rf"^(?:{words['phone_labels']})\.?\s*:?\s*[+(\d]", re.IGNORECASE),
        agency_tail=re.compile(
            rf"(?:^|[\s/|(,:])(?:{words['agencies']})(?:[ /-](?:{words['agency_suffixes']}"
            r"|[A-Z][\w.-]+(?: [A-Z][\w.-]+)*))*\)?$"
        ),
        credit_label=re.compile(rf"(?:{words['credit_labels']}) ?: ?\S.{{0,120}}$"),
        picture_label=re.compile(
            rf"^(?:©|\(c\)|(?:{_any(credit_labels | book.vocabulary['picture_labels'])})\b)",
            re.IGNORECASE,
        ),
        name_word=regex.compile(
            rf"^(?:\p{{Lu}}[\p{{L}}'’.-]*|{words['name_particles']}|&|,)[.,;]?$"
        ),
    )


@dataclass(frozen=True)
class Paragraph:
    text: str
    key: str  # folded text, for comparisons
    words: float  # words; characters of unspaced scripts count as a third of a word each
    terminal: bool  # ends like a sentence (full stop, question or exclamation mark)
    full_stop: bool  # ends with a full stop: statements, where teaser titles end in ! or ?
    quoted: bool  # carries quotation marks (a quoted chrome phrase is story text)
    opens_appendix: bool  # a contact or further-information heading, a phone number, an e-mail
    phrase: PhraseMatch | None
    shape: RemovalKind | None  # a chrome shape found without phrase lists
    shape_rule: str | None = None  # the id of the shape rule that found it

    @cached_property
    def script(self) -> str:
        """Dominant script, computed on first use: only the edge rules read it."""
        return _line_script(self.text)

    @property
    def prose(self) -> bool:
        """Reads as a sentence of story text."""
        return prose_shaped(self.terminal, self.words)

    @property
    def mentions_chrome(self) -> bool:
        """A sentence that merely contains a chrome phrase: quoted, or a longer sentence that
        does not open with it ("Bakers said the website uses cookies to ..."); banners are
        short or open with their phrase (verb-final languages put it late, in short lines), or
        state several chrome phrases at once ("... to your inbox. Sign up for our newsletter")."""
        phrase = self.phrase
        if phrase is None or phrase.mode != "contains" or not self.prose:
            return False
        if self.quoted:
            return True
        late = phrase.start > BANNER_OPENING_CHARS and self.words > BANNER_WORDS
        return late and phrase.hits < BANNER_PHRASES

    @property
    def short(self) -> bool:
        return self.words <= SHORT_LINE_WORDS

    @property
    def kind(self) -> RemovalKind | None:
        if self.phrase is not None:
            return self.phrase.kind
        return self.shape

    @property
    def label(self) -> str | None:
        """The id of the phrase family or shape rule that gave `kind`."""
        if self.phrase is not None:
            return self.phrase.rule
        return self.shape_rule


def word_equivalents(text: str) -> float:
    """How long a line reads, in words: CHARS_PER_WORD characters of a script written without
    spaces weigh one word, so one length limit serves every script. Not `text.count_words`,
    which counts tokens (each such character one) for the `n_words` column."""
    if is_plain(text) or not _MAYBE_UNSPACED.search(text):
        return float(len(find_words(text)))
    words = 0.0
    for match in _WORD.finditer(text):
        token = match.group()
        if token.isascii():
            words += 1
            continue
        unspaced = sum(1 for c in token if char_script(c) in UNSPACED_SCRIPTS)
        words += unspaced / CHARS_PER_WORD + (1 if unspaced < len(token) else 0)
    return words


def _line_script(text: str) -> str:
    """The script of a paragraph shows in its opening; long paragraphs are not read to the end."""
    sample = text[:SCRIPT_SAMPLE_CHARS]
    if sample.isascii():
        return "latin" if any(c.isalpha() for c in sample) else "none"
    # ASCII letters are Latin: when they are most of the sample, no other script can win.
    ascii_letters = len(sample.encode("ascii", "ignore").translate(None, _ASCII_NON_LETTERS))
    if 2 * ascii_letters > len(sample):
        return "latin"
    return dominant_script(sample)


def analyse(text: str, book: PhraseBook) -> Paragraph:
    """Features of one paragraph; the line is folded once and the result cached, because
    every fixed-point pass and the site-line model look at the same lines again."""
    return _analyse(text, book)


@lru_cache(maxsize=ANALYSIS_CACHE_LINES)
def _analyse(text: str, book: PhraseBook) -> Paragraph:
    key = fold(text)
    # An ASCII line's folded key holds its words lower-cased: they are counted and looked up
    # in the phrase book from one list.
    key_words = find_words(key) if text.isascii() else None
    words = word_equivalents(text) if key_words is None else float(len(key_words))
    terminal = bool(_TERMINAL.search(text))
    phrase = book.match_key(key, key_words) if words <= 80 else None
    if phrase is not None and phrase.mode != "contains" and words > SHORT_LINE_WORDS * 2:
        phrase = None
    shape = shape_rule(Line(text, key, words, terminal, book))
    return Paragraph(
        text=text,
        key=key,
        words=words,
        terminal=terminal,
        full_stop=bool(_FULL_STOP.search(text)),
        quoted=_QUOTE.search(text) is not None,
        opens_appendix=words <= APPENDIX_LINE_WORDS and _opens_appendix(text, key, words, book),
        phrase=_checked(phrase, text, words),
        shape=None if shape is None else shape.kind,
        shape_rule=None if shape is None else shape.id,
    )


def _checked(phrase: PhraseMatch | None, text: str, words: float) -> PhraseMatch | None:
    """Drop phrase hits whose line does not have the shape of that chrome."""
    if phrase is None:
        return None
    if phrase.mode == "heading" and phrase.named:
        named = not _TERMINAL.search(text) and _names_follow(
            text, phrase.words, HEADING_NAME_WORDS, lowercase=0
        )
        return phrase if named and _QUOTES.isdisjoint(text) else None
    if phrase.mode == "prefix" and phrase.named:
        return phrase if _names_follow(text, phrase.words, CREDIT_NAME_TOKENS) else None
    if phrase.kind is RemovalKind.BYLINE and phrase.mode == "prefix":
        return phrase if _looks_like_byline(text, phrase.words) else None
    if phrase.mode == "prefix" and phrase.kind in (RemovalKind.CREDIT, RemovalKind.TAG_LIST):
        return phrase if words <= SHORT_LINE_WORDS else None
    if phrase.kind is RemovalKind.WIRE_TRAILER and phrase.mode == "contains":
        dateline = _DATELINE.match(text)
        opens_story = dateline and phrase.start < dateline.end() and phrase.hits == 1
        closes_sentence = closing_credit_start(text, phrase) is not None
        return None if opens_story or closes_sentence else phrase
    return phrase


def _looks_like_byline(text: str, label_words: int = 1) -> bool:
    """ "By Jane Doe and John Roe" but not "By the numbers" or "By noon the road was shut."."""
    if _TERMINAL.search(text) and not text.endswith("."):
        return False
    return _names_follow(text, label_words, BYLINE_TOKENS, lowercase=0)


def _names_follow(text: str, label_words: int, most: int, *, lowercase: int = 2) -> bool:
    """After the label, only names: "With files from The Wire Agency and Jo Roe", "Reporting
    by A in Oslo; Editing by B". A credit may name a role ("agency writer Jo Roe"): up to
    `lowercase` plain words; the first word after the label is a name, so "with files from
    the archive, the clerk ..." is a sentence."""
    tokens = LEFT_JUNK.sub("", text).replace(",", " , ").replace(";", " ; ").split()
    tokens = tokens[label_words:]
    if not 1 <= len(tokens) <= most or _TERMINAL.search(text) and not text.endswith("."):
        return False
    if not any(c.isupper() for c in text) and not any(not c.isascii() for c in text):
        return False
    cased = [t for t in tokens if t[:1].isalpha() and t[:1].lower() != t[:1].upper()]
    if cased and cased[0][:1].islower():
        return False
    name_word = patterns(phrase_book()).name_word
    plain = [t for t in cased if not name_word.match(t)]
    return len(plain) <= lowercase


@dataclass(frozen=True, slots=True)
class Line:
    """What a shape rule reads of a line."""

    text: str
    key: str  # folded text
    words: float
    terminal: bool
    book: PhraseBook


def prose_shaped(terminal: bool, words: float) -> bool:
    """A sentence of at least PROSE_WORDS words, or twice as many unpunctuated."""
    return (terminal and words >= PROSE_WORDS) or words >= 2 * PROSE_WORDS


@dataclass(frozen=True, slots=True)
class ShapeRule:
    """A chrome shape found without phrase lists, under an id a benchmark can count it by."""

    id: str
    kind: RemovalKind
    test: Callable[[Line], bool]
    #: Longer lines never match: checked before `test`, so prose pays no call per rule.
    most_words: float = math.inf


def _media_teaser(line: Line) -> bool:
    media = line.text.endswith(("]", ")"))
    return media and not line.terminal and bool(patterns(line.book).media_tag.search(line.text))


def _markup(line: Line) -> bool:
    """Markup left in the text: JSON-LD, or HTML tags, unless the line is prose with few."""
    if "{" in line.text and _JSON_LD.search(line.text):
        return True
    if "<" not in line.text:
        return False
    tags = sum(len(tag) for tag in _MARKUP.findall(line.text))
    prose = prose_shaped(line.terminal, line.words)
    return tags > 0 and (tags >= MARKUP_SHARE * len(line.text) or not prose)


def _stamp(line: Line) -> bool:
    if _HAS_DIGIT.search(line.text) is None:
        return False
    return _is_signed_date(line.text, line.book) or _is_meta_line(line.text, line.book)


#: The shape rules in the order a line is tried; the first that matches names its kind.
SHAPE_RULES: tuple[ShapeRule, ...] = (
    ShapeRule("markup", RemovalKind.MARKUP, _markup),
    ShapeRule("separator", RemovalKind.MARKUP, lambda x: bool(_SEPARATOR.match(x.text)), 1),
    ShapeRule("date_line", RemovalKind.DATE_STAMP, lambda x: _is_date_key(x.key, x.book), 12),
    ShapeRule("bare_domain", RemovalKind.SITE_NAME, lambda x: bool(_DOMAIN.match(x.text))),
    ShapeRule("url_line", RemovalKind.LINK_LIST, lambda x: bool(_URL_LINE.match(x.text))),
    ShapeRule(
        "copyright",
        RemovalKind.WIRE_TRAILER,
        lambda x: bool(_COPYRIGHT.match(x.text)),
        SHORT_LINE_WORDS,
    ),
    ShapeRule(
        "agency_tail",
        RemovalKind.CREDIT,
        lambda x: not x.terminal and bool(patterns(x.book).agency_tail.search(x.text)),
        40,
    ),
    ShapeRule(
        "caption_credit",
        RemovalKind.CREDIT,
        lambda x: _has_glued_credit(x.text) or bool(_ADDRESS_CREDIT.match(x.text)),
        CREDITED_CAPTION_WORDS,
    ),
    ShapeRule(
        "pointer", RemovalKind.SITE_NAME, lambda x: _is_pointer(x.text, x.book), POINTER_WORDS
    ),
    ShapeRule("signed_stamp", RemovalKind.DATE_STAMP, _stamp, STAMP_WORDS),
    ShapeRule(
        "follow_prompt",
        RemovalKind.SHARE_PROMPT,
        lambda x: (
            x.words <= PROMPT_WORDS
            and bool(patterns(x.book).follow_prompt.match(x.text))
            or bool(patterns(x.book).follow_handle.match(x.text))
        ),
    ),
    ShapeRule("media_teaser", RemovalKind.RELATED_BLOCK, _media_teaser, SHORT_TEASER_WORDS),
    ShapeRule(
        "breadcrumb",
        RemovalKind.PAGE_CHROME,
        lambda x: not _TRAIL_SIGNS.isdisjoint(x.text) and bool(_BREADCRUMB.search(x.text)),
        BREADCRUMB_WORDS,
    ),
)


def shape_rule(line: Line) -> ShapeRule | None:
    """The first shape rule `line` matches."""
    return next(
        (rule for rule in SHAPE_RULES if line.words <= rule.most_words and rule.test(line)), None
    )


def line_shape_rule(text: str, book: PhraseBook) -> ShapeRule | None:
    """The shape rule a line of text matches, read as `analyse` reads it (benchmarks count
    cuts by rule with it)."""
    line = Line(text, fold(text), word_equivalents(text), bool(_TERMINAL.search(text)), book)
    return shape_rule(line)


def _is_signed_date(text: str, book: PhraseBook) -> bool:
    """A date or time with the author glued on: "9:10 AM EST 3/4/2026 by Jane Doe"."""
    found = patterns(book).signed.search(text)
    if found is None or found.start() == 0:
        return False
    return _is_date_key(fold(text[: found.start()]), book) and _looks_like_byline(found.group())


def _is_meta_line(text: str, book: PhraseBook) -> bool:
    """A metadata line of fields between separators, at least one a date and the others
    labelled fields or names: "3.3.2026 - Posted by: Jo Roe - Category: Health", "Jo Roe |
    Lyon | 03/03/2026", "04.03.2026 | 3:12 min". A story sentence has a field that is
    neither."""
    fields = [f.strip() for f in _FIELD_SEPARATOR.split(text) if f.strip()]
    if len(fields) < 2:
        return False
    dates = [f for f in fields if _is_date_key(fold(f), book)]
    rest = [f for f in fields if f not in dates]
    if not dates or not all(_is_field(f) for f in rest):
        return False
    # A list item ("June 5 - Port Elwin") pairs a date with a name: a stamp labels a field,
    # sets its fields between bars, or is all dates.
    labelled = any(":" in f for f in rest)
    barred = len(fields) >= 3 and "|" in text
    return not rest or labelled or barred


def _is_field(text: str) -> bool:
    """ "Category: Health" (a short label and value) or a name ("Palma de Mallorca")."""
    label, colon, value = text.partition(":")
    if colon:
        return len(label.split()) <= FIELD_LABEL_WORDS and len(value.split()) <= FIELD_VALUE_WORDS
    return len(text.split()) <= FIELD_VALUE_WORDS and _names_follow(
        text, 0, FIELD_VALUE_WORDS, lowercase=0
    )


def _is_pointer(text: str, book: PhraseBook) -> bool:
    """A short line sending the reader to a web address, or a reader prompt ending on a
    domain ("Looking for a flat? See the offers on Example.pl")."""
    head, _, last = text.rstrip().rpartition(" ")
    if "." not in last or not _QUOTES.isdisjoint(text) or not any(c.isalnum() for c in head):
        return False
    if _WEB_ADDRESS.fullmatch(last):
        return True
    if not _DOMAIN_NAME.fullmatch(last):
        return False
    phrase = book.match(text)
    return phrase is not None and phrase.mode == "reader"


def _opens_appendix(text: str, key: str, words: float, book: PhraseBook) -> bool:
    """A line that opens a box of contacts, links or references: a heading such as "Press
    contact", "Ansprechpartnerin zum Thema:" or "Further information:", a labelled phone
    number, an e-mail address."""
    if patterns(book).phone.match(text) or _EMAIL.match(text):
        return True
    if words > APPENDIX_LABEL_WORDS:
        return False
    bare = strip_decoration(key)
    if bare in book.appendix_labels:
        return True
    if not text.rstrip().endswith(":"):
        return False
    opening = bare.split()
    return any(" ".join(opening[:n]) in book.appendix_labels for n in range(1, len(opening)))


def _has_glued_credit(text: str) -> bool:
    """The line ends with a credit label or an agency glued onto the caption before it."""
    if "/" in text and _GLUED_AGENCY.search(text, max(0, len(text) - GLUED_TAIL_CHARS)):
        return True
    position = 0
    credit_label = patterns(phrase_book()).credit_label
    while (label := credit_label.search(text, position)) is not None:
        start = label.start()
        before = text[start - 2 : start]
        if before[-1:].islower() or before[-1:] in _CAPTION_END:
            return True
        if before[-1:] == " " and before[:1] in _CAPTION_END:
            return True
        position = start + 1
    return False


def _is_date_key(key: str, book: PhraseBook) -> bool:
    if "\u05d0" <= key[:1] <= "\u05ea" or _HEBREW_NUMBER.search(key):
        key = _HEBREW_NUMBER.sub("0", key)
    words = _LETTER_RUN.findall(key)
    if any(w not in book.dates.months and w not in book.dates.words for w in words):
        return False
    if not any(c.isdigit() for c in key):
        return len(words) in UNNUMBERED_DATE_WORDS and len(key.split()) == len(words)
    has_month = any(w in book.dates.months for w in words)
    numeric = _NUMERIC_DATE.search(key) and _DATE_DIGITS.search(key)
    relative = len(words) >= 2  # "hace 28 minutos", "2 hours ago"
    return has_month or bool(numeric) or relative


def is_picture_credit(paragraph: Paragraph) -> bool:
    """A credit line of its own for a picture: a photo label, an agency, a copyright sign
    without a year ("© 2026 Example Media" is the site's footer)."""
    if paragraph.shape is RemovalKind.CREDIT:
        return True
    if paragraph.shape is RemovalKind.WIRE_TRAILER:
        return not _YEAR.search(paragraph.text)
    return paragraph.kind is RemovalKind.CREDIT and bool(
        patterns(phrase_book()).picture_label.match(paragraph.text)
    )


def is_wire_tag(paragraph: Paragraph) -> bool:
    """A line that is one parenthesis without a picture label ("(dpa)", "(AP)"): the wire
    form that opens or closes a story, which credits the story, not a picture beside it.
    "(Foto: dpa)" names a picture."""
    text = paragraph.text.strip()
    if not (text.startswith("(") and text.endswith(")")) or text.count("(") != 1:
        return False
    return not patterns(phrase_book()).picture_label.match(text[1:].lstrip())


def is_field_stamp(paragraph: Paragraph) -> bool:
    """A stamp of several fields ("Jo Roe | Lyon | 03/03/2026"), not a bare date (a live
    blog's times are story)."""
    if (
        paragraph.shape is not RemovalKind.DATE_STAMP
        or _FIELD_SEPARATOR.search(paragraph.text) is None
    ):
        return False
    return _is_meta_line(paragraph.text, phrase_book())


def is_name_line(paragraph: Paragraph) -> bool:
    """A few capitalised words and nothing else: an author's name ("Jo Roe", "ANA RUIZ")."""
    text = paragraph.text
    if paragraph.words > NAME_LINE_WORDS or paragraph.terminal or not text[:1].isupper():
        return False
    return _names_follow(text, 0, NAME_LINE_WORDS, lowercase=0)


def is_signature(paragraph: Paragraph) -> bool:
    """The authors' names under a story, perhaps behind a short label or a desk name: "Jo
    Roe", "Fact check: Ana Ruiz", "Desk (Jo Roe, Ana Ruiz)"; one word is a list item."""
    text = paragraph.text
    if paragraph.words > SIGNATURE_WORDS or paragraph.terminal or not text[:1].isupper():
        return False
    if any(c.isdigit() for c in text):
        return False
    label, colon, names = text.partition(":")
    if colon and len(label.split()) > FIELD_LABEL_WORDS:
        return False
    names = (names if colon else text).replace("(", " ").replace(")", " ")
    return len(names.split()) >= 2 and _names_follow(names, 0, SIGNATURE_WORDS, lowercase=0)


def is_heading_phrase(paragraph: Paragraph) -> bool:
    return paragraph.phrase is not None and paragraph.phrase.mode == "heading"
