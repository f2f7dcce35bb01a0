"""Fields of text dumps from the lines cut as chrome: published, author, site."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ingest.boilerplate.fields import (
    author_from,
    byline_name,
    clean_author,
    parse_stamp,
    published_from,
)
from ingest.boilerplate.kinds import RemovalKind
from ingest.documents import Removal
from ingest.options import Options
from ingest.pipeline import run_pipeline


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("الاثنين 16 مارس 2026 - 10:45", (2026, 3, 16, 10, 45)),
        ("الأحد ١٥ مارس ٢٠٢٦", (2026, 3, 15)),
        ("آخر تحديث: 15 مارس 2026 - 11:05", (2026, 3, 15, 11, 5)),
        ("نشر بتاريخ ٢٠٢٦/٠٣/١٥", (2026, 3, 15)),
        ("١٥ رمضان ١٤٤٧ هـ", (2026, 3, 4)),  # Hijri, arithmetic calendar
        ("الخميس 12 شوال 1447 هـ الموافق 2 أبريل 2026 م", (2026, 4, 2)),  # the Gregorian wins
        ("سه‌شنبه ۱۵ خرداد ۱۴۰۴ - ۱۰:۴۵", (2025, 6, 5)),  # Solar Hijri
        ("تاریخ انتشار: ۱۴۰۴/۰۳/۱۵", (2025, 6, 5)),
        ("۱۷ رمضان ۱۴۴۶ قمری", (2025, 3, 17)),
        ("منگل 15 مارچ 2026", (2026, 3, 15)),
        ("יום רביעי 23.06.2021", (2021, 6, 23)),
        ('כ״ח אייר התש"פ', (2020, 5, 22)),  # Hebrew calendar, numbers in letters
        ('ט"ו בשבט התשפ"ו', (2026, 2, 2)),
        ("2026年3月15日 18:20", (2026, 3, 15, 18, 20)),
        ("Stand: 28.04.2023 16:11 Uhr", (2023, 4, 28, 16, 11)),
        ("05.03.2026", (2026, 3, 5)),  # dotted dates are day first
        ("Publié le 17 mars 2026 à 09h15", (2026, 3, 17, 9, 15)),
        ("March 5, 2026 10:00 EST", (2026, 3, 5, 15, 0)),
    ],
)
def test_stamps_in_every_calendar_and_digit_set_give_a_utc_date(line, date):
    assert parse_stamp(line) == datetime(*date, tzinfo=UTC)


@pytest.mark.parametrize("line", ["vor 3 Stunden", "يوم الأحد", "Updated", "1 März 1850"])
def test_relative_bare_or_implausible_stamps_give_nothing(line):
    assert parse_stamp(line) is None


@pytest.mark.parametrize(
    "line",
    ["800-970-7516", "(855) 650-0657", "+44 1632 960 0269", "32:03", "10:01 am", "Dezember 2025"],
)
def test_numbers_that_name_no_year_give_no_date(line):
    """dateparser reads phone numbers, durations and a month without its day as some date;
    a date whose year the line does not state is not taken."""
    assert parse_stamp(line) is None


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("August 16, 2019 - Updated July 9, 2025", (2019, 8, 16)),
        ("Posted on June 29, 2020November 12, 2021", (2020, 6, 29)),
        ("Veröffentlicht am 03.02.2026, aktualisiert am 05.02.2026", (2026, 2, 3)),
        ("05.03.26", (2026, 3, 5)),
    ],
)
def test_a_stamp_with_two_dates_gives_the_first(line, date):
    """A stamp names the publication first, then the update; a two-digit year still counts."""
    assert parse_stamp(line) == datetime(*date, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Jun 08, 2023 • 11 Minute Read", (2023, 6, 8)),
        ("December 15, 2025 // 8 min read", (2025, 12, 15)),
        ("23.07.2025 · 6 min read", (2025, 7, 23)),
        ("12/19/2025 · 3 min read", (2025, 12, 19)),
        ("7 min read · Dec 3, 2024", (2024, 12, 3)),
        ("14. März 2026 | Lesezeit: 4 Min.", (2026, 3, 14)),
    ],
)
def test_a_reading_time_beside_the_date_is_no_part_of_it(line, date):
    """dateparser took a reading time's number for the day ("• 11 Minute Read": August 11)."""
    assert parse_stamp(line) == datetime(*date, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("by Jane Marlow | Mar 11, 2023 | Harbour News | 0 comments", (2023, 3, 11)),
        ("May 3, 2017 By Jane Marlow 4 Comments", (2017, 5, 3)),
        ("June 11, 2025 5 min", (2025, 6, 11)),
        ("December 17, 2025 • 8 minutes", (2025, 12, 17)),
        ("21.dez.2018 às 12h55", (2018, 12, 21)),
    ],
)
def test_a_count_after_the_date_is_no_part_of_it(line, date):
    """A stamp read to its end or its last number fails, or takes the count for the day
    ("5 min": November 5), when a count follows the date; read to its year it is right."""
    assert parse_stamp(line) == datetime(*date, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("ΔΗΜΟΣΙΕΥΣΗ: 07/12/2011, 07:07", (2011, 12, 7, 7, 7)),
        ("Опубликовано: 05/03/2026", (2026, 3, 5)),
    ],
)
def test_a_numeric_date_is_read_in_the_order_of_its_lines_script(line, date):
    """The label's script says the order of a slashed date the label's words do not name."""
    assert parse_stamp(line) == datetime(*date, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("By Jane Marlow", "Jane Marlow"),
        ("von Oliver Kring", "Oliver Kring"),
        ("بقلم أحمد علي", "أحمد علي"),
        ("Autor: Tom Muster", "Tom Muster"),
        ("5 min read", None),
        ("By Jo Roe - 5 min read", "Jo Roe"),
        ("by Karina Mertens | 19. Mai 2024", "Karina Mertens"),
        ("By Tom Ekwe • 20 Dec 2025", "Tom Ekwe"),
        ("By Priya Raman, Politics Correspondent", "Priya Raman"),
        ("Von Ole Jessen, Redaktion", "Ole Jessen"),
        ("By Marlow, Jane K.", "Marlow, Jane K."),
        ("By Tom Ekwe, Harbour Expert", "Tom Ekwe, Harbour Expert"),
        ("min read", None),
        ("Lesedauer", None),
        ("Redaktion", None),
    ],
)
def test_byline_gives_the_name_without_its_label(line, name):
    assert byline_name(line) == name


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("ByNina Okafor", "Nina Okafor"),
        ("作者张晓明", "张晓明"),
        ("Par: Lucie Brandt", "Lucie Brandt"),
        ("Byron Okafor", "Byron Okafor"),
        ("Paramita Sen", "Paramita Sen"),
        ("Denise Varga", "Denise Varga"),
        ("Natalie Huber", "Natalie Huber"),
        ("Vonda Keller", "Vonda Keller"),
        ("AVA LINDBERG", "AVA LINDBERG"),
    ],
)
def test_a_label_is_cut_only_where_it_ends_as_a_word(line, name):
    """ "By", "par", "de", "na" and "von" open many first names: the label is cut when a
    space, a mark or a capital after a small letter ends it, or in a script without spaces."""
    assert byline_name(line) == name


def test_a_line_longer_than_a_stamp_is_no_byline():
    """A byline is a short stamp line; a long cut line (a dump's menu run together, a whole
    paragraph) names nobody, and reading its fields took time growing with its square."""
    assert byline_name("By " + "Jane Marlow, " * 20_000) is None


def test_a_huge_author_field_keeps_its_names():
    """A page's author meta tag can hold anything; a huge one is read in one pass."""
    field = "Jane Marlow " * 60_000
    assert clean_author(field) == field.strip()


@pytest.mark.parametrize(
    ("field", "author"),
    [
        ("Author Jane Marlow", "Jane Marlow"),
        ("Autor: Tom Muster", "Tom Muster"),
        ("Jane Marlow December", "Jane Marlow"),
        ("Jane Marlow • March", "Jane Marlow"),
        ("Jane Marlow Last Updated August 1", "Jane Marlow"),
        ("Jane Marlow; Tom Ekwe; October", "Jane Marlow; Tom Ekwe"),
        ("Jane Marlow; Senior Editor", "Jane Marlow"),
        ("Jane Marlow; Politics Correspondent; Tom Ekwe", "Jane Marlow; Tom Ekwe"),
        ("Updated January", None),
        ("Dec", None),
        ("Written By", None),
        ("Theresa May", "Theresa May"),
        ("Von Trapp", "Von Trapp"),
        ("De Souza", "De Souza"),
        ("Karla Mertens", "Karla Mertens"),
        ("Jane Marlow; MS; RD", "Jane Marlow; MS; RD"),
        ("View all posts by Jane Marlow", "Jane Marlow"),
        ("Recipe by Jane Marlow", "Jane Marlow"),
        ("This post was written by Jane Marlow; Tom Ekwe", "Jane Marlow; Tom Ekwe"),
        ("Anne By Hansen", "Anne By Hansen"),  # a name's particle
        ("Tous les articles par Claire Vidal", "Claire Vidal"),
        ("Ver todas las entradas por Ana Ruiz", "Ana Ruiz"),
        ("Alle berichten door Pieter de Wit", "Pieter de Wit"),
        ("Ursula von der Leyen", "Ursula von der Leyen"),  # "von" leads to no name here
    ],
)
def test_a_pages_author_field_loses_its_bylines_label_and_date(field, author):
    """trafilatura keeps a byline's label and the month of its date (it drops the digits)
    when the byline's markup holds them, and the words leading to a name ("View all posts
    by"); a name that ends in a month word stays."""
    assert clean_author(field) == author


def _cuts(*lines: tuple[RemovalKind, str]) -> list[Removal]:
    return [Removal(kind, text, "") for kind, text in lines]


@pytest.mark.parametrize(
    ("label", "name"),
    [("Written by", "Jane Marlow"), ("By", "Tom Ekwe"), ("Autorin:", "Karla Mertens")],
)
def test_a_bare_byline_label_takes_the_name_on_the_next_cut_line(label, name):
    """A dump sets a byline's label and its linked name on lines of their own."""
    cuts = _cuts((RemovalKind.PAGE_CHROME, label), (RemovalKind.PAGE_CHROME, name))
    assert author_from(cuts) == name


def test_a_bare_byline_label_above_a_menu_line_gives_no_author():
    cuts = _cuts((RemovalKind.PAGE_CHROME, "By"), (RemovalKind.PAGE_CHROME, "Table of Contents"))
    assert author_from(cuts) is None


def test_bylines_of_a_menus_facets_give_no_author_but_a_byline_after_them_does():
    facets = [(RemovalKind.BYLINE, f"By {facet}") for facet in ("Role", "Industry", "Use Case")]
    assert author_from(_cuts(*facets)) is None
    assert (
        author_from(
            _cuts(
                *facets, (RemovalKind.PAGE_CHROME, "Home"), (RemovalKind.BYLINE, "By Jane Marlow")
            )
        )
        == "Jane Marlow"
    )


def test_the_byline_nearest_the_headline_names_the_author():
    """A lone facet of a site's menu ("By Region") far above the headline, and the bylines
    of teasers under the story, are not the story's byline: the one beside the headline is,
    above it or below."""
    menu = [
        (RemovalKind.BYLINE, "By Region"),
        *((RemovalKind.PAGE_CHROME, item) for item in ("Coast", "Uplands", "Islands")),
    ]
    own = (RemovalKind.BYLINE, "By Jane Marlow")
    teasers = [
        (RemovalKind.PAGE_CHROME, "More from the harbour"),
        (RemovalKind.BYLINE, "By Tom Ekwe"),
        (RemovalKind.PAGE_CHROME, "Ferry timetable changes"),
        (RemovalKind.BYLINE, "By Karla Mertens"),
    ]
    assert author_from(_cuts(*menu, HEADLINE, own, *teasers)) == "Jane Marlow"
    assert author_from(_cuts(*menu, own, HEADLINE, *teasers)) == "Jane Marlow"
    # without a headline cut, the first byline stands
    assert author_from(_cuts(own, *teasers)) == "Jane Marlow"


def test_two_bylines_naming_one_person_are_not_a_menu():
    """A dump may set the byline twice, once with the role: that is one person, not two
    facets of a menu."""
    cuts = _cuts(
        HEADLINE,
        (RemovalKind.BYLINE, "By Jane Marlow,"),
        (RemovalKind.BYLINE, "By Jane Marlow, Harbour Master"),
    )
    assert author_from(cuts) == "Jane Marlow"


def test_without_a_date_stamp_the_authors_byline_gives_the_date():
    """The byline that names the author is the story's own; a dated byline elsewhere may head
    a teaser of another story, so it gives no date."""
    teaser = (RemovalKind.BYLINE, "By Tom Ekwe | 2 March 2026")
    own = (RemovalKind.BYLINE, "By Jane Marlow | March 5, 2026")
    assert published_from(_cuts(own, (RemovalKind.PAGE_CHROME, "Home"), teaser)) == datetime(
        2026, 3, 5, tzinfo=UTC
    )
    stamp = (RemovalKind.DATE_STAMP, "Updated 6 March 2026")
    assert published_from(_cuts(own, stamp)) == datetime(2026, 3, 6, tzinfo=UTC)


HARBOUR_STORY = (
    "The harbour board approved new mooring fees on Tuesday, and fishermen asked it to get "
    "started on the slipway before the rise takes effect in the spring."
)


HEADLINE = (RemovalKind.TITLE, "Harbour board raises mooring fees")


@pytest.mark.parametrize(
    "line",
    [
        "Posted by Jane Marlow on March 5, 2026",
        "Jane MarlowPublished: Mar 5, 2026",
        "March 5, 2026/Harbour/Ferries",
        "Mar. 5, 2026 · Jane Marlow",
        "2026年3月5日 10:01 来源：海港日报",
    ],
)
@pytest.mark.parametrize("above", [False, True])
def test_a_dated_line_cut_by_the_headline_gives_the_date(line, above):
    """A dump's story header joins its date to other fields; no rule reads it as a stamp, and
    the page's chrome around it is cut as a whole."""
    menu = [(RemovalKind.PAGE_CHROME, item) for item in ("Home", "Ferries", "Weather")]
    dated = (RemovalKind.PAGE_CHROME, line)
    header = [dated, HEADLINE] if above else [HEADLINE, dated]
    found = published_from(_cuts(*menu, *header))
    assert found is not None and found.date() == datetime(2026, 3, 5).date()


def test_a_dated_line_away_from_the_headline_or_a_copyright_line_gives_no_date():
    """Teasers far below the headline and a copyright line's years are no story's date; a
    date stamp the rules read wins over a dated line."""
    far = [(RemovalKind.PAGE_CHROME, item) for item in ("Home", "Ferries", "Weather")]
    teaser = (RemovalKind.PAGE_CHROME, "Ferry timetable changes · Feb 2, 2026")
    assert published_from(_cuts(HEADLINE, *far, teaser)) is None
    assert published_from(_cuts(teaser, *far[:1], HEADLINE)) is None
    assert published_from(_cuts(HEADLINE, (RemovalKind.WIRE_TRAILER, "© 1997-2026"))) is None
    stamp = (RemovalKind.DATE_STAMP, "March 5, 2026")
    assert published_from(_cuts(HEADLINE, teaser, stamp)) == datetime(2026, 3, 5, tzinfo=UTC)


@pytest.mark.parametrize("stamp_first", [False, True])
def test_a_name_line_beside_the_date_stamp_under_the_headline_is_the_author(stamp_first):
    """A dump sets the author's linked name on its own line above or below the date."""
    lines = [(RemovalKind.PAGE_CHROME, "Jane Marlow"), (RemovalKind.DATE_STAMP, "March 5, 2026")]
    cuts = _cuts(HEADLINE, *(lines[::-1] if stamp_first else lines))
    assert author_from(cuts, HARBOUR_STORY) == "Jane Marlow"


@pytest.mark.parametrize(
    "line",
    [
        "Get Started",  # the story writes its words in lower case: a menu line
        "Most Viewed",  # a cut line of the page writes them in lower case
        "Political Correspondent",  # a byline label: a role, not a name
        "Marlow",  # one word
        "Share this article",
        "Privacy & Terms",  # a menu's entries joined by a mark
        "World / Business",
    ],
)
@pytest.mark.parametrize("beside_stamp", [True, False])
def test_a_line_beside_the_stamp_or_under_the_headline_that_is_no_name_gives_no_author(
    line, beside_stamp
):
    stamp = [(RemovalKind.DATE_STAMP, "March 5, 2026")] if beside_stamp else []
    footer = (RemovalKind.PAGE_CHROME, "Articles most viewed this week")
    cuts = _cuts(HEADLINE, (RemovalKind.PAGE_CHROME, line), *stamp, footer)
    assert author_from(cuts, HARBOUR_STORY) is None


def test_a_name_line_right_under_the_headline_is_the_author():
    """A dump without a date stamp beside the name sets it right under the headline."""
    name = (RemovalKind.PAGE_CHROME, "Jane Marlow")
    assert author_from(_cuts(HEADLINE, name), HARBOUR_STORY) == "Jane Marlow"
    assert author_from(_cuts(HEADLINE, name, (RemovalKind.DATE_STAMP, "Updated"))) == (
        "Jane Marlow"
    )


def test_a_name_line_away_from_the_story_stamp_and_the_headline_gives_no_author():
    name, home = (RemovalKind.PAGE_CHROME, "Jane Marlow"), (RemovalKind.PAGE_CHROME, "Home")
    stamp = (RemovalKind.DATE_STAMP, "March 5, 2026")
    assert author_from(_cuts(HEADLINE, home, name, home, stamp)) is None
    assert author_from(_cuts(name, home, HEADLINE)) is None
    # the date in the site's header, above the headline, stands beside a menu line
    assert author_from(_cuts((RemovalKind.PAGE_CHROME, "Sign Out"), stamp, HEADLINE)) is None


@pytest.mark.parametrize(
    "line",
    [
        "By Jane Marlow on March 5, 2026",
        "Jane Marlow • Mar 5, 2026",
        "Mar. 5, 2026 · Jane Marlow",
        "March 5th, 2026 By Jane Marlow",
        "By Jane MarlowUpdated: Mar 5, 2026",
        "Posted on March 5, 2026 by Jane Marlow",
        "March 5, 2026 · 4 min read · By Jane Marlow",
        "by Jane Marlow | Mar 5, 2026 | Harbour News | 0 comments",
    ],
)
def test_a_dated_line_by_the_headline_names_the_author_beside_its_date(line):
    """A dump's story header joins the author's name to the date; the first field, once the
    date is cut, or a byline after the date names the author."""
    cuts = _cuts(HEADLINE, (RemovalKind.PAGE_CHROME, line))
    assert author_from(cuts, HARBOUR_STORY) == "Jane Marlow"


@pytest.mark.parametrize(
    "line",
    [
        "On behalf of Marlow Legal LLC | Mar 5, 2026 | Harbour Law",  # a section after the date
        "March 5, 2026, 6:18 P.M. ET",  # a time's zone
        "Jane [05/03/26 11:01] #",  # one word: a comment's user name
        "Ferry timetable changes · Mar 5, 2026",  # a teaser
    ],
)
def test_a_dated_line_without_a_name_beside_its_date_names_no_author(line):
    cuts = _cuts(HEADLINE, (RemovalKind.PAGE_CHROME, line))
    assert author_from(cuts, HARBOUR_STORY) is None


def test_a_dated_line_away_from_the_headline_names_no_author():
    far = [(RemovalKind.PAGE_CHROME, item) for item in ("Home", "Ferries", "Weather")]
    dated = (RemovalKind.PAGE_CHROME, "By Jane Marlow on March 5, 2026")
    assert author_from(_cuts(HEADLINE, *far, dated), HARBOUR_STORY) is None


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("Written by Jane Marlow", "Jane Marlow"),
        ("ByJane Marlow", "Jane Marlow"),
        ("By Jane Marlow with Tom Ekwe", "Jane Marlow with Tom Ekwe"),
        ("Posted by Jane Marlow on Tuesday, March 3, 2026", "Jane Marlow"),
        ("By ops@harbour-ledger.example", None),  # no one's name
        ("Published by our newsroom team", None),
    ],
)
def test_a_byline_of_the_story_header_cut_as_other_chrome_names_the_author(line, author):
    """A dump's header is cut as a whole, so a byline the phrase rules do not read as one
    is cut as page chrome; beside the headline it still names the author."""
    dek = (RemovalKind.PAGE_CHROME, "Moorings will cost a third more from April.")
    assert author_from(_cuts(HEADLINE, dek, (RemovalKind.PAGE_CHROME, line)), HARBOUR_STORY) == (
        author
    )


def test_a_byline_cut_as_other_chrome_away_from_the_headline_names_no_author():
    far = [(RemovalKind.PAGE_CHROME, item) for item in ("Home", "Ferries", "Weather")]
    byline = (RemovalKind.PAGE_CHROME, "Written by Jane Marlow")
    assert author_from(_cuts(HEADLINE, *far, byline), HARBOUR_STORY) is None


def _ingest_dump(tmp_path: Path, site: str, lines: list[str]) -> dict:
    """The article the real pipeline makes of a text dump of `lines` in folder `site`."""
    raw = tmp_path / "raw" / site
    raw.mkdir(parents=True)
    (raw / "story.txt").write_text("\n".join(lines), encoding="utf-8")
    run_pipeline(Options(raw_dir=tmp_path / "raw", out_dir=tmp_path / "out", write_report=False))
    [article] = pq.read_table(tmp_path / "out" / "articles").to_pylist()
    return article


def test_a_dump_gets_published_author_and_the_sites_host(tmp_path: Path):
    story = [
        "أعلنت بلدية رأس المرجان صباح الأحد بدء أعمال توسعة ميناء الصيد الرئيسي في المدينة، في "
        "مشروع تبلغ كلفته نحو 45 مليون دينار ويستغرق تنفيذه قرابة عامين.",
        "وقال رئيس البلدية في مؤتمر صحفي إن التوسعة ستضيف مئة وعشرين مرسى جديدا للقوارب الصغيرة، "
        "إلى جانب سوق مغطاة لبيع السمك ومخازن مبردة.",
        "ورحبت جمعية الصيادين بالمشروع، لكنها طالبت بإشراكها في توزيع المراسي الجديدة وبأن تكون "
        "الأولوية لأصحاب القوارب التقليدية.",
    ]
    dump = [
        "بدء أعمال توسعة ميناء الصيد في رأس المرجان",
        "الأحد ١٥ مارس ٢٠٢٦ - ١٠:٣٠",
        "بقلم سعاد المنصوري",
        *story,
        "جميع الحقوق محفوظة © 2026 الساحل نيوز",
        "www.alsahil-news.example",
    ]
    article = _ingest_dump(tmp_path, "sahil", dump)
    assert article["text"].split("\n\n") == story
    assert article["title"] == dump[0]
    assert article["published"] == datetime(2026, 3, 15, 10, 30, tzinfo=UTC)
    assert article["author"] == "سعاد المنصوري"
    assert article["site"] == "alsahil-news.example"


HARBOUR_PARAGRAPHS = [
    "The harbour board of Port Wenlow approved new mooring fees on Tuesday evening after a "
    "long debate, raising the yearly charge for small boats by about a tenth.",
    "Fishermen had asked the board to delay the rise until the new slipway opens next "
    "spring, but the chair said the repairs to the breakwater could not wait.",
    "The new fees take effect in April, and owners who pay before the end of March keep "
    "this year's rate for one more season, the board said.",
]


@pytest.mark.parametrize(
    "byline",
    [
        # the byline's label and its linked name on two lines, a phone line before the date
        ["Written by", "Jane Marlow", "Call us: 800-970-7516"],
        # the linked name alone, right above the date
        ["Jane Marlow"],
    ],
    ids=["label-and-name", "name-above-date"],
)
def test_a_dump_with_the_authors_name_on_a_line_of_its_own_gets_the_author(
    tmp_path: Path, byline: list[str]
):
    dump = [
        "Home",
        "News",
        "Harbour board raises mooring fees in Port Wenlow",
        *byline,
        "March 5, 2026",
        *HARBOUR_PARAGRAPHS,
        "Share this article",
        "© 2026 Harbour Times",
    ]
    article = _ingest_dump(tmp_path, "harbour-times", dump)
    assert article["text"].split("\n\n") == HARBOUR_PARAGRAPHS
    assert article["author"] == "Jane Marlow"
    assert article["published"] == datetime(2026, 3, 5, tzinfo=UTC)


def test_a_stamp_reads_the_same_in_every_process():
    """Date words several languages share ("Feb") used to pick dateparser's languages in the
    order of a set of strings, which Python's hash seed changes from process to process."""
    script = (
        "from ingest.boilerplate.fields import parse_stamp\n"
        "for line in ['Feb 12th 2026', 'September 1st, 2023 By Emily Norwood']:\n"
        "    print(parse_stamp(line))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(1, 5)
    }
    assert outputs == {"2026-02-12 00:00:00+00:00\n2023-09-01 00:00:00+00:00\n"}
