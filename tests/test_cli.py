"""The command line as a user meets it: --version, clean, stats/show --out, empty folders."""

from __future__ import annotations

import gzip
import json
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ingest import __version__
from ingest.cli import app
from ingest.options import Options
from ingest.pipeline import run_pipeline
from ingest.single import clean_path, sniff_name
from ingest.sources.discover import input_format_of

STORY = (
    "The harbour council of Port Alden voted on Tuesday to turn the old ferry terminal into a "
    "public library, ending a debate that had run for almost six years.\n\n"
    "Work on the building is to start in the autumn and should take about eighteen months, "
    "the council said, with the reading rooms facing the water.\n\n"
    "Residents who had campaigned for the library welcomed the vote, while shop owners on the "
    "quay asked for the works to avoid the summer season."
)

MARKET = (
    "The covered fish market on the east quay opened again on Saturday after a winter of "
    "repairs to its roof and cold rooms.\n\n"
    "Eleven stalls sold the morning's catch, and the first crates of herring were gone "
    "before eight o'clock, traders said."
)


def page(title: str = "Ferry terminal becomes a library", body: str = STORY) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}"
        "<p>Share this article on Facebook</p></article>"
        "<footer>© 2026 Alden Harbour News</footer></body></html>"
    )


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.fixture()
def dataset(tmp_path: Path) -> Path:
    """A small real dataset: two articles, an exact copy, a reject with and one without doc_id."""
    raw = tmp_path / "raw"
    (raw / "alden").mkdir(parents=True)
    (raw / "alden" / "library.html").write_text(page())
    (raw / "alden" / "library-copy.html").write_text(page())
    (raw / "alden" / "market.txt").write_text("Fish market reopens\n\n" + MARKET)
    (raw / "alden" / "picture.html").write_bytes(png())
    (raw / "notes.docx").write_bytes(b"PK\x03\x04")
    out = tmp_path / "out"
    run_pipeline(Options(raw_dir=raw, out_dir=out, write_report=False))
    return out


def invoke(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(app, list(args), input=stdin)


def test_version_prints_the_package_version() -> None:
    result = invoke("--version")

    assert result.exit_code == 0
    assert result.stdout.strip() == f"newsclean {__version__}"


def test_stats_takes_the_output_folder_as_argument_or_out(dataset: Path) -> None:
    by_argument = invoke("stats", str(dataset))
    by_option = invoke("stats", "--out", str(dataset))

    assert by_argument.exit_code == by_option.exit_code == 0
    assert "Per language" in by_option.stdout
    assert by_argument.stdout == by_option.stdout
    assert invoke("stats", "--out", str(dataset / "nope")).exit_code == 2


def test_show_opens_a_reject_without_doc_id_by_its_source(dataset: Path) -> None:
    result = invoke("show", "notes.docx", "--out", str(dataset))

    assert result.exit_code == 0
    assert "unsupported" in result.stdout and "source: notes.docx" in result.stdout


def test_show_opens_a_binary_reject_and_an_article_by_source(dataset: Path) -> None:
    reject = invoke("show", "alden/picture.html", "--out", str(dataset))
    article = invoke("show", "alden/market.txt", "--out", str(dataset))

    assert reject.exit_code == 0 and "binary" in reject.stdout
    assert article.exit_code == 0 and "Fish market reopens" in article.stdout


def test_show_takes_a_unique_doc_id_prefix_and_refuses_an_ambiguous_one(dataset: Path) -> None:
    from ingest import store

    doc_ids = sorted(row["doc_id"] for row in store.read_table(dataset, "articles").to_pylist())
    prefix = next(
        doc_ids[0][:n]
        for n in range(1, 33)
        if not any(d.startswith(doc_ids[0][:n]) for d in doc_ids[1:])
    )
    shown = invoke("show", prefix, "--out", str(dataset))
    everything = invoke("show", "", "--out", str(dataset))
    missing = invoke("show", "zz-no-such", "--out", str(dataset))

    assert shown.exit_code == 0 and f"article {doc_ids[0]}" in shown.stdout
    assert everything.exit_code == 2 and "give more of it" in everything.output
    assert missing.exit_code == 2 and "no document" in missing.output


def test_clean_a_file_prints_the_clean_text(tmp_path: Path) -> None:
    path = tmp_path / "library.html"
    path.write_text(page())

    result = invoke("clean", str(path))

    assert result.exit_code == 0
    assert result.stdout.startswith("The harbour council of Port Alden voted")
    assert "Share this article" not in result.stdout and "Home" not in result.stdout


def test_clean_stdin_as_json_gives_the_article_columns(tmp_path: Path) -> None:
    result = invoke("clean", "-", "--json", stdin=page().encode())

    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["title"] == "Ferry terminal becomes a library"
    assert record["language"] == "en" and record["input_format"] == "html"
    assert record["text"].startswith("The harbour council")
    assert {
        "kind": "share_prompt",
        "text": "Share this article on Facebook",
        "rule": "labelled_lines:share_prompt.prefix",
    } in record["removed"]
    assert record["n_words"] == len(record["text"].split())
    assert not list(tmp_path.iterdir())  # nothing written


def test_clean_matches_what_a_run_stores(dataset: Path, tmp_path: Path) -> None:
    """Same stages as a run: a page that no other page of its site explains cleans the same."""
    from ingest import store

    stored = {r["source"]: r for r in store.read_table(dataset, "articles").to_pylist()}
    market = stored["alden/market.txt"]
    raw_file = dataset.parent / "raw" / "alden" / "market.txt"

    record = json.loads(invoke("clean", str(raw_file), "--format", "json").stdout)

    assert (record["title"], record["text"]) == (market["title"], market["text"])
    assert record["content_hash"] == market["content_hash"]


def test_clean_markdown_and_a_feed_gives_one_result_per_record(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl.gz"
    lines = [
        json.dumps({"title": "Library vote", "text": STORY}),
        json.dumps({"title": "empty"}),
    ]
    feed.write_bytes(gzip.compress("\n".join(lines).encode()))

    markdown = invoke("clean", str(feed), "--format", "markdown")
    as_json = invoke("clean", str(feed), "--json")

    assert markdown.exit_code == 0
    assert markdown.stdout.startswith("# Library vote\n\nThe harbour council")
    records = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [r.get("reason") for r in records] == [None, "no_text"]


def test_clean_a_reject_exits_1_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "picture.html"
    path.write_bytes(png())

    result = invoke("clean", str(path))

    assert result.exit_code == 1
    assert result.stdout == "" and "binary" in result.output


@pytest.mark.parametrize(
    ("head", "name"),
    [
        (b"<!doctype html><html>", "stdin.html"),
        (b'\xef\xbb\xbf{"title": "x"}', "stdin.json"),
        (b'{"a": 1}\n{"a": 2}\n', "stdin.jsonl"),
        (b"[{}]", "stdin.json"),
        (b"WARC/1.0\r\n", "stdin.warc"),
        (b"Plain words", "stdin.txt"),
        (gzip.compress(b"WARC/1.1\r\nWARC-Type: warcinfo"), "stdin.warc.gz"),
    ],
)
def test_sniff_name(head: bytes, name: str) -> None:
    assert sniff_name(head) == name


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_on_stdin_get_a_readable_name(data: bytes) -> None:
    name = sniff_name(data)
    assert name.startswith("stdin.") and input_format_of(name) is not None


def test_clean_path_reads_a_file_without_suffix_by_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "download"
    path.write_text(page())

    (result,) = clean_path(path, Options())

    assert result.article.input_format == "html" and result.article.source == "download"


def test_an_empty_folder_is_named_and_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()

    result = invoke("run", str(tmp_path / "raw"), "--out", str(tmp_path / "out"))

    assert result.exit_code == 0
    assert f"no input files found in {tmp_path / 'raw'}" in result.output


def test_a_folder_of_unsupported_files_says_which_types(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.png").write_bytes(png())
    (raw / "b.pdf").write_bytes(b"%PDF-1.4")

    first = invoke("run", str(raw), "--out", str(tmp_path / "out"))
    again = invoke("run", str(raw), "--out", str(tmp_path / "out"))

    for result in (first, again):
        assert result.exit_code == 0
        assert "no supported input files" in result.output
        assert ".pdf, .png" in result.output and ".html" in result.output
    assert re.search(r"files rejected unread\s*│\s*2", first.output)
    assert "files rejected unread" not in again.output  # already reported by the first run


def test_library_warnings_stay_off_the_console(tmp_path: Path) -> None:
    """A PNG named .html: its report once drew an empty chart, which made matplotlib warn."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "picture.html").write_bytes(png())

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = invoke("run", str(raw), "--out", str(tmp_path / "out"))

    assert result.exit_code == 0, result.output
    assert "Warning" not in result.output
