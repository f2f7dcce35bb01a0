"""Fixes installed in trafilatura: a linear reader of authors in broken JSON-LD, a text
normaliser that keeps the zero-width characters words and emoji are spelt with, and a gate
that skips its readability pass where readability cannot win (`readability_gate`).

Authors. When a page's JSON-LD does not parse, trafilatura reads the authors with a regex: it
takes the first match, deletes it from the text and searches the whole text again, once per
name. Live blogs carry JSON-LD of close to a megabyte with a "Person" for every post: one such
page took 1.9 s in that loop, about twenty pages' worth of extraction. Scanning forward from
each match gives the same names in a single pass: the patterns look at nothing before their
start, and a match that begins before the removed one would have been found first, unless the
removal joined two halves of a key into a new one (which the forward scan rightly ignores).

Joiners. trafilatura passes every text of the page through `return_printables_and_spaces`,
which keeps a character only when `str.isprintable()` says so: that deletes every format
character, among them the zero-width non-joiner U+200C (the Persian half-space: می‌شود
becomes a different word), the zero-width joiner U+200D (Indic conjuncts, emoji sequences such
as 👩‍🔬) and the tag characters of subdivision flags. Ours keeps those and drops the rest as
before; it is swapped in at the one place every trafilatura caller (body, metadata, baseline)
looks it up.

Initials. trafilatura's `normalize_authors` turns every dot of a name into a space, to split
handles such as "jane.doe": "Christopher S. Penn" became "Christopher S Penn", "Dr. Allen"
"Dr Allen". Ours keeps the dot after an initial or a short capitalised abbreviation and
otherwise normalises as trafilatura does.

XPath. trafilatura's class-and-id expressions run their costly filters on the elements that
can pass them only (`xpath_prefilter`): the same elements, in the same order, in about half
the time on news pages (7.0 -> 3.6 ms a page on our dev pages, 10.9 -> 4.6 on train pages).

jusText. Where trafilatura falls back on jusText, its paragraphs are made and classified as
jusText does, in a third of the time (`justext_paragraphs`).

`install()` swaps the functions in the modules that look them up and leaves a function alone
when its module no longer has what it replaces.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import import_module
from re import Pattern

from lxml import etree
from trafilatura import core as trafilatura_core
from trafilatura import external, json_metadata
from trafilatura import metadata as trafilatura_metadata
from trafilatura import utils as trafilatura_utils
from trafilatura import xpaths as trafilatura_xpaths

from ingest.extract import justext_paragraphs
from ingest.extract.basic_cleaning import split_cleaning
from ingest.extract.readability_gate import fits, fits_cascade, gated, uncopied
from ingest.extract.xpath_prefilter import prefiltered

# the package's name `baseline` is its baseline function, which hides the module
trafilatura_baseline = import_module("trafilatura.baseline")
ORIGINAL = getattr(json_metadata, "extract_json_author", None)
ORIGINAL_AUTHORS = json_metadata.normalize_authors  # ingest.extract.metadata needs it too
ORIGINAL_PRINTABLES = getattr(trafilatura_utils, "return_printables_and_spaces", None)
ORIGINAL_COMPARE = getattr(trafilatura_core, "compare_extraction", None)
ORIGINAL_CASCADE = getattr(trafilatura_core, "_extract_and_compare", None)
ORIGINAL_CLEANING = getattr(trafilatura_baseline, "basic_cleaning", None)
ORIGINAL_MAKER = getattr(external, "ParagraphMaker", None)
ORIGINAL_CLASSIFY = getattr(external, "classify_paragraphs", None)
#: Format characters (Unicode category Cf) that are part of the spelling of words or emoji.
SPELLING_FORMAT_CHARACTERS = frozenset(
    ["\u200c", "\u200d", *map(chr, range(0xE0020, 0xE0080))]  # ZWNJ, ZWJ, emoji tags
)
#: (list, index, trafilatura's expression, ours) of each expression swapped in place: the
#: lists are shared by every trafilatura module that imported them.
PREFILTERED_XPATHS: list[tuple[list, int, object, object]] = []


#: A dot after an initial or a short capitalised abbreviation ("S. Penn", "Dr. Allen", "Z.B.").
_ABBREVIATION_DOT = re.compile(r"\b([A-Z][a-z]{0,3})\.(?=\s|[A-Z]|$)")
#: What such a dot is while trafilatura normalises: no word character, so it splits nothing.
_KEPT_DOT = "\u2024"


def normalize_authors(current_authors: str | None, author_string: str) -> str | None:
    """trafilatura's normalize_authors, keeping the dots of initials and abbreviations."""
    kept = (current_authors or "").replace(".", _KEPT_DOT) or None  # only kept dots are left
    authors = ORIGINAL_AUTHORS(kept, _ABBREVIATION_DOT.sub(rf"\1{_KEPT_DOT}", author_string))
    return authors.replace(_KEPT_DOT, ".") if authors else authors


def extract_json_author(elemtext: str, regular_expression: Pattern[str]) -> str | None:
    """The authors that trafilatura's extract_json_author finds, in one forward scan."""
    authors = None
    for match in regular_expression.finditer(elemtext):
        name = next(filter(None, match.groups()), None)
        if not name or " " not in name:
            break
        authors = json_metadata.normalize_authors(authors, name)
    return authors or None


@lru_cache(maxsize=2**14)
def return_printables_and_spaces(char: str) -> str:
    """The character when it is printable, a space, or a joiner that spells a word or emoji."""
    keep = char.isprintable() or char.isspace() or char in SPELLING_FORMAT_CHARACTERS
    return char if keep else ""


def install() -> bool:
    """Use the fixes inside trafilatura; False when its layout changed for any of them."""
    authors = ORIGINAL is not None
    if authors:
        json_metadata.extract_json_author = extract_json_author
        json_metadata.normalize_authors = normalize_authors
        trafilatura_metadata.normalize_authors = normalize_authors
    joiners = ORIGINAL_PRINTABLES is not None and hasattr(
        trafilatura_utils, "remove_control_characters"
    )
    if joiners:
        trafilatura_utils.return_printables_and_spaces = return_printables_and_spaces
        trafilatura_utils.line_processing.cache_clear()  # lines normalised before the swap
    gate = ORIGINAL_COMPARE is not None and fits(ORIGINAL_COMPARE)
    if gate:
        trafilatura_core.compare_extraction = gated(ORIGINAL_COMPARE)
        if fits_cascade(ORIGINAL_CASCADE):  # the gate before the copy readability reads
            trafilatura_core._extract_and_compare = uncopied(
                ORIGINAL_COMPARE, trafilatura_core.extract_content
            )
    cleaning = split_cleaning(getattr(trafilatura_baseline, "BASIC_CLEAN_XPATH", None))
    if cleaning is not None and ORIGINAL_CLEANING is not None:
        trafilatura_baseline.basic_cleaning = external.basic_cleaning = cleaning
    if not PREFILTERED_XPATHS:
        _prefilter_xpaths()
    paragraphs = (
        ORIGINAL_MAKER is not None and ORIGINAL_CLASSIFY is not None and justext_paragraphs.fits()
    )
    if paragraphs:
        external.ParagraphMaker = justext_paragraphs.ParagraphMaker
        external.classify_paragraphs = justext_paragraphs.classify
    return authors and joiners and gate and cleaning is not None and paragraphs


def _prefilter_xpaths() -> None:
    """Swap trafilatura's XPath expressions for prefiltered ones, in their lists."""
    for expressions in vars(trafilatura_xpaths).values():
        if not isinstance(expressions, list):
            continue
        for index, expression in enumerate(expressions):
            fast = prefiltered(expression) if isinstance(expression, etree.XPath) else None
            if fast is not None:
                expressions[index] = fast
                PREFILTERED_XPATHS.append((expressions, index, expression, fast))
