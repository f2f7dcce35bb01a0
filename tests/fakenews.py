"""Fictional news stories in several languages, as HTML pages, text dumps and JSONL records.

Shared by the robustness tests and benchmarks/torture.py. A story is drawn from short phrase
pools with a seeded random generator: phrases are at most three words long, so word 5-grams
span several random draws and two different seeds give stories far below any near-duplicate
threshold, while each story still reads as its language to a detector.
"""

from __future__ import annotations

import json
import random
import zlib
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("en", "fr", "de", "es", "ru", "ar")

_POOLS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "who": (
            "the mayor",
            "local farmers",
            "the harbour board",
            "two teachers",
            "the fire brigade",
            "city engineers",
            "a youth choir",
            "the rail company",
            "shop owners",
            "the health office",
            "retired sailors",
            "the museum staff",
        ),
        "did": (
            "announced plans for",
            "voted against",
            "raised money for",
            "complained about",
            "opened",
            "repaired",
            "celebrated",
            "inspected",
            "postponed",
            "argued over",
            "finished",
            "welcomed",
        ),
        "what": (
            "a new bridge",
            "the winter market",
            "the old lighthouse",
            "a bicycle lane",
            "the flood barrier",
            "a night bus",
            "the public baths",
            "a seed library",
            "the town archive",
            "a solar roof",
            "the ferry timetable",
            "a reading room",
        ),
        "where": (
            "in Port Alden",
            "near Greyhaven",
            "in Millbrook",
            "outside Dunmere",
            "in Kestrel Bay",
            "along the river",
            "in the old quarter",
            "at the station",
        ),
        "when": (
            "on Tuesday",
            "last weekend",
            "this morning",
            "after midnight",
            "in early spring",
            "on Friday evening",
        ),
        "then": (
            "Officials said",
            "Residents noted that",
            "According to the council,",
            "Critics argued that",
            "Witnesses said",
            "The report found that",
        ),
        "count": ("about {n} people", "{n} families", "nearly {n} visitors", "{n} volunteers"),
        "names": ("Ines Calder", "Tom Reyes", "Mara Lind", "Owen Pike", "Dana Holt"),
        "quote": ("said {name}.", "{name} told reporters.", "added {name}."),
        "chrome": ("Home", "World", "Sport", "Subscribe", "Contact us", "All rights reserved"),
    },
    "fr": {
        "who": (
            "le maire",
            "les agriculteurs",
            "le conseil portuaire",
            "deux enseignantes",
            "les pompiers",
            "les ingénieurs",
            "une chorale",
            "la compagnie ferroviaire",
            "les commerçants",
            "le service de santé",
            "des marins retraités",
            "le musée",
        ),
        "did": (
            "a présenté",
            "a rejeté",
            "a financé",
            "a critiqué",
            "a inauguré",
            "a réparé",
            "a fêté",
            "a inspecté",
            "a reporté",
            "a débattu de",
            "a terminé",
            "a accueilli",
        ),
        "what": (
            "un nouveau pont",
            "le marché d'hiver",
            "le vieux phare",
            "une piste cyclable",
            "la digue",
            "un bus de nuit",
            "les bains publics",
            "une grainothèque",
            "les archives municipales",
            "un toit solaire",
            "les horaires du bac",
            "une salle de lecture",
        ),
        "where": (
            "à Port-Aldain",
            "près de Grisval",
            "à Moulinbrook",
            "aux abords de Dunmère",
            "dans la baie",
            "le long du fleuve",
            "dans la vieille ville",
            "à la gare",
        ),
        "when": (
            "mardi",
            "le week-end dernier",
            "ce matin",
            "après minuit",
            "au début du printemps",
            "vendredi soir",
        ),
        "then": (
            "Selon la mairie,",
            "Les habitants ont noté que",
            "D'après le conseil,",
            "Les opposants estiment que",
            "Des témoins ont affirmé que",
            "Le rapport indique que",
        ),
        "count": ("environ {n} personnes", "{n} familles", "près de {n} visiteurs"),
        "names": ("Inès Calderon", "Thomas Roy", "Margaux Lind", "Odile Pic"),
        "quote": ("a déclaré {name}.", "a expliqué {name}.", "a ajouté {name}."),
        "chrome": ("Accueil", "Monde", "Sport", "S'abonner", "Nous contacter", "Mentions légales"),
    },
    "de": {
        "who": (
            "der Bürgermeister",
            "die Landwirte",
            "der Hafenrat",
            "zwei Lehrerinnen",
            "die Feuerwehr",
            "die Ingenieure",
            "ein Jugendchor",
            "die Bahngesellschaft",
            "die Ladenbesitzer",
            "das Gesundheitsamt",
            "pensionierte Seeleute",
            "das Museum",
        ),
        "did": (
            "stellte Pläne vor für",
            "stimmte gegen",
            "sammelte Geld für",
            "beschwerte sich über",
            "eröffnete",
            "reparierte",
            "feierte",
            "prüfte",
            "verschob",
            "stritt über",
            "vollendete",
            "begrüßte",
        ),
        "what": (
            "eine neue Brücke",
            "den Wintermarkt",
            "den alten Leuchtturm",
            "einen Radweg",
            "den Deich",
            "einen Nachtbus",
            "das Hallenbad",
            "eine Saatgutbibliothek",
            "das Stadtarchiv",
            "ein Solardach",
            "den Fährfahrplan",
            "einen Lesesaal",
        ),
        "where": (
            "in Altenhafen",
            "bei Grauwerder",
            "in Mühlbrück",
            "außerhalb von Dunmar",
            "an der Bucht",
            "am Flussufer",
            "in der Altstadt",
            "am Bahnhof",
        ),
        "when": (
            "am Dienstag",
            "am vergangenen Wochenende",
            "heute Morgen",
            "nach Mitternacht",
            "im Frühjahr",
            "am Freitagabend",
        ),
        "then": (
            "Die Stadt teilte mit, dass",
            "Anwohner berichteten, dass",
            "Laut dem Rat",
            "Kritiker meinen, dass",
            "Zeugen sagten, dass",
            "Der Bericht zeigt, dass",
        ),
        "count": ("etwa {n} Menschen", "{n} Familien", "fast {n} Besucher"),
        "names": ("Ines Kalder", "Tobias Reuter", "Marta Lindner", "Otto Piek"),
        "quote": ("sagte {name}.", "erklärte {name}.", "fügte {name} hinzu."),
        "chrome": ("Startseite", "Welt", "Sport", "Abonnieren", "Kontakt", "Impressum"),
    },
    "es": {
        "who": (
            "el alcalde",
            "los agricultores",
            "la junta del puerto",
            "dos maestras",
            "los bomberos",
            "los ingenieros",
            "un coro juvenil",
            "la empresa ferroviaria",
            "los comerciantes",
            "la oficina de salud",
            "marineros jubilados",
            "el museo",
        ),
        "did": (
            "presentó planes para",
            "votó contra",
            "recaudó fondos para",
            "se quejó de",
            "inauguró",
            "reparó",
            "celebró",
            "inspeccionó",
            "aplazó",
            "discutió sobre",
            "terminó",
            "recibió",
        ),
        "what": (
            "un puente nuevo",
            "el mercado de invierno",
            "el viejo faro",
            "un carril bici",
            "el dique",
            "un autobús nocturno",
            "los baños públicos",
            "una biblioteca de semillas",
            "el archivo municipal",
            "un tejado solar",
            "el horario del ferry",
            "una sala de lectura",
        ),
        "where": (
            "en Puerto Alda",
            "cerca de Valgris",
            "en Molinar",
            "a las afueras de Dunmera",
            "en la bahía",
            "junto al río",
            "en el casco antiguo",
            "en la estación",
        ),
        "when": (
            "el martes",
            "el fin de semana pasado",
            "esta mañana",
            "después de medianoche",
            "a principios de primavera",
            "el viernes por la tarde",
        ),
        "then": (
            "Según el ayuntamiento,",
            "Los vecinos señalaron que",
            "De acuerdo con el consejo,",
            "Los críticos creen que",
            "Varios testigos dijeron que",
            "El informe indica que",
        ),
        "count": ("unas {n} personas", "{n} familias", "casi {n} visitantes"),
        "names": ("Inés Calderón", "Tomás Reyes", "Marta Lindo", "Óscar Pico"),
        "quote": ("dijo {name}.", "explicó {name}.", "añadió {name}."),
        "chrome": ("Inicio", "Mundo", "Deportes", "Suscríbete", "Contacto", "Aviso legal"),
    },
    "ru": {
        "who": (
            "мэр города",
            "местные фермеры",
            "портовый совет",
            "две учительницы",
            "пожарная часть",
            "городские инженеры",
            "детский хор",
            "железная дорога",
            "владельцы магазинов",
            "управление здравоохранения",
            "бывшие моряки",
            "сотрудники музея",
        ),
        "did": (
            "представили план",
            "проголосовали против",
            "собрали деньги на",
            "пожаловались на",
            "открыли",
            "отремонтировали",
            "отметили",
            "проверили",
            "отложили",
            "поспорили про",
            "закончили",
            "поддержали",
        ),
        "what": (
            "новый мост",
            "зимнюю ярмарку",
            "старый маяк",
            "велосипедную дорожку",
            "защитную дамбу",
            "ночной автобус",
            "городскую баню",
            "библиотеку семян",
            "городской архив",
            "солнечную крышу",
            "расписание парома",
            "читальный зал",
        ),
        "where": (
            "в Приморске",
            "под Сереброво",
            "в Мельниково",
            "за Дунмаром",
            "в заливе",
            "на набережной",
            "в старом городе",
            "у вокзала",
        ),
        "when": (
            "во вторник",
            "в минувшие выходные",
            "сегодня утром",
            "после полуночи",
            "ранней весной",
            "в пятницу вечером",
        ),
        "then": (
            "В администрации сообщили, что",
            "Жители отмечают, что",
            "По словам совета,",
            "Критики считают, что",
            "Очевидцы рассказали, что",
            "В докладе говорится, что",
        ),
        "count": ("около {n} человек", "{n} семей", "почти {n} гостей"),
        "names": ("Инна Калдер", "Тимур Реев", "Мария Линд", "Олег Пиков"),
        "quote": ("сказал {name}.", "пояснил {name}.", "добавил {name}."),
        "chrome": ("Главная", "В мире", "Спорт", "Подписаться", "Контакты", "Все права защищены"),
    },
    "ar": {
        "who": (
            "رئيس البلدية",
            "المزارعون",
            "مجلس الميناء",
            "معلمتان",
            "رجال الإطفاء",
            "مهندسو المدينة",
            "جوقة الشباب",
            "شركة السكك الحديدية",
            "أصحاب المتاجر",
            "مكتب الصحة",
            "بحارة متقاعدون",
            "موظفو المتحف",
        ),
        "did": (
            "أعلن عن خطة",
            "صوت ضد",
            "جمع تبرعات من أجل",
            "اشتكى من",
            "افتتح",
            "أصلح",
            "احتفل",
            "تفقد",
            "أجل",
            "ناقش",
            "أنهى",
            "رحب",
        ),
        "what": (
            "جسرا جديدا",
            "سوق الشتاء",
            "المنارة القديمة",
            "مسارا للدراجات",
            "السد الواقي",
            "حافلة ليلية",
            "الحمامات العامة",
            "مكتبة للبذور",
            "أرشيف المدينة",
            "سقفا شمسيا",
            "جدول العبارة",
            "قاعة للمطالعة",
        ),
        "where": (
            "في مدينة الساحل",
            "قرب وادي الرمان",
            "في الحي القديم",
            "على ضفة النهر",
            "عند المحطة",
            "في الخليج",
            "خارج البلدة",
            "في السوق الكبير",
        ),
        "when": (
            "يوم الثلاثاء",
            "في نهاية الأسبوع",
            "صباح اليوم",
            "بعد منتصف الليل",
            "في بداية الربيع",
            "مساء الجمعة",
        ),
        "then": (
            "وقالت البلدية إن",
            "وأشار السكان إلى أن",
            "وبحسب المجلس فإن",
            "ويرى المنتقدون أن",
            "وقال شهود إن",
            "وذكر التقرير أن",
        ),
        "count": ("نحو {n} شخص", "{n} عائلة", "قرابة {n} زائر"),
        "names": ("إيناس قلدر", "طارق رياض", "مريم لطفي", "عمر فكري"),
        "quote": ("قال {name}.", "أوضح {name}.", "أضاف {name}."),
        "chrome": ("الرئيسية", "العالم", "رياضة", "اشترك", "اتصل بنا", "جميع الحقوق محفوظة"),
    },
}


@dataclass(frozen=True)
class Story:
    language: str
    title: str
    paragraphs: tuple[str, ...]
    site: str

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


#: A fixed four-paragraph English story (no randomness), for tests of models and titles that
#: need the same story every run.
MARKET_STORY = (
    "The harbour board of Kellmouth voted on Tuesday to rebuild the old fish market as a "
    "covered hall for the town's weekly farmers' fair, ending a dispute of nine years.",
    "Work begins in March and should take about eighteen months. The board puts the cost at "
    "4.2 million pounds, a third of it from the regional fund for coastal towns.",
    "Stallholders, who have traded under tarpaulins since the roof was condemned, welcomed "
    "the decision. \u201cWe have waited long enough,\u201d said the fair's chair, Ada Brennock.",
    "The old market closed in 2022 after a storm tore away half of its slate roof.",
)
#: A fixed three-paragraph story as HTML paragraphs, for pages built around a headline.
FERRY_STORY_HTML = "".join(
    f"<p>{p}</p>"
    for p in [
        "The harbour board of Port Alden approved a new timetable for the island ferry on "
        "Tuesday, adding two evening crossings for the summer season.",
        "Captain Mara Lindqvist said the crew had asked for the change for years, since the "
        "last boat left before the night shift at the cannery ended.",
        "The new timetable starts on the first of June and runs until the end of September.",
    ]
)


def _sentence(rng: random.Random, pool: dict[str, tuple[str, ...]]) -> str:
    count = rng.choice(pool["count"]).format(n=rng.randint(12, 9000))
    parts = [
        rng.choice(pool["then"]),
        rng.choice(pool["who"]),
        rng.choice(pool["did"]),
        rng.choice(pool["what"]),
        rng.choice(pool["where"]),
        rng.choice(pool["when"]) + ",",
        count,
        rng.choice(pool["quote"]).format(name=rng.choice(pool["names"])),
    ]
    sentence = " ".join(parts)
    return sentence[0].upper() + sentence[1:]


def story(seed: int, language: str | None = None, *, paragraphs: int = 4) -> Story:
    """A fictional story; the same seed always gives the same story."""
    rng = random.Random(seed)
    language = language or rng.choice(LANGUAGES)
    pool = _POOLS[language]
    body = tuple(
        " ".join(_sentence(rng, pool) for _ in range(rng.randint(2, 3))) for _ in range(paragraphs)
    )
    title = f"{rng.choice(pool['who'])} {rng.choice(pool['did'])} {rng.choice(pool['what'])}"
    site = f"{language}-{rng.choice(('daily', 'courier', 'herald'))}.example"
    return Story(language, title[0].upper() + title[1:], body, site)


def html_page(item: Story, *, extra_head: str = "", extra_body: str = "") -> str:
    """A news page with realistic chrome: navigation, share links, footer."""
    chrome = _POOLS[item.language]["chrome"]
    nav = " ".join(f'<a href="/{i}">{label}</a>' for i, label in enumerate(chrome[:4]))
    paragraphs = "".join(f"<p>{p}</p>" for p in item.paragraphs)
    direction = ' dir="rtl"' if item.language == "ar" else ""
    return (
        f'<!DOCTYPE html><html lang="{item.language}"{direction}><head><meta charset="utf-8">'
        f"<title>{item.title} | {item.site}</title>"
        f'<link rel="canonical" href="https://{item.site}/news/{zlib.crc32(item.title.encode())}">'
        f"{extra_head}</head><body><header><nav>{nav}</nav></header>"
        f"<main><article><h1>{item.title}</h1>{paragraphs}{extra_body}</article></main>"
        f"<footer><p>{chrome[4]} · {chrome[5]} · {item.site}</p></footer></body></html>"
    )


def text_dump(item: Story) -> str:
    return f"{item.title}\n\n{item.text}\n"


def jsonl_record(item: Story, number: int) -> str:
    return json.dumps(
        {
            "url": f"https://{item.site}/feed/{number}",
            "title": item.title,
            "text": item.text,
            "language": item.language,
            "published": f"2026-03-{1 + number % 28:02d}T08:00:00Z",
        },
        ensure_ascii=False,
    )


def write_mixed_folder(root: Path, n_docs: int, *, seed: int = 0, first: int = 0) -> int:
    """A news folder of about n_docs records: HTML pages per site, text dumps, JSONL feeds of
    up to 50 records, and about 10% copies (the same page saved twice, or the same story
    under another site's chrome). Returns the number of records written.

    `first` offsets file names and seeds, so a second call adds new files to the folder.
    """
    rng = random.Random(seed * 1_000_003 + first)
    records = 0
    feed: list[str] = []
    feed_number = 0
    for number in range(first, first + n_docs):
        item = story(seed * 1_000_003 + number)
        site_dir = root / item.site
        site_dir.mkdir(parents=True, exist_ok=True)
        kind = rng.random()
        if kind < 0.5:
            page = html_page(item)
            (site_dir / f"story-{number}.html").write_text(page, encoding="utf-8")
            if rng.random() < 0.1:
                (root / "saved-twice").mkdir(exist_ok=True)
                (root / "saved-twice" / f"copy-{number}.html").write_text(page, encoding="utf-8")
                records += 1
        elif kind < 0.75:
            (site_dir / f"dump-{number}.txt").write_text(text_dump(item), encoding="utf-8")
            if rng.random() < 0.1:
                other = Story(item.language, item.title, item.paragraphs, "mirror.example")
                (root / "mirror").mkdir(exist_ok=True)
                (root / "mirror" / f"story-{number}.html").write_text(
                    html_page(other), encoding="utf-8"
                )
                records += 1
        else:
            feed.append(jsonl_record(item, number))
            if len(feed) == 50:
                feed_number += 1
                _write_feed(root, first, feed_number, feed)
                feed = []
        records += 1
    if feed:
        _write_feed(root, first, feed_number + 1, feed)
    return records


def _write_feed(root: Path, first: int, number: int, lines: list[str]) -> None:
    (root / "feeds").mkdir(exist_ok=True)
    path = root / "feeds" / f"feed-{first}-{number}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
