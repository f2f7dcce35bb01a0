"""Fields from the lines the cleaner cut: `published` from a date stamp, `author` from a
byline, the site's host from its own domain line.

A text dump has no metadata, but its date stamp and byline were read and cut as chrome; the
cut lines are where the fields are. Gregorian stamps, in any language of the phrase files,
are read by dateparser, told the languages whose date words the line uses (guessing the
language costs it seconds a line). Hijri, Solar Hijri and Hebrew-calendar stamps are read
here, month names from `calendars.json`, day and year in any digits or, in Hebrew, in
letters, and converted to the Gregorian date by convertdate. Every date is a UTC datetime;
a stamp without a time or zone gives midnight UTC of its day.
"""

from __future__ import annotations

import json
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from functools import cache, lru_cache
from importlib import resources

import dateparser
from convertdate import hebrew, islamic, persian
from dateparser.data.languages_info import language_order

from ingest.boilerplate.kinds import RemovalKind
from ingest.boilerplate.lines import STAMP_WORDS, analyse, is_name_line
from ingest.boilerplate.phrases import _load_files, fold, phrase_book
from ingest.documents import Removal
from ingest.sources.records import host_of

CONVERTERS = {"islamic": islamic, "persian": persian, "hebrew": hebrew}
#: Years a news stamp can name; anything else is a misread.
EARLIEST_YEAR = 1990
#: A stamp is tried from this many of its numbers and month names at most.
MAX_DATE_STARTS = 4
#: An author's name after its label is at most this many words.
MAX_NAME_WORDS = 6
#: A role set after a byline's name ("Senior Politics Correspondent") is this short.
MAX_ROLE_WORDS = 4
#: Our language codes that dateparser spells otherwise.
_DATEPARSER_CODES = {"no": "nb"}
_LANGUAGE_RANKS = {code: rank for rank, code in enumerate(language_order)}
_DATEPARSER_SETTINGS = {
    "TIMEZONE": "UTC",
    "RETURN_AS_TIMEZONE_AWARE": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    # "3 hours ago" is relative to when the page was saved, which a dump does not say
    "PARSERS": ["timestamp", "custom-formats", "absolute-time", "no-spaces-time"],
}
_NUMERIC_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_SOLAR_NUMERIC = re.compile(r"(?<!\d)(1[34]\d\d)[/.-](\d{1,2})[/.-](\d{1,2})(?!\d)")
# Letters (and digits) of Persian that Arabic does not use: a numeric date with a year
# 13xx/14xx on such a line is in the Solar Hijri calendar, elsewhere in the Hijri one.
_PERSIAN = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc\u06f0-\u06f9]")
_SCRIPT_LANGUAGES = (
    (re.compile("[\u3040-\u30ff]"), ["ja"]),
    (re.compile("[\u4e00-\u9fff]"), ["zh", "ja"]),
    (re.compile("[\uac00-\ud7af]"), ["ko"]),
    (re.compile("[\u0600-\u06ff]"), ["ar", "fa", "ur"]),
    (re.compile("[\u0590-\u05ff]"), ["he"]),
    (re.compile("[\u0400-\u04ff]"), ["ru", "uk"]),
    (re.compile("[\u0370-\u03ff]"), ["el"]),
)
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}/?$")
_SCHEME = re.compile(r"^https?://")
_DOTTED_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_SHORT_YEAR_DATE = re.compile(r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-](\d\d)(?!\d)")
_WORD = re.compile(r"\w+")
#: A byline's fields from the first one holding a digit on: "| May 19, 2024", " - 3 min".
_DATED_FIELD = re.compile(r"(?:\s*[|•·,]\s*|\s+[-–—]\s+)[^|•·]*\d.*$")
#: What parts a stamp's fields: "Jun 8, 2023 • 6 min read", "May 3, 2024 // 8 min read".
_STAMP_FIELD_SEPARATOR = re.compile(r"(\s*[|•·・]\s*|\s*//?\s+|\s+[-–—]{1,2}\s+)")
_HEBREW_LETTERS = {
    **dict(zip("אבגדהוזחט", range(1, 10), strict=True)),
    **dict(zip("יכלמנסעפצ", range(10, 100, 10), strict=True)),
    **dict(zip("קרשת", range(100, 500, 100), strict=True)),
    **dict(zip("ךםןףץ", (20, 40, 50, 80, 90), strict=True)),
}
_HEBREW_NUMBER = re.compile(r"^[\u05d0-\u05ea]+$")


def published_from(removed: Iterable[Removal], language: str | None = None) -> datetime | None:
    """The date of the first date stamp that reads as one, else the date in the byline that
    names the author ("By Jo Roe | May 19, 2024"): that line is the story's own, where a
    dated byline elsewhere may head a teaser of another story. Else the date of a line cut
    by the headline (see `_dated_lines_by_headline`)."""
    cuts = list(removed)
    stamp = _story_stamp(cuts, language)
    if stamp is not None:
        return stamp[1]
    headline = _headline(cuts)
    byline = _author_byline(cuts, headline, language)
    found = parse_stamp(byline[1], language) if byline else None
    if found is None and headline is not None:
        found = next((date for _, date in _dated_lines_by_headline(cuts, headline, language)), None)
    return found


def author_from(
    removed: Iterable[Removal], story: str = "", language: str | None = None
) -> str | None:
    """The name in the byline nearest the headline that holds one ("By Jo Roe", "بقلم أحمد
    علي"; a line of the story's header that opens with a byline label is one, whatever it was
    cut as), or on the line cut right after a bare byline label: a text dump sets a byline's
    label and its linked name on lines of their own ("Written by" above "Jo Roe"). A byline
    cut beside another one naming someone else is a facet of a menu ("By Industry", "By Role").
    Without a byline, a plain name line (see `_plain_name`) cut right beside the story's date
    stamp under the headline, else the one cut right under the headline."""
    cuts = list(removed)
    headline = _headline(cuts)
    byline = _author_byline(cuts, headline, language)
    if byline:
        return byline[0]
    if headline is None:  # both name rules read lines under the headline
        return None
    words = cache(lambda: set(_WORD.findall("\n".join([story, *(cut.text for cut in cuts)]))))
    stamp = _story_stamp(cuts, language)
    name = _name_beside_stamp(cuts, headline, stamp[0], words) if stamp else None
    name = name or _name_under_headline(cuts, headline, words)
    return name or _name_in_dated_line(cuts, headline, words, language)


def _story_stamp(cuts: list[Removal], language: str | None) -> tuple[int, datetime] | None:
    """The first date stamp cut that reads as a date, and its place among the cuts."""
    for index, removal in enumerate(cuts):
        if removal.kind == RemovalKind.DATE_STAMP:
            found = parse_stamp(removal.text, language)
            if found is not None:
                return index, found
    return None


#: How many cut lines below and above the headline's can be the story's header: its date
#: and its byline.
HEADER_LINES_BELOW_HEADLINE = 3
HEADER_LINES_ABOVE_HEADLINE = 1
#: Cuts whose years are no story's date: the headline's, a copyright line's ("© 1997-2012").
_NOT_DATED = frozenset({RemovalKind.TITLE, RemovalKind.WIRE_TRAILER})


def _header_lines(cuts: list[Removal], headline: int) -> Iterator[int]:
    """The places of the cut lines right below the headline's cut, then right above it."""
    below = range(headline + 1, headline + 1 + HEADER_LINES_BELOW_HEADLINE)
    above = range(headline - 1, headline - 1 - HEADER_LINES_ABOVE_HEADLINE, -1)
    return (index for index in (*below, *above) if 0 <= index < len(cuts))


def _dated_lines_by_headline(
    cuts: list[Removal], headline: int, language: str | None
) -> Iterator[tuple[str, datetime]]:
    """Each short line cut right below the headline, then right above it, that reads as a
    date, with its date. No rule read it as a stamp: a dump's story header joins its date to
    other fields ("Posted by Jo Roe on August 21, 2019", "Dec 19, 2025 · Jo Roe", "November
    28, 2025/Health"), and the page's chrome around it is cut as a whole."""
    for index in _header_lines(cuts, headline):
        if cuts[index].kind in _NOT_DATED:
            continue
        line = cuts[index].text
        if found := _header_date(line, language):
            yield line, found


def _header_date(line: str, language: str | None) -> datetime | None:
    """The date a line of the story's header reads as; a line longer than a stamp holds
    none (and dateparser's time grows with it). Both header rules ask with the document's
    language, so `parse_stamp`'s cache reads each line once."""
    return parse_stamp(line, language) if len(line.split()) <= STAMP_WORDS else None


def _name_in_dated_line(
    cuts: list[Removal], headline: int, words: _PageWords, language: str | None
) -> str | None:
    """The author a dated line by the headline names in its first field once its date is
    cut: "By Jo Roe on Dec. 19, 2025", "Jo Roe • Oct 20, 2025", "Dec. 19, 2025 · Jo Roe",
    "September 1st, 2023 By Jo Roe", "By Jo RoeUpdated: Feb 5, 2026". A later field is a
    section or a count ("On Behalf of Roe LLC | Apr 21, 2017 | Products Liability")."""
    for line, _ in _dated_lines_by_headline(cuts, headline, language):
        part = _first_field(line)
        if not part:
            continue
        name = byline_name(part) if _byline_label_length(part) else _plain_name_text(part, words)
        if name:
            return name
    return None


def _first_field(line: str) -> str:
    """A dated line's first field that is left once its date is cut (see `_undated_parts`),
    else an empty string."""
    return next((part for part in _undated_parts(line) if part), "")


def _undated_parts(line: str) -> Iterator[str]:
    """The fields of a dated line, each without its date and reading time: the text before
    the date (without the date words that lead to it: "on", "Updated:"), and a byline after
    it."""
    by_word = _vocabulary()[1]
    for field in _STAMP_FIELD_SEPARATOR.split(_without_reading_time(line))[::2]:
        dated = _date_words(field)
        if not dated:
            yield field.strip()
            continue
        before = field[: dated[0].start()].split()
        before = _unglued(before, by_word)
        while before and fold(before[-1]).strip(":,.") in by_word:
            before.pop()
        yield " ".join(before).rstrip(" ([{-–—:")
        after = field[dated[-1].end() :].strip(" ,.")
        if _byline_label_length(after):  # else a time's zone ("6:18 P.M. ET")
            yield after


def _unglued(words: list[str], date_words: dict[str, frozenset[str]]) -> list[str]:
    """`words` without a date word a dump glued to the last one ("RoeUpdated:" -> "Roe")."""
    if not words:
        return words
    last = words[-1]
    for index in range(1, len(last)):
        glued = last[index].isupper() and last[index - 1].islower()
        if glued and fold(last[index:]).strip(":,.") in date_words:
            return [*words[:-1], last[:index]]
    return words


_NOT_NAMES = frozenset({RemovalKind.DATE_STAMP, RemovalKind.TITLE})
#: Cuts `_labelled_lines_by_headline` does not read: bylines are read by `_bylines`.
_NOT_LABELLED = frozenset({RemovalKind.BYLINE, RemovalKind.TITLE})


def _headline(cuts: list[Removal]) -> int | None:
    """The place of the headline's cut among the cuts, if one was cut."""
    return next((i for i, cut in enumerate(cuts) if cut.kind == RemovalKind.TITLE), None)


#: Marks a menu line joins its entries with ("Privacy & Terms", "World / Business"); a
#: plain line naming two people is rarer than such a menu line.
_MENU_MARKS = frozenset("&+/|")
#: The words of a page as it writes them, worked out on first call.
_PageWords = Callable[[], set[str]]


def _name_beside_stamp(
    cuts: list[Removal], headline: int, stamp: int, words: _PageWords
) -> str | None:
    """A dump sets the author's linked name, without a label, on its own line just above or
    below the story's date, under the headline ("Jo Roe" / "May 19, 2024"). Such a line
    counts when the headline was cut before it (a date in the site's header stands beside
    "Sign Out" or "RSS Feed")."""
    for index in (stamp - 1, stamp + 1):
        if not 0 <= index < len(cuts) or headline >= min(index, stamp):
            continue
        name = _plain_name(cuts[index], words)
        if name:
            return name
    return None


def _name_under_headline(cuts: list[Removal], headline: int, words: _PageWords) -> str | None:
    """A dump without a date stamp by its name sets the author's linked name on the line
    right under the headline."""
    if headline + 1 == len(cuts):
        return None
    return _plain_name(cuts[headline + 1], words)


def _plain_name(cut: Removal, words: _PageWords) -> str | None:
    """The name a cut line gives without a byline label: a name of two words or more, with
    no byline label word ("Political Correspondent"), no mark that joins a menu's entries,
    and no word the page writes in lower case anywhere (`words()`: those of its story and
    its cut lines, read only for a line that could be a name). A topic or menu line ("Get
    Started", "Most Viewed Articles") is made of the page's own words, and a name is not."""
    return None if cut.kind in _NOT_NAMES else _plain_name_text(cut.text, words)


def _plain_name_text(line: str, words: _PageWords) -> str | None:
    """`line` as a plain name (see `_plain_name`), else None."""
    name = _name_line(line)
    if name is None or len(name.split()) < 2 or not _MENU_MARKS.isdisjoint(name):
        return None
    written = words()
    if any(word.lower() in written or fold(word) in _bare_labels() for word in _WORD.findall(name)):
        return None
    return name


def _author_byline(
    cuts: list[Removal], headline: int | None, language: str | None
) -> tuple[str, str] | None:
    """The author's name (see `author_from`) and the byline line it came from: of the
    bylines that hold a name, the one nearest the headline's cut at `headline` (the first
    where no headline was cut). A byline stands by its headline; a site menu's facets that read as
    bylines ("By Role", "By Use Case") sit far above it, and the bylines of teasers below."""
    found = list(_bylines(cuts))
    if headline is not None:
        found += _labelled_lines_by_headline(cuts, headline, language)
    if not found:
        return None
    if headline is not None:
        found.sort(key=lambda byline: abs(byline[0] - headline))  # stable: earlier first
    _, name, line = found[0]
    return name, line


def _bylines(cuts: list[Removal]) -> Iterator[tuple[int, str, str]]:
    """Each byline that holds a name: its place among the cuts, the name and its line."""
    for index, removal in enumerate(cuts):
        if _bare_byline_label(removal.text):
            line = cuts[index + 1].text if index + 1 < len(cuts) else ""
            name = _name_line(line) if line else None
        elif removal.kind == RemovalKind.BYLINE:
            line, name = removal.text, byline_name(removal.text)
            if name and _beside_another_byline(cuts, index, name):
                continue
        else:
            continue
        if name:
            yield index, name, line


def _labelled_lines_by_headline(
    cuts: list[Removal], headline: int, language: str | None
) -> Iterator[tuple[int, str, str]]:
    """Each line of the story's header (see `_header_lines`) that opens with a byline label
    but was cut as other chrome, with its name: a dump's header is cut as a whole, and a
    byline the phrase rules do not read as one is part of it ("Written by Jo Roe, CFP®",
    "ByJo Roe", "Posted by Jo Roe on Tuesday, August 29, 2023"). Such a name is capitalised:
    "By ops@example.com" and "Published by our team" name no one."""
    for index in _header_lines(cuts, headline):
        line = cuts[index].text
        if cuts[index].kind in _NOT_LABELLED or not _byline_label_length(line):
            continue
        if _header_date(line, language) is not None:
            line = _first_field(line)  # the name is before the date, or a byline after it
            if not _byline_label_length(line):
                continue
        name = byline_name(line)
        if name and name[0].isupper():
            yield index, name, cuts[index].text


def _byline_label_length(line: str) -> int:
    """The length of the byline label `line` opens with ("By", "Written by"), else 0."""
    key = fold(line)
    return next(
        (
            len(label)
            for label in _byline_labels()
            if key.startswith(label) and _label_ends(line, len(label))
        ),
        0,
    )


def _bare_byline_label(line: str) -> bool:
    return fold(line).strip(" :：-–—") in _bare_labels()


def _name_line(line: str) -> str | None:
    """`line` when it is a person's name and nothing else, not a line the phrase files know."""
    paragraph = analyse(line.strip(), phrase_book())
    if paragraph.kind is not None or not is_name_line(paragraph):
        return None
    return byline_name(line)


def _beside_another_byline(cuts: list[Removal], index: int, name: str) -> bool:
    """Whether a byline next to this one (which names `name`) names someone else: one that
    names the same person with more or less of the line ("Jo Roe," / "Jo Roe, Co-Founder")
    does not."""
    for other in (index - 1, index + 1):
        if 0 <= other < len(cuts) and cuts[other].kind == RemovalKind.BYLINE:
            beside = byline_name(cuts[other].text)
            if beside and not (beside.startswith(name) or name.startswith(beside)):
                return True
    return False


def host_from(removed: Iterable[Removal]) -> str | None:
    """The host of the site's own domain line ("www.alsahil-news.example" under a dump), so
    that a dump and the site's pages name the outlet alike."""
    for removal in removed:
        if removal.kind == RemovalKind.SITE_NAME and _DOMAIN.match(removal.text.strip()):
            return host_of("https://" + _SCHEME.sub("", removal.text.strip()))
    return None


def clean_author(author: str | None) -> str | None:
    """A page's author field without what its byline carried beside the names: a label in
    front ("Author Jo Roe", "Written by Jo Roe", "View all posts by Jo Roe"), a date left
    behind ("Jo Roe December", "Jo Roe Last Updated August") and a role after a name ("Jo
    Roe; Senior Editor"); names are kept as written.
    trafilatura keeps both when a byline's markup holds them, and drops only the digits."""
    if not author:
        return author
    parts = [part.strip() for part in author.split(";")]
    names = [
        name
        for index, part in enumerate(parts)
        if (name := _bare_name(part)) and not (index and _is_role_field(part))
    ]
    return "; ".join(names) or None


def _without_roles(name: str) -> str:
    """A byline's name without the roles set after it: "Jo Roe, Politics Correspondent"."""
    fields = name.split(",")
    return ",".join(
        [fields[0], *(field for field in fields[1:] if not _is_role_field(field))]
    ).strip()


def _is_role_field(field: str) -> bool:
    """Whether a byline's field after the name is a role: a few words ending in a byline
    label that is a role ("Politics Correspondent", "Senior Editor", "Staff Writer")."""
    words = fold(field).split()
    return 0 < len(words) <= MAX_ROLE_WORDS and (
        words[-1] in _bare_labels() or " ".join(words[-2:]) in _bare_labels()
    )


def _bare_name(part: str) -> str:
    words = part.split()
    key = fold(part)
    if key.strip(" :：-–—") in _bare_labels():
        return ""
    for label in _name_labels():
        rest = key[len(label) :]
        if key.startswith(label) and rest.strip() and (label[-1] in " :" or rest[0] in " :"):
            words = part[len(label) :].lstrip(" :：-–—").split()
            break
    return " ".join(_without_trailing_date(_after_lead_in(words)))


def _after_lead_in(words: list[str]) -> list[str]:
    """The name after a byline's words that lead to it ("View all posts by Jo Roe", "Recipe
    by Jo Roe", "Tous les articles par Jo Roe"): the words after its last lead-in word, when
    a name of two words or more follows. The lead-ins are the phrase files' lower-case
    "name_lead_ins", as written, so "Anne By Hansen" keeps its particle."""
    lead_ins = phrase_book().vocabulary["name_lead_ins"]
    inner = [index for index, word in enumerate(words) if word in lead_ins and index]
    if inner and len(words) - inner[-1] > 2:
        return words[inner[-1] + 1 :]
    return words


def _without_trailing_date(words: list[str]) -> list[str]:
    """`words` without a tail of date words that names a month ("Last Updated August"),
    when two words of a name are left before it ("Theresa May" stays), or nothing when all
    of them are date words with a month among them ("Updated January"). Date words without
    a month stay: ordinal endings ("rd") and units ("ms") are credentials too ("Jo Roe;
    MS; RD")."""
    months, by_word = _vocabulary()
    keys = [fold(word).strip(".,•·|-–—") for word in words]
    dated = [not key or key in months or key in by_word or key.isdigit() for key in keys]
    start = len(dated)  # the tail of date words begins here (found in one pass, not n²)
    while start and dated[start - 1]:
        start -= 1
    start = 2 if start == 1 else start  # a name keeps two words ("Theresa May")
    if start < len(keys) and any(key in months for key in keys[start:]):
        return words[:start]
    return words


def byline_name(line: str) -> str | None:
    """The name a byline gives once its label ("By", "von", "بقلم", "Autor:") and a date
    behind a separator ("Jo Roe | May 19, 2024") are cut; None for a reading-time note or a
    bare label."""
    rest = line.strip()
    if len(rest.split()) > STAMP_WORDS:  # no byline: and cutting its fields takes n² steps
        return None
    label = _byline_label_length(rest)
    if label:
        rest = rest[label:].lstrip(" :：-–—")
    rest = _DATED_FIELD.sub("", rest).strip(" |·•,")
    words = rest.split()
    if not words or len(words) > MAX_NAME_WORDS or any(c.isdigit() for c in rest):
        return None
    if fold(rest) in _byline_labels() or ":" in rest:
        return None
    if _holds_reading_time(rest):
        return None
    return _without_roles(rest)


def _label_ends(line: str, length: int) -> bool:
    """Whether a label of `length` characters at the start of `line` is a word of its own:
    "By Jo", "Par: Jo", "ByJo Roe" (a dump joins a label to its linked name), "作者张三";
    not the start of a name ("Byron Roe", "Paramita", "Denise")."""
    if length >= len(line):
        return True
    last, after = line[length - 1], line[length]
    if not after.isalpha() or not last.isalpha():
        return True
    if last.islower() and after.isupper():
        return True
    return _writes_words_unspaced(last)


def _writes_words_unspaced(char: str) -> bool:
    """Whether `char` is Japanese kana or a CJK ideograph: scripts that set no space after a
    label."""
    return "\u3040" <= char <= "\u30ff" or "\u3400" <= char <= "\u9fff"


@lru_cache(maxsize=1024)
def parse_stamp(line: str, language: str | None = None) -> datetime | None:
    """The date a stamp line states, in the Gregorian calendar, as a UTC datetime. A line
    giving a Gregorian date beside another calendar's ("12 شوال 1447 هـ الموافق 2 أبريل
    2026 م") is read by its Gregorian date: the converted one may be a day or two off the
    sighting-based calendar the site follows."""
    line = _without_reading_time(line)
    if _has_gregorian_date(line):
        found = _gregorian(line, language) or _other_calendar(line)
    else:
        found = _other_calendar(line) or _gregorian(line, language)
    if found is None or not EARLIEST_YEAR <= found.year <= datetime.now(UTC).year + 1:
        return None
    return found


def _without_reading_time(line: str) -> str:
    """The stamp without its reading-time fields: dateparser takes their number for the
    day ("Jun 08, 2023 • 11 Minute Read" read as August 11)."""
    if not _holds_reading_time(line):
        return line
    pieces = _STAMP_FIELD_SEPARATOR.split(line)
    kept: list[str] = []
    for index in range(0, len(pieces), 2):
        field = pieces[index]
        if _holds_reading_time(field):
            continue
        if kept:
            kept.append(pieces[index - 1])
        kept.append(field)
    return "".join(kept)


def _holds_reading_time(text: str) -> bool:
    key = fold(text)
    return any(note in key for note in _reading_time_notes())


def _has_gregorian_date(line: str) -> bool:
    if _NUMERIC_DATE.search(line) and _solar_numeric(line) is None:
        return True
    others = {name for _, name, _ in _calendar_months()}
    months = _vocabulary()[0] - others
    return any(fold(word) in months for word in _WORD.findall(line))


def _gregorian(line: str, language: str | None) -> datetime | None:
    """dateparser on the line from its first number or month name on ("Stand: 28.04.2023"),
    then from the next ones ("12 شوال 1447 هـ الموافق 2 أبريل 2026 م"). A date whose year
    the text does not state is a misread: dateparser takes a phone number ("800-970-7516"),
    a duration ("32:03") or a month without its day ("December 2025") for some date."""
    digits = _ascii_digits(line)
    if not _YEAR.search(digits) and not _SHORT_YEAR_DATE.search(digits):
        return None  # no year to state: dateparser is not asked (a few ms a line)
    for part in _date_parts(line)[: 3 * MAX_DATE_STARTS]:
        settings = dict(_DATEPARSER_SETTINGS)
        if _DOTTED_DATE.search(part):
            settings["DATE_ORDER"] = "DMY"  # 05.03.2026 is the 5th of March wherever dots are
        languages = _languages_of(part) or ([language] if language else _script_languages(line))
        languages = [_DATEPARSER_CODES.get(lang, lang) for lang in languages]
        known = [lang for lang in languages if lang in language_order] or ["en"]
        found = dateparser.parse(part, languages=known, settings=settings)
        if found is not None and _states_year(part, found.year):
            return found
    return None


def _states_year(text: str, year: int) -> bool:
    """Whether `text` names `year`: in four digits (of any digit set), or in two at the end
    of a numeric date ("05.03.26")."""
    digits = _ascii_digits(text)
    if re.search(rf"(?<!\d){year}(?!\d)", digits):
        return True
    short = _SHORT_YEAR_DATE.search(digits)
    return short is not None and int(short.group(1)) == year % 100


def _date_parts(line: str) -> list[str]:
    """The line from each number or month name on: to its end ("10:00 EST" keeps its
    zone), then to its last number (an era word such as "م" that dateparser does not know
    left out), then to its first year (a count after the date: "Mar 11, 2023 | 0 comments").
    Where another date follows the first year ("August 16, 2019 - Updated July 9, 2025"),
    the part up to that year comes first: the first date is the publication's."""
    months = _vocabulary()[0]
    end = max((i + 1 for i, c in enumerate(line) if c.isdigit()), default=len(line))
    starts = [match.start() for match in _date_words(line) if match.start() < end]
    digits = _ascii_digits(line)
    parts = []
    for start in starts:
        year = _YEAR.search(digits, start)
        to_year = line[start : year.end()].strip() if year is not None else ""
        if to_year and _another_date_after(line[year.end() :], months):
            parts.append(to_year)
        parts += [line[start : len(line)].strip(), line[start:end].strip()]
        if len(_date_words(to_year)) >= 3:  # a day and a month before the year
            parts.append(to_year)
    return list(dict.fromkeys(parts))


def _date_words(text: str) -> list[re.Match[str]]:
    """The words of `text` a date is made of: those holding a digit, and month names."""
    months = _vocabulary()[0]
    return [
        match
        for match in _WORD.finditer(text)
        if any(c.isdigit() for c in match.group()) or fold(match.group()) in months
    ]


def _another_date_after(rest: str, months: frozenset[str]) -> bool:
    return bool(_YEAR.search(_ascii_digits(rest))) or any(
        fold(word) in months for word in _WORD.findall(rest)
    )


def _languages_of(text: str) -> list[str]:
    """Languages whose date words the text uses, those using most first, ties in
    dateparser's order of languages. A tie was broken by the order of a set of strings
    before, which changes from process to process: "Feb 12th 2026" read as a date in one run
    and as none in the next."""
    by_word = _vocabulary()[1]
    counts: dict[str, int] = {}
    for word in _WORD.findall(text):
        for lang in by_word.get(fold(word), ()):
            counts[lang] = counts.get(lang, 0) + 1
    return sorted(counts, key=lambda lang: (-counts[lang], _dateparser_rank(lang), lang))[:3]


def _dateparser_rank(lang: str) -> int:
    return _LANGUAGE_RANKS.get(_DATEPARSER_CODES.get(lang, lang), len(_LANGUAGE_RANKS))


def _script_languages(text: str) -> list[str]:
    """Languages to read a stamp without date words in: by its script ("2026年3月15日")."""
    for pattern, languages in _SCRIPT_LANGUAGES:
        if pattern.search(text):
            return languages
    return ["en"]


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """All month names, and the languages of each date word, from the phrase files."""
    months: set[str] = set()
    by_word: dict[str, set[str]] = {}
    for lang, data in _load_files().items():
        dates = data.get("dates", {})
        for word in dates.get("months", []):
            months.add(fold(word))
        for word in [*dates.get("months", []), *dates.get("words", [])]:
            for part in fold(word).split():
                by_word.setdefault(part, set()).add(lang)
    return frozenset(months), {w: frozenset(langs) for w, langs in by_word.items()}


@lru_cache(maxsize=1)
def _name_labels() -> tuple[str, ...]:
    """Byline labels that are no part of a name: "von" and "de" open names too ("Von
    Trapp", "De Souza"), so an author field keeps them."""
    particles = {fold(word) for word in phrase_book().vocabulary["name_particles"]}
    return tuple(label for label in _byline_labels() if label.strip(" :") not in particles)


@lru_cache(maxsize=1)
def _bare_labels() -> frozenset[str]:
    """Byline labels as a line of their own says them: "by", "written by", "author"."""
    return frozenset(label.strip(" :：-–—") for label in _byline_labels())


@lru_cache(maxsize=1)
def _reading_time_notes() -> tuple[str, ...]:
    """The reading-time notes the phrase files list beside bylines ("min read", "Lesezeit")."""
    return tuple(sorted(_byline_phrases("contains")))


@lru_cache(maxsize=1)
def _byline_labels() -> tuple[str, ...]:
    """Byline labels of every phrase file, folded, longest first."""
    return tuple(sorted(_byline_phrases("prefix", "line"), key=len, reverse=True))


def _byline_phrases(*modes: str) -> frozenset[str]:
    """The byline phrases of `modes` in every phrase file, folded."""
    phrases = {
        fold(phrase).strip()
        for data in _load_files().values()
        for mode in modes
        for phrase in data.get("byline", {}).get(mode, [])
    }
    return frozenset(phrases - {""})


def _other_calendar(line: str) -> datetime | None:
    """A Hijri, Solar Hijri or Hebrew date: a month name with a day before it and a year
    after it."""
    solar = _solar_numeric(line)
    if solar is not None:
        return solar
    text = " ".join(fold(line).replace("\u200c", " ").replace("״", '"').split())
    for calendar, month, start, end in _month_names_in(text):
        day = _number(text[:start].split()[-1:])
        year = _number(text[end:].split()[:1])
        if day is None or year is None:
            continue
        if calendar == "hebrew" and year < 1000:
            year += 5000  # the thousands are left out: התשפ"ו is 786 with a ה for 5000
        try:
            with warnings.catch_warnings():  # convertdate's hebrew calls its own deprecated helper
                warnings.simplefilter("ignore", DeprecationWarning)
                found = CONVERTERS[calendar].to_gregorian(year, month, day)
        except ValueError:
            continue
        return datetime(*found, tzinfo=UTC)
    return None


def _solar_numeric(line: str) -> datetime | None:
    """1404/03/15: a numeric date in the Solar Hijri calendar (Hijri on an Arabic line)."""
    match = _SOLAR_NUMERIC.search(_ascii_digits(line))
    if match is None:
        return None
    calendar = persian if _PERSIAN.search(line) else islamic
    year, month, day = (int(g) for g in match.groups())
    try:
        return datetime(*calendar.to_gregorian(year, month, day), tzinfo=UTC)
    except ValueError:
        return None


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(c)) if c.isdecimal() else c for c in text)


def _month_names_in(text: str) -> list[tuple[str, int, int, int]]:
    """(calendar, month number, start, end) of each month name in `text`, longest names
    first so that "ربيع الأول" is not read as a lone word."""
    found = []
    for calendar, name, number in _calendar_months():
        prefix = "ב?" if calendar == "hebrew" else ""  # בשבט: "in Shevat"
        for match in re.finditer(rf"(?<!\w){prefix}{re.escape(name)}(?!\w)", text):
            found.append((calendar, number, match.start(), match.end()))
    return found


@lru_cache(maxsize=1)
def _calendar_months() -> tuple[tuple[str, str, int], ...]:
    data = json.loads(
        (resources.files("ingest.boilerplate") / "calendars.json").read_text(encoding="utf-8")
    )
    months = [
        (calendar, " ".join(fold(name).replace("\u200c", " ").split()), int(number))
        for calendar, table in data.items()
        if calendar in CONVERTERS
        for number, names in table.items()
        for name in names
    ]
    return tuple(sorted(months, key=lambda m: -len(m[1])))


def _number(tokens: list[str]) -> int | None:
    """A day or year in any decimal digits, or in Hebrew letters (כ"ח = 28, תשפ"ו = 786)."""
    if not tokens:
        return None
    token = tokens[0].strip(".,،-")
    if token.isdecimal():
        return int(token)
    letters = token.replace('"', "").replace("'", "").replace("׳", "")
    if not _HEBREW_NUMBER.match(letters):
        return None
    if len(letters) > 2 and letters[0] == "ה":
        letters = letters[1:]  # the ה of the thousands
    return sum(_HEBREW_LETTERS[c] for c in letters)
