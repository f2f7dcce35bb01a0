"""The linear JSON-LD author reader finds what trafilatura's own loop finds, on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from trafilatura import json_metadata

from ingest.extract import page as extract
from ingest.extract import trafilatura_fixes
from ingest.extract.trafilatura_fixes import ORIGINAL, extract_json_author

PATTERNS = (json_metadata.JSON_AUTHOR_1, json_metadata.JSON_AUTHOR_2)

NAMES = ["Mara Lindqvist", "Tomás Oyelaran", "Ines", "Li Wei", "https://example.org/staff", ""]
FRAGMENTS = st.one_of(
    st.sampled_from(
        [
            '"author":',
            '"author"',
            '{"@type":"Person",',
            '"@type":"person",',
            '"name":',
            '"names":',
            '"name\\": \\"',
            '"',
            "}",
            "]",
            "[",
            "{",
            ",",
            " ",
            '"@type":"Organization","name":"Daily Ledger"}',
        ]
    ),
    st.sampled_from(NAMES).map(lambda name: f'"{name}"'),
    st.tuples(
        st.sampled_from(['"author":{', '"author":[{', "{", '"author":']),
        st.sampled_from(['"@type":"Person",', '"@type":"person",', ""]),
        st.sampled_from(['"name":', '"name": ', '"names":', '"name\\": \\']),
        st.sampled_from(NAMES),
    ).map(lambda parts: f'{parts[0]}{parts[1]}{parts[2]}"{parts[3]}"}}'),
    st.text(alphabet='ab "{}[]:\\,', max_size=6),
)
JSONISH = st.lists(FRAGMENTS, max_size=40).map("".join)


@given(JSONISH)
@settings(max_examples=400)
def test_same_authors_as_trafilaturas_loop_on_any_jsonish_text(text):
    for pattern in PATTERNS:
        assert extract_json_author(text, pattern) == ORIGINAL(text, pattern)


def live_blog_json_ld(posts: int) -> str:
    """Broken JSON-LD of a live blog: every post names its author, and a comma is missing."""
    reporters = ["Mara Lindqvist", "Tomás Oyelaran", "Edda Voss"]
    entries = ",".join(
        f'{{"@type":"BlogPosting","headline":"Update {i}","articleBody":"Crews cleared the '
        f'road near the harbour at {i % 24}:00.","author":{{"@type":"Person",'
        f'"name":"{reporters[i % 3]}"}}}}'
        for i in range(posts)
    )
    return f'{{"@type":"LiveBlogPosting" "headline":"Storm live","liveBlogUpdate":[{entries}]}}'


def test_live_blog_authors_are_read_once_each_in_order():
    text = live_blog_json_ld(300)
    for pattern in PATTERNS:
        assert extract_json_author(text, pattern) == ORIGINAL(text, pattern)
    assert (
        extract_json_author(text, json_metadata.JSON_AUTHOR_1)
        == "Mara Lindqvist; Tomás Oyelaran; Edda Voss"
    )


def test_extraction_uses_the_linear_reader_and_keeps_the_author():
    assert json_metadata.extract_json_author is extract_json_author
    paragraphs = "".join(
        f"<p>Volunteers filled sandbags along the quay for the {n} time this week, and the "
        "harbour master kept the ferry in port until the wind dropped below gale force.</p>"
        for n in ("first", "second", "third", "fourth")
    )
    page = (
        "<html><head><title>Storm live</title>"
        f'<script type="application/ld+json">{live_blog_json_ld(50)}</script></head>'
        f"<body><article><h1>Storm live</h1>{paragraphs}</article></body></html>"
    )
    result = extract.extract_html(page)
    assert result.author == "Mara Lindqvist; Tomás Oyelaran; Edda Voss"


def test_install_leaves_a_changed_trafilatura_alone(monkeypatch):
    monkeypatch.setattr(trafilatura_fixes, "ORIGINAL", None)
    monkeypatch.setattr(json_metadata, "extract_json_author", ORIGINAL)
    assert trafilatura_fixes.install() is False
    assert json_metadata.extract_json_author is ORIGINAL
