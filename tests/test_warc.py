"""WARC and WET files as crawlers write them: every record kind, encoding and breakage.

Files are written with warcio's writer (tests/warcs.py) from our own fictional stories, then
read by the real readers; the crawls also go through a whole run.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from fakenews import story
from warcio.warcwriter import WARCWriter
from warcs import (
    CRAWL_OUTCOMES,
    CrawlWriter,
    crawl_warc,
    no_documents_warc,
    page,
    responses_warc,
    wet_file,
    with_content_length,
)

from ingest import store
from ingest.documents import RawDocument, Reject
from ingest.options import Options
from ingest.pipeline import run_pipeline
from ingest.sources import read_path


def _read(tmp_path: Path, name: str, data: bytes) -> dict[str, RawDocument | Reject]:
    path = tmp_path / name
    path.write_bytes(data)
    items = read_path(path, tmp_path)
    sources = [item.source for item in items]
    assert len(sources) == len(set(sources)), sources
    return dict(zip(sources, items, strict=True))


def _outcome(item: RawDocument | Reject) -> str:
    return "document" if isinstance(item, RawDocument) else str(item.reason)


def _expected(name: str) -> dict[str, str]:
    return {
        f"{name}{n}": "document" if outcome == "article" else outcome
        for n, outcome in CRAWL_OUTCOMES.items()
    }


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("crawl.warc", crawl_warc(1)),
        ("crawl-1.0.warc", crawl_warc(1, version="1.0")),
        ("per-record.warc.gz", crawl_warc(1, gzip_records=True)),
        ("whole-file.warc.gz", gzip.compress(crawl_warc(1))),
        ("gzip-named-plain.warc", crawl_warc(1, gzip_records=True)),
    ],
)
def test_a_crawl_gives_its_documents_whatever_the_shape(
    tmp_path: Path, name: str, data: bytes
) -> None:
    items = _read(tmp_path, name, data)
    assert {s: _outcome(i) for s, i in items.items()} == _expected(name)
    texts = [i.content for i in items.values() if isinstance(i, RawDocument)]
    stories = [story(100 + i, lang) for i, lang in enumerate(["en", "de", "fr", "es"] * 2)]
    for text, item in zip(texts, stories, strict=True):  # every encoding decoded to the page
        assert item.paragraphs[0] in text
    no_uri = items[f"{name}#8"]
    assert isinstance(no_uri, RawDocument) and no_uri.url is None and no_uri.site is None
    assert items[f"{name}#3"].url == "https://news.example/1/story-1"  # type: ignore[union-attr]


def test_wet_conversion_records_are_text_documents_with_their_url(tmp_path: Path) -> None:
    items = _read(tmp_path, "CC-MAIN-part.warc.wet.gz", gzip.compress(wet_file(3)))
    docs = list(items.values())
    assert [d.source for d in docs] == [f"CC-MAIN-part.warc.wet.gz#{n}" for n in (1, 2, 3)]
    first = docs[0]
    assert isinstance(first, RawDocument) and not first.is_html
    assert first.url == "https://en-daily.example/wet/3/0" and first.site == "en-daily.example"
    assert first.content.startswith(story(350, "en").title)
    assert first.language_hint == "eng"


@pytest.mark.parametrize("change", [-300, -40, 25, 900, 100_000])
@pytest.mark.parametrize("record", [3, 5])
def test_a_wrong_content_length_costs_nothing(tmp_path: Path, record: int, change: int) -> None:
    """Too short or too long (even past the end of the next record): the record ends where
    the next one starts."""
    data = with_content_length(crawl_warc(1), record, change)
    items = _read(tmp_path, "crawl.warc", data)
    assert {s: _outcome(i) for s, i in items.items()} == _expected("crawl.warc")


def test_a_wrong_content_length_on_the_last_record(tmp_path: Path) -> None:
    pages = [page(story(i, "en")) for i in range(3)]
    data = responses_warc(pages)
    longer = _read(tmp_path, "a.warc", with_content_length(data, 2, 500))
    shorter = _read(tmp_path, "b.warc", with_content_length(data, 2, -500))
    assert [_outcome(i) for i in longer.values()] == ["document", "document", "parse_error"]
    assert "truncated" in longer["a.warc#3"].detail  # type: ignore[union-attr]
    assert [_outcome(i) for i in shorter.values()] == ["document"] * 3


def test_a_cut_warc_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    data = crawl_warc(1)
    start = data.index(b"WARC-Type: response", data.index(b"story-4"))
    end = data.index(b"WARC/1.1", start)
    cut = data[: (start + end) // 2]  # inside the response of story 4 (#6)
    items = _read(tmp_path, "cut.warc", cut)
    outcomes = [_outcome(i) for i in items.values()]
    assert outcomes == ["unsupported"] + ["document"] * 4 + ["parse_error"]


def test_bytes_between_records_are_one_reject_and_the_rest_is_read(tmp_path: Path) -> None:
    data = crawl_warc(1)
    at = data.index(b"WARC/1.1\r\nWARC-Type: response", 2000)
    garbage = b"\x00\x17 not a record at all\r\nmore noise\r\n" * 3
    items = _read(tmp_path, "noisy.warc", data[:at] + garbage + data[at:])
    junk = {s: i for s, i in items.items() if "@" in s}
    assert [(s, _outcome(i)) for s, i in junk.items()] == [(f"noisy.warc@{at}", "parse_error")]
    assert sum(_outcome(i) == "document" for i in items.values()) == 8  # the digest vouches


def test_a_file_that_is_no_warc_says_so(tmp_path: Path) -> None:
    items = _read(tmp_path, "notes.warc", b"These are my notes, not a crawl.\n" * 20)
    ((source, item),) = items.items()
    assert source == "notes.warc@0" and isinstance(item, Reject)
    assert item.detail.startswith("not a WARC file")


def test_a_warc_without_documents_leaves_a_reject_saying_so(tmp_path: Path) -> None:
    items = _read(tmp_path, "robots.warc.gz", gzip.compress(no_documents_warc()))
    ((source, item),) = items.items()
    assert source == "robots.warc.gz" and isinstance(item, Reject)
    assert (str(item.reason), item.detail) == (
        "empty",
        "no response, resource or conversion record in the WARC (1 metadata, 1 request, 1 warcinfo)",
    )


def test_payload_encodings_that_break_or_are_unknown(tmp_path: Path) -> None:
    body = page(story(5, "de"))
    good = gzip.compress(body)
    w = CrawlWriter()
    w.response(
        "https://x.example/cut", good[: len(good) // 2], extra=[("Content-Encoding", "gzip")]
    )
    w.response("https://x.example/zstd", body, extra=[("Content-Encoding", "zstd")])
    w.response("https://x.example/plain", body, extra=[("Content-Encoding", "gzip")])
    w.response("https://x.example/chunks", b"5\r\nabc", extra=[("Transfer-Encoding", "chunked")])
    items = _read(tmp_path, "enc.warc", w.getvalue())
    assert [(_outcome(i), getattr(i, "detail", "")[:30]) for i in items.values()] == [
        ("parse_error", "gzip content encoding cut shor"),
        ("unsupported", "content encoding 'zstd' not su"),
        ("document", ""),  # stored decoded under its original header
        ("parse_error", "chunked transfer encoding cut "),
    ]


def test_a_corrupt_block_is_a_reject_of_that_record_only(tmp_path: Path) -> None:
    data = bytearray(crawl_warc(1))
    at = data.index(b"story-2") + 900  # inside the gzip payload of record #4
    data[at] ^= 0xFF
    items = _read(tmp_path, "flipped.warc", bytes(data))
    outcomes = {s: _outcome(i) for s, i in items.items()}
    assert outcomes == {**_expected("flipped.warc"), "flipped.warc#4": "parse_error"}
    assert "digest mismatch" in items["flipped.warc#4"].detail  # type: ignore[union-attr]


# --- crashes the fuzzing campaign found in warcio, each as its own fixture -----------------


def test_crash_response_without_target_uri(tmp_path: Path) -> None:
    """warcio: AttributeError ('NoneType' object has no attribute 'startswith')."""
    w = CrawlWriter()
    w.response(None, page(story(11, "fr")))
    items = _read(tmp_path, "no-uri.warc", w.getvalue())
    assert [_outcome(i) for i in items.values()] == ["document"]


def test_crash_brotli_payload(tmp_path: Path) -> None:
    """warcio with brotli 1.2: AttributeError ('brotli.Decompressor' has no 'unused_data')."""
    import brotli

    w = CrawlWriter()
    body = page(story(12, "es"))
    w.response("https://x.example/br", brotli.compress(body), extra=[("Content-Encoding", "br")])
    (item,) = _read(tmp_path, "br.warc", w.getvalue()).values()
    assert isinstance(item, RawDocument) and story(12, "es").paragraphs[1] in item.content


def test_crash_unknown_record_type_with_digests(tmp_path: Path) -> None:
    """warcio: TypeError (name must be a string) verifying the digest of an unknown type."""
    data = no_documents_warc().replace(b"WARC-Type: warcinfo", b"WARC-Type: warciffo")
    items = _read(tmp_path, "odd.warc", data)
    assert [(s, _outcome(i)) for s, i in items.items()] == [("odd.warc", "empty")]


def test_crawls_go_through_a_whole_run(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "crawl.warc.gz").write_bytes(crawl_warc(2, gzip_records=True))
    (raw / "part.warc.wet.gz").write_bytes(gzip.compress(wet_file(2)))
    (raw / "robots.warc").write_bytes(no_documents_warc())
    buffer = io.BytesIO()
    WARCWriter(buffer, gzip=False)  # an empty file named .warc: no records at all
    (raw / "empty.warc").write_bytes(buffer.getvalue())
    summary = run_pipeline(Options(raw_dir=raw, out_dir=out, write_report=False))
    articles = store.read_table(out, "articles").to_pylist()
    rejects = store.read_table(out, "rejects").to_pylist()
    by_file = {r["source"].split("#")[0] for r in articles + rejects}
    assert by_file == {"crawl.warc.gz", "part.warc.wet.gz", "robots.warc", "empty.warc"}
    wet = [a for a in articles if a["source"].startswith("part.warc.wet.gz")]
    assert len(wet) == 3 and {a["extraction_method"] for a in wet} == {"plain_text"}
    assert all(a["url"].startswith("https://") for a in wet)
    assert summary.n_internal_errors == 0


def _members(data: bytes) -> list[int]:
    return [i for i in range(len(data) - 2) if data.startswith(b"\x1f\x8b\x08", i)]


@pytest.mark.parametrize("damage", ["flip", "garbage", "cut"])
def test_a_broken_gzip_member_costs_its_record_not_the_rest(tmp_path: Path, damage: str) -> None:
    """One member per record: after a broken member, reading resumes at the next one."""
    data = crawl_warc(1, gzip_records=True)
    starts = _members(data)
    assert len(starts) == 24
    start, end = starts[9], starts[10]  # the response of story 2 (#4)
    member = bytearray(data[start:end])
    if damage == "flip":
        member[len(member) // 2] ^= 0xFF
    elif damage == "garbage":
        member[:] = b"\x00junk that is no gzip member\x00" * 8
    else:
        del member[len(member) // 2 :]
    items = _read(tmp_path, "crawl.warc.gz", data[:start] + bytes(member) + data[end:])
    urls = {i.url for i in items.values() if isinstance(i, RawDocument)}
    every = {
        i.url for i in _read(tmp_path, "good.warc.gz", data).values() if _outcome(i) == "document"
    }
    assert urls == every - {"https://news.example/1/story-2"}
    rejects = {s: i for s, i in items.items() if isinstance(i, Reject)}
    assert sum(str(r.reason) == "unsupported" for r in rejects.values()) == 2
    (broken,) = [r for s, r in rejects.items() if s.startswith("crawl.warc.gz@gz")]
    assert broken.source == f"crawl.warc.gz@gz{start}" and "broken gzip member" in broken.detail
    assert "reading resumed at the next member" in broken.detail
    others = [
        r for r in rejects.values() if str(r.reason) not in ("unsupported",) and r is not broken
    ]
    assert [r.detail[:21] for r in others] in ([], ["truncated WARC record"])


def test_a_whole_file_gzip_that_breaks_keeps_what_came_before(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(crawl_warc(1), mtime=0))
    data[len(data) // 2] ^= 0xFF
    items = _read(tmp_path, "crawl.warc.gz", bytes(data))
    outcomes = [_outcome(i) for i in items.values()]
    assert outcomes[0] == "unsupported" and outcomes.count("document") >= 2
    last = list(items.values())[-1]
    assert last.source.startswith("crawl.warc.gz@gz") and _outcome(last) == "parse_error"
    assert "no member after it: the rest of the file is lost" in last.detail  # type: ignore[union-attr]
