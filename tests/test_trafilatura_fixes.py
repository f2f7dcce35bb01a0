"""The linear JSON-LD author reader finds what trafilatura's own loop finds, on any text;
names keep the dots of their initials; the fixes are installed by a run, not by importing
the extractor."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st
from trafilatura import json_metadata
from trafilatura import utils as trafilatura_utils

from ingest.extract import page as extract
from ingest.extract import trafilatura_fixes
from ingest.extract.trafilatura_fixes import (
    ORIGINAL,
    ORIGINAL_AUTHORS,
    ORIGINAL_PRINTABLES,
    extract_json_author,
    normalize_authors,
)
from ingest.options import Options
from ingest.pipeline import run_pipeline
from ingest.startup import prepare_process

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


NAME_WORDS = st.sampled_from(["Hanne", "Petersen", "Ole", "Jessen", "Mara", "Lindqvist", "Li"])
INITIALS = st.sampled_from("ABCDEHJKMPSTZ").map(lambda letter: f"{letter}.")


@given(
    st.lists(st.one_of(NAME_WORDS, INITIALS), min_size=1, max_size=3),
    NAME_WORDS,
    st.sampled_from(["", "Dr. ", "Prof. "]),
)
def test_a_name_keeps_the_dots_of_its_initials(first: list[str], last: str, title: str):
    name = f"{title}{' '.join(first)} {last}"
    assert normalize_authors(None, name) == name
    assert normalize_authors(None, f"By {name}") == name


def test_names_are_otherwise_normalised_as_trafilatura_does():
    for text in ["jane.doe", "Mara Lindqvist, Ole Jessen", "@hanne", "Li Wei (Beijing)", "x"]:
        assert normalize_authors(None, text) == ORIGINAL_AUTHORS(None, text)
    assert normalize_authors(None, "jane.doe") == "Jane Doe"
    assert normalize_authors("K. Sato", "Dr. Ole Jessen") == "K. Sato; Dr. Ole Jessen"


def test_a_pages_author_keeps_its_initials():
    page = (
        "<html><head><title>Ferry</title>"
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "NewsArticle", "author": '
        '{"@type": "Person", "name": "Dr. Hanne P. Petersen"}}</script></head><body><article>'
        + "<p>The ferry stayed in port on Tuesday while the harbour master waited for the wind"
        " to drop below gale force, and the first crossing left at noon.</p>"
        * 3
        + "</article></body></html>"
    )
    assert extract.extract_html(page).author == "Dr. Hanne P. Petersen"


def test_install_leaves_a_changed_trafilatura_alone(monkeypatch):
    monkeypatch.setattr(trafilatura_fixes, "ORIGINAL", None)
    monkeypatch.setattr(json_metadata, "extract_json_author", ORIGINAL)
    assert trafilatura_fixes.install() is False
    assert json_metadata.extract_json_author is ORIGINAL


def test_importing_the_extractor_changes_nothing_in_trafilatura():
    """The fixes are installed by whoever starts work (ingest.startup), not by an import."""
    check = (
        "import ingest.extract, ingest.stages, ingest.pipeline\n"
        "from trafilatura import json_metadata, utils\n"
        "from ingest.extract import trafilatura_fixes as fixes\n"
        "assert json_metadata.extract_json_author is fixes.ORIGINAL\n"
        "assert json_metadata.normalize_authors is fixes.ORIGINAL_AUTHORS\n"
        "assert utils.return_printables_and_spaces is fixes.ORIGINAL_PRINTABLES\n"
        "from trafilatura import core, external\n"
        "assert core.compare_extraction is fixes.ORIGINAL_COMPARE\n"
        "assert fixes.trafilatura_baseline.basic_cleaning is fixes.ORIGINAL_CLEANING\n"
        "assert external.basic_cleaning is fixes.ORIGINAL_CLEANING\n"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_pipeline_run_installs_the_fixes_itself(tmp_path: Path, monkeypatch):
    """With trafilatura as released, a run still reads the live blog's authors in one pass
    and keeps the Persian half-space: run_pipeline installs both fixes before extracting."""
    monkeypatch.setattr(json_metadata, "extract_json_author", ORIGINAL)
    monkeypatch.setattr(trafilatura_utils, "return_printables_and_spaces", ORIGINAL_PRINTABLES)
    trafilatura_utils.line_processing.cache_clear()
    prepare_process.cache_clear()
    half_space = "می\u200cشود"
    paragraphs = "".join(
        f"<p>Volunteers filled sandbags along the quay for the {n} time this week ({half_space}),"
        " and the harbour master kept the ferry in port until the wind dropped.</p>"
        for n in ("first", "second", "third", "fourth")
    )
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "storm.html").write_text(
        "<html><head><title>Storm live</title>"
        f'<script type="application/ld+json">{live_blog_json_ld(50)}</script></head>'
        f"<body><article><h1>Storm live</h1>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    run_pipeline(Options(raw_dir=raw, out_dir=tmp_path / "out", write_report=False))
    (article,) = pq.read_table(tmp_path / "out" / "articles").to_pylist()
    assert article["author"] == "Mara Lindqvist; Tomás Oyelaran; Edda Voss"
    assert article["text"].count(half_space) == 4
    assert json_metadata.extract_json_author is extract_json_author
