"""extract_html on pages written for these tests: the lead put back, link chrome cut.

Every page is fictional. Each has a headline (h1), sometimes a lead block named like a lead by
its class, a story of a few paragraphs, and chrome around it.
"""

from __future__ import annotations

import pytest
from lxml import etree
from trafilatura.utils import load_html

from ingest.extract import extract_html
from ingest.extract.boxes import Boxes, cut_boxes, find_boxes
from ingest.extract.lead import drop_headline, story_lead, story_start, trim_link_chrome
from ingest.extract.names import named_elements, page_names, visible_text_length
from ingest.extract.prune import prune_hidden_microdata, prune_named_chrome
from ingest.extract.split import split_story


def page(
    title: str,
    story: list[str],
    *,
    lang: str = "en",
    before: str = "",
    inside: str = "",
    after: str = "",
    aside: str = "",
) -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in story)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<main><article>
<h1>{title}</h1>
{before}
<div class="article-body">
{paragraphs}
{inside}
</div>
{after}
</article>
<aside>{aside}</aside>
</main>
<footer><p>Footer text of the fictional site.</p></footer>
</body></html>"""


STORY_DE = [
    "Der Gemeinderat von Unterwaldach hat am Montagabend nach langer Debatte den Bau einer "
    "neuen Grundschule am nördlichen Stadtrand beschlossen, wie die Verwaltung mitteilte.",
    "Die Arbeiten sollen im kommenden Frühjahr beginnen und rund zwei Jahre dauern. Die Kosten "
    "schätzt das Bauamt auf knapp achtzehn Millionen Euro, die Hälfte trägt das Land.",
    "Eltern hatten seit Jahren über überfüllte Klassenzimmer, fehlende Fachräume und lange "
    "Schulwege geklagt. Die Elternvertretung begrüßte den Beschluss ausdrücklich.",
    "Bürgermeisterin Helga Sternreuter sprach von einem wichtigen Tag für die Gemeinde und "
    "kündigte eine Bürgerversammlung zu den Plänen im Januar an.",
]
LEAD_DE = (
    "Nach jahrelangem Streit bekommt Unterwaldach eine zweite Grundschule. Der Rat stimmte mit "
    "großer Mehrheit für den Neubau am Stadtrand."
)
STORY_ES = [
    "El ayuntamiento de Villaserena aprobó el jueves por la tarde un plan para plantar dos mil "
    "árboles en los barrios del sur antes del próximo verano, según informó el consistorio.",
    "Los vecinos podrán elegir las especies en una consulta abierta durante todo el mes de "
    "marzo, y las primeras plantaciones empezarán en abril en el parque de la estación.",
    "La concejala de Medio Ambiente, Lucía Herrero Bastida, explicó que la sombra de los "
    "árboles reducirá varios grados el calor en las calles más expuestas del municipio.",
]
LEAD_ES = (
    "Villaserena plantará dos mil árboles en los barrios del sur. Los vecinos elegirán las "
    "especies en una consulta abierta."
)
STORY_FR = [
    "La commune de Saint-Aubel a inauguré samedi matin une passerelle piétonne au-dessus de la "
    "rivière, après trois longues années de travaux et plusieurs retards de chantier.",
    "L'ouvrage en bois de mélèze relie désormais le marché couvert au nouveau quartier de la "
    "gare, où vivent près de deux mille habitants arrivés ces dernières années.",
    "Le maire a rappelé que le projet avait été financé en partie par la région et par une "
    "souscription ouverte aux habitants, qui ont réuni plus de cent mille euros.",
]


def test_lead_between_headline_and_body_is_put_back_first() -> None:
    html = page(
        "Unterwaldach bekommt eine neue Grundschule",
        STORY_DE,
        lang="de",
        before=f'<p class="byline">Von Karla Mertens</p><p class="article-intro">{LEAD_DE}</p>',
    )
    text = extract_html(html).text
    assert text.startswith(LEAD_DE)
    assert text.count(LEAD_DE) == 1
    assert all(paragraph in text for paragraph in STORY_DE)
    assert "Karla Mertens" not in text.split("\n\n")[0]


def test_lead_named_in_another_language_template_is_put_back() -> None:
    html = page(
        "Villaserena plantará dos mil árboles",
        STORY_ES,
        lang="es",
        before=f'<h2 class="entradilla">{LEAD_ES}</h2>',
    )
    assert extract_html(html).text.startswith(LEAD_ES)


def test_teaser_elsewhere_on_the_page_is_not_a_lead() -> None:
    other_story = (
        "Im Nachbarort Oberwaldach streiten die Vereine weiter über die Nutzung der "
        "Sporthalle, eine Einigung ist nicht in Sicht."
    )
    html = page(
        "Unterwaldach bekommt eine neue Grundschule",
        STORY_DE,
        lang="de",
        aside=f'<div class="teaser"><p class="teaser-text">{other_story}</p></div>',
    )
    assert "Oberwaldach" not in extract_html(html).text


def test_caption_near_the_headline_is_not_a_lead() -> None:
    caption = (
        "Die neue Schule soll auf dieser Wiese am Stadtrand entstehen, hier bei einem Ortstermin "
        "im Herbst mit Vertretern des Rates."
    )
    html = page(
        "Unterwaldach bekommt eine neue Grundschule",
        STORY_DE,
        lang="de",
        before=f'<div class="lead-image-caption">{caption}</div>',
    )
    assert "Wiese am Stadtrand" not in extract_html(html).text


def test_script_inside_the_lead_block_stays_out() -> None:
    tree = load_html(
        "<html><body><h1>Neue Schule für Unterwaldach</h1>"
        f'<div class="intro"><script>var tracking = "{"x" * 80}";</script>{LEAD_DE}</div>'
        f"<p>{STORY_DE[0]}</p></body></html>"
    )
    assert story_lead(tree, "Neue Schule für Unterwaldach", STORY_DE[0]) == LEAD_DE


def test_no_lead_without_a_headline_that_matches_the_title() -> None:
    tree = load_html(
        f'<html><body><h1>Sportnachrichten</h1><p class="lead">{LEAD_DE}</p>'
        f"<p>{STORY_DE[0]}</p></body></html>"
    )
    assert story_lead(tree, "Unterwaldach bekommt eine neue Grundschule", STORY_DE[0]) is None


def test_lead_after_a_repeated_headline_is_kept() -> None:
    title = "Neue Schule für Unterwaldach"
    tree = load_html(
        f'<html><body><h1>{title}</h1><div class="article-excerpt">{LEAD_DE}</div>'
        f'<div class="sticky-bar"><h1>{title}</h1></div>'
        f"<p>{STORY_DE[0]}</p></body></html>"
    )
    assert story_lead(tree, title, STORY_DE[0]) == LEAD_DE


def test_story_that_opens_with_a_drop_cap_ends_the_lead_window() -> None:
    title = "Villaserena plantará dos mil árboles"
    first = STORY_ES[0]
    tree = load_html(
        f'<html><body><h1>{title}</h1><p class="bajada">{LEAD_ES}</p>'
        f'<p><span class="drop-cap">{first[0]}</span>{first[1:]}</p>'
        f'<p class="summary">{LEAD_ES} Otra vez.</p></body></html>'
    )
    assert story_lead(tree, title, first) == LEAD_ES


def test_lead_under_a_headline_worded_unlike_the_title() -> None:
    tree = load_html(
        "<html><body><h1>Grundschule: Unterwaldach baut am Stadtrand</h1>"
        f'<storefront-html class="excerpt">{LEAD_DE}</storefront-html>'
        f"<p>{STORY_DE[0]}</p></body></html>"
    )
    assert story_lead(tree, "Rat stimmt für Neubau", STORY_DE[0]) == LEAD_DE


def test_story_opening_after_an_empty_anchor_ends_the_lead_window() -> None:
    """A table-of-contents plugin puts an empty anchor before the first heading's text; the
    heading still opens the story, so the lead before it is found."""
    title = "Neue Schule für Unterwaldach"
    heading = "Warum der Gemeinderat jetzt entschieden hat"
    tree = load_html(
        f'<html><body><h1>{title}</h1><p class="article-excerpt">{LEAD_DE}</p>'
        f'<h2><span class="toc-section" id="warum"></span>{heading}</h2>'
        f"<p>{STORY_DE[0]}</p></body></html>"
    )
    assert story_lead(tree, title, heading) == LEAD_DE


def test_lead_block_that_holds_the_story_opening_is_not_put_back_twice() -> None:
    """Some templates put the first paragraph and the byline in a block named as the lead.
    trafilatura keeps the paragraph and drops the byline; the story starts inside the block,
    so the block is not put back in front of the story as a lead."""
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY_DE[1:])
    html = (
        '<html lang="de"><head><title>Unterwaldach bekommt eine neue Grundschule</title></head>'
        "<body><main><article><h1>Unterwaldach bekommt eine neue Grundschule</h1>"
        f'<div class="article-body"><div class="page-lead"><p>{STORY_DE[0]}</p>'
        f'<div class="author">von Karla Mertens</div></div>{paragraphs}</div>'
        "</article></main></body></html>"
    )
    text = extract_html(html).text
    assert text.count(STORY_DE[0][:60]) == 1
    assert text.startswith(STORY_DE[0])


@pytest.mark.parametrize(
    ("dek", "is_lead"),
    [
        ("The new footbridge links the market to the station", False),
        ("Can a small town pay for a bridge on its own?", True),
        ("Ein Jahr Bauzeit, drei Millionen Euro, eine Brücke.", True),
    ],
)
def test_short_lead_must_end_like_a_sentence(dek: str, is_lead: bool) -> None:
    title = "Saint-Aubel opens its footbridge"
    tree = load_html(
        f'<html><body><h1>{title}</h1><p class="subtitle">{dek}</p>'
        f"<p>{STORY_FR[0]}</p></body></html>"
    )
    assert story_lead(tree, title, STORY_FR[0]) == (dek if is_lead else None)


def test_story_start_reads_a_list_item_without_its_marker() -> None:
    item = "Le conseil municipal a voté le budget de la passerelle à l'unanimité."
    assert story_start(f"Passerelle\n- {item}", "Passerelle") == item


def test_story_start_skips_the_headline_line() -> None:
    title = "Villaserena plantará dos mil árboles en los barrios del sur"
    assert story_start(f"{title}\n{STORY_ES[0]}", title) == STORY_ES[0]


def test_teaser_list_of_links_at_the_end_of_the_body_is_cut_with_its_heading() -> None:
    teasers = [
        (
            "Le marché couvert rouvre ses portes après six mois de travaux",
            "Les commerçants reviennent.",
        ),
        ("Une nouvelle ligne de bus relie la gare au lycée dès septembre", "Horaires et arrêts."),
        (
            "Les travaux du pont de la Vieille-Ville sont reportés à l'automne",
            "La mairie s'explique.",
        ),
    ]
    related = (
        "<h3>À lire aussi</h3><ul>"
        + "".join(
            f'<li><a href="/{n}">{headline}</a> {note}</li>'
            for n, (headline, note) in enumerate(teasers)
        )
        + "</ul>"
    )
    html = page("Saint-Aubel inaugure sa passerelle", STORY_FR, lang="fr", inside=related)
    text = extract_html(html).text
    assert STORY_FR[-1] in text
    assert "marché couvert rouvre" not in text
    assert "À lire aussi" not in text


def test_story_list_without_links_is_kept() -> None:
    items = [
        "un nouveau garde-corps en acier",
        "un éclairage nocturne alimenté par des panneaux solaires",
        "deux bancs pour les promeneurs",
    ]
    story = [*STORY_FR[:2], "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"]
    html = page("Saint-Aubel inaugure sa passerelle", [*story, STORY_FR[2]], lang="fr")
    text = extract_html(html).text
    assert all(item in text for item in items)


@pytest.mark.parametrize(
    ("xml", "kept"),
    [
        (
            "<body><p>Story paragraph one.</p><p>Story paragraph two.</p>"
            "<head>More from the site</head></body>",
            ["Story paragraph one.", "Story paragraph two."],
        ),
        (
            "<body><p>Story paragraph.</p>"
            '<p><ref target="/x">Another story entirely</ref></p></body>',
            ["Story paragraph."],
        ),
        (
            "<body><p>Story with a <ref target='/y'>link</ref> inside a long sentence.</p></body>",
            ["Story with a link inside a long sentence."],
        ),
    ],
)
def test_trim_link_chrome_keeps_story_blocks_only(xml: str, kept: list[str]) -> None:
    body = etree.fromstring(xml)
    before = [" ".join("".join(block.itertext()).split()) for block in body]
    cut = trim_link_chrome(body)
    after = [" ".join("".join(block.itertext()).split()) for block in body]
    assert after == kept
    assert cut == [text for text in before if text not in kept]


STORY_XML = (
    "<p>Der Stadtrat von Unterwaldach hat den Haushalt für das kommende Jahr beschlossen.</p>"
    "<p>Die Schulden sollen bis zum Ende des Jahrzehnts deutlich sinken, sagte der Kämmerer.</p>"
)


def _trimmed(xml: str) -> list[str]:
    body = etree.fromstring(f"<body>{xml}</body>")
    trim_link_chrome(body)
    return [" ".join("".join(block.itertext()).split()) for block in body]


@pytest.mark.parametrize(
    "teaser",
    [
        "Neue Brücke über die Waldach: Bauarbeiten beginnen im Mai",
        "MAYOR'S OFFICE UNDER FIRE AFTER BUDGET VOTE, CRITICS SAY",
        "Settimana del design 2031 | La luce nei cortili di Brera",
        "Why the new bridge opens a year late [VIDEO]",
    ],
)
def test_whole_link_teaser_worded_like_a_headline_is_cut_inside_the_story(teaser: str) -> None:
    xml = STORY_XML.replace("</p><p>", f'</p><p><ref target="/t">{teaser}</ref></p><p>')
    assert _trimmed(xml) == _trimmed(STORY_XML)
    assert len(_trimmed(STORY_XML)) == 2


@pytest.mark.parametrize(
    "linked",
    [
        "Le rapport de la commission est disponible en ligne.",
        "“Pourquoi parlons-nous encore de ce pont ?”",
        "[2] Rapport annuel de la commission des finances, édition 2030",
        "Cinq ans de travaux … et toujours pas de pont",
    ],
)
def test_linked_sentence_quote_or_reference_in_the_story_is_kept(linked: str) -> None:
    xml = STORY_XML.replace("</p><p>", f'</p><p><ref target="/s">{linked}</ref></p><p>')
    assert _trimmed(xml)[1] == linked


def test_link_blocks_that_open_the_body_are_cut_until_the_story_starts() -> None:
    xml = (
        '<p><ref target="/economy">Ekonomi</ref></p><p><ref target="/a/1">Ayşe Demir</ref></p>'
        '<p>Yazan <ref target="/a/1">Ayşe Demir</ref>, belediye meclisinin bütçe oturumunu '
        "izledi ve kararları aktardı.</p>" + STORY_XML
    )
    kept = _trimmed(xml)
    assert kept[0].startswith("Yazan Ayşe Demir")
    assert len(kept) == 3


def test_linked_sentence_that_opens_the_body_is_kept() -> None:
    opening = "So verschneit war Unterwaldach seit vielen Jahren nicht mehr."
    kept = _trimmed(f'<p><ref target="/bilder">{opening}</ref></p>' + STORY_XML)
    assert kept[0] == opening


def test_teaser_link_between_story_paragraphs_is_cut_from_the_page() -> None:
    teaser = '<p><a href="/andere">Oberwaldach streitet weiter über die Sporthalle</a></p>'
    html = page(
        "Unterwaldach bekommt eine neue Grundschule",
        [*STORY_DE[:2], teaser, *STORY_DE[2:]],
        lang="de",
    )
    text = extract_html(html).text
    assert "Sporthalle" not in text
    assert all(paragraph in text for paragraph in STORY_DE)


def test_navigation_page_has_no_article() -> None:
    links = "".join(
        f'<li><a href="/s/{n}">Fictional section number {n} of the site</a></li>' for n in range(40)
    )
    html = f"<html><body><h1>Sections</h1><ul>{links}</ul></body></html>"
    assert extract_html(html).text == ""


@pytest.mark.parametrize(
    ("xml", "title", "kept"),
    [
        (
            "<body><head rend='h1'>Nach dem Kollaps Unterwaldach räumt Fehler beim Deichbau "
            "ein</head>"
            "<p>Der Rat gab am Montag Versäumnisse zu.</p></body>",
            "Unterwaldach räumt Fehler beim Deichbau ein",
            ["Der Rat gab am Montag Versäumnisse zu."],
        ),
        (
            "<body><head>Politik</head><head>Villaserena plantará dos mil árboles</head>"
            "<p>El ayuntamiento aprobó el plan.</p></body>",
            "Villaserena plantará dos mil árboles | Diario del Sur",
            ["El ayuntamiento aprobó el plan."],
        ),
        (
            "<body><head>Ce que dit le rapport</head><p>Le rapport compte cent pages.</p></body>",
            "Saint-Aubel inaugure sa passerelle",
            ["Ce que dit le rapport", "Le rapport compte cent pages."],
        ),
        (
            "<body><p>Saint-Aubel inaugure sa passerelle</p><p>La commune a inauguré.</p></body>",
            "Saint-Aubel inaugure sa passerelle",
            ["Saint-Aubel inaugure sa passerelle", "La commune a inauguré."],
        ),
    ],
)
def test_drop_headline_cuts_opening_headings_up_to_the_headline_only(
    xml: str, title: str, kept: list[str]
) -> None:
    body = etree.fromstring(xml)
    before = [" ".join("".join(block.itertext()).split()) for block in body]
    cut = drop_headline(body, title)
    assert [" ".join("".join(block.itertext()).split()) for block in body] == kept
    assert cut == before[: len(before) - len(kept)]


def test_headline_with_kicker_stays_out_of_the_body() -> None:
    html = page("Unterwaldach bekommt eine neue Grundschule", STORY_DE, lang="de").replace(
        "<h1>Unterwaldach bekommt eine neue Grundschule</h1>",
        "<h1><span>Streit beendet</span> Unterwaldach bekommt eine neue Grundschule</h1>",
    )
    text = extract_html(html).text
    assert "Streit beendet" not in text
    assert text.startswith(STORY_DE[0])


STORY_IT = [
    "Il consiglio comunale di Borgo Lucente ha approvato ieri sera il progetto per la nuova "
    "biblioteca civica, che sorgerà nell'ex mercato coperto di piazza Garibaldi.",
    "I lavori dovrebbero cominciare in primavera e durare circa diciotto mesi, con una spesa "
    "prevista di quattro milioni di euro in gran parte coperta da fondi regionali.",
    "La sindaca Marta Ferrandi ha parlato di una giornata storica per la città e ha promesso "
    "una sala studio aperta fino a mezzanotte per gli studenti universitari.",
    "L'opposizione ha votato contro, chiedendo più parcheggi nella zona, ma ha annunciato che "
    "non presenterà ricorso contro la delibera approvata dalla maggioranza.",
]


def chunked_page(chunks: list[list[str]], *, between: str = "") -> str:
    blocks = between.join(
        '<div class="story-chunk">' + "".join(f"<p>{p}</p>" for p in chunk) + "</div>"
        for chunk in chunks
    )
    return f"""<html lang="it"><head><title>Borgo Lucente avrà una nuova biblioteca</title></head>
<body><h1>Borgo Lucente avrà una nuova biblioteca</h1>
<article>{blocks}</article>
<footer><p>Testata di fantasia, tutti i diritti riservati.</p></footer></body></html>"""


def test_story_split_over_twin_blocks_is_extracted_whole() -> None:
    advert = '<div class="ad-slot"><p>Pubblicità</p></div>'
    text = extract_html(chunked_page([STORY_IT[:2], STORY_IT[2:]], between=advert)).text
    assert all(paragraph in text for paragraph in STORY_IT)
    assert text.index(STORY_IT[1]) < text.index(STORY_IT[2])


def test_twin_blocks_of_short_link_teasers_are_not_story() -> None:
    teasers = [[f'<a href="/n/{n}">Notizia breve numero {n} dalla provincia</a>'] for n in range(4)]
    tree = load_html(chunked_page([STORY_IT, *teasers]))
    assert split_story(tree, STORY_IT[0]) is None


def test_split_story_keeps_twins_in_page_order() -> None:
    tree = load_html(chunked_page([STORY_IT[:2], STORY_IT[2:]]))
    split = split_story(tree, STORY_IT[2])
    assert split is not None
    assert split.before == STORY_IT[:2]
    assert split.after == []


def reader_comments(css_class: str) -> str:
    comments = [
        ("Hace 12 minutos", "Por fin una buena noticia para los barrios del sur, ya era hora."),
        ("Hace una hora", "¿Y quién va a regar tantos árboles en agosto? Nadie lo explica."),
        ("Hace 2 horas", "Mejor que planten en el centro, que allí no hay ni una sombra."),
    ]
    return (
        f'<div id="{css_class}_list" class="box">'
        + "".join(
            f'<div class="{css_class}"><p class="{css_class}_info"><span>{when}</span></p>'
            f"<p>{said}</p></div>"
            for when, said in comments
        )
        + "</div>"
    )


@pytest.mark.parametrize("css_class", ["sf_comment", "comentarios", "userComments"])
def test_reader_comments_named_by_class_are_cut(css_class: str) -> None:
    html = page(
        "Villaserena plantará dos mil árboles",
        STORY_ES,
        lang="es",
        inside=reader_comments(css_class),
    )
    text = extract_html(html).text
    assert all(paragraph in text for paragraph in STORY_ES)
    assert "regar tantos árboles" not in text
    assert "Hace una hora" not in text


def test_story_in_a_block_named_comment_is_kept() -> None:
    column = "".join(f"<p>{paragraph}</p>" for paragraph in STORY_DE)
    tree = load_html(
        "<html><body><h1>Unterwaldach bekommt eine neue Grundschule</h1>"
        f'<div class="comment-column">{column}</div>'
        "<p>Impressum und Kontakt der fiktiven Zeitung.</p></body></html>"
    )
    assert prune_named_chrome(tree) == 0


@pytest.mark.parametrize("highlighter", ["hljs-comment", "token comment", "cm-comment"])
def test_a_code_listings_comments_are_kept_and_reader_comments_still_go(highlighter: str) -> None:
    """A syntax highlighter names a code comment like a reader comment; it is the story's."""
    listing = (
        "<pre><code>"
        f'<span class="{highlighter}"># fetch the tide table before the ferry leaves</span>\n'
        "tides = load_tides()\n"
        f'<span class="{highlighter}"># keep only the morning sailings</span>\n'
        "morning = [t for t in tides if t.hour &lt; 12]"
        "</code></pre>"
    )
    story = "".join(f"<p>{paragraph}</p>" for paragraph in STORY_DE)
    tree = load_html(
        f"<html><body><h1>Gezeiten lesen</h1>{story}{listing}"
        f"{reader_comments('sf_comment')}</body></html>"
    )
    assert prune_named_chrome(tree) == 1
    code = tree.find(".//pre").text_content()
    assert "# fetch the tide table" in code and "# keep only the morning sailings" in code
    assert "regar tantos árboles" not in tree.text_content()


def test_category_and_comment_status_classes_do_not_name_a_section() -> None:
    story = "".join(f"<p>{paragraph}</p>" for paragraph in STORY_FR)
    sidebar = "".join(f"<p>Brève numéro {n} de la rédaction locale.</p>" for n in range(40))
    tree = load_html(
        '<html><body><div class="post category-commentaires tag-comments comments-open">'
        f"{story}</div><div>{sidebar}</div></body></html>"
    )
    assert prune_named_chrome(tree) == 0


def hidden_block(content: str) -> str:
    return (
        '<div style="display: none;" itemscope itemtype="http://schema.org/NewsArticle">'
        f"{content}</div>"
    )


def test_hidden_microdata_block_is_cut_and_the_story_kept() -> None:
    microdata = hidden_block(
        '<div itemprop="headline">Saint-Aubel inaugure sa passerelle</div>'
        '<div itemprop="datePublished">2026-03-14T08:57:40+01:00</div>'
        '<div itemprop="image">https://example.invalid/images/passerelle-500-250.jpg</div>'
        '<div itemprop="publisher">Le Courrier de Saint-Aubel</div>'
    )
    story = "".join(f"<p>{paragraph}</p>" for paragraph in STORY_FR)
    tree = load_html(f"<html><body><h1>Saint-Aubel</h1>{story}{microdata}</body></html>")
    assert prune_hidden_microdata(tree) == 1
    text = " ".join(tree.body.text_content().split())
    assert "2026-03-14T08:57:40" not in text
    assert all(paragraph in text for paragraph in STORY_FR)


def test_hidden_block_with_story_paragraphs_is_kept() -> None:
    rest = "".join(
        f'<p itemprop="articleBody">{paragraph} {paragraph}</p>' for paragraph in STORY_FR
    )
    tree = load_html(f"<html><body><h1>Saint-Aubel</h1>{hidden_block(rest)}</body></html>")
    assert prune_hidden_microdata(tree) == 0


NEWSLETTER_DE = (
    '<div id="Newsletter"><h3>Der Morgen-Newsletter aus Unterwaldach</h3>'
    "<p>Jeden Morgen die wichtigsten Nachrichten aus der Gemeinde direkt in Ihr Postfach, "
    "kostenlos und jederzeit kündbar.</p>"
    "<p>Vielen Dank für Ihre Anmeldung! Bitte bestätigen Sie Ihre E-Mail-Adresse.</p></div>"
)
NEWSLETTER_LINE = "Jeden Freitag die Woche in Unterwaldach, direkt in Ihr Postfach."
MOST_READ_EN = (
    '<div class="mostRead"><h3>Most read this week</h3><ul>'
    "<li><h4>Harbour ferry timetable changes again after council vote</h4>"
    "<p>Commuters face longer waits as the winter schedule begins early.</p></li>"
    "<li><h4>Bakery on Mill Lane wins regional bread prize for third year</h4>"
    "<p>The family business beat forty entries with its rye loaf.</p></li>"
    "</ul></div>"
)


def test_newsletter_box_inside_the_story_is_cut() -> None:
    html = page(
        "Unterwaldach bekommt eine neue Grundschule",
        STORY_DE[:2],
        lang="de",
        inside=NEWSLETTER_DE + "".join(f"<p>{p}</p>" for p in STORY_DE[2:]),
    )
    text = extract_html(html).text
    assert all(paragraph in text for paragraph in STORY_DE)
    assert "Postfach" not in text
    assert "Anmeldung" not in text


def test_most_read_teasers_after_the_story_are_cut() -> None:
    story = [
        "The harbour authority of Port Elling confirmed on Tuesday that the old grain pier "
        "will be rebuilt as a public promenade with benches, lights and a small market hall.",
        "Work starts in March and should take eighteen months. The authority put the cost at "
        "about twelve million pounds, shared with the county and a heritage fund.",
        "Residents had asked for years for access to the waterfront, which has been fenced off "
        "since the last grain ships left the town more than two decades ago.",
    ]
    html = page("Port Elling to rebuild its grain pier", story, inside=MOST_READ_EN)
    text = extract_html(html).text
    assert all(paragraph in text for paragraph in story)
    assert "rye loaf" not in text
    assert "winter schedule" not in text


def test_story_in_a_wrapper_named_like_a_box_is_kept() -> None:
    html = page(
        "Unterwaldach bekommt eine neue Grundschule",
        [],
        lang="de",
        inside='<div class="related-content promo">'
        + "".join(f"<p>{p}</p>" for p in STORY_DE)
        + "</div>",
    )
    text = extract_html(html).text
    assert all(paragraph in text for paragraph in STORY_DE)


def result_tree(xml: str) -> etree._Element:
    return etree.fromstring(f"<body>{xml}</body>")


def test_box_heading_that_opens_kept_text_stays_as_a_section_label() -> None:
    boxes = find_boxes(
        load_html(
            "<html><body>"
            + "".join(f"<p>{p}</p>" for p in STORY_DE)
            + '<div class="related"><h2>Mehr zum Thema</h2></div>'
            "<p>Schwimmbad öffnet früher</p>"
            '<div class="newsletter"><h3>Unser Newsletter</h3><p>Jeden Freitag neu.</p></div>'
            "</body></html>"
        )
    )
    body = result_tree(
        "".join(f"<p>{p}</p>" for p in STORY_DE)
        + "<head>Mehr zum Thema</head><p>Schwimmbad öffnet früher</p>"
        + "<head>Unser Newsletter</head><p>Jeden Freitag neu.</p>"
    )
    cut = cut_boxes(body, boxes)
    texts = ["".join(block.itertext()) for block in body]
    assert texts[-2:] == ["Mehr zum Thema", "Schwimmbad öffnet früher"]
    assert texts[:-2] == STORY_DE
    assert cut == ["Unser Newsletter", "Jeden Freitag neu."]


@pytest.mark.parametrize("css_class", ["bio", "sponsoredLinks", "Newsletter"])
def test_author_bio_sponsored_and_newsletter_boxes_are_cut(css_class: str) -> None:
    box = (
        f'<div class="{css_class}"><p>Claire Dumontel couvre la vie municipale de Saint-Aubel '
        "depuis 2011 et anime chaque samedi la chronique des quartiers.</p></div>"
    )
    rest = "".join(f"<p>{paragraph}</p>" for paragraph in STORY_FR[2:])
    html = page("Saint-Aubel inaugure sa passerelle", STORY_FR[:2], lang="fr", inside=box + rest)
    text = extract_html(html).text
    assert all(paragraph in text for paragraph in STORY_FR)
    assert "chronique des quartiers" not in text


def test_box_found_after_class_names_whose_lower_case_is_longer() -> None:
    tree = load_html(
        '<html><body><div class="İİİİİİİİİİİİİİİİ-İzmir">Hava durumu</div>'
        f'<div class="Newsletter"><p>{NEWSLETTER_LINE}</p></div>'
        + "".join(f"<p>{paragraph}</p>" for paragraph in STORY_DE)
        + "</body></html>"
    )
    assert find_boxes(tree).texts == (NEWSLETTER_LINE,)


NAMED_PAGE = (
    '<html><body><div id="mainNews" class="wrap">'
    '<div class="Newsletter-Box" id="newsletter-1"><p>Anmelden</p></div>'
    '<div class="foot-news"><p>Kurz</p></div><div class="letter-x"><p>Brief</p></div>'
    '<section class="kommentare"><p>Leserbrief</p></section></div></body></html>'
)


def test_named_elements_come_in_page_order_once_each() -> None:
    names = page_names(load_html(NAMED_PAGE))
    found = named_elements(names, ("newsletter", "wrap"), lower=True)
    assert [element.get("class") for element in found] == ["wrap", "Newsletter-Box"]


def test_named_elements_match_within_one_value_and_in_its_case_when_asked() -> None:
    names = page_names(load_html(NAMED_PAGE))
    as_written = named_elements(names, ("newsletter", "kommentare"), lower=False)
    assert [element.tag for element in as_written] == ["div", "section"]
    assert as_written[0].get("id") == "newsletter-1"
    assert named_elements(names, ("newsletter", "newsletter-box"), lower=True) == as_written[:1]
    assert named_elements(names, ("newsletter",), lower=False)[0].get("class") == "Newsletter-Box"


def test_one_read_of_the_names_serves_both_modules_alike() -> None:
    html = page(
        "Saint-Aubel inaugure sa passerelle",
        STORY_FR,
        lang="fr",
        inside=NEWSLETTER_DE + reader_comments("comentarios"),
    )
    shared, alone = load_html(html), load_html(html)
    names = page_names(shared)
    assert find_boxes(shared, names) == find_boxes(alone)
    assert prune_named_chrome(shared, names) == prune_named_chrome(alone) == 1
    assert etree.tostring(shared) == etree.tostring(alone)


def test_the_page_length_is_counted_once_as_the_page_was_read() -> None:
    tree = load_html(
        page(
            "Saint-Aubel inaugure sa passerelle",
            STORY_FR,
            lang="fr",
            inside=reader_comments("comentarios"),
        )
    )
    names = page_names(tree)
    before = visible_text_length(tree.find("body"))
    assert prune_named_chrome(tree, names) == 1
    assert names.page_length(tree) == before > visible_text_length(tree.find("body"))


def test_cuts_made_on_trafilaturas_result_are_recorded_with_their_kind() -> None:
    """Text trafilatura returned and extraction cut is kept for the audit, like the cleaner's."""
    box = (
        '<div class="sponsoredLinks"><p>La lettre du matin de Saint-Aubel arrive chaque jour '
        "à six heures, gratuitement, dans votre boîte.</p></div>"
    )
    teasers = "".join(
        f'<li><a href="/ville/{n}">Le conseil municipal vote le budget, épisode {n}</a> '
        "Ce qu'il faut savoir.</li>"
        for n in range(3)
    )
    html = page(
        "Saint-Aubel inaugure sa passerelle",
        STORY_FR,
        lang="fr",
        inside=box + f"<h3>À lire aussi</h3><ul>{teasers}</ul>",
    )
    extraction = extract_html(html)
    kinds: dict[str, str] = {}
    for removal in extraction.removed:
        assert removal.text not in extraction.text
        kinds[removal.kind] = f"{kinds.get(removal.kind, '')} {removal.text}".strip()
    assert all(paragraph in extraction.text for paragraph in STORY_FR)
    assert "lettre du matin" in kinds["page_box"]
    assert "épisode 2" in kinds["link_list"]
    assert "À lire aussi" in kinds["link_list"]


FACT_BOX_NO = (
    "<h3>Fakta om ferjesambandet</h3>"
    "<p>Ferja mellom Nordvik og Åsøy går fire ganger om dagen.</p>"
    "<p>Overfarten tar omtrent tjue minutter.<br>Billetter kjøpes om bord.</p>"
)


@pytest.mark.parametrize(
    "opening",
    [
        '<amedia-factbox class="fact-box border-black">',
        '<div class="c-infoBox c-infoBox--inline">',
        '<div class="metro-factbox">',
        '<div class="infobox clearBox">',
    ],
)
def test_fact_boxes_beside_the_story_are_cut(opening: str) -> None:
    tag = opening[1:].split()[0]
    story = [
        "Nordvik kommune har vedtatt å bygge ny ferjekai ved Åsøy, etter flere år med "
        "klager på den gamle kaia som ofte er stengt ved sterk vind.",
        "Arbeidet skal starte til våren og ventes ferdig om to år, opplyser ordføreren, som "
        "kaller vedtaket et løft for øya og for næringslivet der.",
        "Fylket betaler halvparten av regningen, mens resten tas fra kommunens fond for "
        "samferdsel, som ble opprettet etter stormen for fem år siden.",
    ]
    box = f"{opening}{FACT_BOX_NO}</{tag}>"
    html = page("Ny ferjekai ved Åsøy", story[:2], lang="no", inside=box + f"<p>{story[2]}</p>")
    extraction = extract_html(html)
    assert all(paragraph in extraction.text for paragraph in story)
    assert "fire ganger om dagen" not in extraction.text
    assert "Billetter" not in extraction.text
    assert any("fire ganger" in r.text for r in extraction.removed if r.kind == "page_box")


@pytest.mark.parametrize("css_class", ["information", "artifact", "fact-check", "infos"])
def test_story_blocks_named_like_but_not_as_fact_boxes_stay(css_class: str) -> None:
    html = page(
        "Saint-Aubel inaugure sa passerelle",
        STORY_FR[:2],
        lang="fr",
        inside=f'<div class="{css_class}">'
        + "".join(f"<p>{p}</p>" for p in STORY_FR[2:])
        + "</div>",
    )
    text = extract_html(html).text
    assert all(paragraph in text for paragraph in STORY_FR)


def test_box_lines_joined_without_a_space_are_still_found_in_the_box() -> None:
    boxes = Boxes(("Weitere Infos Die Fähre fährt viermal. Tickets gibt es an Bord.",))
    assert boxes.holds("Die Fähre fährt viermal.Tickets gibt es an Bord.")
    assert not boxes.holds("Die Fähre fährt fünfmal.")
    assert not boxes.holds(" ")


def test_fact_box_longer_than_the_story_beside_it_is_cut() -> None:
    story = STORY_DE[:3]
    facts = "".join(
        f"<p>Punkt {n}: Die Gemeinde Unterwaldach regelt in diesem Abschnitt der Satzung, wie "
        f"Schulwege, Busse und Betreuungszeiten für das Jahr 2026 im Ortsteil {n} geplant "
        "werden.</p>"
        for n in range(1, 5)
    )
    box = f'<div class="factbox"><h3>Die Satzung im Wortlaut</h3>{facts}</div>'
    menu = "".join(
        f'<li><a href="/ressort/{n}">Weitere Nachrichten aus dem Landkreis, Teil {n}</a></li>'
        for n in range(40)
    )
    html = page("Neue Grundschule", story, lang="de", after=box, aside=f"<ul>{menu}</ul>")
    text = extract_html(html).text
    kept_story = sum(len(paragraph) for paragraph in story)
    assert len(facts) > kept_story  # the box alone is more than half of what was extracted
    assert all(paragraph in text for paragraph in story)
    assert "Satzung" not in text


TOOLS = ["Gezeitentafeln des Hafenamts", "Windmessung am Nordkai", "Fährenradar Waldach"]
TOOL_LIST = "".join(
    f'<item><ref target="/t/{n}">{name}</ref></item>' for n, name in enumerate(TOOLS)
)


def test_list_of_links_the_story_announces_with_a_colon_is_kept() -> None:
    announced = f"<p>Die Hafenmeisterin empfiehlt drei Werkzeuge:</p><list>{TOOL_LIST}</list>"
    kept = _trimmed(STORY_XML.replace("</p><p>", f"</p>{announced}<p>"))
    assert len(kept) == 4
    assert all(name in kept[2] for name in TOOLS)


def test_list_of_links_between_story_paragraphs_without_an_announcement_goes() -> None:
    xml = STORY_XML.replace("</p><p>", f"</p><list>{TOOL_LIST}</list><p>")
    assert _trimmed(xml) == _trimmed(STORY_XML)


def test_list_of_links_under_a_heading_ending_with_a_colon_goes() -> None:
    related = f"<head>Mehr zum Thema:</head><list>{TOOL_LIST}</list>"
    kept = _trimmed(STORY_XML.replace("</p><p>", f"</p>{related}<p>"))
    assert not any(name in block for name in TOOLS for block in kept)
