"""Build the sample input folder raw/: fictional multilingual news in every input format.

Every story, site and piece of chrome below is invented for this project, so the folder can
be shipped and regenerated freely. The pages carry the furniture real sites wrap around an
article (consent banners, share prompts, related-article blocks, newsletter boxes, wire
trailers) and the copies a real crawl collects (an exact re-post, near-identical rewrites,
different stories on one topic), so every pipeline stage has something to do on a fresh clone.

Output is byte-identical on every run: WARC dates and record ids are fixed and gzip members
carry mtime 0. Usage: python tools/make_sample_raw.py [--out raw]
"""

from __future__ import annotations

import argparse
import gzip
import html
import io
import json
import textwrap
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from warcio.warcwriter import WARCWriter

REPO_ROOT = Path(__file__).resolve().parents[1]
UUID_NAMESPACE = uuid.UUID("6f1d2c3a-5b4e-4c7d-9a8b-0e1f2a3b4c5d")
NO_BREAK_LANGUAGES = frozenset({"ja", "zh"})  # scripts written without spaces between words


# ---------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class Story:
    """One news story as its author wrote it, before any site wraps chrome around it."""

    lang: str
    headline: str
    author: str
    published: str  # ISO 8601, as the page's article:published_time states it
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Chrome:
    """The furniture one site puts around every story; identical on every page of that site."""

    site_name: str
    domain: str
    lang: str
    nav: tuple[str, ...]
    cookie_text: str
    cookie_buttons: tuple[str, ...]
    share_prompt: str
    share_targets: tuple[str, ...]
    related_heading: str
    newsletter: tuple[str, str, str]  # heading, pitch, button
    footer: str
    direction: str = "ltr"
    image_label: str | None = None  # a label some sites print under generated images
    inline_chrome: bool = False  # teasers and share prompt printed inside the article body


@dataclass(frozen=True)
class Page:
    """A story as published on one site: chrome, address, date line, related teasers."""

    chrome: Chrome
    story: Story
    path: str
    date_text: str
    related: tuple[str, ...]
    caption: str | None = None

    @property
    def url(self) -> str:
        return f"https://{self.chrome.domain}{self.path}"


@dataclass(frozen=True)
class SampleFile:
    """One file of raw/ with what the README says about it."""

    path: str
    data: bytes
    fmt: str
    encoding: str
    languages: tuple[str, ...]  # one entry per document the file holds
    carries: str


def story(lang: str, headline: str, author: str, published: str, body: str) -> Story:
    """Build a story from an indented block: blank lines separate paragraphs."""
    joiner = "" if lang in NO_BREAK_LANGUAGES else " "
    blocks = textwrap.dedent(body).strip().split("\n\n")
    paragraphs = tuple(joiner.join(line.strip() for line in block.splitlines()) for block in blocks)
    return Story(lang, headline, author, published, paragraphs)


def rewrite(
    original: Story,
    *,
    headline: str,
    author: str,
    edits: tuple[tuple[str, str], ...],
    drop: int | None = None,
    credit: str | None = None,
) -> Story:
    """A lightly edited copy of a story, the way a second outlet re-publishes wire copy."""
    paragraphs = [p for i, p in enumerate(original.paragraphs) if i != drop]
    if credit:
        paragraphs.append(credit)
    for old, new in edits:
        hits = [i for i, p in enumerate(paragraphs) if old in p]
        if len(hits) != 1:
            raise ValueError(f"edit {old!r} must match exactly one paragraph, matched {hits}")
        paragraphs[hits[0]] = paragraphs[hits[0]].replace(old, new)
    return replace(original, headline=headline, author=author, paragraphs=tuple(paragraphs))


# ---------------------------------------------------------------------------------------------
# Renderers


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _head(page: Page, charset: str | None, canonical: bool) -> list[str]:
    """Metadata the extractor reads: charset, title, og tags, author, date, url."""
    chrome, item = page.chrome, page.story
    head = []
    if charset and charset.lower() == "utf-8":
        head.append('<meta charset="utf-8">')
    elif charset:
        head.append(f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">')
    head += [
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(item.headline)} | {_esc(chrome.site_name)}</title>",
        f'<meta property="og:title" content="{_esc(item.headline)}">',
        f'<meta property="og:site_name" content="{_esc(chrome.site_name)}">',
        '<meta property="og:type" content="article">',
        f'<meta name="author" content="{_esc(item.author)}">',
        f'<meta property="article:published_time" content="{item.published}">',
        f'<link rel="canonical" href="{page.url}">'
        if canonical
        else f'<meta property="og:url" content="{page.url}">',
        '<link rel="stylesheet" href="/static/site.css">',
    ]
    return head


def _figure(page: Page) -> list[str]:
    """The lead image; inline sites print caption and AI label as body paragraphs."""
    chrome = page.chrome
    if not page.caption:
        return []
    image = '<img src="/media/lead.jpg" alt="" width="960" height="540">'
    if chrome.inline_chrome:
        lines = [f'<div class="lead-image">{image}</div>', f"<p>{_esc(page.caption)}</p>"]
        if chrome.image_label:
            lines.append(f'<p class="img-note">{_esc(chrome.image_label)}</p>')
        return lines
    label = (
        f' <span class="ai-label">{_esc(chrome.image_label)}</span>' if chrome.image_label else ""
    )
    return [f"<figure>{image}<figcaption>{_esc(page.caption)}{label}</figcaption></figure>"]


def _article_tail(page: Page) -> tuple[list[str], list[str]]:
    """Share prompt and related teasers: inside the article on inline sites, else an aside."""
    chrome = page.chrome
    links = [f'<a href="#share-{i}">{_esc(t)}</a>' for i, t in enumerate(chrome.share_targets)]
    teasers = "".join(
        f'<li><a href="/related/{i}/">{_esc(title)}</a></li>'
        for i, title in enumerate(page.related)
    )
    if chrome.inline_chrome:
        inside = [
            f"<p><strong>{_esc(chrome.share_prompt)}</strong> {' | '.join(links)}</p>",
            f"<p><strong>{_esc(chrome.related_heading)}</strong></p>",
            f"<ul>{teasers}</ul>",
        ]
        return inside, []
    inside = [
        f'<div class="share"><span>{_esc(chrome.share_prompt)}</span> {" ".join(links)}</div>'
    ]
    aside = [
        f'<aside class="related"><h2>{_esc(chrome.related_heading)}</h2><ul>{teasers}</ul></aside>'
    ]
    return inside, aside


def render_html(page: Page, *, charset: str | None, canonical: bool = False) -> str:
    """A full article page: head metadata, cookie banner, nav, article, teasers, newsletter."""
    chrome, item = page.chrome, page.story
    nav = "".join(
        f'<li><a href="/{i}/">{_esc(label)}</a></li>' for i, label in enumerate(chrome.nav)
    )
    buttons = "".join(f'<button type="button">{_esc(b)}</button>' for b in chrome.cookie_buttons)
    tail_inside, tail_aside = _article_tail(page)
    heading, pitch, button = chrome.newsletter
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{chrome.lang}" dir="{chrome.direction}">',
        "<head>",
        *_head(page, charset, canonical),
        "</head>",
        "<body>",
        f'<div id="consent" class="cookie-banner" role="dialog"><p>{_esc(chrome.cookie_text)}</p>'
        f"{buttons}</div>",
        f'<header class="site-header"><a class="logo" href="/">{_esc(chrome.site_name)}</a>',
        f'<nav aria-label="main"><ul>{nav}</ul></nav></header>',
        "<main>",
        '<article class="story">',
        f"<h1>{_esc(item.headline)}</h1>",
        f'<p class="byline"><span class="author">{_esc(item.author)}</span> '
        f'<time datetime="{item.published}">{_esc(page.date_text)}</time></p>',
        *_figure(page),
        *(f"<p>{_esc(p)}</p>" for p in item.paragraphs),
        *tail_inside,
        "</article>",
        *tail_aside,
        f'<section class="newsletter"><h3>{_esc(heading)}</h3><p>{_esc(pitch)}</p>',
        f'<form action="/subscribe"><input type="email" name="email"><button>{_esc(button)}</button>'
        "</form></section>",
        "</main>",
        f'<footer class="site-footer"><p>{_esc(chrome.footer)}</p></footer>',
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(lines)


def render_text_dump(page: Page, *, credit: str | None = None) -> str:
    """A page saved as text: headline first, then the page's lines as a browser copies them."""
    chrome, item = page.chrome, page.story
    top = [item.headline, page.date_text, item.author]
    if page.caption:
        top.append(page.caption)
        if chrome.image_label:
            top.append(chrome.image_label)
    tail = [chrome.share_prompt, *chrome.share_targets, *chrome.newsletter]
    tail += [chrome.related_heading, *page.related, chrome.cookie_text, *chrome.cookie_buttons]
    tail += [chrome.footer, chrome.domain]
    body = item.text + (f"\n{credit}" if credit else "")
    return "\n".join(top) + "\n\n" + body + "\n\n" + "\n".join(tail) + "\n"


def with_lines(text: str, *lines: str) -> str:
    """Text as a feed delivers it, with the chrome lines its publisher appends."""
    return text + "\n\n" + "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Byte writers


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def jsonl(records: list[dict[str, str]], *, broken_line: str | None = None, at: int = 0) -> bytes:
    """One JSON object a line; optionally a truncated line at position `at`, as a crash leaves."""
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    if broken_line is not None:
        lines.insert(at, broken_line)
    return ("\n".join(lines) + "\n").encode("utf-8")


def warc_id(name: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(UUID_NAMESPACE, name)}>"


@dataclass(frozen=True)
class Capture:
    """One page as the crawler fetched it: url, fetch time, HTTP Content-Type, body bytes."""

    url: str
    date: str
    content_type: str
    body: bytes
    with_request: bool = False


def warc(filename: str, captures: tuple[Capture, ...]) -> bytes:
    """A gzipped WARC: warcinfo, then per capture an optional request and the response."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.0")
    info = (
        b"software: newsclean sample generator\r\n"
        b"format: WARC File Format 1.0\r\n"
        b"description: Fictional coastal news crawl for the newsclean sample folder\r\n"
        b"robots: obey\r\n"
    )
    writer.write_record(
        writer.create_warc_record(
            "",
            "warcinfo",
            payload=io.BytesIO(info),
            length=len(info),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Record-ID": warc_id(filename),
                "WARC-Date": captures[0].date,
                "WARC-Filename": filename,
            },
        )
    )
    for capture in captures:
        response_id = warc_id(capture.url + "#response")
        host = capture.url.split("/")[2]
        target = "/" + capture.url.split("/", 3)[3]
        if capture.with_request:
            request = (
                f"GET {target} HTTP/1.1\r\nHost: {host}\r\n"
                "User-Agent: coastal-crawler/0.3 (+https://crawler.example/about)\r\n"
                "Accept: text/html\r\nAccept-Language: *\r\n\r\n"
            ).encode("ascii")
            writer.write_record(
                writer.create_warc_record(
                    capture.url,
                    "request",
                    payload=io.BytesIO(request),
                    length=len(request),
                    warc_headers_dict={
                        "WARC-Record-ID": warc_id(capture.url + "#request"),
                        "WARC-Date": capture.date,
                        "WARC-Concurrent-To": response_id,
                    },
                )
            )
        head = (
            "HTTP/1.1 200 OK\r\n"
            f"Content-Type: {capture.content_type}\r\n"
            f"Content-Length: {len(capture.body)}\r\n"
            "Server: nginx\r\n\r\n"
        ).encode("ascii")
        writer.write_record(
            writer.create_warc_record(
                capture.url,
                "response",
                payload=io.BytesIO(head + capture.body),
                length=len(head) + len(capture.body),
                warc_headers_dict={"WARC-Record-ID": response_id, "WARC-Date": capture.date},
            )
        )
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Sites: each outlet's chrome, shared word for word by all of its pages

HARBOUR_LEDGER = Chrome(
    site_name="Harbour Ledger",
    domain="www.harbourledger.example",
    lang="en-GB",
    nav=("Home", "Port Callow", "Wend Valley", "Sport", "Opinion", "Obituaries", "e-Edition"),
    cookie_text="We use cookies to keep the Harbour Ledger free to read. "
    "You can accept all cookies or manage your choices.",
    cookie_buttons=("Accept all", "Manage choices"),
    share_prompt="Share this story",
    share_targets=("Facebook", "X", "WhatsApp", "Email"),
    related_heading="Related articles",
    newsletter=(
        "Get the Ledger in your inbox",
        "Our free morning briefing, every weekday at 7am.",
        "Sign up",
    ),
    footer="© 2026 Harbour Ledger Media Ltd. All rights reserved.",
)

BAYSIDE_COURIER = Chrome(
    inline_chrome=True,
    site_name="Bayside Courier",
    domain="baysidecourier.example",
    lang="en",
    nav=("News", "Business", "Environment", "Travel", "Letters"),
    cookie_text="This website uses cookies. By continuing to browse you agree to our use of "
    "cookies.",
    cookie_buttons=("OK", "Learn more"),
    share_prompt="Follow us for more coastal news",
    share_targets=("Facebook", "Instagram", "X"),
    related_heading="Don't miss",
    newsletter=("The Courier Daily", "The day's top stories from the bay, free.", "Subscribe"),
    footer="© 2026 Bayside Courier. Part of Bayside Media Group.",
)

AL_SAHIL = Chrome(
    inline_chrome=True,
    site_name="الساحل نيوز",
    domain="www.alsahil-news.example",
    lang="ar",
    direction="rtl",
    nav=("الرئيسية", "محليات", "اقتصاد", "رياضة", "ثقافة", "منوعات", "اتصل بنا"),
    cookie_text="يستخدم موقع الساحل نيوز ملفات الكوكيز لتحسين تجربة التصفح وعرض محتوى يناسبك.",
    cookie_buttons=("موافق", "إعدادات الخصوصية"),
    share_prompt="شارك الخبر:",
    share_targets=("فيسبوك", "إكس", "واتساب", "تيليجرام", "انسخ الرابط"),
    related_heading="اقرأ أيضا",
    newsletter=(
        "اشترك في النشرة البريدية",
        "احصل على أهم أخبار الساحل كل صباح في بريدك.",
        "اشترك",
    ),
    footer="جميع الحقوق محفوظة © 2026 الساحل نيوز",
    image_label="صورة مولدة بواسطة الذكاء الاصطناعي",
)

TOKYO_HARBOUR = Chrome(
    site_name="東京湾タイムズ",
    domain="www.tokyo-harbour-times.example",
    lang="ja",
    nav=("トップ", "ニュース", "湾岸地域", "経済", "スポーツ", "暮らし"),
    cookie_text="当サイトではCookieを使用しています。"
    "サイトの閲覧を続けることで、Cookieの使用に同意したものとみなします。",
    cookie_buttons=("同意する", "詳細設定"),
    share_prompt="この記事をシェアする",
    share_targets=("X", "Facebook", "LINE", "はてなブックマーク"),
    related_heading="関連記事",
    newsletter=(
        "メールマガジン登録",
        "毎朝、湾岸エリアの主要ニュースをお届けします。",
        "登録する",
    ),
    footer="© 2026 東京湾タイムズ 無断転載を禁じます",
)

KOL_HAMIFRATZ = Chrome(
    site_name="קול המפרץ",
    domain="www.kol-hamifratz.example",
    lang="he",
    direction="rtl",
    nav=("ראשי", "חדשות העיר", "תחבורה", "ספורט", "תרבות", "דעות"),
    cookie_text="אתר זה משתמש בעוגיות כדי לשפר את חוויית הגלישה. "
    "המשך הגלישה מהווה הסכמה לשימוש בעוגיות.",
    cookie_buttons=("אישור", "מדיניות פרטיות"),
    share_prompt="שתפו את הכתבה",
    share_targets=("פייסבוק", "וואטסאפ", "טלגרם"),
    related_heading="כתבות נוספות",
    newsletter=("הירשמו לניוזלטר", "כל החדשות של המפרץ, פעם ביום.", "להרשמה"),
    footer="© 2026 קול המפרץ. כל הזכויות שמורות",
)

HAIXIA_MORNING = Chrome(
    site_name="海峡晨报",
    domain="www.haixia-morning.example",
    lang="zh-CN",
    nav=("首页", "新闻", "本地", "财经", "文旅", "评论"),
    cookie_text="本网站使用Cookie以提升您的浏览体验。继续浏览即表示您同意我们使用Cookie。",
    cookie_buttons=("接受", "了解更多"),
    share_prompt="分享到：",
    share_targets=("微信", "微博", "QQ空间"),
    related_heading="相关阅读",
    newsletter=("订阅晨报简讯", "每天早上七点，把海峡两岸的要闻送到您的邮箱。", "立即订阅"),
    footer="© 2026 海峡晨报 版权所有 未经授权禁止转载",
)

VOLGA_VESTNIK = Chrome(
    inline_chrome=True,
    site_name="Волжский вестник",
    domain="volga-vestnik.example",
    lang="ru",
    nav=("Главная", "Новости", "Общество", "Экономика", "Происшествия", "Спорт"),
    cookie_text="Мы используем файлы cookie, чтобы сайт работал лучше. "
    "Продолжая пользоваться сайтом, вы соглашаетесь с этим.",
    cookie_buttons=("Принять",),
    share_prompt="Поделиться:",
    share_targets=("ВКонтакте", "Одноклассники", "Telegram"),
    related_heading="Читайте также",
    newsletter=("Подпишитесь на рассылку", "Главные новости Поволжья раз в день.", "Подписаться"),
    footer="© 2026 «Волжский вестник». При использовании материалов ссылка обязательна.",
)

EL_FARO = Chrome(
    inline_chrome=True,
    site_name="El Faro Costero",
    domain="www.elfarocostero.example",
    lang="es",
    nav=("Portada", "Local", "Comarca", "Deportes", "Cultura", "Opinión"),
    cookie_text="Utilizamos cookies propias y de terceros para mejorar nuestros servicios. "
    "Puede aceptarlas todas o configurar su uso.",
    cookie_buttons=("Aceptar", "Configurar"),
    share_prompt="Comparte esta noticia",
    share_targets=("Facebook", "X", "WhatsApp"),
    related_heading="Noticias relacionadas",
    newsletter=(
        "Suscríbete a nuestro boletín",
        "Recibe cada mañana las noticias de la costa.",
        "Suscribirme",
    ),
    footer="© 2026 El Faro Costero. Todos los derechos reservados.",
)

NORDSEE_KURIER = Chrome(
    site_name="Nordsee-Kurier",
    domain="www.nordsee-kurier.example",
    lang="de",
    nav=("Startseite", "Region", "Wattsiel", "Küste", "Sport", "Kultur"),
    cookie_text="Wir verwenden Cookies, um Inhalte zu personalisieren und Zugriffe zu analysieren. "
    "Mit „Alle akzeptieren“ stimmen Sie dem zu.",
    cookie_buttons=("Alle akzeptieren", "Einstellungen"),
    share_prompt="Artikel teilen",
    share_targets=("Facebook", "X", "WhatsApp", "E-Mail"),
    related_heading="Das könnte Sie auch interessieren",
    newsletter=(
        "Newsletter abonnieren",
        "Die wichtigsten Nachrichten von der Küste, jeden Morgen.",
        "Jetzt anmelden",
    ),
    footer="© 2026 Nordsee-Kurier Verlag GmbH",
)

GAZETTE_QUAIS = Chrome(
    site_name="La Gazette des Quais",
    domain="www.gazettedesquais.example",
    lang="fr",
    nav=("Accueil", "Port-Salin", "Littoral", "Économie", "Sports", "Culture"),
    cookie_text="Nous utilisons des cookies pour mesurer l'audience et vous proposer des contenus "
    "adaptés. Vous pouvez accepter ou paramétrer vos choix.",
    cookie_buttons=("Tout accepter", "Paramétrer"),
    share_prompt="Partager cet article",
    share_targets=("Facebook", "X", "LinkedIn"),
    related_heading="Lire aussi",
    newsletter=(
        "Recevez notre newsletter",
        "L'essentiel de l'actualité du littoral, chaque matin.",
        "Je m'inscris",
    ),
    footer="© 2026 La Gazette des Quais - Tous droits réservés",
)

HAESOL_ILBO = Chrome(
    inline_chrome=True,
    site_name="해솔일보",
    domain="www.haesol-ilbo.example",
    lang="ko",
    nav=("홈", "정치", "사회", "경제", "문화", "오피니언"),
    cookie_text="이 웹사이트는 더 나은 서비스를 위해 쿠키를 사용합니다. "
    "계속 이용하시면 쿠키 사용에 동의하는 것으로 간주됩니다.",
    cookie_buttons=("동의", "설정"),
    share_prompt="기사 공유하기",
    share_targets=("카카오톡", "페이스북", "X", "URL 복사"),
    related_heading="관련 기사",
    newsletter=("뉴스레터 구독", "매일 아침 해솔의 주요 뉴스를 보내 드립니다.", "구독하기"),
    footer="ⓒ 2026 해솔일보 무단전재 및 재배포 금지",
)


# ---------------------------------------------------------------------------------------------
# Stories. English: one wire story re-published by three outlets, two other stories on the
# same topic (they must stay separate articles), and an unrelated wire story.

WIRE_BARRAGE = story(
    "en",
    "Port Callow tidal barrage begins generating after nine-year build",
    "Coastwire staff",
    "2026-03-14T09:12:00+00:00",
    """
    PORT CALLOW, March 14 (Coastwire) - The tidal barrage across the mouth of the River Wend
    began feeding power into the regional grid on Saturday morning, nine years after the first
    concrete caisson was floated into place and three years later than the town council had
    promised.

    Twelve low-head turbines set into the 640-metre wall turn as the tide falls through the
    sluices. At full output they can supply about 38,000 homes, roughly the size of Port Callow
    and its three neighbouring villages, according to the operator, Wend Estuary Power.

    "Today the sea starts paying us back," council leader Miriam Okafor told a crowd of several
    hundred people gathered on the harbour wall as the first sluice gates opened. "People here
    have watched this wall grow for almost a decade. Now they can watch it work."

    The project cost 412 million pounds, nearly double the original estimate. An audit
    published last autumn blamed storm damage during construction and a two-year dispute with
    the turbine supplier over blade corrosion.

    Environmental groups remain divided. The Wend Valley Trust, which fought the scheme in court
    in 2019, said the fish passes built into the wall had not yet been tested during the spring
    migration of sea trout and eels. The operator said monitoring cameras would report results
    monthly.

    Engineers expect the barrage to reach its full rated output by early summer, once the last
    two turbines complete their trial runs. Until then the plant will run at about 70 percent
    of capacity.

    A footpath along the top of the wall, linking the harbour to the dunes on the southern
    bank, is due to open to walkers at Easter.
    """,
)
WIRE_TRAILER = "END [Copyright Coastwire News Agency 2026]"

LEDGER_BARRAGE = rewrite(
    WIRE_BARRAGE,
    headline="Tide turns for Port Callow as the barrage finally powers up",
    author="Coastwire reporters",
    edits=(
        ("PORT CALLOW, March 14 (Coastwire) - ", "PORT CALLOW (Coastwire) — "),
        ("on Saturday morning", "on Saturday"),
        ("a crowd of several hundred people", "hundreds of residents"),
        ("nearly double", "almost twice"),
    ),
)

COURIER_BARRAGE = rewrite(
    WIRE_BARRAGE,
    headline="Wend barrage opens three years late and twice over budget",
    author="Staff and agencies",
    edits=(
        ("PORT CALLOW, March 14 (Coastwire) - ", "PORT CALLOW, March 14 — "),
        ("would report results monthly", "would publish results every month"),
    ),
    drop=6,
    credit="(Reporting by Coastwire; additional reporting by Bayside Courier staff)",
)

LEDGER_EELS = story(
    "en",
    "Eel fishermen fear the new wall will block the spring run",
    "Tom Pellow",
    "2026-03-15T07:40:00+00:00",
    """
    Three weeks before the glass eels usually arrive in the Wend estuary, the handful of
    licensed fishermen who still work the river say they have no idea whether the young fish
    will find their way past the new tidal barrage.

    "We have been told the fish pass works on paper," said Davey Rusk, 61, who has fished the
    estuary with dip nets since he was a teenager. "Paper does not swim upstream."

    The barrage operator, Wend Estuary Power, has installed a graded eel ramp and two fish
    locks on the northern side of the wall. It says underwater cameras and a counting trap
    above the sluices will show within weeks how many eels and sea trout get through.

    The Wend Valley Trust wants the operator to open the sluices for two hours around each high
    tide during the migration season, even if that costs some generation. The company said it
    would consider the request once the first month of counts is in.

    Only seven eel licences remain on the river, down from forty in the 1990s. Rusk said most
    of the men who held them have already sold their boats. "If the run fails this year," he
    said, "there will be nobody left to complain about it."
    """,
)

LEDGER_AUDIT = story(
    "en",
    "Barrage audit: storm damage and a blade dispute doubled the bill",
    "By Priya Nandakumar, Politics Correspondent",
    "2026-03-16T08:30:00+00:00",
    """
    The Wend tidal barrage cost 412 million pounds, almost twice its 2017 budget, and a report
    by the county's audit office says most of the overrun could have been avoided.

    The report, published on Monday, finds that two winter storms in 2021 wrecked temporary
    coffer dams that had not been built to withstand a once-in-fifty-years surge. Repairs and
    the lost working season added 96 million pounds.

    A further 70 million pounds followed a dispute with the turbine maker, Halvard Hydro, after
    corrosion was found on blades delivered in 2022. The blades were recoated twice before both
    sides agreed to replace them at shared cost.

    Auditors also criticise the council for signing the construction contract before the seabed
    survey was finished, which left the builder free to claim for "unforeseen ground
    conditions" on three separate occasions.

    Council leader Miriam Okafor said the authority accepted the findings and had already
    changed how it manages large contracts. Opposition councillors have called for an
    independent inquiry.

    The operator says the barrage should pay back its construction cost in about 28 years at
    current power prices.
    """,
)

WIRE_FERRY = story(
    "en",
    "Ferry crews on Lantern Isles route to strike for 48 hours",
    "Coastwire staff",
    "2026-03-15T15:05:00+00:00",
    """
    LANTERN ISLES, March 15 (Coastwire) - Crews on the only car ferry linking the Lantern Isles
    to the mainland will walk out for 48 hours from Thursday in a dispute over rest periods,
    their union said on Sunday.

    The Maritime and Harbour Workers' Union said 54 of its 61 members on the route had voted
    for action after the operator, Skerry Line, proposed extending shifts from twelve to
    fourteen hours during the summer timetable.

    Skerry Line said it was "disappointed" and would run a reduced passenger-only service using
    a chartered fast boat. Islanders who need to travel for hospital appointments have been
    asked to contact the island council.

    The ferry carries about 900 vehicles a week in March, rising to more than 3,000 in August.
    Shopkeepers on the largest island, Great Lantern, said fresh food deliveries would be
    brought forward to Wednesday.

    Talks at the conciliation service are scheduled for Tuesday.
    """,
)


# Arabic, Hebrew, Persian

SAHIL_PORT = story(
    "ar",
    "بدء أعمال توسعة ميناء الصيد في مدينة رأس المرجان",
    "سعاد المنصوري",
    "2026-03-15T08:20:00+03:00",
    """
    أعلنت بلدية رأس المرجان، صباح الأحد، بدء أعمال توسعة ميناء الصيد الرئيسي في المدينة، في مشروع
    تبلغ كلفته نحو 45 مليون دينار ويستغرق تنفيذه قرابة عامين.

    وقال رئيس البلدية، سالم الحداد، في مؤتمر صحفي عقده على رصيف الميناء، إن التوسعة ستضيف مئة
    وعشرين مرسى جديدا للقوارب الصغيرة، إلى جانب سوق مغطاة لبيع السمك ومخازن مبردة تتسع لثلاثمئة طن.

    وأضاف أن الصيادين اشتكوا طويلا من ازدحام الميناء في موسم السردين، إذ تضطر بعض القوارب إلى
    الانتظار ساعات قبل أن تتمكن من تفريغ حمولتها، مما يؤثر في جودة السمك وأسعاره.

    ومن المقرر أن تبقى الأرصفة الحالية مفتوحة طوال فترة الأعمال، على أن تنفذ الأشغال البحرية على
    مراحل لتجنب تعطيل حركة القوارب.

    ورحبت جمعية الصيادين بالمشروع، لكنها طالبت بإشراكها في توزيع المراسي الجديدة، وبأن تكون الأولوية
    لأصحاب القوارب التقليدية الذين يعملون في المدينة منذ عقود.

    وأشار الحداد إلى أن البلدية تدرس أيضا إنشاء ممر للمشاة على الحاجز الشمالي للميناء، ليكون متنزها
    للعائلات في أمسيات الصيف.
    """,
)

SAHIL_DESALINATION = story(
    "ar",
    "محطة جديدة لتحلية المياه تدخل الخدمة في الساحل الجنوبي",
    "كريم الزين",
    "2026-03-17T11:05:00+03:00",
    """
    دخلت محطة تحلية مياه البحر الجديدة في بلدة وادي الملح الخدمة رسميا يوم الثلاثاء، بطاقة إنتاجية
    تبلغ ستين ألف متر مكعب يوميا، وهو ما يكفي لتغطية احتياجات نحو مئتي ألف نسمة.

    وقالت المهندسة ريم العبيدي، مديرة المشروع، إن المحطة تعمل بتقنية التناضح العكسي، وإن ثلث
    الكهرباء التي تحتاجها يأتي من حقل للألواح الشمسية أقيم على تلة قريبة.

    وكانت بلدات الساحل الجنوبي تعاني منذ سنوات من انقطاع المياه لساعات طويلة في أشهر الصيف، حين
    يتضاعف عدد السكان بسبب الزوار والمصطافين.

    وأكدت العبيدي أن المحطة تعيد المياه شديدة الملوحة إلى البحر عبر أنبوب يمتد كيلومترين داخل المياه
    العميقة، بعيدا عن الشعاب المرجانية ومناطق الصيد القريبة من الشاطئ.

    غير أن ناشطين بيئيين طالبوا بنشر نتائج مراقبة جودة مياه البحر حول مخرج الأنبوب بشكل دوري،
    وقالوا إن الشفافية هي الضمان الوحيد لثقة السكان.

    ومن المنتظر أن تنخفض فاتورة نقل المياه بالصهاريج، التي كانت البلدية تتحملها كل صيف، بنحو النصف.
    """,
)

SAHIL_SARDINES = story(
    "ar",
    "انطلاق موسم صيد السردين وسط توقعات بوفرة الإنتاج",
    "الساحل نيوز - محليات",
    "2026-03-16T10:45:00+03:00",
    """
    انطلق صباح اليوم موسم صيد السردين على امتداد ساحل رأس المرجان، بعد توقف دام ثلاثة أشهر فرضته
    وزارة الزراعة والثروة السمكية لحماية المخزون خلال فترة التكاثر.

    وخرج أكثر من مئتي قارب من الميناء قبل شروق الشمس، فيما توقع مسؤولو الجمعية التعاونية للصيادين
    أن يكون الإنتاج هذا العام أفضل من الموسم الماضي بفضل اعتدال درجات حرارة المياه.

    وقال الصياد عبد الله البحري، الذي يعمل في المهنة منذ ثلاثين عاما، إن «البحر كان كريما في
    الأسابيع الأخيرة، والأسماك قريبة من الشاطئ على غير العادة».

    وحددت الوزارة سعرا استرشاديا للكيلوغرام الواحد في أسواق الجملة، ودعت التجار إلى الالتزام به
    لتجنب ارتفاع الأسعار على المستهلكين في بداية الموسم.

    كما ذكّرت الصيادين بضرورة استخدام الشباك ذات الفتحات المسموح بها، مؤكدة أن فرق الرقابة ستنفذ
    جولات تفتيش يومية في الموانئ الثلاثة بالمحافظة.
    """,
)

HAMIFRATZ_BIKES = story(
    "he",
    "שביל אופניים חדש לאורך הטיילת נחנך בחוף אלמוג",
    "מיכל דהן",
    "2026-03-16T13:30:00+02:00",
    """
    עיריית חוף אלמוג חנכה ביום שני את שביל האופניים החדש לאורך הטיילת, באורך של שישה קילומטרים,
    המחבר בין הנמל הדרומי לשכונות הצפוניות של העיר.

    לדברי מהנדסת העיר, נועה ברגר, השביל מופרד מהמדרכה בגדר נמוכה ובצמחייה, כדי למנוע תאונות בין
    רוכבים להולכי רגל, בעיקר בשעות הערב העמוסות בקיץ.

    לאורך השביל הוצבו שמונה תחנות להשכרת אופניים חשמליים ועשרות מתקני חניה. העירייה מעריכה כי
    כארבעת אלפים תושבים ישתמשו בשביל מדי יום בדרכם לעבודה ולבתי הספר.

    בעלי עסקים בטיילת הביעו חשש מאובדן מקומות חניה לרכבים, אך ראש העיר אמר כי חניון חדש ייפתח
    בסמוך לנמל עד סוף השנה.

    העבודות נמשכו כשנה וחצי ועלו כשלושים מיליון שקלים, שחלקם מומנו על ידי משרד התחבורה.

    בשלב הבא מתכננת העירייה להאריך את השביל דרומה עד שמורת החולות, ולחבר אותו לתחנת
    הרכבת החדשה שתיפתח בעוד שנתיים. רוכבים ותיקים בעיר בירכו על הפרויקט, אך ביקשו
    להוסיף תאורה בקטעים החשוכים שליד המזח הישן.
    """,
)

BANDAR_FISH_MARKET = story(
    "fa",
    "بازار ماهی بندر نیلگون پس از نوسازی بازگشایی شد",
    "مریم رضایی",
    "2026-03-14T09:00:00+03:30",
    """
    بازار ماهی‌فروشان بندر نیلگون پس از هشت ماه نوسازی، صبح شنبه دوباره به روی خریداران باز شد.
    در این طرح سقف قدیمی بازار تعویض شد و سیستم خنک‌کننده تازه‌ای برای نگهداری ماهی‌ها نصب شد.

    شهردار بندر گفت که هزینه این طرح حدود دویست میلیارد ریال بوده و بخشی از آن را اتحادیه صیادان
    پرداخت کرده است. به گفته او، غرفه‌های جدید با کاشی‌های ضدلغزش و آب جاری ساخته شده‌اند تا بهداشت
    بازار بهتر شود.

    فروشندگان از فضای تازه راضی هستند، اما برخی از آن‌ها می‌گویند اجاره غرفه‌ها نسبت به سال گذشته
    بیشتر شده است. یکی از ماهی‌فروشان قدیمی بازار گفت: «مشتری‌ها برگشته‌اند، ولی باید دید با این
    اجاره‌ها چند نفر می‌توانند بمانند.»

    شهرداری اعلام کرده است که بازار از این پس هر روز از ساعت شش صبح تا یک بعدازظهر باز خواهد بود.
    """,
)


# Japanese, Chinese, Korean

TOKYO_FERRY = story(
    "ja",
    "木更津―横浜の高速フェリー、4月から1日8往復に増便",
    "東京湾タイムズ 経済部",
    "2026-03-12T17:00:00+09:00",
    """
    湾岸フェリー株式会社は12日、木更津港と横浜・大さん橋を結ぶ高速フェリーを
    4月1日から1日8往復に増便すると発表した。現在の5往復から大幅に増え、
    朝夕の通勤時間帯には1時間おきに運航する。

    同社によると、昨年度の利用者は約62万人で、前年度より18パーセント増えた。
    湾岸道路の渋滞を避けて通勤する会社員や、週末の観光客の利用が伸びているという。

    増便に合わせて、定員250人の新造船「はやしお」を投入する。船内には電源付きの
    座席や自転車置き場を設け、横浜側では駅までの連絡バスとの乗り継ぎ時間を短縮する。

    木更津市の担当者は「通勤圏が広がれば、子育て世代の移住が増えることも期待
    できる」と話している。運賃は片道1800円で据え置く。
    """,
)

TOKYO_NIGHT_MARKET = story(
    "ja",
    "晴海ふ頭の夜市、3年ぶりに復活　屋台60店が並ぶ",
    "東京湾タイムズ 地域報道部",
    "2026-03-14T22:10:00+09:00",
    """
    改修工事のため中止が続いていた晴海ふ頭の夜市が14日夜、3年ぶりに開かれた。
    岸壁沿いに約60の屋台が並び、家族連れや会社帰りの人たちでにぎわった。

    夜市は地元の商店会と漁業協同組合が共同で開いており、今年は東京湾で取れた
    アナゴやスズキの天ぷら、房総半島の農家が持ち込んだ野菜などが人気を集めた。

    会場では、ふ頭の歴史を紹介する写真展も開かれた。昭和の時代に貨物船が
    行き交った様子を写した白黒写真の前では、年配の来場者が足を止めて
    懐かしそうに見入っていた。

    商店会の会長は「海沿いのにぎわいを取り戻したい。毎月第2土曜日の定期開催を
    目指す」と話した。次回は4月11日の予定。
    """,
)

TOKYO_SURGE_DRILL = story(
    "ja",
    "東京湾岸で大規模な高潮避難訓練　住民1200人が参加",
    "東京湾タイムズ 社会部",
    "2026-03-15T18:20:00+09:00",
    """
    台風による高潮を想定した避難訓練が15日、湾岸地域の3つの区で行われ、
    住民や企業の従業員など約1200人が参加した。

    訓練は、大型の台風が東京湾に接近し、満潮と重なって潮位が大きく上がったという
    想定で実施された。防災無線で避難指示が出されると、参加者は近くの高層
    マンションや学校の上層階へ移動した。

    今年は初めて、スマートフォンのアプリで避難先の混雑状況を確認する仕組みも
    試された。区の担当者は「一か所に人が集中するのを防ぐことができる」と
    効果を強調した。

    一方、高齢の参加者からは「アプリの操作が難しい」との声も上がり、区は紙の
    地図の配布も続ける方針だ。
    """,
)

HAIXIA_BRIDGE = story(
    "zh",
    "滨海新城跨海大桥主体结构合龙 预计年底通车",
    "本报记者 陈思远",
    "2026-03-13T10:30:00+08:00",
    """
    3月13日上午，连接滨海新城与青屿岛的跨海大桥主体结构顺利合龙，
    标志着这一重点工程进入桥面铺装和附属设施施工阶段。

    大桥全长6.8公里，为双向六车道设计，设计时速80公里。建成后，
    从新城中心驾车到青屿岛的时间将由目前绕行的一个多小时缩短至约十五分钟。

    项目负责人介绍，由于桥址海域风浪较大，施工团队采用了整体吊装的方式
    安装钢箱梁，减少了海上作业时间。去年台风季期间，工地曾两次全面停工。

    当地居民对大桥通车充满期待。在青屿岛经营民宿的林女士说，以前游客
    最担心的就是渡轮停航，大桥通了以后，周末的客人应该会多起来。

    按照计划，大桥将于今年年底前具备通车条件。

    责任编辑：周晓岚
    """,
)

HAIXIA_COLD_STORE = story(
    "zh",
    "南港渔港启用智能冷库 渔获保鲜时间延长一倍",
    "本报通讯员 黄嘉怡",
    "2026-03-16T08:15:00+08:00",
    """
    南港渔港新建的智能冷库于本周一正式投入使用，可同时储存渔获约两千吨。
    冷库采用分区温控系统，不同种类的海产品可以按照各自需要的温度分别存放。

    渔港管理处负责人表示，过去一到捕捞旺季，冷库容量不足，不少渔民只能
    低价当天出售渔获。新冷库启用后，渔获的保鲜时间预计可延长一倍，渔民
    可以根据市场价格选择出售时机。

    冷库屋顶还铺设了光伏板，每年可发电约一百二十万千瓦时，能满足冷库
    三成左右的用电需求。

    不过，部分渔民认为冷库的租用费用偏高。管理处表示，将对小型渔船船主
    给予为期一年的租金优惠。
    """,
)

HAESOL_LIBRARY = story(
    "ko",
    "해솔시 남항 산책로에 '바다 도서관' 문 열어",
    "김하늘 기자",
    "2026-03-14T11:00:00+09:00",
    """
    해솔시는 14일 남항 해안 산책로에 컨테이너 두 개를 이어 붙인 '바다
    도서관'을 열었다고 밝혔다. 도서관에는 바다와 해양 생물을 주제로 한 책
    1500여 권이 비치됐다.

    도서관은 원래 어구를 보관하던 창고 자리에 들어섰다. 시는 낡은 창고를
    철거하는 대신 주민 의견을 받아 작은 도서관과 쉼터로 바꾸기로 했다.

    창가 자리에서는 항구를 드나드는 배를 바라보며 책을 읽을 수 있다.
    주말에는 어린이를 위한 해양 생물 그림 그리기 교실도 열린다.

    산책로를 자주 찾는다는 한 주민은 "바람이 부는 날에도 잠시 쉬어 갈 곳이
    생겨 반갑다"고 말했다.

    도서관은 화요일부터 일요일까지 오전 10시부터 오후 6시까지 운영하며,
    이용료는 없다.

    시는 주민들이 기증한 책으로 서가를 계속 채워 나갈 계획이며, 올해 안에 북항
    방파제 근처에도 비슷한 도서관을 하나 더 만들 예정이다. 도서관 운영은 인근
    어촌계 주민들로 구성된 자원봉사단이 맡는다.
    """,
)

HAESOL_AUCTION = story(
    "ko",
    "해솔항 수산시장 새벽 경매, 관광객에게 공개",
    "이도윤 기자",
    "2026-03-17T06:30:00+09:00",
    """
    해솔항 수산시장이 이달부터 새벽 경매 현장을 관광객에게 공개한다. 관람객은
    오전 5시부터 2층 전망 통로에서 경매사와 중매인들이 생선 값을 매기는 모습을
    지켜볼 수 있다.

    시장 측은 안전사고를 막기 위해 경매장 바닥에는 관광객이 내려갈 수 없도록
    하고, 한 번에 관람할 수 있는 인원을 40명으로 제한했다. 관람은 인터넷으로
    미리 예약해야 한다.

    경매가 끝난 뒤에는 시장 상인들이 운영하는 아침 식당에서 갓 들어온 생선으로
    만든 국밥을 맛볼 수 있다.

    시장 관계자는 "새벽 경매는 이곳 사람들에게 일상이지만, 외지인에게는 특별한
    풍경"이라며 "시장을 찾는 발길이 늘어나길 기대한다"고 말했다.

    해솔시는 관람객 반응을 지켜본 뒤 여름 휴가철에는 관람 인원을 늘리고, 외국인
    관광객을 위해 영어와 일본어 안내판도 설치할 계획이다. 다만 태풍이나 기상
    악화로 어선이 출항하지 못한 날에는 경매가 열리지 않아 관람도 취소된다.
    """,
)


# Russian, Spanish, German, French, Turkish

VESTNIK_ICE_CROSSING = story(
    "ru",
    "Ледовую переправу через Волгу у Сосновки закрыли раньше срока",
    "Анна Кузнецова",
    "2026-03-14T11:05:00+03:00",
    """
    Ледовую переправу между Сосновкой и Заречным закрыли в субботу утром, почти на две недели
    раньше, чем обычно. Решение приняли после того, как спасатели обнаружили трещины и промоины
    в нескольких местах трассы.

    По данным спасательной службы, толщина льда у правого берега за неделю уменьшилась с 42 до
    25 сантиметров. Причиной стала необычно тёплая погода: днём воздух прогревается до плюс
    восьми градусов.

    Жителям Заречного, которые ездили по льду в районный центр за продуктами и в поликлинику,
    теперь придётся делать крюк почти в девяносто километров через мост у Каменска.
    Администрация района пообещала с понедельника пустить дополнительный автобус.

    Паромное сообщение обычно открывается после ледохода, в конце апреля. До этого времени
    спасатели будут дежурить у берега и просят рыбаков не выходить на лёд.

    «Каждый год находятся смельчаки, которые проверяют лёд на прочность. Этой весной это
    особенно опасно», — сказал начальник местной спасательной станции Виктор Лапин.
    """,
)

VESTNIK_CRUISE_PIER = story(
    "ru",
    "В речном порту Каменска построят новый причал для круизных теплоходов",
    "Игорь Беляев",
    "2026-03-16T09:40:00+03:00",
    """
    Речной порт Каменска до конца года получит новый причал для круизных теплоходов. Контракт
    на строительство подписан в пятницу, его стоимость составляет 640 миллионов рублей.

    Сейчас большие четырёхпалубные суда не могут подойти к городской набережной и встают на
    якорь на середине реки, а туристов доставляют на берег катерами. Из-за этого многие
    туроператоры исключили Каменск из своих маршрутов.

    Новый причал длиной 150 метров позволит одновременно принимать два теплохода. Рядом
    появятся павильон для пассажиров, стоянка для экскурсионных автобусов и пешеходный спуск к
    старому городу.

    По оценке городской администрации, в навигацию 2027 года Каменск смогут посетить до сорока
    тысяч туристов — вчетверо больше, чем сейчас.

    Владельцы кафе и сувенирных лавок на набережной встретили новость с оптимизмом, но просят
    власти заранее продумать, где будут парковаться автобусы, чтобы не перекрывать узкие улицы
    исторического центра.
    """,
)

FARO_TIDES_FESTIVAL = story(
    "es",
    "Las barcas iluminadas vuelven a la Fiesta de las Mareas de Puerto Lince",
    "Lucía Arrieta",
    "2026-03-15T23:10:00+01:00",
    """
    Más de cuarenta barcas adornadas con farolillos recorrieron el sábado por la noche la bahía
    de Puerto Lince en la procesión marítima que abre la Fiesta de las Mareas, que recupera este
    año su recorrido original tras dos ediciones limitadas al interior del puerto.

    Miles de vecinos y visitantes siguieron el desfile desde el paseo marítimo y el espigón,
    donde la cofradía de pescadores instaló una carpa para repartir sardinas asadas y pan de
    maíz.

    "Es la noche más bonita del año para el pueblo", explicó Carmen Iriarte, que a sus 78 años
    nunca se ha perdido la procesión. "Mi padre ya sacaba su barca con velas de colores."

    El Ayuntamiento calcula que la fiesta, que se prolonga hasta el martes con conciertos,
    regatas de traineras y un mercado de artesanía, atraerá a unas 25.000 personas. La Policía
    Local ha cortado al tráfico el acceso al muelle norte durante las cuatro jornadas.

    La organización ha pedido a los asistentes que no lancen globos ni farolillos al mar, una
    costumbre que el año pasado dejó cientos de restos flotando en la bahía.
    """,
)

FARO_FISH_AUCTION = story(
    "es",
    "La cofradía de Puerto Lince estrena una lonja con subasta electrónica",
    "Redacción",
    "2026-03-16T12:40:00+01:00",
    """
    La cofradía de pescadores de Puerto Lince estrenó el lunes su nueva lonja, un edificio de
    dos plantas junto al muelle pesquero que sustituye a la vieja nave de los años sesenta.

    La principal novedad es la subasta electrónica: los compradores pujan desde una grada o a
    través de una aplicación, y el precio de cada caja baja cada pocos segundos hasta que
    alguien la reclama. Según el patrón mayor, Iñaki Lasa, el sistema "da más transparencia y
    evita discusiones".

    La nueva lonja cuenta además con cámaras frigoríficas, una fábrica de hielo y un espacio
    para que los colegios visiten las instalaciones y conozcan el oficio.

    La obra ha costado 3,2 millones de euros, financiados en su mayor parte con fondos europeos
    para la pesca. Los pescadores confían en que la modernización ayude a atraer a jóvenes a
    una profesión que en la comarca ha perdido la mitad de sus barcos en veinte años.
    """,
)
FARO_CREDIT = "(Agencia Costa)"

KURIER_DIKE = story(
    "de",
    "Deichverstärkung in Wattsiel: Bauarbeiten beginnen nach Ostern",
    "Henrike Jansen",
    "2026-03-17T14:20:00+01:00",
    """
    Nach jahrelangen Planungen beginnt nach Ostern die Verstärkung des Seedeichs vor Wattsiel.
    Auf einer Länge von 4,2 Kilometern wird der Deich um bis zu 1,20 Meter erhöht und auf der
    Landseite verbreitert, teilte der Deichverband am Dienstag mit.

    Hintergrund sind neue Berechnungen zum Anstieg des Meeresspiegels. Der bisherige Deich
    stammt im Kern aus den 1960er-Jahren und entspricht nach Angaben des Verbands nicht mehr den
    Anforderungen für die kommenden Jahrzehnte.

    Für die Bauzeit von rund drei Jahren werden etwa 600.000 Kubikmeter Klei benötigt, der zum
    größten Teil aus einer Entnahmestelle im Hinterland per Lastwagen angeliefert wird.
    Anwohner müssen sich deshalb auf zusätzlichen Verkehr auf der Kreisstraße einstellen.

    Der beliebte Deichweg zwischen Hafen und Badestelle bleibt während der Sommermonate
    geöffnet, soll aber in den Wintern 2026 und 2027 zeitweise gesperrt werden. Die Kosten von
    58 Millionen Euro tragen Bund und Land.
    """,
)

KURIER_HALLIG_FERRY = story(
    "de",
    "Fähre nach Hallig Brinke fährt wieder nach Fahrplan",
    "Ole Petersen",
    "2026-03-16T10:00:00+01:00",
    """
    Die Fährverbindung zur Hallig Brinke ist seit Montag wieder regulär in Betrieb. Wegen
    niedriger Wasserstände nach mehreren Tagen mit starkem Ostwind war der Verkehr in der
    vergangenen Woche mehrfach ausgefallen.

    Die Reederei hatte die Abfahrten zeitweise auf die Mittagsstunden verlegt, weil das
    Fahrwasser bei Niedrigwasser zu flach für das Schiff war. Für Schulkinder der Hallig wurde
    ein Notdienst mit einem kleineren Boot eingerichtet.

    Ein Sprecher des Wasserstraßenamts kündigte an, die Fahrrinne im April erneut ausbaggern zu
    lassen. Sie versandet seit Jahren schneller als früher, was Fachleute auf veränderte
    Strömungen im Wattenmeer zurückführen.

    Auf der Hallig leben dauerhaft 34 Menschen. Im Sommer kommen täglich bis zu 500 Tagesgäste.

    Die Halligbewohner fordern seit Langem ein zweites, flacher gehendes Schiff, das auch bei
    Niedrigwasser fahren kann. Der Kreis prüft nach eigenen Angaben eine Förderung, eine
    Entscheidung soll bis zum Sommer fallen.
    """,
)

GAZETTE_COOKIE_WARNING = story(
    "fr",
    "Bannières cookies : la commune de Port-Salin rappelée à l'ordre",
    "Élise Kerbrat",
    "2026-03-17T09:15:00+01:00",
    """
    L'autorité de protection des données a adressé mardi un avertissement à la commune de
    Port-Salin, dont le site internet déposait des cookies publicitaires avant même que les
    visiteurs aient pu donner leur accord.

    Selon la décision, la bannière affichée sur le portail municipal proposait un bouton « Tout
    accepter » bien visible, tandis que l'option de refus n'apparaissait qu'après trois clics
    dans un menu de paramètres. « Refuser doit être aussi simple qu'accepter », rappelle
    l'autorité.

    La mairie dispose de deux mois pour corriger son site. Le maire, Jean-Luc Morvan, assure que
    le prestataire chargé du portail a déjà supprimé les traceurs concernés et qu'aucune donnée
    n'a été revendue.

    Une association locale de défense des usagers du numérique, à l'origine de la plainte, se
    dit satisfaite mais regrette l'absence d'amende. Elle a recensé une douzaine d'autres sites
    de collectivités du littoral présentant le même défaut.
    """,
)

KIYI_HARBOUR = story(
    "tr",
    "Mavikıyı'da balıkçı barınağı genişletiliyor",
    "Kıyı Haber Ajansı",
    "2026-03-14T16:20:00+03:00",
    """
    Mavikıyı ilçesindeki balıkçı barınağında genişletme çalışmaları başladı. Proje kapsamında
    mevcut dalgakıran 120 metre uzatılacak ve 80 teknelik yeni bir bağlama alanı oluşturulacak.

    Kooperatif başkanı Hasan Yıldırım, kış aylarında sert poyrazın teknelere zarar verdiğini,
    bu nedenle balıkçıların yıllardır daha korunaklı bir liman beklediğini söyledi.

    Çalışmaların sonbahara kadar tamamlanması planlanıyor. Bu süre içinde teknelerin bir kısmı
    geçici olarak komşu köydeki iskeleye bağlanacak.

    İlçe belediyesi, barınağın yanına balık satışı için küçük bir pazar yeri ve bir çay ocağı
    yapılmasını da gündeme aldı. Yıldırım, "Balıkçı hem teknesini hem de ekmeğini korumak
    istiyor" dedi.

    Bölgede yaklaşık 150 tekne ile kıyı balıkçılığı yapılıyor. Kooperatif, yeni bağlama
    alanındaki yerlerin kura ile dağıtılmasını ve önceliğin küçük teknelere verilmesini
    istiyor. Belediye ise kışın barınağa sığınan yabancı teknelerden alınacak ücretlerle
    bakım masraflarının karşılanmasını öneriyor.
    """,
)


# ---------------------------------------------------------------------------------------------
# Pages: where each story appears, with its date line and related teasers

LEDGER_BARRAGE_PAGE = Page(
    HARBOUR_LEDGER,
    LEDGER_BARRAGE,
    "/news/2026/03/14/tide-turns-for-port-callow-as-barrage-powers-up",
    "Saturday 14 March 2026, 11:02",
    (
        LEDGER_AUDIT.headline,
        LEDGER_EELS.headline,
        "Letters: the barrage footpath cannot come soon enough",
    ),
    caption="The first sluice gates open on Saturday morning. Photo: Harbour Ledger",
)
LEDGER_EELS_PAGE = Page(
    HARBOUR_LEDGER,
    LEDGER_EELS,
    "/news/2026/03/15/eel-fishermen-fear-new-wall-will-block-spring-run",
    "Sunday 15 March 2026, 07:40",
    (
        LEDGER_BARRAGE.headline,
        LEDGER_AUDIT.headline,
        "Harbour café wins regional breakfast award",
    ),
)
LEDGER_AUDIT_PAGE = Page(
    HARBOUR_LEDGER,
    LEDGER_AUDIT,
    "/news/2026/03/16/barrage-audit-storm-damage-blade-dispute",
    "16 March 2026 · 08:30",
    (LEDGER_BARRAGE.headline, LEDGER_EELS.headline),
)
COURIER_BARRAGE_PAGE = Page(
    BAYSIDE_COURIER,
    COURIER_BARRAGE,
    "/environment/wend-barrage-opens-three-years-late",
    "March 14, 2026",
    (
        "Bayside marina plans winter berths for visiting yachts",
        "Why the sea trout matter more than you think",
    ),
)
SAHIL_PORT_PAGE = Page(
    AL_SAHIL,
    SAHIL_PORT,
    "/local/2026/03/15/ras-al-marjan-port-expansion",
    "الأحد 15 مارس 2026 - 08:20",
    (SAHIL_SARDINES.headline, SAHIL_DESALINATION.headline, "افتتاح كورنيش رأس المرجان الجديد"),
    caption="تصور لميناء رأس المرجان بعد التوسعة.",
)
SAHIL_DESALINATION_PAGE = Page(
    AL_SAHIL,
    SAHIL_DESALINATION,
    "/economy/2026/03/17/wadi-al-milh-desalination",
    "الثلاثاء 17 مارس 2026 - 11:05",
    (SAHIL_PORT.headline, SAHIL_SARDINES.headline),
    caption="محطة التحلية في وادي الملح.",
)
SAHIL_SARDINES_PAGE = Page(
    AL_SAHIL,
    SAHIL_SARDINES,
    "/local/2026/03/16/sardine-season-opens",
    "الاثنين 16 مارس 2026 - 10:45",
    (SAHIL_PORT.headline, SAHIL_DESALINATION.headline),
    caption="قوارب الصيد تغادر ميناء رأس المرجان فجرا.",
)
TOKYO_FERRY_PAGE = Page(
    TOKYO_HARBOUR,
    TOKYO_FERRY,
    "/economy/20260312-kisarazu-yokohama-ferry",
    "2026年3月12日 17:00",
    (TOKYO_NIGHT_MARKET.headline, TOKYO_SURGE_DRILL.headline),
)
TOKYO_NIGHT_MARKET_PAGE = Page(
    TOKYO_HARBOUR,
    TOKYO_NIGHT_MARKET,
    "/local/20260314-harumi-night-market",
    "2026年3月14日 22:10",
    (TOKYO_FERRY.headline, "湾岸の新しい公園、5月に開園へ"),
)
TOKYO_SURGE_DRILL_PAGE = Page(
    TOKYO_HARBOUR,
    TOKYO_SURGE_DRILL,
    "/society/20260315-storm-surge-drill",
    "2026年3月15日 18:20",
    (TOKYO_FERRY.headline, TOKYO_NIGHT_MARKET.headline),
)
HAMIFRATZ_BIKES_PAGE = Page(
    KOL_HAMIFRATZ,
    HAMIFRATZ_BIKES,
    "/city/2026/03/16/promenade-bike-path",
    "16.03.2026 13:30",
    ("נפתח מגרש חניה זמני ליד הנמל הדרומי", "מה יהיה על המזח הישן?"),
)
HAIXIA_BRIDGE_PAGE = Page(
    HAIXIA_MORNING,
    HAIXIA_BRIDGE,
    "/local/2026-03/13/cross-sea-bridge-closure.html",
    "2026-03-13 10:30",
    (HAIXIA_COLD_STORE.headline, "青屿岛渡轮春季时刻表公布"),
)
HAIXIA_COLD_STORE_PAGE = Page(
    HAIXIA_MORNING,
    HAIXIA_COLD_STORE,
    "/finance/2026-03/16/nangang-cold-storage.html",
    "2026-03-16 08:15",
    (HAIXIA_BRIDGE.headline, "南港渔港春季休渔期即将结束"),
)
VESTNIK_ICE_PAGE = Page(
    VOLGA_VESTNIK,
    VESTNIK_ICE_CROSSING,
    "/news/2026/03/14/ledovaya-pereprava-zakryta",
    "14 марта 2026, 11:05",
    (VESTNIK_CRUISE_PIER.headline, "Паводок: уровень Волги растёт быстрее прогноза"),
)
VESTNIK_PIER_PAGE = Page(
    VOLGA_VESTNIK,
    VESTNIK_CRUISE_PIER,
    "/economy/2026/03/16/novyj-prichal-kamensk",
    "16 марта 2026, 09:40",
    (VESTNIK_ICE_CROSSING.headline, "В Каменске отремонтируют набережную"),
)
FARO_FESTIVAL_PAGE = Page(
    EL_FARO,
    FARO_TIDES_FESTIVAL,
    "/local/2026/03/15/barcas-iluminadas-fiesta-de-las-mareas",
    "15/03/2026 - 23:10",
    (FARO_FISH_AUCTION.headline, "Programa completo de la Fiesta de las Mareas"),
    caption="La procesión marítima, a su paso por el espigón. Foto: El Faro Costero",
)
FARO_AUCTION_PAGE = Page(
    EL_FARO,
    FARO_FISH_AUCTION,
    "/local/2026/03/16/nueva-lonja-subasta-electronica",
    "Puerto Lince | 16/03/2026 - 12:40",
    (FARO_TIDES_FESTIVAL.headline, "El puerto deportivo amplía sus amarres"),
)
KURIER_DIKE_PAGE = Page(
    NORDSEE_KURIER,
    KURIER_DIKE,
    "/wattsiel/deichverstaerkung-bauarbeiten-nach-ostern",
    "17.03.2026, 14:20 Uhr",
    (KURIER_HALLIG_FERRY.headline, "Sturmflut-Saison: Bilanz des Deichverbands"),
)
GAZETTE_COOKIE_PAGE = Page(
    GAZETTE_QUAIS,
    GAZETTE_COOKIE_WARNING,
    "/port-salin/bannieres-cookies-commune-rappelee-a-l-ordre",
    "Publié le 17 mars 2026 à 09h15",
    ("Port-Salin : le marché du port déménage pour l'été", "Le littoral face aux tempêtes"),
)
HAESOL_AUCTION_PAGE = Page(
    HAESOL_ILBO,
    HAESOL_AUCTION,
    "/society/20260317-dawn-auction-open",
    "입력 2026.03.17 06:30",
    (HAESOL_LIBRARY.headline, "해솔항 여객선 터미널 리모델링 착공"),
)


# ---------------------------------------------------------------------------------------------
# Files


def html_file(page: Page, codec: str, declared: str | None, **kw: bool) -> bytes:
    """Encode a page the way its server stored it; unencodable chrome becomes character refs."""
    return render_html(page, charset=declared, **kw).encode(codec, errors="xmlcharrefreplace")


def site_files() -> list[SampleFile]:
    """Pages and text dumps saved per site: one sub-folder per outlet, no url outside the page."""
    bom = b"\xef\xbb\xbf"
    arabic_page = render_html(SAHIL_PORT_PAGE, charset="windows-1256").replace("\n", "\r\n")
    russian_dump = render_text_dump(VESTNIK_ICE_PAGE).replace("\n", "\r\n")
    french_dump = render_text_dump(GAZETTE_COOKIE_PAGE).replace("\n", "\r\n")
    return [
        SampleFile(
            "harbour-ledger/2026-03-14-tide-turns-for-port-callow.html",
            html_file(LEDGER_BARRAGE_PAGE, "utf-8", "utf-8"),
            "html",
            "UTF-8",
            ("en",),
            "near copy of the wire barrage story (new headline, dateline, small edits); "
            "cookie banner, nav, share, related aside, newsletter, footer; og:url",
        ),
        SampleFile(
            "harbour-ledger/2026-03-15-eel-fishermen-fear-spring-run.html",
            html_file(LEDGER_EELS_PAGE, "utf-8", "utf-8", canonical=True),
            "html",
            "UTF-8",
            ("en",),
            "different story on the barrage topic (not a copy); same site chrome; canonical link",
        ),
        SampleFile(
            "harbour-ledger/2026-03-16-barrage-audit.txt",
            render_text_dump(LEDGER_AUDIT_PAGE).encode("utf-8"),
            "txt",
            "UTF-8",
            ("en",),
            "second different story on the barrage topic; text dump: headline, date stamp, byline, "
            "share lines, newsletter, related block, cookie lines, © footer, site-name trailer",
        ),
        SampleFile(
            "al-sahil-news/port-expansion.html",
            arabic_page.encode("cp1256"),
            "html",
            "Windows-1256 (declared in <meta>), CRLF",
            ("ar",),
            "Arabic site chrome: cookie banner, AI-image label, share prompt, اقرأ أيضا aside",
        ),
        SampleFile(
            "al-sahil-news/desalination-plant.html",
            html_file(SAHIL_DESALINATION_PAGE, "utf-8", "utf-8"),
            "html",
            "UTF-8",
            ("ar",),
            "same site chrome as port-expansion.html, AI-image label",
        ),
        SampleFile(
            "al-sahil-news/sardine-season.txt",
            render_text_dump(SAHIL_SARDINES_PAGE).encode("utf-8"),
            "txt",
            "UTF-8",
            ("ar",),
            "text dump: AI-image label line, share prompt lines, اقرأ أيضا block, cookie line, "
            "© footer",
        ),
        SampleFile(
            "tokyo-harbour-times/ferry-service.html",
            html_file(TOKYO_FERRY_PAGE, "shift_jis", "Shift_JIS"),
            "html",
            "Shift-JIS (declared in <meta>); © as a character reference",
            ("ja",),
            "Japanese cookie banner, シェア prompt, 関連記事 aside, newsletter box",
        ),
        SampleFile(
            "tokyo-harbour-times/harumi-night-market.htm",
            html_file(TOKYO_NIGHT_MARKET_PAGE, "shift_jis", None),
            "htm",
            "Shift-JIS, not declared anywhere",
            ("ja",),
            "same site chrome as ferry-service.html; decoder must detect the charset",
        ),
        SampleFile(
            "tokyo-harbour-times/surge-drill.txt",
            render_text_dump(TOKYO_SURGE_DRILL_PAGE).encode("utf-8"),
            "txt",
            "UTF-8",
            ("ja",),
            "text dump with the site's chrome lines (share, 関連記事, cookie, © footer)",
        ),
        SampleFile(
            "volga-vestnik/ice-crossing-closed.txt",
            russian_dump.encode("cp1251"),
            "txt",
            "Windows-1251, CRLF",
            ("ru",),
            "text dump: Поделиться lines, Читайте также block, cookie line, © footer",
        ),
        SampleFile(
            "volga-vestnik/cruise-pier.html.gz",
            gzipped(html_file(VESTNIK_PIER_PAGE, "utf-8", "utf-8")),
            "html.gz",
            "UTF-8",
            ("ru",),
            "gzip-compressed page; same site chrome as the text dump",
        ),
        SampleFile(
            "el-faro-costero/fiesta-de-las-mareas.html",
            html_file(FARO_FESTIVAL_PAGE, "utf-8", "utf-8"),
            "html",
            "UTF-8",
            ("es",),
            "cookie banner, Comparte esta noticia, Noticias relacionadas, newsletter box",
        ),
        SampleFile(
            "el-faro-costero/nueva-lonja.txt.gz",
            gzipped(render_text_dump(FARO_AUCTION_PAGE, credit=FARO_CREDIT).encode("utf-8")),
            "txt.gz",
            "UTF-8",
            ("es",),
            "gzip-compressed text dump; agency credit line, same site chrome as the page",
        ),
        SampleFile(
            "nordsee-kurier/deichverstaerkung.htm",
            bom + html_file(KURIER_DIKE_PAGE, "utf-8", "utf-8", canonical=True),
            "htm",
            "UTF-8 with BOM",
            ("de",),
            "cookie banner, Artikel teilen, related aside, newsletter box; canonical link",
        ),
        SampleFile(
            "gazette-des-quais/bannieres-cookies.txt",
            b"\xff\xfe" + french_dump.encode("utf-16-le"),
            "txt",
            "UTF-16 LE with BOM, CRLF",
            ("fr",),
            "story about cookie banners (its quotes of 'Tout accepter' are article text); "
            "text dump with a real cookie banner at the end",
        ),
    ]


def feed_files() -> list[SampleFile]:
    """Exports from a news API: one record a line, fields vary by publisher."""
    wire_text = WIRE_BARRAGE.text + "\n\n" + WIRE_TRAILER
    first_day = [
        {
            "id": "cw-20260314-0412",
            "url": "https://coastwire.example/en/2026/03/14/port-callow-tidal-barrage",
            "title": WIRE_BARRAGE.headline,
            "text": wire_text,
            "published": "2026-03-14T09:12:00Z",
            "language": "en",
            "author": WIRE_BARRAGE.author,
            "agency": "Coastwire",
        },
        {
            "link": HAIXIA_COLD_STORE_PAGE.url,
            "html": render_html(HAIXIA_COLD_STORE_PAGE, charset="utf-8"),
            "date": "2026-03-16",
            "lang": "zh",
            "crawl_depth": 2,
        },
        {
            "url": "https://www.haesol-ilbo.example/society/20260314-sea-library",
            "headline": HAESOL_LIBRARY.headline,
            "body": "date 2026-03-14 "
            + with_lines(HAESOL_LIBRARY.text, HAESOL_ILBO.share_prompt, HAESOL_ILBO.footer),
            "published": HAESOL_LIBRARY.published,
            "language": "ko",
            "author": HAESOL_LIBRARY.author,
        },
        {
            "url": "https://kiyihaber.example/yerel/mavikiyi-balikci-barinagi",
            "title": KIYI_HARBOUR.headline,
            "content": with_lines(
                KIYI_HARBOUR.text,
                "Bu haberi paylaşın: Facebook | X | WhatsApp",
                "İlgili Haberler",
                "Mavikıyı sahil yolu yaz öncesi yenileniyor",
                "© 2026 Kıyı Haber Ajansı. Tüm hakları saklıdır.",
            ),
            "date": "2026-03-14 16:20:00",
            "language": "tr",
            "tags": ["balıkçılık", "liman"],
        },
    ]
    truncated = (
        '{"url": "https://coastwire.example/en/2026/03/14/harbour-pilots-pay", '
        '"title": "Harbour pilots accept pay offer", "text": "SOUTH QUAY, March 14 (Coastw'
    )
    second_day = [
        {
            "url": "https://www.nordsee-kurier.example/kueste/faehre-hallig-brinke-fahrplan",
            "title": KURIER_HALLIG_FERRY.headline,
            "body": with_lines(KURIER_HALLIG_FERRY.text, "(nk)", NORDSEE_KURIER.footer),
            "published": KURIER_HALLIG_FERRY.published,
            "author": KURIER_HALLIG_FERRY.author,
            "language": "de",
        },
        {
            "url": "https://coastwire.example/en/2026/03/15/lantern-isles-ferry-strike",
            "title": WIRE_FERRY.headline,
            "text": WIRE_FERRY.text + "\n\n" + WIRE_TRAILER,
            "published": "2026-03-15T15:05:00Z",
            "author": WIRE_FERRY.author,
        },
    ]
    return [
        SampleFile(
            "feeds/newsdesk-2026-03-14.jsonl",
            jsonl(first_day, broken_line=truncated, at=3),
            "jsonl",
            "UTF-8",
            ("en", "zh", "ko", "tr"),
            "the wire original of the barrage story with END [Copyright] trailer (text); a zh "
            "page (html, link/date/lang fields); ko with a leading date stamp (headline/body); "
            "tr with share and related lines (content); line 4 is truncated JSON (a reject)",
        ),
        SampleFile(
            "feeds/newsdesk-2026-03-15.jsonl.gz",
            gzipped(jsonl(second_day)),
            "jsonl.gz",
            "UTF-8",
            ("de", "en"),
            "de text with credit and © lines (body); en wire story with END [Copyright] trailer",
        ),
    ]


def archive_files() -> list[SampleFile]:
    """An aggregator's JSON exports and a download that failed."""
    wire_repost = {
        "url": "https://coastnews-aggregator.example/story/88213",
        "title": WIRE_BARRAGE.headline,
        "content": WIRE_BARRAGE.text + "\n\n" + WIRE_TRAILER,
        "date": "2026-03-14T09:30:00Z",
        "source": "Coastwire",
    }
    persian = {
        "url": "https://www.bandar-news.example/fa/news/2026/03/14/fish-market-reopens",
        "title": BANDAR_FISH_MARKET.headline,
        "text": with_lines(
            BANDAR_FISH_MARKET.text,
            "برچسب‌ها: بندر نیلگون، بازار ماهی، صیادان",
            "این خبر را در تلگرام به اشتراک بگذارید",
        ),
        "published": BANDAR_FISH_MARKET.published,
        "language": "fa",
        "author": BANDAR_FISH_MARKET.author,
    }
    korean = {
        "url": HAESOL_AUCTION_PAGE.url,
        "title": HAESOL_AUCTION.headline,
        "html": render_html(HAESOL_AUCTION_PAGE, charset="utf-8", canonical=True),
        "published": HAESOL_AUCTION.published,
        "author": HAESOL_AUCTION.author,
        "language": "ko",
    }
    return [
        SampleFile(
            "archive/aggregator-export-2026-03.json",
            (json.dumps([wire_repost, persian], indent=2) + "\n").encode("ascii"),
            "json (list)",
            "ASCII with \\u escapes",
            ("en", "fa"),
            "exact re-post of the wire barrage story (same text, content field); fa with tag "
            "and share lines",
        ),
        SampleFile(
            "archive/haesol-weekend-feature.json",
            (json.dumps(korean, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
            "json (object)",
            "UTF-8",
            ("ko",),
            "full page in the html field: cookie banner, 기사 공유하기, 관련 기사, ⓒ footer",
        ),
        SampleFile(
            "archive/failed-download.html",
            b"",
            "html",
            "-",
            (),
            "empty file, as a failed download leaves (a reject)",
        ),
    ]


def crawl_files() -> list[SampleFile]:
    """A crawler's WARC: warcinfo, one request, three HTML responses with varied charsets."""
    captures = (
        Capture(
            COURIER_BARRAGE_PAGE.url,
            "2026-03-14T13:05:12Z",
            "text/html; charset=utf-8",
            render_html(COURIER_BARRAGE_PAGE, charset="utf-8").encode("utf-8"),
            with_request=True,
        ),
        Capture(
            HAIXIA_BRIDGE_PAGE.url,
            "2026-03-14T13:05:40Z",
            "text/html",
            render_html(HAIXIA_BRIDGE_PAGE, charset="utf-8").encode("utf-8"),
        ),
        Capture(
            HAMIFRATZ_BIKES_PAGE.url,
            "2026-03-16T14:00:03Z",
            "text/html; charset=utf-8",
            render_html(HAMIFRATZ_BIKES_PAGE, charset=None).encode("utf-8"),
        ),
    )
    name = "coastal-crawl-20260314.warc.gz"
    return [
        SampleFile(
            f"crawl/{name}",
            warc(name, captures),
            "warc.gz",
            "UTF-8 (HTTP header and/or <meta>)",
            ("en", "zh", "he"),
            "warcinfo + request + 3 responses: second near copy of the barrage story (new "
            "headline, dropped paragraph, credit line, Don't miss block); zh page with editor "
            "line (charset only in <meta>); he page (charset only in the HTTP header)",
        ),
    ]


def sample_files() -> list[SampleFile]:
    return site_files() + feed_files() + archive_files() + crawl_files()


# ---------------------------------------------------------------------------------------------
# README and entry point

DESCRIPTION = Path(__file__).with_name("sample_raw.md")

README_INTRO = """\
# Sample input

Fictional news written for newsclean, so that `ingest run` has something real to chew on
after a fresh clone: {documents} documents in {languages} languages, in every input format the
readers support (HTML, text, JSON, JSONL, WARC, each also gzip-compressed where noted), in
several encodings, wrapped in the chrome real sites carry (consent banners, share prompts,
related-article blocks, newsletter boxes, wire trailers, Arabic AI-image labels, date stamps,
site-name trailers). One wire story about the Port Callow tidal barrage appears four times: the
original (feeds), an exact re-post (archive) and two near copies with new headlines and chrome
(harbour-ledger, crawl); two other barrage stories are different articles and must stay apart.
Sub-folders are per site or per feed, so the folder names a site when a record has no url.
Two inputs are broken on purpose (an empty file and a truncated JSONL line) and show up as
rejects. Every file is generated: edit `tools/make_sample_raw.py` and run
`python tools/make_sample_raw.py`; the output is byte-identical on every run.

| file | format | encoding | language | chrome, copies, notes |
|---|---|---|---|---|
"""


def readme(files: list[SampleFile]) -> str:
    """The folder's README, with a table built from the same list that wrote the files."""
    languages = {lang for f in files for lang in f.languages}
    documents = sum(len(f.languages) for f in files)
    rows = [
        f"| `{f.path}` | {f.fmt} | {f.encoding} | {', '.join(f.languages) or '-'} | {f.carries} |"
        for f in files
    ]
    intro = README_INTRO.format(documents=documents, languages=len(languages))
    return intro + "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "raw", help="folder to write")
    out = parser.parse_args(argv).out
    files = sample_files()
    for sample in files:
        target = out / sample.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(sample.data)
    # The description lives beside this script: inside raw/ it would itself be an input.
    DESCRIPTION.write_text(readme(files), encoding="utf-8")
    print(f"wrote {len(files)} files under {out} and described them in {DESCRIPTION}")


if __name__ == "__main__":
    main()
