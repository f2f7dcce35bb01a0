"""The page metadata extraction reads is trafilatura's extract_metadata's, field for field.

Pages are fictional and cover each branch: meta tags and JSON-LD, a byline found only by XPath
(the search `page_author` runs on the page's own tree), a title only in <h1>, a site name from
the title bar, a Twitter handle or lower case, entities, broken JSON-LD, a relative canonical
link and a date only in the text.

Two departures are meant and tested apart: the element that states a byline's role is not
read into the name, and a byline that opens with its date gives the name inside it.
"""

from __future__ import annotations

import pytest
from trafilatura.metadata import extract_metadata
from trafilatura.settings import Extractor

from ingest.extract import extract_html
from ingest.extract.metadata import page_author, page_metadata
from ingest.extract.names import page_names
from ingest.extract.tree import load_page

STORY = (
    "<p>Die Fähre nach Amrum bleibt wegen eines Schadens am Ruder bis Donnerstag im Hafen, "
    "teilte die Reederei am Dienstagmorgen mit.</p>"
    "<p>Ein kleineres Ersatzschiff nimmt nur Fußgänger mit; Pendler sollen früher am Anleger "
    "sein, damit alle einen Platz bekommen.</p>"
)

PAGES = {
    "meta and json-ld": f"""<html><head><title>Fähre fällt aus | Nordsee-Bote</title>
<meta name="author" content="Hanne Petersen">
<meta property="og:site_name" content="Nordsee-Bote &amp; Partner">
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Fähre fällt aus",
"datePublished": "2026-03-03T07:10:00+01:00", "author": {{"name": "Hanne Petersen"}}}}</script>
</head><body><article>{STORY}</article></body></html>""",
    "byline only": f"""<html><head><title>Fähre fällt aus</title></head><body>
<article><h1>Fähre fällt aus</h1><p class="byline">Von Jens Carstensen</p>
<time datetime="2026-03-03">3. März 2026</time>{STORY}
<div class="comments"><span class="author">Leser42</span> Schade!</div></article>
</body></html>""",
    "title in h1 only": f"""<html><head></head><body><div class="author-name">Ole Jessen</div>
<h1>Ersatzschiff für Amrum</h1>{STORY}<p>Stand: 03.03.2026</p></body></html>""",
    "site from title bar": f"""<html><head><title>Ersatzschiff | nordsee-bote.example</title>
<link rel="canonical" href="/region/faehre"><meta property="og:url"
content="https://nordsee-bote.example/start"></head><body>{STORY}</body></html>""",
    "twitter handle": f"""<html><head><title>Ersatzschiff</title>
<meta name="twitter:site" content="@nordseebote"></head><body>{STORY}</body></html>""",
    "lower-case site": f"""<html><head><title>Ersatzschiff</title>
<meta property="og:site_name" content="nordsee-bote"></head><body>{STORY}</body></html>""",
    "broken json-ld": f"""<html><head><title>Ersatzschiff</title>
<script type="application/ld+json">{{"@type": "NewsArticle", "author": "Hanne Petersen",
"headline": "Ersatzschiff</script></head><body>{STORY}</body></html>""",
    "nothing stated": f"<html><body>{STORY}</body></html>",
}

READ_FIELDS = ("title", "author", "url", "date", "sitename")


def _fields(doc) -> dict:
    return {key: getattr(doc, key) for key in READ_FIELDS}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("url", [None, "https://nordsee-bote.example/feed/42"])
def test_fields_are_extract_metadatas(name: str, url: str | None) -> None:
    settings = Extractor(with_metadata=True)
    theirs = extract_metadata(
        load_page(PAGES[name]), url, settings.date_params, settings.fast, set()
    )
    tree = load_page(PAGES[name])
    ours = page_metadata(tree, url)
    if not ours.author:
        ours.author = page_author(tree, page_names(tree))
    assert _fields(ours) == _fields(theirs)


def test_the_byline_search_runs_after_the_body_is_read() -> None:
    """page_author prunes time, figure and comment elements from the tree it is given: run
    before the body pass, it would take the date line and the quote out of the story."""
    page = PAGES["byline only"].replace(
        "</article>",
        '<div class="quote">„Wir bitten um Verständnis“, sagte der Kapitän der Seeschwalbe '
        "am Anleger in Wittdün.</div></article>",
    )
    extraction = extract_html(page)
    assert extraction.author == "Jens Carstensen"
    assert "Verständnis" in extraction.text
    assert "Fußgänger" in extraction.text


def _byline_page(byline: str) -> str:
    return f"""<html><head><title>Fähre fällt aus</title></head><body><article>
<h1>Fähre fällt aus</h1>{byline}{STORY}</article></body></html>"""


@pytest.mark.parametrize(
    "role",
    [
        '<p class="styles_jobTitle__x1">Leitender Redakteur</p>',
        '<span class="byline-role">Reporterin Küste</span>',
        '<span class="article__author__position">Gründerin</span>',
        '<span class="author-job-title">Senior Correspondent</span>',
        '<span class="designation">Volontär</span>',
    ],
)
def test_a_bylines_role_is_not_part_of_the_name(role: str) -> None:
    """Templates set the person's role in its own element beside the name; the byline's text
    would glue it on ("Hanne Petersen Leitender Redakteur")."""
    page = _byline_page(
        f'<div class="article-author">Von <a href="/autor/hp">Hanne Petersen</a> {role}</div>'
    )
    assert extract_html(page).author == "Hanne Petersen"


@pytest.mark.parametrize(
    "byline",
    [
        '<h4 class="author-title">Hanne Petersen</h4>',
        '<div class="post__title__author-date">Hanne Petersen</div>',
        '<div class="author-box no-job-title"><span>Hanne Petersen</span></div>',
    ],
)
def test_a_name_in_an_element_that_is_no_role_stays(byline: str) -> None:
    """ "author-title" names the author, a container holding the byline only mentions the
    words, and "no-job-title" states that there is none: the name stays."""
    assert extract_html(_byline_page(byline)).author == "Hanne Petersen"


def test_a_byline_that_opens_with_its_date_gives_the_name_inside_it():
    """trafilatura normalises a byline by cutting it at its first digit, so "3 March 2026 by
    Hanne Petersen" gave no author; the element holding the name alone comes next."""
    page = _byline_page(
        '<div class="post-author">3 March 2026 by <span class="author-link">Hanne Petersen'
        "</span></div>"
    )
    assert extract_html(page).author == "Hanne Petersen"
