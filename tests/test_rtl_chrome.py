"""Right-to-left chrome in ar, fa, ur and he, each family both ways: the chrome line goes, a
story line that looks like it stays."""

from __future__ import annotations

import pytest

from ingest.boilerplate import clean_document

STORY = {
    "ar": [
        "أعلنت بلدية مدينة الساحل يوم الثلاثاء بدء أعمال توسعة الميناء الرئيسي بعد عامين من الدراسات والمشاورات.",
        "وقال رئيس البلدية إن الأعمال ستستمر نحو عام كامل، وإن الأرصفة الحالية ستبقى مفتوحة طوال الفترة.",
    ],
    "fa": [
        "شهرداری بندر نیلگون روز سه‌شنبه اعلام کرد که کار نوسازی اسکله‌های قدیمی از ماه آینده آغاز می‌شود.",
        "به گفته شهردار، هزینه این طرح از محل بودجه عمرانی شهر پرداخت می‌شود و کار تا پایان سال تمام خواهد شد.",
    ],
    "ur": [
        "شہر کی بلدیہ نے منگل کے روز اعلان کیا کہ پرانی بندرگاہ کی مرمت کا کام اگلے مہینے شروع ہو جائے گا۔",
        "میئر نے کہا کہ اس منصوبے سے ماہی‌گیروں کو اپنی کشتیاں محفوظ جگہ پر کھڑی کرنے میں آسانی ہو گی۔",
    ],
    "he": [
        "עיריית חוף הים הודיעה היום כי עבודות ההרחבה של הנמל הראשי יתחילו בחודש הבא ויימשכו כשנה.",
        "לדברי ראש העירייה, הרציפים הקיימים יישארו פתוחים לאורך כל תקופת העבודות ולא תהיה פגיעה בדייגים.",
    ],
}
DATE_LINES = {
    "ar": [
        "الاثنين 16 مارس 2026 - 10:45",
        "الأحد ١٥ مارس ٢٠٢٦",
        "١٥ رمضان ١٤٤٧ هـ",
        "نشر بتاريخ ٢٠٢٦/٠٣/١٥",
        "آخر تحديث: 15 مارس 2026 - 11:05",
        "الخميس 12 شوال 1447 هـ الموافق 2 أبريل 2026 م",
    ],
    "fa": [
        "سه‌شنبه ۱۵ خرداد ۱۴۰۴ - ۱۰:۴۵",
        "۱۵ خرداد ۱۴۰۴",
        "تاریخ انتشار: ۱۴۰۴/۰۳/۱۵",
        "۱۷ رمضان ۱۴۴۶ قمری",
    ],
    "ur": ["منگل 15 مارچ 2026", "شائع 15 مارچ 2026 10:45", "۱۵ رمضان ۱۴۴۷ ہجری"],
    "he": [
        "יום רביעי 23.06.2021",
        "יום רביעי",
        'כ״ח אייר התש"פ',
        'ט"ו בשבט התשפ"ו',
        "פורסם 15.03.2026 10:45",
        "עודכן לפני 3 שעות",
    ],
}
# Story lines that hold a date, a calendar word or an agency's name and must stay.
DATE_LOOKALIKES = {
    "ar": "وقال المسؤول إن الأعمال ستبدأ في 15 رمضان 1447 هـ وتنتهي قبل نهاية العام المقبل.",
    "fa": "به گفته او، بازار از ۱۵ خرداد ۱۴۰۴ هر روز از ساعت شش صبح تا یک بعدازظهر باز خواهد بود.",
    "ur": "انہوں نے بتایا کہ منگل 15 مارچ 2026 کو نئی کشتیوں کی پہلی کھیپ بندرگاہ پہنچے گی۔",
    "he": 'ביום רביעי, ט"ו בשבט, ייפתח השוק החדש לציבור הרחב ויפעל עד שעות הערב המאוחרות.',
}
SHARE_BARS = {
    "ar": "شارك الخبر: فيسبوك | إكس | واتساب | تيليجرام | انسخ الرابط",
    "fa": "این خبر را به اشتراک بگذارید: تلگرام | واتساپ | ایکس",
    "ur": "شیئر کریں: فیس بک | واٹس ایپ | ایکس",
    "he": "שתפו: פייסבוק | וואטסאפ | טוויטר",
}
SHARE_LOOKALIKES = {
    "ar": "وشارك الخبراء في المؤتمر الذي عقد في الميناء، وقدموا اقتراحات لتحسين حركة القوارب.",
    "fa": "صیادان گفتند که این خبر را به اشتراک می‌گذارند تا همه از تغییر ساعت کار بازار باخبر شوند.",
    "ur": "ماہی‌گیروں نے کہا کہ وہ یہ خبر اپنے ساتھیوں کے ساتھ شیئر کریں گے تاکہ سب کو معلوم ہو۔",
    "he": "הדייגים שיתפו את תושבי העיר בחששותיהם מפני העבודות, וביקשו מהעירייה לקבוע לוח זמנים ברור.",
}


def clean(paragraphs: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    result = clean_document("\n\n".join(paragraphs), from_html=True, title="عنوان الخبر")
    return result.text.split("\n\n"), [(r.kind, r.text) for r in result.removed]


@pytest.mark.parametrize(
    ("lang", "line"), [(lang, line) for lang, lines in DATE_LINES.items() for line in lines]
)
def test_date_lines_in_every_calendar_and_digit_set_go(lang, line):
    for paragraphs in ([line, *STORY[lang]], [*STORY[lang], line]):
        text, removed = clean(paragraphs)
        assert text == STORY[lang]
        assert ("date_stamp", line) in removed


@pytest.mark.parametrize("lang", sorted(DATE_LOOKALIKES))
def test_story_sentences_with_dates_stay(lang):
    for paragraphs in (
        [DATE_LOOKALIKES[lang], *STORY[lang]],
        [*STORY[lang], DATE_LOOKALIKES[lang]],
    ):
        assert clean(paragraphs)[0] == paragraphs


@pytest.mark.parametrize("lang", sorted(SHARE_BARS))
def test_share_bars_go_and_sentences_about_sharing_stay(lang):
    text, removed = clean([*STORY[lang], SHARE_BARS[lang]])
    assert text == STORY[lang]
    assert ("share_prompt", SHARE_BARS[lang]) in removed
    story = [*STORY[lang], SHARE_LOOKALIKES[lang]]
    assert clean(story)[0] == story


@pytest.mark.parametrize(
    ("credit", "lang"),
    [
        ("(واس)", "ar"),
        ("-- (أ ف ب)", "ar"),
        ("(بترا)", "ar"),
        ("(ایرنا)", "fa"),
        ("(اے پی پی)", "ur"),
    ],
)
def test_trailing_agency_credits_go(credit, lang):
    last = STORY[lang][-1]
    text, removed = clean([STORY[lang][0], f"{last} {credit}"])
    assert text == STORY[lang]
    assert ("wire_trailer", credit) in removed


def test_parentheses_inside_a_sentence_stay():
    paragraphs = [
        STORY["ar"][0],
        "وأضاف أن الميناء سيستقبل السفن الكبيرة (التي تزيد حمولتها على عشرة آلاف طن) بعد انتهاء الأعمال.",
        "وقالت الوزارة إن الموعد النهائي لم يحدد بعد (حتى الآن)، وإن الدراسات ما زالت جارية",
    ]
    assert clean(paragraphs)[0] == paragraphs


def test_caption_above_an_ai_image_label_goes():
    caption = "محطة التحلية في وادي الملح."
    text, removed = clean([caption, "صورة مولدة بواسطة الذكاء الاصطناعي", *STORY["ar"]])
    assert text == STORY["ar"]
    assert ("credit", caption) in removed


@pytest.mark.parametrize("label", ["מבזקי חדשות", "טל שלו"])
def test_label_or_name_above_a_hebrew_story_goes_and_a_short_lead_stays(label):
    text, _ = clean([label, *STORY["he"]])
    assert text == STORY["he"]
    lead = ["העירייה הודיעה: הנמל נפתח.", *STORY["he"]]
    assert clean(lead)[0] == lead
