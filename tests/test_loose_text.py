"""A story written as loose text after its picture keeps its lead; a teaser box does not grow."""

from __future__ import annotations

from ingest.extract import extract_html

LEAD = "بندر نیلگون - شهردار اعلام کرد: بازار ماهی‌فروشان پس از هشت ماه نوسازی دوباره باز شد."
LINES = [
    "به گزارش خبرنگار ما، سقف قدیمی بازار تعویض شد و سیستم خنک‌کننده تازه‌ای برای نگهداری "
    "ماهی‌ها نصب شد که به گفته فروشندگان کیفیت کار را بالا می‌برد.",
    "شهردار گفت که هزینه این طرح حدود دویست میلیارد ریال بوده و بخشی از آن را اتحادیه صیادان "
    "پرداخت کرده است و بقیه از بودجه عمرانی شهر تامین شده است.",
    "فروشندگان از فضای تازه راضی هستند، اما برخی از آن‌ها می‌گویند اجاره غرفه‌ها نسبت به سال "
    "گذشته بیشتر شده و باید دید چند نفر می‌توانند بمانند.",
    "شهرداری اعلام کرده است که بازار از این پس هر روز از ساعت شش صبح تا یک بعدازظهر باز خواهد "
    "بود و روزهای جمعه نیز تا ظهر به روی خریداران باز است.",
]


def test_loose_lead_after_the_picture_block_is_kept():
    html = (
        '<html lang="fa"><body><h1>بازگشایی بازار ماهی</h1><div class="main-news">'
        '<div class="image-news pull-right image-one">\n<img src="/a.jpg" alt="بازار" '
        'class="img-responsive" />\n</div>\n'
        f"{LEAD}<br/> {'<br/> '.join(LINES)}</div></body></html>"
    )
    text = extract_html(html).text
    assert text.split("\n\n")[0] == LEAD
    assert all(line in text for line in LINES)


def test_a_teaser_box_sentence_beside_its_picture_stays_out():
    story = "".join(
        f"<p>The harbour board approved the new ferry timetable on day {i}, after a long "
        "debate about the evening crossings and the crews who asked for them.</p>"
        for i in range(6)
    )
    teaser = (
        "Fresh hay is the basis of good feeding, and how it is made you can read in our "
        "February issue, out now at the kiosk."
    )
    html = (
        f"<html><body><article><h1>Ferry timetable approved</h1>{story}</article>"
        f'<div class="issue"><figure><img src="/cover.jpg"></figure>{teaser} '
        '<a href="/shop">Order now</a></div></body></html>'
    )
    assert teaser not in extract_html(html).text
