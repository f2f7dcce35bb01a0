"""Titles: the visible headline a metadata title confirms; site names cut from the ends."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from fakenews import FERRY_STORY_HTML

from ingest.boilerplate import clean_document
from ingest.boilerplate.site_lines import SiteLineModel, count_title_parts
from ingest.extract import extract_html
from ingest.extract.title import choose_title, strip_site_affixes
from ingest.options import Options
from ingest.pipeline import run_pipeline
from ingest.stages import site_title

STORY = FERRY_STORY_HTML


def page(*, title: str, og_title: str | None, h1: str | None, site: str | None) -> str:
    meta = f'<meta property="og:title" content="{og_title}">' if og_title else ""
    meta += f'<meta property="og:site_name" content="{site}">' if site else ""
    heading = f"<h1>{h1}</h1>" if h1 else ""
    return (
        f"<html><head><title>{title}</title>{meta}</head><body><header><a href='/'>Home</a>"
        f"</header><article>{heading}{STORY}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("title", "site", "host", "expected"),
    [
        ("Ferry adds evening crossings | Harbour Ledger", "Harbour Ledger", None, None),
        ("Ferry adds evening crossings - WELT", None, "www.welt.de", None),
        ("Ferry adds evening crossings – DW – 13.06.2023", None, "www.dw.com", None),
        ("Ferry adds evening crossings | Börsen-Zeitung", None, "boersen-zeitung.de", None),
        ("Seznam Zprávy - Ferry adds evening crossings", "Seznam Zprávy", None, None),
        ("محطة جديدة لتحلية المياه | الساحل نيوز", "الساحل نيوز", None, "محطة جديدة لتحلية المياه"),
        ("Ferry adds evening crossings - Die Neue Hafenzeitung", None, "hafenzeitung.it", None),
        ("Ferry adds evening crossings » Local » News » Ultima Hora", None, "ultimahora.es", None),
        ("Ferry adds evening crossings: what changes", "Harbour Ledger", None, "="),
        ("Harbour Ledger", "Harbour Ledger", None, "="),
        ("Ferry adds evening crossings · Harbour Ledger", "Harbour Ledger", None, None),
        ("항구 페리 운항 시작··· 주민 환영", "항구일보", None, "="),
        ("항구 페리 운항 시작ㅣ항구일보", "항구일보", None, "항구 페리 운항 시작"),
        ("harbourledger.com -- Ferry adds evening crossings", None, "harbourledger.com", None),
        (
            "HARBOUR.NEWS.EXAMPLE :: Ferry adds evening crossings",
            None,
            "harbour.news.example",
            None,
        ),
        ("Ferry adds evening crossings_English_Ledger", "Ledger", None, None),
        ("港口渡轮开通_港湾日报", "港湾日报", None, "港口渡轮开通"),
        ("HPL: Ferry adds evening crossings", None, "breaking.hpl.ie", None),
        ("Ferryline Timetables: evening crossings", None, "ferryline.example", "="),
        ("Ferry adds evening crossings «at last»", "Harbour Ledger", None, "="),
        ("Ferry update: evening crossings added", "Harbour Ledger", None, "="),
    ],
)
def test_site_affixes_cut_and_the_rest_left_alone(title, site, host, expected):
    want = title if expected == "=" else expected or "Ferry adds evening crossings"
    assert strip_site_affixes(title, site_name=site, host=host) == want


def test_visible_headline_wins_when_a_metadata_title_confirms_it():
    chosen = choose_title(
        "Ferry adds evening crossings - Harbour Ledger",
        ["Ferry adds two evening crossings for summer"],
        ["Ferry adds two evening crossings for summer | Harbour Ledger"],
        site_name=None,
        host="harbourledger.example",
    )
    assert chosen == "Ferry adds two evening crossings for summer"


def test_seo_title_with_the_same_words_gives_way_to_the_headline():
    chosen = choose_title(
        "Lindqvist: ferry adds evening crossings after years",
        ["Ferry adds evening crossings after years, Lindqvist says"],
        [],
        site_name=None,
        host=None,
    )
    assert chosen == "Ferry adds evening crossings after years, Lindqvist says"


def test_headline_two_sources_state_outvotes_a_reworded_og_title():
    chosen = choose_title(
        None,
        ["Evening ferries: crews win their fight"],
        ["Ferry adds evening crossings", "Evening ferries: crews win their fight | Ledger"],
        site_name="Ledger",
        host=None,
    )
    assert chosen == "Evening ferries: crews win their fight"


def test_json_ld_headline_breaks_a_tie_between_differing_titles():
    chosen = choose_title(
        None,
        [],
        ["Harbour board backs evening ferries", "Ferry adds evening crossings | Ledger"],
        site_name="Ledger",
        host=None,
    )
    assert chosen == "Harbour board backs evening ferries"


def test_og_title_wins_when_the_other_sources_agree_with_it():
    chosen = choose_title(
        None,
        ["Evening ferries: crews win their fight"],
        [
            "Ferry adds evening crossings",
            "Ferry adds evening crossings",
            "Ferry adds evening crossings | Ledger",
        ],
        site_name="Ledger",
        host=None,
    )
    assert chosen == "Ferry adds evening crossings"


def ld_page(json_ld: str, *, h1: str, og_title: str) -> str:
    return (
        f'<html><head><title>{og_title} | Ledger</title><meta property="og:title" '
        f'content="{og_title}"><script type="application/ld+json">{json_ld}</script></head>'
        f"<body><article><h1>{h1}</h1>{STORY}</article></body></html>"
    )


def test_json_ld_article_headline_sides_with_the_visible_headline():
    json_ld = (
        '{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "headline": "x"},'
        ' {"@type": ["NewsArticle"], "headline": "Crews win their &quot;fight&quot;"}]}'
    )
    html = ld_page(json_ld, h1='Crews win their "fight"', og_title="Ferry adds crossings")
    assert extract_html(html).title == 'Crews win their "fight"'


def test_json_ld_of_other_types_or_broken_is_no_title_source():
    json_ld = '{"@type": "Organization", "headline": "Crews win their fight"'  # unclosed
    html = ld_page(json_ld, h1="Crews win their fight", og_title="Ferry adds crossings")
    assert extract_html(html).title == "Ferry adds crossings"


def test_blog_name_in_the_h1_is_learnt_from_the_titles_around_it():
    chosen = choose_title(
        None,
        ["Harbour Notes", "Small ferries, big crossings"],
        ["Ferry adds evening crossings", "Harbour Notes: Ferry adds evening crossings"],
        site_name=None,
        host="blog.example",
    )
    assert chosen == "Ferry adds evening crossings"


def test_site_name_cut_from_a_title_is_no_headline_where_an_h1_states_it():
    chosen = choose_title(
        None,
        ["Harbour Ledger Blog", "Evening crossings at last"],
        ["Ferry adds evening crossings", "Harbour Ledger Blog: Ferry adds evening crossings"],
        site_name=None,
        host="blog.harbourledger.example",
    )
    assert chosen == "Ferry adds evening crossings"


def test_h1_that_a_title_opens_with_is_still_the_headline():
    chosen = choose_title(
        None,
        ["Ferry adds evening crossings"],
        ["Ferry adds evening crossings – Harbour Notes – news from the quay"],
        site_name=None,
        host="blog.example",
    )
    assert chosen == "Ferry adds evening crossings"


def test_unconfirmed_h1_such_as_a_logo_or_section_is_not_the_title():
    chosen = choose_title(
        "Ferry adds evening crossings | Harbour Ledger",
        ["Harbour Ledger", "Local news"],
        [],
        site_name="Harbour Ledger",
        host=None,
    )
    assert chosen == "Ferry adds evening crossings"


def test_page_title_is_the_headline_without_the_site_name():
    html = page(
        title="Ferry adds evening crossings | Harbour Ledger",
        og_title="Ferry adds evening crossings | Harbour Ledger",
        h1="Ferry adds evening crossings",
        site="Harbour Ledger",
    )
    extracted = extract_html(html, url="https://harbourledger.example/a")
    assert extracted.title == "Ferry adds evening crossings"
    assert "Ferry adds evening crossings" not in extracted.text


def test_hebrew_site_suffix_is_cut_through_the_headline():
    html = page(
        title="הנמל ייפתח בחודש הבא - וואלה! חדשות",
        og_title=None,
        h1="הנמל ייפתח בחודש הבא",
        site=None,
    )
    assert extract_html(html).title == "הנמל ייפתח בחודש הבא"


DUMPS = {
    "ar": (
        ["الرئيسية | محليات | اقتصاد | رياضة", "توسعة ميناء الصيد تبدأ في رأس المرجان"],
        ["الأحد 15 مارس 2026 - 10:45", "الساحل نيوز - محليات", "سعاد المنصوري"],
        [
            "أعلنت بلدية رأس المرجان صباح الأحد بدء أعمال توسعة ميناء الصيد الرئيسي في المدينة، "
            "في مشروع يستغرق تنفيذه قرابة عامين.",
            "وقال رئيس البلدية إن التوسعة ستضيف مئة وعشرين مرسى جديدا للقوارب الصغيرة إلى جانب "
            "سوق مغطاة لبيع السمك.",
        ],
    ),
    "de": (
        ["Startseite | Region | Sport", "Neue Fährverbindung nach Hallig Süderoog"],
        ["Stand: 15.03.2026 10:45 Uhr", "Region Nord", "Mara Lindqvist"],
        [
            "Die Reederei hat am Dienstag eine neue Fährverbindung zur Hallig Süderoog eröffnet, "
            "die zweimal am Tag fahren soll.",
            "Der Bürgermeister sagte, die Verbindung sei für die Bewohner der Hallig ein großer "
            "Gewinn und sichere die Versorgung.",
        ],
    ),
    "ja": (
        ["トップ | 社会 | 経済", "北浜港で新しいフェリーの運航始まる"],
        ["2026年3月15日 10:45", "東京湾タイムズ 社会部"],
        [
            "北浜港で火曜日、新しいフェリーの運航が始まり、朝から多くの市民が桟橋に集まって"
            "出航を見送った。",
            "フェリーは一日八往復し、対岸の島まで二十分で結ぶ。料金は片道三百円で、通学する"
            "生徒には割引がある。",
        ],
    ),
}


@pytest.mark.parametrize("lang", sorted(DUMPS))
def test_dump_headline_found_among_bylines_and_section_lines(lang):
    top, stamps, story = DUMPS[lang]
    dump = "\n".join([*top, *stamps, *story, "© 2026"])
    result = clean_document(dump, from_html=False)
    assert result.title == top[1]
    assert result.text.split("\n\n") == story
    kinds = [r.kind for r in result.removed if r.text == top[1]]
    assert kinds == ["title"]  # in title, and not also recorded as chrome


FERRY_STORY = [
    "The harbour board of Port Alden approved a new evening timetable for the island ferry "
    "on Tuesday, adding two crossings for the summer season.",
    "Captain Mara Lindqvist said the crew had asked for the evening crossings for years, since "
    "the last ferry left before the night shift at the cannery ended.",
]
MENU = ["Home", "News", "Sport", "Weather", "Contact us", "Privacy policy"]


@pytest.mark.parametrize(
    ("first", "second", "want"),
    [
        # a standfirst repeats the story's words more than the headline above it
        (
            "Island ferry gets two evening crossings",
            "Harbour board approves two evening crossings for the island ferry this summer",
            "first",
        ),
        # a breadcrumb that ends with the headline is not the headline
        (
            "Home / News / Harbour board approves evening crossings for the island ferry",
            "Harbour board approves evening crossings for the island ferry",
            "second",
        ),
        # a short kicker above the headline is not the headline
        ("Port Alden ferry", "Harbour board approves evening crossings for the ferry", "second"),
    ],
)
def test_dump_headline_is_the_line_above_its_standfirst(first, second, want):
    lines = [*MENU, first, second, "By Jon Halvorsen", "12 March 2026", *FERRY_STORY]
    result = clean_document("\n".join([*lines, "© 2026 Port Alden Post"]), from_html=False)
    assert result.title == (first if want == "first" else second)
    assert result.text.split("\n\n") == FERRY_STORY


CAPTION = "The island ferry of Port Alden leaves for its new evening crossings in summer"


@pytest.mark.parametrize(
    ("repeated", "title"),
    [
        # the title bar and the h1 state the headline twice; the caption shares more words
        ("Port Alden votes for a later ferry", "Port Alden votes for a later ferry"),
        # a repeated line of chrome is no headline: the words shared with the story decide
        ("Sign in to save this story for later", CAPTION),
    ],
)
def test_dump_headline_stated_twice_above_the_story(repeated, title):
    lines = [*MENU, repeated, "Weather", repeated, "By Jon Halvorsen", CAPTION]
    dump = "\n".join([*lines, *FERRY_STORY, "© 2026 Port Alden Post"])
    assert clean_document(dump, from_html=False).title == title


@pytest.mark.parametrize("above", [["Quay storm: islanders cheer vote"], []])
def test_dump_headline_above_a_byline_is_not_hidden_by_it(above):
    lines = [*MENU, *above, "Jon Halvorsen", *FERRY_STORY, "© 2026 Port Alden Post"]
    result = clean_document("\n".join(lines), from_html=False)
    assert result.title == (above[0] if above else None)  # never the byline
    assert result.text.split("\n\n") == FERRY_STORY


@pytest.mark.parametrize("between", [["142 Views"], ["Jon Halvorsen", "- 12 comments"], []])
def test_dump_headline_is_the_longest_line_close_above_the_story(between):
    headline = "Quay storm: islanders cheer vote"
    lines = [*MENU, headline, "12 March 2026", *between, *FERRY_STORY, "© 2026 Port Alden Post"]
    result = clean_document("\n".join(lines), from_html=False)
    assert result.title == headline
    assert result.text.split("\n\n") == FERRY_STORY


@pytest.mark.parametrize(
    ("kicker", "site", "expected"),
    [
        ("Port Alden", None, "Port Alden: Night ferry returns after a decade"),
        ("Harbour Notes", "Harbour Notes", "Night ferry returns after a decade"),
    ],
)
def test_kicker_before_a_colon_stays_but_a_site_name_goes(kicker, site, expected):
    chosen = choose_title(
        None,
        ["Night ferry returns after a decade"],
        [f"{kicker}: Night ferry returns after a decade"] * 2,
        site_name=site,
        host=None,
    )
    assert chosen == expected


@pytest.mark.parametrize("separator", [" > ", " › ", " » ", "/", " | "])
def test_dump_headline_is_the_line_a_breadcrumb_trail_ends_with(separator):
    headline = "Ferry adds two evening crossings"
    trail = separator.join(["Home", "Island news", headline])
    dump = "\n".join([*MENU, headline, "By Mara Lindqvist", trail, *FERRY_STORY])
    result = clean_document(dump, from_html=False)
    assert result.title == headline
    assert result.text.split("\n\n") == FERRY_STORY


@pytest.mark.parametrize(
    "between",
    [
        "News » Port Alden » Harbour board approves new evening timetable for island ferry",
        "News > Port Alden > Harbour board approves new evening timetable for island ferry",
        "12.03.2026 14:05 Harbour board approves new evening timetable for island ferry",
    ],
)
def test_dump_headline_is_no_breadcrumb_trail_nor_stamped_line(between):
    headline = "Evening crossings return to Port Alden"
    dump = "\n".join([*MENU, headline, "By Mara Lindqvist", between, *FERRY_STORY])
    assert clean_document(dump, from_html=False).title == headline


def test_folder_of_a_page_without_url_names_its_site_in_the_title(tmp_path):
    folder = tmp_path / "raw" / "harbourledger.example"
    folder.mkdir(parents=True)
    html = page(
        title="Ferry adds evening crossings | Harbour Ledger", og_title=None, h1=None, site=None
    )
    (folder / "ferry.html").write_text(html, encoding="utf-8")
    run_pipeline(Options(raw_dir=tmp_path / "raw", out_dir=tmp_path / "out", write_report=False))
    titles = pq.read_table(tmp_path / "out" / "articles", columns=["title"])["title"].to_pylist()
    assert titles == ["Ferry adds evening crossings"]


def test_site_title_cuts_repeated_parts_and_the_host_name_in_one_place():
    titles = [f"{h} - Island life - Courier" for h in ("Ferry adds crossings", "Keeper retires")]
    counts = count_title_parts(("courier.example", t) for t in [*titles, "Market moves - Courier"])
    model = SiteLineModel.from_counts([counts], min_docs=2)
    title = "Harbour Ledger: Fish market moves - Island life - Courier"
    assert site_title(title, "courier.example", model) == "Harbour Ledger: Fish market moves"
    assert site_title("Fish market moves | Harbour Ledger", "harbourledger.example", None) == (
        "Fish market moves"
    )
    assert site_title(None, "courier.example", model) is None


#: A header's full menu: more lines than a dump's headline is looked for close above its story.
LONG_MENU = [f"{section} news" for section in ("Island", "Harbour", "Quay", "Cannery")] * 10


@pytest.mark.parametrize("headline", ["Ferry adds two evening crossings for the summer", None])
def test_dump_headline_set_above_the_menus_is_found_by_its_words(headline):
    """The headline sharing the story's words stands above 40 menu lines; a share prompt close
    above the story shares none. Without such a headline, the close line is taken as before."""
    top = [headline] if headline else []
    lines = [*top, *LONG_MENU, "Share this item on Facebook", *FERRY_STORY, "© 2026 Port Ledger"]
    result = clean_document("\n".join(lines), from_html=False)
    assert result.title == (headline or "Share this item on Facebook")
    assert result.text.split("\n\n") == FERRY_STORY


@pytest.mark.parametrize(
    "first", ["Harbour desk. Filed Fri, 2026-03-12 14:20", "Ledger staff 12.03.2026 14:20"]
)
def test_dump_opening_with_a_stamped_line_has_no_such_title(first):
    """A dump whose site's repeated lines were cut may open with its dateline; a line with a
    date or time in digits is no headline, there as anywhere above the story."""
    result = clean_document("\n".join([first, *FERRY_STORY]), from_html=False)
    assert result.title is None
    assert result.text.split("\n\n") == FERRY_STORY
