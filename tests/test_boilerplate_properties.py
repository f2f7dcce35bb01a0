"""Properties of cleaning: it never adds text, it is idempotent, it never empties a story."""

from __future__ import annotations

import unicodedata
from collections import Counter

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.boilerplate import RemovalKind, clean_document, normalize_whitespace
from ingest.boilerplate.lines import _QUOTE, _QUOTES, analyse, word_equivalents
from ingest.boilerplate.normalize import _INVISIBLE, _LINE_BREAKS, split_paragraphs
from ingest.boilerplate.phrases import (
    _EDGE_JUNK,
    LEFT_JUNK,
    PHRASE_KINDS,
    find_words,
    fold,
    phrase_book,
    strip_decoration,
)
from ingest.text import tokens

SENTENCES = [
    "The harbour board approved the new ferry timetable after a long and heated debate.",
    "Der Stadtrat hat am Dienstag den Bau einer neuen Brücke über den Fluss beschlossen.",
    "La mairie a présenté samedi son plan pour rénover les écoles du centre-ville.",
    "El gobierno regional anunció ayer nuevas ayudas para los agricultores afectados.",
    "وقال رئيس البلدية إن الأعمال ستبدأ في الربيع وتستمر نحو عام كامل.",
    "市政府周二宣布将在老城区修建一座新的社区图书馆，预计明年秋天开放。",
    "緑川市は火曜日、駅前に新しい図書館を建設すると発表した。",
    "푸른시는 화요일 구도심에 새로운 공공 도서관을 짓겠다고 발표했다.",
    "Городской совет в среду одобрил строительство нового моста через реку.",
    "Belediye başkanı projenin kent merkezindeki trafiği azaltacağını söyledi.",
    "The court heard that the website uses cookies to track readers across many pages.",
]
CHROME = [
    "We use cookies to improve your experience.",
    "Accept all",
    "Related articles",
    "Read also: Storm closes the pass",
    "Share this article",
    "Sign up for our newsletter",
    "Advertisement",
    "Photo: Reuters",
    "By Jane Marlow",
    "14 Gennaio 2026",
    "date 2025-01-01",
    "END [Copyright Example Wire]",
    "© 2026 Example Media",
    "Example.com",
    "مقالات ذات صلة",
    "صورة مولدة بواسطة الذكاء الاصطناعي",
    "Tags: ferries, harbour",
    "Home",
    "Most read",
    "A headline without a full stop",
]
FRAGMENTS = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S", "Mn")),
    max_size=60,
)
PARAGRAPH = st.one_of(st.sampled_from(SENTENCES), st.sampled_from(CHROME), FRAGMENTS)


@st.composite
def documents(draw: st.DrawFn) -> str:
    paragraphs = draw(st.lists(PARAGRAPH, max_size=14))
    glue = draw(st.sampled_from(["\n\n", "\n", "\n\n\n", " "]))
    return glue.join(paragraphs)


def token_bag(text: str) -> Counter[str]:
    return Counter(tokens(unicodedata.normalize("NFKC", text)))


PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(text=documents(), from_html=st.booleans())
def test_cleaning_never_adds_text(text: str, from_html: bool) -> None:
    result = clean_document(text, from_html=from_html)
    produced = token_bag(result.text) + token_bag(result.title or "")
    assert not produced - token_bag(normalize_whitespace(text))


@PROPERTY_SETTINGS
@given(text=documents(), from_html=st.booleans())
def test_cleaning_is_idempotent(text: str, from_html: bool) -> None:
    once = clean_document(text, from_html=from_html)
    twice = clean_document(once.text, from_html=from_html, title=once.title)
    assert twice.text == once.text
    assert twice.title == once.title
    assert twice.removed == []


@PROPERTY_SETTINGS
@given(text=documents(), from_html=st.booleans())
def test_cleaning_never_empties_a_document_that_has_a_story(text: str, from_html: bool) -> None:
    result = clean_document(text, from_html=from_html)
    book = phrase_book()
    story = [p for p in split_paragraphs(text) if p != result.title and analyse(p, book).prose]
    if story:
        assert any(analyse(p, book).prose for p in split_paragraphs(result.text))


_ANY_WORD = regex.compile(r"\w+")
_MIXED_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("aZß é’–€²½\u200d\u203f\u0301ـًا中 :`´"),
        st.characters(max_codepoint=0x20CF),
    ),
    max_size=60,
)


@given(_MIXED_TEXT)
@settings(max_examples=300, deadline=None)
def test_fast_word_finding_finds_the_words_regex_finds(text: str) -> None:
    assert find_words(text) == _ANY_WORD.findall(text)


def _scan_word_by_word(index, key: str) -> tuple | None:
    """The phrase search done the slow way: every word of the line, every phrase opening with it."""
    best, found = None, set()
    for word in _ANY_WORD.finditer(key):
        for rank, phrase, bounded_right in index._by_word.get(word.group(), ()):
            end = word.start() + len(phrase)
            runs_on = bounded_right and _ANY_WORD.match(key, end)
            if key.startswith(phrase, word.start()) and not runs_on:
                found.add(phrase)
                best = min(best or (rank, word.start()), (rank, word.start()))
    for match in index._loose.finditer(key):
        found.add(match.group())
        hit = (index._loose_rank[match.group()], match.start())
        best = min(best or hit, hit)
    return None if best is None else (best, len(found))


@given(
    _MIXED_TEXT,
    st.sampled_from(["cookies", "lesen sie auch", "read more", "ai 生成", "(afp)", "share"]),
    _MIXED_TEXT,
)
@settings(max_examples=300, deadline=None)
def test_phrase_search_finds_what_a_word_by_word_scan_finds(
    before: str, phrase: str, after: str
) -> None:
    key = fold(before + phrase + after)
    for index in (phrase_book()._contains, phrase_book()._prefixes):
        found = index.find(key, anchored=False)
        assert index.find(key, anchored=False, words=find_words(key)) == found
        expected = _scan_word_by_word(index, key)
        assert (None if found is None else ((found[0], found[1]), found[2])) == (
            None
            if expected is None
            else ((PHRASE_KINDS[expected[0][0]], expected[0][1]), expected[1])
        )


_ASCII_LINE = st.builds(
    "".join,
    st.lists(
        st.one_of(
            st.sampled_from([*SENTENCES[:4], *CHROME[:14], " :", "`", "Read more", "(AFP)"]),
            st.text(st.characters(max_codepoint=0x7F), max_size=20),
        ),
        max_size=5,
    ),
)


@given(_ASCII_LINE)
@settings(max_examples=300, deadline=None)
def test_an_ascii_line_is_analysed_from_its_keys_words_as_from_its_own(text: str) -> None:
    """The ASCII fast path counts the folded key's words and hands them to the phrase book:
    the same length and the same phrase as counting the line and searching the key."""
    book = phrase_book()
    key = fold(text)
    assert len(find_words(key)) == word_equivalents(text)
    assert book.match_key(key, find_words(key)) == book.match_key(key)
    assert analyse(text, book).words == word_equivalents(text)


HEADLINES = [
    "Harbour board backs the new ferry timetable",
    "Stadtrat beschließt neue Brücke über den Fluss",
    "وقال رئيس البلدية إن الأعمال ستبدأ في الربيع",
    "市政府宣布修建新的社区图书馆",
    "Городской совет одобрил строительство моста",
]
ABOVE = ["Home", "Politics", "By Jane Marlow", "14 Gennaio 2026", "Photo: Reuters", "Most read"]


@st.composite
def page_dumps(draw: st.DrawFn) -> str:
    """A full-page dump: menu lines, a headline (stamped, repeated or bare) among bylines and
    dates, the story, then footer chrome, one line each."""
    headline = draw(st.sampled_from(HEADLINES))
    stamp = draw(st.sampled_from(["", "12.03.2026 ", "date 2025-01-01 ", "14:05 "]))
    above = draw(st.lists(st.sampled_from(ABOVE), max_size=5))
    between = draw(st.lists(st.sampled_from(ABOVE), max_size=3))
    heads = [stamp + headline] * draw(st.integers(1, 2))
    story = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=5, unique=True))
    below = draw(st.lists(st.sampled_from(CHROME), max_size=4))
    return "\n".join([*above, *heads, *between, *story, *below])


def words(texts: list[str]) -> Counter[str]:
    return Counter(w for text in texts for w in tokens(fold(text)))


@PROPERTY_SETTINGS
@given(text=page_dumps())
def test_dump_lines_land_once_in_story_title_or_removed(text: str) -> None:
    """Every word of a dump is in the story or in `removed`, once; a line promoted to the
    title is recorded in `removed` only as the title, never also as chrome."""
    result = clean_document(text, from_html=False)
    story = split_paragraphs(result.text)
    assert words(split_paragraphs(text)) == words(story + [r.text for r in result.removed])
    if result.title is not None:
        key = fold(result.title).strip(" .")
        chrome = [
            fold(r.text).strip(" .") for r in result.removed if r.kind is not RemovalKind.TITLE
        ]
        assert any(r.kind is RemovalKind.TITLE for r in result.removed)
        assert not any(line == key or line.endswith(" " + key) for line in chrome)
        assert not any(fold(p).strip(" .") == key for p in story)


def _strip_decoration_slowly(key: str) -> str:
    previous = None
    while previous != key:
        previous, key = key, _EDGE_JUNK.sub("", key).strip()
    return key


@given(_MIXED_TEXT)
@settings(max_examples=500, deadline=None)
def test_decoration_is_stripped_as_the_regex_loop_strips_it(text: str) -> None:
    """The shortcut for lines opening with a letter and closing on a letter or digit leaves
    what the regexes would; a line opening with a letter or digit has no junk on its left."""
    for key in (text, fold(text), "a" + text + "1"):
        assert strip_decoration(key) == _strip_decoration_slowly(key)
        if key[:1].isalnum():
            assert LEFT_JUNK.sub("", key) == key


_LAYOUT_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("ab é\n\r\t\u2028\u2029\x0b\x0c\x85\u200b\u00ad\u202e\ufeff\u3000"),
        st.characters(codec="utf-8"),
    ),
    max_size=80,
)


@given(_LAYOUT_TEXT)
@settings(max_examples=500, deadline=None)
def test_paragraphs_split_as_the_regexes_alone_split_them(text: str) -> None:
    """Skipping the invisible-character and line-break regexes on texts holding none of
    their characters gives the paragraphs running both gives."""
    slow = _LINE_BREAKS.sub("\n", _INVISIBLE.sub("", unicodedata.normalize("NFC", text)))
    expected = [" ".join(raw.split()) for raw in slow.split("\n")]
    assert split_paragraphs(text) == [line for line in expected if line]


def test_a_split_handed_out_is_the_callers_own() -> None:
    """Splits are cached per text; a caller changing its list changes no later split."""
    text = "Harbour board backs the timetable\n\nThe ferry left on time."
    first = split_paragraphs(text)
    first.append("Sign up for our newsletter")
    assert split_paragraphs(text) == [
        "Harbour board backs the timetable",
        "The ferry left on time.",
    ]


@given(_MIXED_TEXT, st.sampled_from(['"', "“", "»", "「", "‹", ""]))
@settings(max_examples=300, deadline=None)
def test_a_quote_is_found_by_the_character_class_as_by_the_set(text: str, mark: str) -> None:
    line = text + mark + text
    assert (_QUOTE.search(line) is not None) == (not _QUOTES.isdisjoint(line))
    assert analyse(line, phrase_book()).quoted == (not _QUOTES.isdisjoint(line))
