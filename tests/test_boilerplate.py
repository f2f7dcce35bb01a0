"""Boilerplate rules, pinned both ways: each kind of chrome goes, look-alike story text stays.

All texts are fictional and written for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.boilerplate import CleanResult, RemovalKind, clean_document, normalize_whitespace
from ingest.boilerplate.inline import cut_closing_credit
from ingest.boilerplate.phrases import PhraseMatch, phrase_book

STORIES: dict[str, list[str]] = {
    "en": [
        "The harbour authority of Port Elwin approved a new ferry timetable on Tuesday after "
        "months of complaints from island residents.",
        "Under the plan, boats will leave every forty minutes during the summer season, and a "
        "night service will run at weekends.",
        "Mayor Ines Calloway said the change would cut waiting times in half and help the small "
        "shops that depend on day visitors.",
    ],
    "de": [
        "Der Gemeinderat von Unterwaldach hat am Montag den Bau einer neuen Grundschule am "
        "Stadtrand beschlossen.",
        "Die Arbeiten sollen im Frühjahr beginnen und rund zwei Jahre dauern, teilte die "
        "Bürgermeisterin nach der Sitzung mit.",
        "Eltern hatten seit Jahren über überfüllte Klassenzimmer und lange Schulwege geklagt.",
    ],
    "fr": [
        "La commune de Saint-Aubel a inauguré samedi une passerelle piétonne au-dessus de la "
        "rivière, après trois ans de travaux.",
        "L'ouvrage en bois relie désormais le marché couvert au nouveau quartier de la gare.",
        "Le maire a rappelé que le projet avait été financé en partie par la région.",
    ],
    "es": [
        "El ayuntamiento de Villaserena aprobó el jueves un plan para plantar dos mil árboles en "
        "los barrios del sur.",
        "Los vecinos podrán elegir las especies en una consulta abierta durante el mes de marzo.",
        "La concejala de Medio Ambiente explicó que la sombra reducirá el calor en las calles.",
    ],
    "it": [
        "Il comune di Borgoluce ha riaperto venerdì la biblioteca civica dopo un lungo restauro "
        "della facciata.",
        "Le sale di lettura sono state ampliate e ora ospitano anche un archivio fotografico.",
        "Il sindaco ha ringraziato i volontari che hanno catalogato oltre diecimila volumi.",
    ],
    "pt": [
        "A prefeitura de Vila Clara inaugurou na segunda-feira uma nova linha de ônibus entre o "
        "centro e o porto.",
        "Os veículos elétricos vão circular a cada quinze minutos durante o horário de pico.",
        "Segundo a secretária de transportes, a linha deve atender oito mil passageiros por dia.",
    ],
    "pl": [
        "Rada miasta Zielonowo zatwierdziła w środę budowę nowej ścieżki rowerowej wzdłuż rzeki.",
        "Prace mają rozpocząć się wiosną, a trasa połączy centrum z osiedlem na północy.",
        "Burmistrz podkreślił, że inwestycja zostanie sfinansowana ze środków unijnych.",
    ],
    "ru": [
        "Городской совет Северогорска в среду одобрил строительство нового моста через реку.",
        "Работы начнутся весной и продлятся около двух лет, сообщили в администрации города.",
        "Жители давно жаловались на пробки на единственной переправе в центре.",
    ],
    "tr": [
        "Yeşilköy belediyesi salı günü sahil boyunca yeni bir bisiklet yolu yapılmasını onayladı.",
        "Çalışmaların ilkbaharda başlaması ve yaklaşık bir yıl sürmesi bekleniyor.",
        "Belediye başkanı projenin kent merkezindeki trafiği azaltacağını söyledi.",
    ],
    "ar": [
        "وافق المجلس البلدي في مدينة النخيل يوم الثلاثاء على إنشاء حديقة عامة جديدة قرب الميناء.",
        "وقال رئيس البلدية إن الأعمال ستبدأ في الربيع وتستمر نحو عام كامل.",
        "ورحب السكان بالمشروع بعد سنوات من المطالبة بمساحات خضراء في الحي.",
    ],
    "fa": [
        "شورای شهر باغستان روز دوشنبه ساخت یک کتابخانه عمومی تازه را در مرکز شهر تصویب کرد.",
        "به گفته شهردار، کار ساخت از بهار آغاز می‌شود و حدود دو سال طول می‌کشد.",
        "ساکنان محله سال‌ها خواستار فضایی برای مطالعه و برگزاری کلاس‌های آموزشی بودند.",
    ],
    "zh": [
        "青川市政府周二宣布，将在老城区修建一座新的社区图书馆，预计明年秋天开放。",
        "新馆将设有儿童阅读区和自习室，并全天向市民免费开放，方便附近学生使用。",
        "市长表示，这一项目是改善老城区公共服务的重要一步，资金已经全部落实。",
    ],
    "ja": [
        "緑川市は火曜日、駅前の商店街に新しい図書館を建設すると発表した。開館は来年の春を予定している。",
        "新しい図書館には子ども向けの読書室や自習室が設けられ、夜九時まで利用できるという。",
        "市長は記者会見で、地域のにぎわいを取り戻すための重要な計画だと説明した。",
    ],
    "ko": [
        "푸른시는 화요일 구도심에 새로운 공공 도서관을 짓겠다고 발표했다.",
        "새 도서관에는 어린이 열람실과 자습실이 마련되며 내년 가을 문을 열 예정이다.",
        "시장은 이번 사업이 구도심의 생활 여건을 개선하는 중요한 첫걸음이라고 말했다.",
    ],
    "hi": [
        "हरितपुर नगर परिषद ने मंगलवार को शहर के पुराने हिस्से में नया पुस्तकालय बनाने की मंजूरी दी।",
        "महापौर ने बताया कि निर्माण कार्य अगले वसंत में शुरू होगा और लगभग दो साल चलेगा।",
        "स्थानीय निवासियों ने लंबे समय से पढ़ाई के लिए एक शांत जगह की मांग की थी।",
    ],
    "nl": [
        "De gemeenteraad van Lindendorp heeft dinsdag ingestemd met de bouw van een nieuw zwembad.",
        "De werkzaamheden beginnen in het voorjaar en duren naar verwachting anderhalf jaar.",
        "Volgens de wethouder krijgen scholen voorrang bij de zwemlessen in de ochtend.",
    ],
    "sv": [
        "Kommunfullmäktige i Björkvik beslutade på tisdagen att bygga en ny simhall vid hamnen.",
        "Arbetet väntas börja till våren och pågå i ungefär två år, enligt kommunen.",
        "Skolorna i området får förtur till simundervisningen på förmiddagarna.",
    ],
    "cs": [
        "Zastupitelstvo města Lipová ve středu schválilo stavbu nové lávky přes řeku.",
        "Práce by měly začít na jaře a potrvat zhruba rok, uvedla radnice.",
        "Obyvatelé si dlouho stěžovali na dlouhou cestu k nádraží.",
    ],
}

COOKIE_BANNERS: dict[str, str] = {
    "en": "We use cookies to improve your experience. By continuing to browse you accept them.",
    "de": "Diese Website verwendet Cookies, um Ihnen das beste Erlebnis zu bieten.",
    "fr": "Nous utilisons des cookies pour améliorer votre expérience sur notre site.",
    "es": "Utilizamos cookies propias y de terceros para mejorar nuestros servicios.",
    "it": "Questo sito utilizza cookie per migliorare la tua esperienza di navigazione.",
    "pt": "Este site utiliza cookies para melhorar a sua experiência de navegação.",
    "pl": "Ta strona używa plików cookie w celu świadczenia usług na najwyższym poziomie.",
    "ru": "Мы используем файлы cookie, чтобы сделать сайт удобнее для вас.",
    "tr": "Sitemizde çerezler kullanılmaktadır, ayrıntılar için politikamızı okuyun.",
    "ar": "يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك في التصفح.",
    "fa": "این وب‌سایت برای بهبود تجربه شما از کوکی‌ها استفاده می‌کند.",
    "zh": "我们使用Cookie来改善您的浏览体验，继续浏览即表示您同意。",
    "ja": "当サイトではサービス向上のためにCookieを使用しています。",
    "ko": "이 웹사이트는 더 나은 서비스를 위해 쿠키를 사용합니다.",
    "hi": "यह वेबसाइट बेहतर अनुभव के लिए कुकीज़ का उपयोग करती है।",
    "nl": "Deze website gebruikt cookies om uw ervaring te verbeteren.",
    "sv": "Vi använder cookies för att ge dig en bättre upplevelse.",
    "cs": "Tento web používá soubory cookie ke zlepšení služeb.",
}

RELATED_HEADINGS: dict[str, str] = {
    "en": "Related articles",
    "de": "Mehr zum Thema",
    "fr": "Sur le même sujet",
    "es": "Noticias relacionadas",
    "it": "Articoli correlati",
    "pt": "Notícias relacionadas",
    "pl": "Powiązane artykuły",
    "ru": "Похожие новости",
    "tr": "İlgili Haberler",
    "ar": "مقالات ذات صلة",
    "fa": "مطالب مرتبط",
    "zh": "相关新闻",
    "ja": "関連記事",
    "ko": "관련기사",
    "hi": "संबंधित खबरें",
    "nl": "Gerelateerde artikelen",
    "sv": "Relaterade artiklar",
    "cs": "Související články",
}

READ_ALSO: dict[str, str] = {
    "en": "Read also: Ferry operator posts record summer",
    "de": "Lesen Sie auch: Neue Buslinie für den Norden",
    "es": "Lea también: El parque del río abre sus puertas",
    "pl": "Czytaj też: Nowy most na Wiśle gotowy",
    "ar": "اقرأ أيضا: افتتاح سوق جديد في المدينة",
    "ru": "Читайте также: В городе открылся новый парк",
    "fr": "À lire aussi : Le marché de Noël revient",
    "pt": "Leia também: Nova ciclovia liga bairros",
}


def clean_plain(*paragraphs: str, title: str | None = None) -> CleanResult:
    return clean_document("\n\n".join(paragraphs), from_html=False, title=title)


def clean_html_text(*paragraphs: str, title: str | None = None) -> CleanResult:
    return clean_document("\n\n".join(paragraphs), from_html=True, title=title)


def kinds(result: CleanResult) -> set[str]:
    return {removal.kind for removal in result.removed}


def body_of(lang: str) -> str:
    return "\n\n".join(STORIES[lang])


# --- normalisation ------------------------------------------------------------------------


def test_normalize_whitespace_makes_nfc_single_spaces_and_blank_line_paragraphs() -> None:
    text = "  Cafe\u0301  au\u00a0lait \r\n\r\n\r\nsecond\u200b line\t\there \n"
    assert normalize_whitespace(text) == "Café au lait\n\nsecond line here"


def test_clean_story_passes_through_unchanged() -> None:
    for lang in ("en", "ar", "zh", "ja"):
        result = clean_plain(*STORIES[lang])
        assert result.text == body_of(lang)
        assert result.removed == []


# --- cookie banners -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", sorted(COOKIE_BANNERS))
def test_trailing_cookie_banner_goes_in_every_language(lang: str) -> None:
    for clean in (clean_plain, clean_html_text):
        result = clean(*STORIES[lang], COOKIE_BANNERS[lang])
        assert result.text == body_of(lang)
        assert RemovalKind.COOKIE_BANNER in kinds(result)


def test_cookie_banner_with_buttons_at_the_top_goes() -> None:
    result = clean_html_text(COOKIE_BANNERS["de"], "Alle akzeptieren", "Ablehnen", *STORIES["de"])
    assert result.text == body_of("de")


def test_story_sentence_about_cookies_stays() -> None:
    quoted = (
        "The regulator quoted the notice “we use cookies to improve your experience” and said "
        "it did not amount to consent."
    )
    mention = (
        "Bakers in the valley said the website uses cookies to remember orders, which customers "
        "found convenient."
    )
    for clean in (clean_plain, clean_html_text):
        result = clean(STORIES["en"][0], quoted, STORIES["en"][1], mention)
        assert quoted in result.text and mention in result.text


# --- related blocks and read-also lines -----------------------------------------------------


@pytest.mark.parametrize("lang", sorted(RELATED_HEADINGS))
def test_trailing_related_block_goes_to_the_end(lang: str) -> None:
    teasers = [
        "Storm closes mountain pass for a second day",
        STORIES["en"][1],
        "Council votes to extend night buses",
    ]
    result = clean_html_text(*STORIES[lang], RELATED_HEADINGS[lang], *teasers)
    assert result.text == body_of(lang)
    assert RemovalKind.RELATED_BLOCK in kinds(result)


@pytest.mark.parametrize("lang", sorted(READ_ALSO))
def test_inline_read_also_line_goes_and_the_story_after_it_stays(lang: str) -> None:
    story = STORIES[lang]
    result = clean_html_text(story[0], READ_ALSO[lang], story[1], story[2])
    assert result.text == body_of(lang)
    assert RemovalKind.RELATED_BLOCK in kinds(result)


def test_bare_read_also_label_takes_its_teaser_title_along() -> None:
    story = STORIES["de"]
    result = clean_html_text(story[0], "Lesen Sie auch", "Neue Buslinie für den Norden", *story[1:])
    assert result.text == body_of("de")


def test_related_heading_early_in_a_long_story_cuts_only_the_teaser() -> None:
    story = STORIES["en"]
    result = clean_html_text(story[0], "Related", "Bridge repairs delayed", *story[1:], *story)
    assert result.text == "\n\n".join([story[0], *story[1:], *story])


def test_sentence_mentioning_related_articles_stays() -> None:
    sentence = "Officials said related articles of the charter would be published next week."
    result = clean_html_text(STORIES["en"][0], sentence, STORIES["en"][1])
    assert sentence in result.text


# --- share, follow, comment, newsletter, promo, advertisement --------------------------------


def test_share_follow_and_comment_prompts_go() -> None:
    story = STORIES["en"]
    result = clean_html_text(
        "Share this article", *story, "Follow us on Facebook and Instagram", "Comments (12)"
    )
    assert result.text == body_of("en")
    assert RemovalKind.SHARE_PROMPT in kinds(result)


def test_sentence_about_shares_stays() -> None:
    sentence = "Share prices rose four percent on Monday after the ferry operator's results."
    result = clean_html_text(STORIES["en"][0], sentence, STORIES["en"][1])
    assert sentence in result.text


def test_newsletter_box_and_paywall_line_go() -> None:
    result = clean_html_text(
        *STORIES["en"],
        "Sign up for our newsletter",
        "Get the best stories delivered to your inbox every morning.",
        "Already a subscriber? Log in",
    )
    assert result.text == body_of("en")
    assert RemovalKind.NEWSLETTER in kinds(result)


def test_story_about_a_newsletter_stays() -> None:
    sentence = (
        "The parish newsletter, printed since 1962, reported that the choir had raised enough "
        "money for a new organ."
    )
    result = clean_html_text(STORIES["en"][0], sentence, STORIES["en"][1])
    assert sentence in result.text


def test_advertisement_label_inside_the_story_goes() -> None:
    story = STORIES["de"]
    result = clean_html_text(story[0], "Anzeige", story[1], "Werbung", story[2])
    assert result.text == body_of("de")
    assert RemovalKind.ADVERTISEMENT in kinds(result)


def test_app_and_podcast_promos_go() -> None:
    result = clean_html_text(*STORIES["en"], "Download our app for breaking news alerts")
    assert result.text == body_of("en")
    assert RemovalKind.PROMO in kinds(result)


# --- AI labels, credits, bylines, dates, trailers, site names, tags --------------------------


def test_arabic_ai_image_labels_go() -> None:
    result = clean_html_text(
        *STORIES["ar"], "صورة مولدة بواسطة الذكاء الاصطناعي", "من إعداد الذكاء الاصطناعي"
    )
    assert result.text == body_of("ar")
    assert RemovalKind.AI_LABEL in kinds(result)


def test_story_sentence_about_ai_images_stays() -> None:
    sentence = (
        "The ministry said an AI-generated image of the flooded square had spread online and "
        "was fake."
    )
    result = clean_html_text(STORIES["en"][0], sentence, STORIES["en"][1])
    assert sentence in result.text


def test_photo_credits_and_captions_go_but_a_sentence_naming_an_agency_stays() -> None:
    caption = "Residents wait for the first evening ferry at the old pier. AFP"
    told = "The captain told Reuters that the crossing had been calm."
    result = clean_html_text(STORIES["en"][0], "Photo: Reuters", caption, told, STORIES["en"][1])
    assert result.text == "\n\n".join([STORIES["en"][0], told, STORIES["en"][1]])
    assert RemovalKind.CREDIT in kinds(result)


def test_byline_goes_but_a_by_subheading_stays() -> None:
    result = clean_html_text("By Jane Marlow and Tom Ekwe", *STORIES["en"], "By the numbers")
    assert "Jane Marlow" not in result.text
    assert RemovalKind.BYLINE in kinds(result)
    kept = clean_html_text(STORIES["en"][0], "By the numbers", *STORIES["en"][1:])
    assert "By the numbers" in kept.text


def test_leading_stamp_and_foreign_date_line_go() -> None:
    text = "date 2025-01-01 " + STORIES["en"][0]
    result = clean_plain("14 Gennaio 2026", text, *STORIES["en"][1:])
    assert result.text == body_of("en")
    assert {r.text for r in result.removed} == {"14 Gennaio 2026", "date 2025-01-01"}
    assert {r.kind for r in result.removed} == {RemovalKind.DATE_STAMP}


def test_story_sentence_with_a_date_stays() -> None:
    sentence = "On 14 January 2026 the two mayors signed the agreement in the town hall."
    result = clean_plain(sentence, *STORIES["en"])
    assert result.text.startswith(sentence)


def test_wire_trailer_glued_to_the_last_paragraph_ends_the_story() -> None:
    last = STORIES["en"][2] + " END [Copyright Example Wire, Ltd.]"
    result = clean_plain(*STORIES["en"][:2], last, "Don't Miss", "Harbour fees to rise")
    assert result.text == body_of("en")
    assert RemovalKind.WIRE_TRAILER in kinds(result)
    assert RemovalKind.RELATED_BLOCK in kinds(result)


@pytest.mark.parametrize(
    ("lang", "dateline"),
    [
        ("en", "HARBOURTON, March 4 (Reuters) - "),
        ("de", "HAFENSTADT (dpa) - "),
        ("es", "PUERTO NUEVO (EFE).- "),
        ("it", "PORTOVERDE (ANSA) - "),
        ("pl", "GDYNIA (PAP) – "),
    ],
)
def test_wire_dateline_opening_the_story_stays(lang: str, dateline: str) -> None:
    first, *rest = STORIES[lang]
    opening = dateline + first
    result = clean_html_text(STORIES["en"][0], opening, *rest)
    assert result.text == "\n\n".join([STORIES["en"][0], opening, *rest])
    assert result.removed == []
    alone = clean_html_text(opening, *rest)  # above every other story line: an edge
    assert alone.text == "\n\n".join([opening, *rest])


def test_agency_tag_closing_a_paragraph_is_still_a_wire_trailer() -> None:
    closing = "Die Stadt will die Fähre im Mai wieder in Betrieb nehmen. (dpa)"
    assert phrase_book().match(closing) == PhraseMatch(
        RemovalKind.WIRE_TRAILER, "contains", start=closing.lower().index("(dpa)")
    )


@pytest.mark.parametrize(
    ("lang", "last", "tag"),
    [
        ("de", "Die Stadt will die Anleger bis zum Sommer erneuern.", "(dpa)"),
        ("fr", "La mairie promet un second pont en 2028.", "(AFP)"),
        ("en", "The council will vote on the fees in May.", "(AP)"),
        ("es", "El consistorio votará las tasas en mayo.", "(EFE)"),
    ],
)
def test_agency_tag_line_after_a_short_last_sentence_keeps_the_sentence(
    lang: str, last: str, tag: str
) -> None:
    """A wire tag in parentheses on its own line credits the story: the short sentence above
    it is the story's last, not a picture's caption."""
    result = clean_html_text(*STORIES[lang], last, tag)
    assert result.text == "\n\n".join([*STORIES[lang], last])
    assert [r.text for r in result.removed] == [tag]


def test_photo_credit_in_parentheses_still_takes_its_caption() -> None:
    caption = "Der Bauplatz am Stadtrand im Herbst."
    result = clean_html_text(*STORIES["de"][:2], caption, "(Foto: dpa)", STORIES["de"][2])
    assert result.text == body_of("de")
    assert caption in [r.text for r in result.removed]


@pytest.mark.parametrize(
    "credit",
    [
        "(Writing by Ana Lindqvist; Editing by Tom Ekwe)",
        "(Reporting by Jane Marlow; Additional reporting by Tom Ekwe; Editing by Ana Lindqvist)",
        "(additional reporting by Jane Marlow)",
    ],
)
def test_desk_credit_closing_the_last_sentence_goes_and_the_sentence_stays(credit: str) -> None:
    *story, last = STORIES["en"]
    result = clean_html_text(
        *story, f"{last} {credit}", "© Example Wire 2026. All rights reserved."
    )
    assert result.text == body_of("en")
    assert [(r.kind, r.text) for r in result.removed][0] == (RemovalKind.WIRE_TRAILER, credit)


def test_only_a_credit_after_the_last_sentence_is_cut_from_a_paragraph() -> None:
    inside = "The paper (reporting by its own staff) uncovered the leak, the council said."
    unended = "Six crossings a day are planned (reporting by the harbour office)"
    assert cut_closing_credit(inside) == inside
    assert cut_closing_credit(unended) == unended
    assert cut_closing_credit("Boats leave at nine. (Editing by Al Poe)") == "Boats leave at nine."


def test_copyright_line_goes_but_a_sentence_about_copyright_stays() -> None:
    sentence = "The copyright dispute between the two publishers reached the court in March."
    result = clean_html_text(*STORIES["en"], sentence, "© 2026 Example Media Group")
    assert result.text == body_of("en") + "\n\n" + sentence


def test_site_name_trailer_goes() -> None:
    result = clean_plain(*STORIES["en"], "ExampleNews.com")
    assert result.text == body_of("en")
    assert RemovalKind.SITE_NAME in kinds(result)


def test_tag_list_goes_but_a_sentence_about_tags_stays() -> None:
    sentence = "Tags were fitted to forty storks so that scientists could follow their route."
    result = clean_html_text(*STORIES["en"], sentence, "Tags: ferries, island life, transport")
    assert result.text == body_of("en") + "\n\n" + sentence
    assert RemovalKind.TAG_LIST in kinds(result)


def test_markup_left_in_the_text_goes() -> None:
    result = clean_html_text(*STORIES["en"], '<div><a href="https://ads.example/x">ad</a></div>')
    assert result.text == body_of("en")
    assert RemovalKind.MARKUP in kinds(result)


@pytest.mark.parametrize(
    "markup",
    [
        '<p class="promo"><a href="/subscribe">Subscribe</a></p>',
        '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Ferry"}',
        '<img src="/ferry.jpg" alt="The new ferry at the quay">',
    ],
)
def test_a_line_of_markup_goes_wherever_it_stands(markup: str) -> None:
    first, *rest = STORIES["en"]
    result = clean_html_text(first, markup, *rest)
    assert result.text == body_of("en")
    assert RemovalKind.MARKUP in kinds(result)


@pytest.mark.parametrize(
    "paragraph",
    [
        "The old timetable page was held together with <br> tags and hope, the harbour "
        "master admitted, and nobody dared to touch it for years.",
        "Take the stairs to the upper deck instead of waiting for the lift, the crew "
        "suggests, and walk one round of the deck each hour <p>",
    ],
)
def test_a_sentence_quoting_a_tag_or_keeping_a_stray_one_is_story(paragraph: str) -> None:
    first, *rest = STORIES["en"]
    result = clean_html_text(first, paragraph, *rest)
    assert paragraph in result.text
    assert RemovalKind.MARKUP not in kinds(result)


# --- scripts: short foreign lines at the edges go, foreign paragraphs in the story stay ------


def test_short_line_in_another_script_at_the_edge_goes() -> None:
    result = clean_html_text(*STORIES["en"], "欢迎订阅我们")
    assert result.text == body_of("en")
    assert RemovalKind.FOREIGN_SCRIPT in kinds(result)


def test_quoted_paragraph_in_another_language_inside_the_story_stays() -> None:
    quote = STORIES["ar"][1]
    result = clean_html_text(STORIES["en"][0], quote, *STORIES["en"][1:])
    assert quote in result.text
    short_quote = "«Спасибо, город»"
    result = clean_html_text(STORIES["en"][0], short_quote, *STORIES["en"][1:])
    assert short_quote in result.text


# --- titles ---------------------------------------------------------------------------------


def test_headline_of_plain_text_becomes_the_title() -> None:
    result = clean_plain("Ferry timetable approved after months of complaints", *STORIES["en"])
    assert result.title == "Ferry timetable approved after months of complaints"
    assert result.text == body_of("en")


def test_first_sentence_is_not_taken_for_a_headline() -> None:
    result = clean_plain(*STORIES["en"])
    assert result.title is None


def test_known_title_repeated_at_the_top_of_html_text_goes() -> None:
    result = clean_html_text(
        "Ferry Timetable Approved", *STORIES["en"], title="Ferry timetable approved"
    )
    assert result.text == body_of("en")
    assert result.title == "Ferry timetable approved"


# --- full-page text dumps -------------------------------------------------------------------

MENU = ["Home", "News", "Sport", "Business", "Culture", "Weather", "Search", "Log in"]
FOOTER = ["About us", "Contact", "Privacy policy", "Terms of use", "© 2026 Example Media"]


def test_page_dump_keeps_the_story_block_and_drops_menus_teasers_and_footer() -> None:
    story = STORIES["en"] + [
        "Ferry workers said they would need more staff to keep to the new timetable.",
        "The first boats under the new schedule will sail on the first weekend of May.",
    ]
    page = [
        *MENU,
        "Ferry timetable approved after months of complaints",
        "By Jane Marlow",
        "12 March 2026",
        *story,
        "Share this article",
        "Most read",
        "Storm closes mountain pass",
        "Council votes to extend night buses",
        *MENU,
        *FOOTER,
    ]
    result = clean_plain(*page)
    assert result.text == "\n\n".join(story)
    assert result.title == "Ferry timetable approved after months of complaints"
    assert RemovalKind.PAGE_CHROME in kinds(result) or RemovalKind.DUPLICATE_LINE in kinds(result)


def test_page_dump_keeps_subheadings_inside_the_story() -> None:
    story = [
        "Der Gemeinderat von Unterwaldach hat am Montag nach langer Debatte den Bau einer neuen "
        "Grundschule am Stadtrand beschlossen, die ab dem übernächsten Schuljahr rund dreihundert "
        "Kinder aufnehmen soll.",
        "Kritik der Opposition",
        "Die Opposition hält den Standort für schlecht erreichbar und verlangt, dass die Stadt "
        "zuerst eine sichere Busverbindung und einen Radweg entlang der Landstraße plant.",
    ]
    result = clean_plain(*MENU, *story, *FOOTER)
    assert result.text == "\n\n".join(story)


def test_seed_like_document_comes_out_clean() -> None:
    """Headline, a foreign date line, the story with a glued wire trailer, a teaser block."""
    story = STORIES["en"]
    text = "\n\n".join(
        [
            "HARBOUR: Ferry timetable approved",
            "3 Marzo 2026",
            story[0] + " " + story[1] + " " + story[2] + " END [Copyright Example Wire]",
            "Don't Miss",
            "Harbour fees to rise next year",
            "Port Elwin, March 3 (Example Wire)-The port's board agreed to",
        ]
    )
    result = clean_document(text, from_html=False)
    assert result.title == "HARBOUR: Ferry timetable approved"
    assert result.text == " ".join(story)


# --- banners that state several chrome phrases ---------------------------------------------


@pytest.mark.parametrize(
    ("lang", "banner"),
    [
        (
            "en",
            "Want more stories like this? Get our best reporting delivered to your inbox every "
            "week. Sign up for our newsletter here.",
        ),
        (
            "de",
            "Lust auf mehr Geschichten aus der Region? Wir schicken sie dir jede Woche in deinen "
            "Posteingang. Melde dich hier für unseren Newsletter an!",
        ),
    ],
)
def test_closing_promo_with_several_chrome_phrases_goes(lang: str, banner: str) -> None:
    for clean in (clean_plain, clean_html_text):
        result = clean(*STORIES[lang], banner)
        assert result.text == body_of(lang)
        assert RemovalKind.NEWSLETTER in kinds(result)


def test_closing_story_sentence_mentioning_one_chrome_phrase_stays() -> None:
    mention = (
        "Residents told the council that the weekly bulletin, delivered to your inbox on "
        "Fridays, was the only place the timetable changes had been announced."
    )
    for clean in (clean_plain, clean_html_text):
        assert mention in clean(*STORIES["en"], mention).text


# --- contact and feedback boxes ------------------------------------------------------------


def test_feedback_box_with_its_email_address_goes_after_the_story() -> None:
    result = clean_html_text(
        *STORIES["de"],
        "Ihre Meinung ist uns wichtig. Senden Sie uns Ihr Feedback zu diesem Artikel an:",
        "leserbriefe@example-zeitung.de",
    )
    assert result.text == body_of("de")
    assert RemovalKind.SITE_NAME in kinds(result)


def test_email_address_inside_the_story_stays() -> None:
    story = STORIES["de"]
    result = clean_html_text(story[0], "anmeldung@grundschule-unterwaldach.example", *story[1:])
    assert "anmeldung@grundschule-unterwaldach.example" in result.text


@pytest.mark.parametrize(
    ("lang", "prompt"),
    [
        ("de", "Fehler gefunden? Jetzt melden."),
        ("de", "Wie hat Ihnen dieser Artikel gefallen?"),
        ("en", "Spotted an error? Let us know."),
        ("en", "Was this article helpful?"),
        ("fr", "Signaler une erreur"),
        ("es", "¿Encontraste un error? Escríbenos."),
        ("it", "Hai trovato un errore? Segnalacelo."),
    ],
)
def test_error_report_and_rating_prompts_go(lang: str, prompt: str) -> None:
    result = clean_html_text(*STORIES[lang], prompt)
    assert result.text == body_of(lang)
    assert RemovalKind.SHARE_PROMPT in kinds(result)


def test_story_sentence_opening_like_an_error_prompt_stays() -> None:
    sentence = (
        "Spotted an error in the 1998 survey, the geologists redrew the map of the valley "
        "floor and moved the planned road by two hundred metres."
    )
    assert sentence in clean_html_text(STORIES["en"][0], sentence, *STORIES["en"][1:]).text


# --- last-modified stamps --------------------------------------------------------------------


@pytest.mark.parametrize(
    "stamp",
    ["Letzte Änderung 14.02.2026", "Last modified 3 March 2026", "Última modificación 3.3.2026"],
)
def test_last_modified_stamp_goes(stamp: str) -> None:
    result = clean_html_text(*STORIES["de"], stamp)
    assert result.text == body_of("de")
    assert RemovalKind.DATE_STAMP in kinds(result)


def test_story_sentence_about_a_last_change_stays() -> None:
    sentence = "Die letzte Änderung des Schulgesetzes stammt aus dem Jahr 2019."
    story = STORIES["de"]
    assert sentence in clean_html_text(story[0], sentence, *story[1:]).text


# --- embedded-content placeholders -----------------------------------------------------------


def test_embed_consent_placeholder_inside_the_story_goes_and_the_story_goes_on() -> None:
    story = STORIES["de"]
    result = clean_html_text(
        story[0],
        "Externer Inhalt",
        "Ich bin damit einverstanden, dass mir externe Inhalte angezeigt werden. Damit können "
        "personenbezogene Daten an Drittplattformen übermittelt werden.",
        *story[1:],
    )
    assert result.text == body_of("de")
    assert RemovalKind.PROMO in kinds(result)


def test_story_sentence_about_external_content_stays() -> None:
    sentence = (
        "Im Rathaus zeigte die Stadt externe Inhalte aus dem Landesarchiv, darunter Fotos der "
        "ersten Dorfschule."
    )
    story = STORIES["de"]
    assert sentence in clean_html_text(story[0], sentence, *story[1:]).text


def test_app_promo_after_a_turkish_story_goes() -> None:
    promo = "Haber Kanalı uygulamasını indirin, gelişmelerden haberdar olun"
    result = clean_html_text(*STORIES["tr"], promo)
    assert result.text == body_of("tr")
    assert RemovalKind.PROMO in kinds(result)


# --- the phrase book ---------------------------------------------------------------------------


def test_phrase_book_matches_whole_words_and_counts_distinct_phrases() -> None:
    book = phrase_book()
    assert book.match("Read more: the bridge reopens") == PhraseMatch(
        RemovalKind.RELATED_BLOCK, "prefix", words=2
    )
    assert book.match("Breadmore: the bridge reopens") is None
    banner = book.match("Every week, delivered to your inbox: sign up for our newsletter")
    assert banner is not None and banner.mode == "contains" and banner.hits == 2
    assert book.match("Die Arbeiten am Cookie-Werk ruhen") is None


# --- privacy-policy notices, captions, bylines, disclaimers ------------------------------------


def test_privacy_policy_update_notice_above_the_story_goes() -> None:
    notice = (
        "We have made important changes to our privacy policy and our cookie policy, and we want "
        "you to know what they mean for you and your data."
    )
    result = clean_html_text(notice, *STORIES["en"])
    assert result.text == body_of("en")
    assert RemovalKind.COOKIE_BANNER in kinds(result)


def test_story_sentence_citing_a_company_privacy_policy_stays() -> None:
    sentence = (
        "The ferry company later said in a statement that “our privacy policy and our cookie "
        "policy were never meant to cover passenger lists”, and apologised."
    )
    story = STORIES["en"]
    assert sentence in clean_html_text(story[0], sentence, *story[1:]).text


@pytest.mark.parametrize(
    "caption",
    [
        "새 도서관 착공식에서 시장이 인사하고 있다. 연합뉴스",
        "Crowds wait near the new bridge before the opening ceremony (Picture: PA)",
    ],
)
def test_caption_ending_with_an_agency_name_goes(caption: str) -> None:
    lang = "ko" if caption.endswith("연합뉴스") else "en"
    story = STORIES[lang]
    result = clean_html_text(story[0], caption, *story[1:])
    assert result.text == body_of(lang)
    assert RemovalKind.CREDIT in kinds(result)


def test_byline_with_a_name_particle_goes_and_a_sentence_opening_with_von_stays() -> None:
    story = STORIES["de"]
    result = clean_html_text("Von Marie van der Berg", *story)
    assert result.text == body_of("de")
    sentence = "Von der alten Brücke ist nach dem Hochwasser nur ein Pfeiler geblieben."
    assert sentence in clean_html_text(story[0], sentence, *story[1:]).text


@pytest.mark.parametrize(
    "line",
    [
        "Opinions expressed are solely those of the author and do not reflect the views of the "
        "editors.",
        "Most read in Sport",
        "CLICK HERE TO GET THE EXAMPLE NEWS APP",
    ],
)
def test_disclaimer_most_read_label_and_app_prompt_go(line: str) -> None:
    result = clean_html_text(*STORIES["en"], line)
    assert result.text == body_of("en")


def test_story_sentence_about_expressed_opinions_stays() -> None:
    sentence = (
        "The opinions expressed at the meeting ranged from cautious support to outright "
        "rejection of the new timetable."
    )
    story = STORIES["en"]
    assert sentence in clean_html_text(story[0], sentence, *story[1:]).text


@pytest.mark.parametrize(
    ("lang", "chrome"),
    [
        ("ja", ["このニュースをシェア"]),
        ("ja", ["関連キーワード", "おすすめ情報"]),
        ("zh", ["分享让更多人看到"]),
        ("ko", ["기사입력 :[ 2026-03-02 17:32 ]"]),
        ("fr", ["Passer la publicité"]),
        ("tr", ["AA"]),
    ],
)
def test_short_chrome_lines_in_more_languages_go(lang: str, chrome: list[str]) -> None:
    result = clean_html_text(*STORIES[lang], *chrome)
    assert result.text == body_of(lang)


@pytest.mark.parametrize(
    "caption",
    [
        "Die neue Bürgermeisterin nach der Wahl im Rathaus von Unterwaldach.Stadt / Kellner",
        "Ruhe und viel Schlaf helfen nach einer Erkältung.Unsplash/Jana Moor",
        "Ab Montag fahren die neuen Busse im Halbstundentakt. Bild: Karl von Aue",
        "The mayor at the harbour before the vote on the timetableCredit: Example Agency",
    ],
)
def test_caption_with_a_glued_credit_goes(caption: str) -> None:
    lang = "en" if "Credit" in caption else "de"
    story = STORIES[lang]
    result = clean_html_text(story[0], caption, *story[1:])
    assert result.text == body_of(lang)
    assert RemovalKind.CREDIT in kinds(result)


@pytest.mark.parametrize(
    "sentence",
    [
        "Die Fähre fährt künftig um 9.30 A.M. / 7.00 P.M. nach dem Sommerfahrplan.",
        "Das Museum zeigt das berühmte Bild: eine Ansicht des Hafens im Nebel aus dem Jahr 1890.",
        "Die Stadt nannte die Kosten, Quelle: der Haushaltsplan für das kommende Jahr 2027.",
    ],
)
def test_story_sentences_with_slashes_or_picture_words_stay(sentence: str) -> None:
    story = STORIES["de"]
    assert sentence in clean_html_text(story[0], sentence, *story[1:]).text


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("de", "Sofern nicht anders ausgewiesen, stehen Inhalte dieser Website unter CC-BY"),
        ("en", "Unless otherwise noted, content on this site is licensed under CC BY 4.0"),
    ],
)
def test_licence_footer_goes(lang: str, line: str) -> None:
    result = clean_html_text(*STORIES[lang], line)
    assert result.text == body_of(lang)


def test_story_sentence_about_a_licence_stays() -> None:
    sentence = "Unless otherwise noted in the contract, the ferry company keeps the harbour berths."
    story = STORIES["en"]
    assert sentence in clean_html_text(story[0], sentence, *story[1:]).text


# --- snippet chrome: contact boxes, pointers, reader prompts, embeds, signed summaries -----


@pytest.mark.parametrize(
    ("lang", "box"),
    [
        ("de", ["Pressekontakt", "Ansprechpartnerin Lina Vogt", "Telefon +49 (0)30 123 45 67"]),
        ("en", ["Media contact:", "Tom Reyes", "Phone: +44 20 7946 0000", "press@example.org"]),
        ("fr", ["Contact presse", "Claire Morel", "Tél. 01 23 45 67 89"]),
        ("es", ["Contacto de prensa", "Marta Gil", "Teléfono: 910 000 000"]),
    ],
)
def test_contact_box_under_the_story_goes(lang: str, box: list[str]) -> None:
    result = clean_html_text(*STORIES[lang], *box)
    assert result.text == body_of(lang)


def test_signature_above_an_e_mail_address_stays() -> None:
    result = clean_html_text(*STORIES["en"], "Ines Calloway, columnist", "ines@example.org")
    assert "Ines Calloway, columnist" in result.text
    assert "ines@example.org" not in result.text


def test_story_sentence_after_a_contact_label_stays() -> None:
    closing = (
        "Wer Fragen zum Bau hat, kann sich ab Montag an das Bürgerbüro im Rathaus wenden, "
        "das dafür eigens eine Sprechstunde eingerichtet hat."
    )
    result = clean_html_text(*STORIES["de"], "Ansprechpartnerin", closing)
    assert closing in result.text


def test_sentence_about_a_contact_inside_the_story_stays() -> None:
    sentence = "Contact with the island was lost for two hours during the storm on Monday."
    story = STORIES["en"]
    assert sentence in clean_html_text(story[0], sentence, *story[1:]).text


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("de", "Mehr Informationen unter www.beispiel-verein.de."),
        ("en", "Tickets and times at www.example-ferries.org"),
        ("pl", "Szukasz mieszkania nad rzeką? Zobacz oferty na Przyklad.pl"),
        ("fr", "Programme complet sur exemple-festival.fr/programme"),
    ],
)
def test_short_pointer_to_a_web_address_goes_anywhere(lang: str, line: str) -> None:
    story = STORIES[lang]
    result = clean_html_text(story[0], line, *story[1:])
    assert result.text == body_of(lang)
    assert kinds(result) & {RemovalKind.SITE_NAME, RemovalKind.PROMO}


def test_short_sentence_naming_a_publication_by_its_domain_stays() -> None:
    sentence = "This report first appeared on Example.com."
    result = clean_html_text(*STORIES["en"], sentence)
    assert sentence in result.text


def test_bare_url_with_a_path_and_long_sentences_with_an_address_stay() -> None:
    url = "https://www.example.org/reports/harbour-2026.html"
    sentence = (
        "The full report on the new timetable, with every crossing and fare, is published by "
        "the harbour authority on example.org"
    )
    story = STORIES["en"]
    result = clean_html_text(story[0], url, sentence, *story[1:])
    assert url in result.text and sentence in result.text


@pytest.mark.parametrize(
    ("lang", "prompt"),
    [
        ("de", "Du möchtest beim nächsten Treffen dabei sein?"),
        ("en", "Would you like to join our club?"),
        ("fr", "Vous souhaitez participer au prochain atelier ?"),
        ("es", "¿Quieres recibir nuestras guías de viaje?"),
        ("nl", "Wil je ook meedoen aan de wandeltocht?"),
    ],
)
def test_short_reader_prompt_under_the_story_goes(lang: str, prompt: str) -> None:
    result = clean_html_text(*STORIES[lang], prompt)
    assert result.text == body_of(lang)
    assert RemovalKind.PROMO in kinds(result)


def test_reader_question_opening_or_inside_the_story_stays() -> None:
    opening = "Would you like to know why the ferries were late?"
    inside = "Are you looking for a quiet beach?"
    story = STORIES["en"]
    result = clean_html_text(opening, story[0], inside, *story[1:])
    assert opening in result.text and inside in result.text


def test_long_reader_question_closing_the_story_stays() -> None:
    closing = (
        "Would you like to help the island? The council invites volunteers to plant trees along "
        "the new ferry road every Saturday morning in spring."
    )
    result = clean_html_text(*STORIES["en"], closing)
    assert closing in result.text


def test_dangling_label_at_the_end_goes_but_a_list_of_labels_stays() -> None:
    result = clean_html_text(*STORIES["de"], "Teilnehmende Vereine:")
    assert result.text == body_of("de")
    labels = ["Tipps von Anna:", "Tipps von Jonas:"]
    kept = clean_html_text(*STORIES["de"], *labels).text
    assert all(label in kept for label in labels)


def test_label_with_a_table_under_it_stays() -> None:
    rows = ["Nährwerte pro Stück:", "- 210 kcal", "- 4 g Eiweiß"]
    result = clean_html_text(*STORIES["de"], *rows)
    assert all(row in result.text for row in rows)


def test_closing_paragraph_ending_with_by_and_a_name_stays() -> None:
    closing = "The timetable was drawn up over the winter. By Tuesday Port Elwin"
    result = clean_html_text(*STORIES["en"], closing)
    assert closing in result.text


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("de", "Werden Sie Mitglied und erhalten Sie exklusive Angebote!"),
        ("en", "Become a member and receive exclusive offers!"),
    ],
)
def test_membership_promo_inside_the_story_goes(lang: str, line: str) -> None:
    story = STORIES[lang]
    result = clean_html_text(story[0], line, *story[1:])
    assert result.text == body_of(lang)


@pytest.mark.parametrize(
    ("lang", "button"),
    [("de", "Zum Angebot"), ("en", "Apply Now"), ("fr", "Voir l'offre"), ("pl", "Kup teraz")],
)
def test_shop_button_between_story_paragraphs_goes(lang: str, button: str) -> None:
    story = STORIES[lang]
    result = clean_html_text(story[0], button, *story[1:])
    assert result.text == body_of(lang)
    assert RemovalKind.PROMO in kinds(result)


def test_story_sentence_about_an_offer_stays() -> None:
    sentence = "Zum Angebot der Stadt gehört künftig auch ein kostenloser Bus zur neuen Schule."
    story = STORIES["de"]
    assert sentence in clean_html_text(story[0], sentence, *story[1:]).text


@pytest.mark.parametrize(
    ("lang", "appendix"),
    [
        (
            "de",
            ["Weitere Informationen:", "Verein Hafenfreunde e.V.", "www.hafenfreunde-beispiel.de"],
        ),
        (
            "en",
            ["Further information", "Port Elwin Harbour Authority", "Permalink: example.org/a1"],
        ),
        ("it", ["Ulteriori informazioni:", "Biblioteca civica di Borgoluce"]),
    ],
)
def test_further_information_box_under_the_story_goes(lang: str, appendix: list[str]) -> None:
    result = clean_html_text(*STORIES[lang], *appendix)
    assert result.text == body_of(lang)


def test_further_information_heading_with_a_story_sentence_under_it_stays() -> None:
    closing = "The ferry company will publish the winter timetable in October, after a vote."
    result = clean_html_text(*STORIES["en"], "More information", closing)
    assert "More information" in result.text and closing in result.text


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "de",
            "Dieser Beitrag kann Links zu Anbietern enthalten, von denen wir eine Provision erhalten.",
        ),
        ("fr", "Cet article contient des liens affiliés."),
        ("es", "Este artículo contiene enlaces de afiliados."),
    ],
)
def test_affiliate_disclosure_under_the_story_goes(lang: str, line: str) -> None:
    result = clean_html_text(*STORIES[lang], line)
    assert result.text == body_of(lang)
    assert RemovalKind.ADVERTISEMENT in kinds(result)


@pytest.mark.parametrize(
    ("lang", "stamp"),
    [
        ("de", "2024-03-01 | Politik"),
        ("en", "2025-06-12 · Local news"),
        ("fr", "2025-02-03 | Société"),
    ],
)
def test_date_with_a_section_label_above_the_story_goes(lang: str, stamp: str) -> None:
    result = clean_html_text(stamp, *STORIES[lang])
    assert result.text == body_of(lang)
    assert RemovalKind.DATE_STAMP in kinds(result)


def test_dateline_opening_the_first_sentence_keeps_the_sentence() -> None:
    first = "2024-03-01 – " + STORIES["de"][0]
    result = clean_html_text(first, *STORIES["de"][1:])
    assert result.text == body_of("de")


@pytest.mark.parametrize(
    ("lang", "references"),
    [
        (
            "de",
            [
                "Zusatzinformationen:",
                "Anna Berger, Jonas Keller et al.:",
                "Schulwege im ländlichen Raum neu gedacht.",
                "In: Zeitschrift für Stadtplanung; Bd. 12, S. 40 - 52, März 2025",
            ],
        ),
        (
            "en",
            [
                "Further information:",
                "Harbour traffic in small island ports.",
                "In: Journal of Coastal Towns; Vol. 3, pp. 11 - 19, May 2024",
            ],
        ),
    ],
)
def test_reference_box_with_short_titles_under_the_story_goes(
    lang: str, references: list[str]
) -> None:
    result = clean_html_text(*STORIES[lang], *references)
    assert result.text == body_of(lang)


def test_information_heading_with_a_long_glued_story_paragraph_under_it_stays() -> None:
    closing = (
        "Die Stadt will die Pläne im Herbst in einer Bürgerversammlung vorstellen und danach "
        "über die Zufahrt entscheiden. Bis dahin können Eltern ihre Vorschläge im Rathaus "
        "abgeben, wo auch die Entwürfe der Architekten ausliegen.Adresse: Rathaus "
        "Unterwaldach, Marktplatz 1, geöffnet montags bis freitags von acht bis zwölf Uhr"
    )
    result = clean_html_text(*STORIES["de"], "Weitere Informationen", closing)
    assert "Weitere Informationen" in result.text and closing in result.text


@pytest.mark.parametrize(
    ("lang", "picture"),
    [
        ("de", ["Der neue Schulhof am Stadtrand.", "© Gemeinde Unterwaldach"]),
        ("en", ["Photo: Jane Holloway", "The new ferry at the island pier."]),
        ("fr", ["La passerelle vue depuis le marché.", "Crédit : Jeanne Morel"]),
        ("es", ["Foto: Lucía Prado", "Una calle del barrio sur en verano."]),
        ("sv", ["Simhallen vid hamnen en tidig morgon.", "Karin Ek/bilder.example.se"]),
    ],
)
def test_caption_next_to_its_picture_credit_goes(lang: str, picture: list[str]) -> None:
    story = STORIES[lang]
    result = clean_html_text(story[0], *picture, *story[1:])
    assert result.text == body_of(lang)
    assert RemovalKind.CREDIT in kinds(result)


def test_short_story_sentence_on_the_far_side_of_a_captioned_credit_stays() -> None:
    sentence = "It cost four million euros."
    story = STORIES["en"]
    picture = ["Workers unload the new ferry.", "Photo: Jane Holloway"]
    result = clean_html_text(story[0], *picture, sentence, *story[1:])
    assert sentence in result.text
    assert "Workers unload the new ferry." not in result.text


@pytest.mark.parametrize(
    ("lang", "source", "sentence"),
    [
        ("de", "Quelle: Statistisches Landesamt", "Die Zahl der Schüler stieg um acht Prozent."),
        ("en", "© 2026 Port Elwin Gazette", "The vote is expected in the spring."),
    ],
)
def test_short_sentence_next_to_a_source_or_footer_line_stays(
    lang: str, source: str, sentence: str
) -> None:
    story = STORIES[lang]
    result = clean_html_text(*story, sentence, source)
    assert sentence in result.text


@pytest.mark.parametrize(
    ("lang", "prompt"),
    [
        (
            "de",
            "Du möchtest beim Lesekreis im Juni mitmachen? Dann hinterlasse einfach einen "
            "Kommentar unter diesem Beitrag mit dem Buch, das du vorstellen willst.",
        ),
        (
            "en",
            "Would you like to join the reading circle in June? Then leave a comment below with "
            "the book you want to present.",
        ),
        (
            "fr",
            "Vous voulez participer au cercle de lecture en juin ? Alors laissez un commentaire "
            "sous cet article avec le livre que vous souhaitez présenter.",
        ),
    ],
)
def test_reader_prompt_asking_for_a_comment_under_the_story_goes(lang: str, prompt: str) -> None:
    result = clean_html_text(*STORIES[lang], prompt)
    assert result.text == body_of(lang)
    assert RemovalKind.SHARE_PROMPT in kinds(result)


@pytest.mark.parametrize(
    "closing",
    [
        "Möchtest du wissen, wie es weitergeht? Die Stadt entscheidet im Herbst über die Pläne.",
        "The council said residents could leave a comment below the plan on its website until "
        "the end of March.",
    ],
)
def test_closing_question_or_report_of_a_comment_call_stays(closing: str) -> None:
    lang = "de" if closing.startswith("Möchtest") else "en"
    result = clean_html_text(*STORIES[lang], closing)
    assert result.text == body_of(lang) + "\n\n" + closing


LONG_STORIES: dict[str, list[str]] = {
    "de": [
        "Der Gemeinderat von Unterwaldach hat am Montagabend nach einer langen und teils hitzigen "
        "Sitzung den Bau einer neuen Grundschule am östlichen Stadtrand beschlossen, der rund "
        "zwölf Millionen Euro kosten soll.",
        "Die Bürgermeisterin sagte nach der Abstimmung, die Gemeinde habe seit Jahren auf "
        "überfüllte Klassenzimmer und lange Schulwege reagieren müssen, nun sei endlich eine "
        "dauerhafte Lösung für die wachsenden Jahrgänge gefunden.",
        "Die Bauarbeiten sollen im kommenden Frühjahr beginnen und etwa zwei Jahre dauern, wobei "
        "der Unterricht in der alten Schule bis zur Eröffnung ohne Einschränkungen weiterlaufen "
        "soll, wie die Verwaltung am Dienstag mitteilte.",
        "Eltern begrüßten die Entscheidung, forderten aber zugleich sichere Radwege zur neuen "
        "Schule, weil die Zufahrt bisher nur über eine viel befahrene Landstraße ohne Gehweg "
        "führt und Kinder dort gefährdet wären.",
    ],
    "en": [
        "The harbour authority of Port Elwin approved a new ferry timetable on Tuesday evening "
        "after months of complaints from island residents who said the old schedule left them "
        "stranded on the mainland after dark.",
        "Under the plan, boats will leave every forty minutes during the summer season, and a "
        "night service will run at weekends, with extra crossings on market days when the "
        "island shops expect the most visitors.",
        "Mayor Ines Calloway said the change would cut waiting times in half and help the small "
        "shops that depend on day visitors, adding that the council would review the timetable "
        "again after the first full season.",
        "Ferry workers welcomed the extra shifts but warned that the ageing fleet would need "
        "new engines within three years, and the union asked the authority to publish a "
        "maintenance plan before the winter begins.",
    ],
}
INLINE_BOXES: dict[str, list[str]] = {
    "de": [
        "Mehr zum Thema",
        "Neue Kita öffnet im Sommer",
        "Von Anna Berger",
        "Radweg kommt später",
    ],
    "en": ["More on this story", "Island bakery wins award", "Ferry fares to rise in May"],
}
TRAILING_HEADINGS = {"de": "Meistgelesen", "en": "Most read"}
SUBHEADINGS = {"de": "Sorge um den Schulweg", "en": "Fleet needs repairs"}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_inline_box_inside_a_page_dump_goes_and_the_story_goes_on(lang: str) -> None:
    story = LONG_STORIES[lang]
    dump = ["Home", "News", "Local", *story[:2], *INLINE_BOXES[lang]]
    dump += [story[2], SUBHEADINGS[lang], story[3], TRAILING_HEADINGS[lang], "Storm closes pass"]
    result = clean_plain(*dump)
    assert result.text == "\n\n".join([*story[:3], SUBHEADINGS[lang], story[3]])
    assert RemovalKind.RELATED_BLOCK in kinds(result)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_inline_box_inside_extracted_html_goes_and_the_story_goes_on(lang: str) -> None:
    story = LONG_STORIES[lang]
    result = clean_html_text(*story[:2], *INLINE_BOXES[lang], *story[2:])
    assert result.text == "\n\n".join(story)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_trailing_block_with_teaser_summaries_still_goes_to_the_end(lang: str) -> None:
    story = LONG_STORIES[lang]
    summary = {
        "de": "Die Stadt plant eine weitere Kita am Bahnhof, die im Sommer ihre Türen öffnet.",
        "en": "The island bakery won a regional prize for its rye bread on Saturday night.",
    }[lang]
    teasers = ["Teaser one about the town", summary, "Teaser two about the port", summary]
    result = clean_plain("Home", *story, RELATED_HEADINGS[lang], *teasers)
    assert result.text == "\n\n".join(story)


@pytest.mark.parametrize(
    "prompt",
    [
        "Got a story? Get in touch with our news team by emailing desk@example.org.",
        "For more stories like this, check our local news page.",
        "Follow the Gazette on Twitter and Facebook for the latest news updates. Sign up for our "
        "daily push alerts here.",
    ],
)
def test_newsroom_prompt_under_the_story_goes(prompt: str) -> None:
    result = clean_html_text(*STORIES["en"], prompt)
    assert result.text == body_of("en")


def test_story_sentence_about_push_alerts_stays() -> None:
    closing = (
        "The harbour office said it would send push alerts to island residents whenever a "
        "crossing is cancelled because of storms."
    )
    result = clean_html_text(*STORIES["en"], closing)
    assert result.text == body_of("en") + "\n\n" + closing


@pytest.mark.parametrize(
    ("lang", "paywall"),
    [
        (
            "ja",
            [
                "この記事は会員限定です。",
                "新聞の購読者は無料で登録できます。",
                "- 電子版が読める",
                "- 記事が読み放題",
            ],
        ),
        (
            "en",
            ["Subscribe now", "- Unlimited articles", "- The daily crossword", "Cancel anytime."],
        ),
        (
            "de",
            ["Jetzt abonnieren", "- Alle Artikel lesen", "- Ohne Werbung", "Jederzeit kündbar."],
        ),
    ],
)
def test_paywall_box_under_the_story_goes_with_its_sales_pitch(
    lang: str, paywall: list[str]
) -> None:
    result = clean_html_text(*STORIES[lang], *paywall)
    assert result.text == body_of(lang)
    assert RemovalKind.NEWSLETTER in kinds(result)


def test_subscription_line_with_a_long_story_sentence_under_it_keeps_the_sentence() -> None:
    closing = (
        "The ferry company said the new timetable would be reviewed after the summer, when the "
        "first passenger figures are in."
    )
    result = clean_html_text(*STORIES["en"], "Subscribe now", closing)
    assert closing in result.text


def test_readme_lists_every_removal_kind() -> None:
    """Users filter `removed` by kind from the README's list: it must name the whole vocabulary."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert [kind.value for kind in RemovalKind if f"`{kind.value}`" not in readme] == []


# --- contributor trailers, follow and listen prompts, stamps, leading labels, notices --------


@pytest.mark.parametrize(
    ("lang", "trailer"),
    [
        ("en", "Additional reporting by Mara Quill"),
        ("en", "With files from The Northern Wire and Tomas Reyes"),
        ("en", "With reports from Diario Claro and La Voz Austral"),
        ("en", "First published in The Harbour Review."),
        ("en", "Reporting by Ana Ruiz in Lima and Tom Bell in Quito; Editing by Mark Pole"),
        ("en", "Wire Service writer Jo Marsh in Lyon contributed to this report."),
        ("de", 'Dieser Artikel ist zuerst bei "Wirtschaftsblatt Süd" erschienen.'),
        ("de", "Mit Material von Nordpresse und Agentur West"),
        ("fr", "Cet article a été publié initialement dans La Gazette du Lac."),
        ("es", "Con información de Agencia Sur y Radio Norte"),
        ("it", "Hanno collaborato Lucia Ferri e Marco Testa"),
        ("pt", "Com informações da Agência Litoral"),
    ],
)
def test_contributor_and_first_published_trailers_go(lang: str, trailer: str) -> None:
    result = clean_html_text(*STORIES[lang], trailer)
    assert result.text == body_of(lang)
    assert kinds(result) & {RemovalKind.CREDIT, RemovalKind.WIRE_TRAILER}


@pytest.mark.parametrize(
    "sentence",
    [
        "Reporting by the committee was slow, and the final figures came weeks late.",
        "With files from the old archive, the clerk rebuilt the list of ferry owners.",
        "First published in 1998, the timetable has been changed only twice since.",
    ],
)
def test_story_sentences_opening_like_a_credit_stay(sentence: str) -> None:
    result = clean_html_text(*STORIES["en"], sentence)
    assert sentence in result.text


@pytest.mark.parametrize(
    ("lang", "prompt"),
    [
        ("en", "Follow Harbour Radio on Instagram, Facebook and YouTube."),
        ("en", "Follow @harbourdesk on X to keep up with the latest sailings and fares."),
        ("de", "Folgen Sie der Redaktion auf Instagram und TikTok."),
        ("es", "Síguenos en Instagram y Facebook para más noticias."),
        ("en", "GET THE HARBOUR NEWS APP BY CLICKING HERE"),
        ("en", "Skip past embedded content"),
        ("cs", "Přejít před obsah vložený z jiného webu."),
    ],
)
def test_follow_and_skip_prompts_go(lang: str, prompt: str) -> None:
    result = clean_html_text(*STORIES[lang], prompt)
    assert result.text == body_of(lang)


def test_story_sentence_about_following_a_route_stays() -> None:
    sentence = "Follow the coast road north and the new pier appears after the second bend."
    result = clean_html_text(STORIES["en"][0], sentence, *STORIES["en"][1:])
    assert sentence in result.text


@pytest.mark.parametrize(
    "stamp",
    [
        "9:10 AM EST 3/4/2026 by Jane Doe",
        "03/03/2026 - Publicado por: Rita Lume - Categoria: Saúde - Tags: porto",
        "Lena Brandt | Palma de Mallorca | 08/01/2026",
        "04.03.2026 | 3:12 min",
    ],
)
def test_stamp_lines_with_times_and_fields_go(stamp: str) -> None:
    result = clean_html_text(stamp, *STORIES["en"])
    assert result.text == body_of("en")
    assert kinds(result) & {RemovalKind.DATE_STAMP, RemovalKind.BYLINE}


@pytest.mark.parametrize(
    "line",
    [
        "9.30 A.M. / 7.00 P.M.",
        "12:40 - The first ferry of the day left the harbour with only four passengers aboard.",
        "2026 - The year the harbour froze",
    ],
)
def test_story_lines_that_open_with_a_time_or_year_stay(line: str) -> None:
    story = STORIES["en"]
    result = clean_html_text(line, *story)
    assert line in result.text


def test_leading_address_section_word_and_author_go_and_the_title_after_them_too() -> None:
    title = "Port Elwin approves new ferry timetable"
    leading = ["https://news.example.org/local/ferry-timetable-2026.html", "News >", "Local"]
    result = clean_html_text(*leading, "Ines Calloway", title, *STORIES["en"], title=title)
    assert result.text == body_of("en")
    assert RemovalKind.TITLE in kinds(result)


def test_addresses_listed_under_the_story_and_short_lines_without_a_title_stay() -> None:
    links = ["https://example.org/a/1", "https://example.org/a/2"]
    result = clean_html_text(*STORIES["en"], *links)
    assert all(link in result.text for link in links)
    result = clean_html_text("Update", *STORIES["en"])
    assert result.text.startswith("Update")


@pytest.mark.parametrize(
    "line",
    [
        "Related post: Ferry operator posts record summer",
        "Harbour master explains the new timetable [VIDEO]",
    ],
)
def test_inline_related_post_and_video_teaser_go(line: str) -> None:
    story = STORIES["en"]
    result = clean_html_text(story[0], line, *story[1:])
    assert result.text == body_of("en")
    assert RemovalKind.RELATED_BLOCK in kinds(result)


def test_lone_explore_further_heading_at_the_end_goes() -> None:
    result = clean_html_text(*STORIES["en"], "Explore further")
    assert result.text == body_of("en")


@pytest.mark.parametrize(
    "notice",
    [
        "You are using a browser version with limited support for CSS. To get the best "
        "experience, we are displaying the site without styles.",
    ],
)
def test_browser_notice_goes(notice: str) -> None:
    result = clean_html_text(*STORIES["en"], notice)
    assert result.text == body_of("en")


def test_story_sentence_about_an_old_browser_stays() -> None:
    sentence = (
        "The ticket office still runs an old browser, the clerk admitted, but the new system "
        "will replace it in May."
    )
    result = clean_html_text(STORIES["en"][0], sentence, *STORIES["en"][1:])
    assert sentence in result.text


@pytest.mark.parametrize(
    ("lang", "signature"),
    [
        ("de", "Lena Brandt"),
        ("de", "Faktencheck: Jonas Weber"),
        ("de", "NDR (Lena Brandt, Jonas Weber)"),
        ("ru", "Анна Петрова, Олег Смирнов"),
    ],
)
def test_authors_names_under_the_story_go(lang: str, signature: str) -> None:
    result = clean_html_text(*STORIES[lang], signature)
    assert result.text == body_of(lang)
    assert RemovalKind.BYLINE in kinds(result)


def test_heading_of_a_closing_list_and_a_one_word_item_stay() -> None:
    closing = ["Harbour Tour Dates", "June 5 - Port Elwin, North Quay", "June 9 - Calloway Bay"]
    result = clean_html_text(*STORIES["en"], *closing)
    assert "Harbour Tour Dates" in result.text
    result = clean_html_text(*STORIES["en"], "Tomatoes")
    assert result.text.endswith("Tomatoes")


def test_paywall_box_with_an_account_prompt_goes() -> None:
    box = [
        "Enjoying our latest stories?",
        "Log in or create an account to continue",
        "Read the newest reporting from our award-winning harbour desk",
    ]
    result = clean_html_text(*STORIES["en"], *box)
    assert result.text == body_of("en")


def test_contributor_credit_and_field_stamp_inside_the_story_go() -> None:
    story = STORIES["en"]
    credit = (
        "With reporting by Harbour Wire writers Mara Quill in Port Elwin, Tomas Reyes in "
        "Calloway Bay and Ana Ruiz in Lyon"
    )
    result = clean_html_text(story[0], credit, "04.03.2026 | 3:12 min", *story[1:])
    assert result.text == body_of("en")


def test_live_blog_time_inside_the_story_stays() -> None:
    story = STORIES["en"]
    result = clean_html_text(story[0], "14:05", *story[1:])
    assert "14:05" in result.text


# --- related headings the story goes on under -----------------------------------------------


def test_story_closing_on_short_sentences_under_an_inline_box_stays() -> None:
    story = LONG_STORIES["en"]
    closing = [story[3], "Calloway is no sailor.", "But she knows the tides."]
    trailing = ["More from The Harbour Courier", "Storm closes mountain pass", "Bakery wins prize"]
    result = clean_html_text(*story[:3], "Most popular", "Swipe for more", *closing, *trailing)
    assert result.text == "\n\n".join([*story[:3], *closing])
    assert "More from The Harbour Courier" in [r.text for r in result.removed]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_related_heading_left_without_teasers_keeps_the_story_under_it(lang: str) -> None:
    story = LONG_STORIES[lang]
    heading = {"de": "Auch interessant", "en": "You may also like"}[lang]
    result = clean_html_text(*story[:3], heading, story[3])
    assert result.text == "\n\n".join(story)
    assert [r.kind for r in result.removed] == [RemovalKind.RELATED_BLOCK]


@pytest.mark.parametrize("line", ["More from the council meeting", "More from Tuesday's vote"])
def test_subheading_opening_like_a_named_heading_is_story(line: str) -> None:
    story = LONG_STORIES["en"]
    result = clean_html_text(*story[:3], line, "Fares rise in May.", "Night boats return.")
    assert line in result.text and "Night boats return." in result.text


def test_trailing_teaser_titles_under_a_named_heading_go() -> None:
    teasers = ["Storm closes mountain pass", "Council votes to extend night buses"]
    result = clean_html_text(*STORIES["es"], "Más de El Diario Sur", *teasers)
    assert result.text == body_of("es")


# --- support appeals, breaking-news notes, account notices, live-blog prompts, rules --------

SUPPORT_APPEALS = {
    "de": "Gute Recherche kostet Zeit. Sie können das unterstützen. Darum: Jetzt abonnieren für "
    "freie Presse!",
    "en": "Please consider subscribing: your support helps us keep reporting from the harbour.",
    "es": "Apoya el periodismo independiente: hazte suscriptor desde un euro al mes",
    "fr": "Soutenez le journalisme indépendant, abonnez-vous pour soutenir la rédaction",
    "it": "Sostieni il giornalismo indipendente: abbonati per sostenere la redazione",
}
BREAKING_NOTES = {
    "de": "Diese Meldung wird laufend aktualisiert.",
    "en": "This is a breaking news story - more to follow",
    "es": "Noticia en ampliación",
    "fr": "Plus d'informations à suivre",
    "it": "Notizia in aggiornamento",
    "pt": "Notícia em atualização",
}
ACCOUNT_NOTICES = {
    "en": [
        "Your subscription is being used on another device",
        "Do you want to add another user to your subscription?",
        "Arrow",
        "If you want to share your account, switch to a family plan so each reader has a login.",
    ],
    "es": [
        "Tu suscripción se está usando en otro dispositivo",
        "¿Quieres añadir otro usuario a tu suscripción?",
        "Si continúas leyendo en este dispositivo, no se podrá leer en el otro.",
        "Flecha",
        "Si decides seguir compartiendo tu cuenta, este aviso aparecerá en ambos dispositivos.",
    ],
}
LIVE_BLOG_PROMPTS = {
    "de": "Alle Entwicklungen zum Hochwasser finden Sie jederzeit in unserem Liveblog:",
    "en": "Follow along with the latest updates below.",
    "fr": "Suivez notre direct pour toutes les dernières informations :",
}


@pytest.mark.parametrize("lang", sorted(SUPPORT_APPEALS))
def test_support_appeal_closing_the_story_goes(lang: str) -> None:
    result = clean_html_text(*STORIES[lang], SUPPORT_APPEALS[lang])
    assert result.text == body_of(lang)
    assert RemovalKind.NEWSLETTER in kinds(result)


def test_story_on_a_papers_subscriptions_stays() -> None:
    story = [
        "The Harbour Courier gained four thousand readers this year, and its editor said the "
        "appeal to support independent journalism had worked better than any price cut.",
        "Readers can subscribe for nine euros a month; the paper said its subscription numbers "
        "rose after it opened its archive, and staff said your subscription is being used on "
        "another device was the notice readers hated most.",
    ]
    result = clean_html_text(*STORIES["en"], *story)
    assert result.text == "\n\n".join([*STORIES["en"], *story])


@pytest.mark.parametrize("lang", sorted(BREAKING_NOTES))
def test_breaking_news_note_goes_wherever_it_stands(lang: str) -> None:
    story = STORIES[lang]
    for text in (
        [*story, BREAKING_NOTES[lang]],
        [story[0], BREAKING_NOTES[lang], *story[1:]],
    ):
        result = clean_html_text(*text)
        assert result.text == body_of(lang)
        assert RemovalKind.WIRE_TRAILER in kinds(result)


@pytest.mark.parametrize(
    "line",
    [
        '"There is more to follow," the harbour master told reporters.',
        "The ferry company said more details to follow would be sent to every resident by post.",
        "This is a developing story for the island, the mayor said on Friday evening.",
    ],
)
def test_sentence_saying_more_to_follow_stays(line: str) -> None:
    result = clean_html_text(STORIES["en"][0], line, *STORIES["en"][1:])
    assert line in result.text


@pytest.mark.parametrize("lang", sorted(ACCOUNT_NOTICES))
def test_account_notice_box_under_the_story_goes(lang: str) -> None:
    result = clean_html_text(*STORIES[lang], *ACCOUNT_NOTICES[lang])
    assert result.text == body_of(lang)
    assert RemovalKind.NEWSLETTER in kinds(result)


@pytest.mark.parametrize("lang", sorted(LIVE_BLOG_PROMPTS))
def test_live_blog_prompt_goes(lang: str) -> None:
    story = STORIES[lang]
    result = clean_html_text(story[0], LIVE_BLOG_PROMPTS[lang], *story[1:])
    assert result.text == body_of(lang)
    assert RemovalKind.PROMO in kinds(result)


def test_sentence_citing_the_live_blog_stays() -> None:
    line = (
        "Wie der Sender in unserem Liveblog am Morgen berichtete, stieg der Pegel der Elbe "
        "über Nacht um einen halben Meter."
    )
    result = clean_html_text(STORIES["de"][0], line, *STORIES["de"][1:])
    assert line in result.text


@pytest.mark.parametrize("rule", ["***", "___", "———", "* * *", "•"])
def test_separator_lines_go(rule: str) -> None:
    story = STORIES["fr"]
    result = clean_html_text(story[0], rule, *story[1:], rule)
    assert result.text == body_of("fr")
    assert RemovalKind.MARKUP in kinds(result)


@pytest.mark.parametrize("line", ["1.", "A", "2026", "—Ana Ruiz"])
def test_short_lines_with_a_letter_or_digit_are_not_separators(line: str) -> None:
    story = STORIES["fr"]
    result = clean_html_text(story[0], line, *story[1:])
    assert line in result.text


def test_about_box_under_the_references_still_goes() -> None:
    story = LONG_STORIES["de"]
    about = (
        "Das Hafeninstitut unterhält Büros in vierzig Ländern, und seine Mitarbeiter berichten "
        "von dort über Wahlen, Handel und das Meer für die Leserinnen und Leser zu Hause."
    )
    reference = "[1] Protokoll des Gemeinderats, 3. März"
    result = clean_html_text(*story, reference, "Themen", "Über diese Reihe", about)
    assert result.text == "\n\n".join([*story, reference])


def test_share_bar_with_its_networks_goes_as_a_share_prompt() -> None:
    story = STORIES["ru"]
    result = clean_html_text(*story, "Поделиться: ВКонтакте | Одноклассники | Telegram")
    assert result.text == body_of("ru")
    assert [r.kind for r in result.removed] == [RemovalKind.SHARE_PROMPT]
