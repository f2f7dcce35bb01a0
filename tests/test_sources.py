"""Readers and decoding on fixtures we write here: every format, several encodings, bad bytes."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ingest.documents import InputState, RawDocument, Reject, RejectReason
from ingest.sources import discover, plan_inputs, read_path, readers
from ingest.sources.decode import DecodeFailure, decode_bytes
from ingest.sources.discover import file_hash

ARABIC = "أعلنت بلدية الساحل افتتاح مكتبة عامة جديدة في وسط المدينة يوم الثلاثاء."
JAPANESE = "港町の市場で新しい魚の競りが始まり、多くの観光客が朝早くから集まった。"
RUSSIAN = "В городском парке открылась новая библиотека под открытым небом."


def _page(body: str, *, lang: str, charset: str | None = None, title: str = "T") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f'<html lang="{lang}"><head>{meta}<title>{title}</title></head><body><article><p>{body}</p></article></body></html>'


def _read(path: Path, root: Path) -> list[RawDocument | Reject]:
    return read_path(path, root)


# --- decoding -----------------------------------------------------------------------------


def test_utf8_with_bom() -> None:
    decoded = decode_bytes(b"\xef\xbb\xbf" + RUSSIAN.encode())
    assert decoded.text == RUSSIAN and decoded.encoding == "utf-8"


def test_utf16_with_and_without_bom() -> None:
    assert decode_bytes(RUSSIAN.encode("utf-16")).text == RUSSIAN
    english = "A quiet harbour town opened its first night market on Friday."
    assert decode_bytes(english.encode("utf-16-le")).text == english


def test_windows_1256_arabic_declared_in_meta() -> None:
    html = _page(ARABIC, lang="ar", charset="windows-1256").encode("cp1256")
    decoded = decode_bytes(html, is_html=True)
    assert ARABIC in decoded.text and decoded.encoding == "cp1256"


def test_shift_jis_declared_and_detected() -> None:
    declared = _page(JAPANESE, lang="ja", charset="shift_jis").encode("shift_jis")
    assert JAPANESE in decode_bytes(declared, is_html=True).text
    undeclared = (JAPANESE * 4).encode("shift_jis")
    assert JAPANESE in decode_bytes(undeclared).text


def test_lying_meta_charset_is_not_trusted() -> None:
    html = _page(RUSSIAN, lang="ru", charset="iso-8859-1").encode("utf-8")
    assert RUSSIAN in decode_bytes(html, is_html=True).text


def test_mixed_encodings_keep_the_text() -> None:
    data = (RUSSIAN + " café ").encode("utf-8") + "naïve".encode("latin-1") + RUSSIAN.encode()
    decoded = decode_bytes(data)
    assert RUSSIAN in decoded.text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", RejectReason.EMPTY),
        (b"   \n\t  ", RejectReason.EMPTY),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, RejectReason.BINARY),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", RejectReason.BINARY),
        (bytes(range(256)) * 40, RejectReason.BINARY),
    ],
)
def test_bad_bytes_become_decode_failures(data: bytes, reason: RejectReason) -> None:
    with pytest.raises(DecodeFailure) as info:
        decode_bytes(data)
    assert info.value.reason is reason


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_decoding_never_raises_anything_else(data: bytes) -> None:
    try:
        decoded = decode_bytes(data)
    except DecodeFailure:
        return
    assert isinstance(decoded.text, str) and "\x00" not in decoded.text


# --- readers ------------------------------------------------------------------------------


def test_html_page_gets_stable_id_source_and_language_hint(tmp_path: Path) -> None:
    path = tmp_path / "site-a" / "story.html"
    path.parent.mkdir()
    path.write_text(_page(ARABIC, lang="ar-LB"), encoding="utf-8")
    (doc,) = _read(path, tmp_path)
    assert isinstance(doc, RawDocument)
    assert doc.source == "site-a/story.html" and doc.site == "site-a"
    assert doc.language_hint == "ar-LB" and doc.is_html
    (again,) = _read(path, tmp_path)
    assert again.doc_id == doc.doc_id


def test_gzipped_text(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt.gz"
    path.write_bytes(gzip.compress(RUSSIAN.encode("cp1251")))
    (doc,) = _read(path, tmp_path)
    assert isinstance(doc, RawDocument) and doc.content == RUSSIAN and not doc.is_html


def test_json_object_list_and_envelope(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"url": "https://news.example.org/a", "title": "A", "text": RUSSIAN}))
    many = tmp_path / "many.json"
    many.write_text(
        json.dumps([{"content": RUSSIAN, "lang": "ru"}, {"html": _page(ARABIC, lang="ar")}])
    )
    envelope = tmp_path / "api.json"
    envelope.write_text(
        json.dumps(
            {
                "status": "ok",
                "articles": [
                    {
                        "body": JAPANESE,
                        "publishedAt": "2026-01-14T08:00:00Z",
                        "author": [{"name": "K. Sato"}],
                    }
                ],
            }
        )
    )

    (doc,) = _read(one, tmp_path)
    assert doc.source == "one.json#1" and doc.site == "news.example.org" and doc.title == "A"
    first, second = _read(many, tmp_path)
    assert first.language_hint == "ru" and not first.is_html
    assert second.is_html and second.language_hint == "ar"
    (api,) = _read(envelope, tmp_path)
    assert api.published.isoformat() == "2026-01-14T08:00:00+00:00" and api.author == "K. Sato"


def test_jsonl_broken_lines_are_rejects_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": RUSSIAN}),
        '{"text": "unterminated',
        json.dumps({"text": 42}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"title": "no body"}),
        json.dumps({"text": JAPANESE}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _read(path, tmp_path)
    kinds = [(i.source, i.reason if isinstance(i, Reject) else "doc") for i in items]
    assert kinds == [
        ("feed.jsonl#1", "doc"),
        ("feed.jsonl#2", RejectReason.PARSE_ERROR),
        ("feed.jsonl#3", RejectReason.BAD_RECORD),
        ("feed.jsonl#4", RejectReason.BAD_RECORD),
        ("feed.jsonl#6", RejectReason.NO_TEXT),
        ("feed.jsonl#7", "doc"),
    ]
    assert "line 2" in items[1].detail


def _warc(records: list[tuple[str, str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(writer.create_warcinfo_record("sample.warc.gz", {"software": "tests"}))
    for url, content_type, payload in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload), http_headers=headers
            )
        )
    return buffer.getvalue()


def test_warc_responses_html_and_not_html(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(
        _warc(
            [
                (
                    "https://www.harbour.example/a",
                    "text/html; charset=windows-1256",
                    _page(ARABIC, lang="ar").encode("cp1256"),
                ),
                ("https://www.harbour.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
            ]
        )
    )
    page, image = _read(path, tmp_path)
    assert (
        isinstance(page, RawDocument) and ARABIC in page.content and page.site == "harbour.example"
    )
    assert page.source == "crawl.warc.gz#1" and page.url == "https://www.harbour.example/a"
    assert isinstance(image, Reject) and image.reason is RejectReason.UNSUPPORTED


def test_truncated_warc_and_gzip_are_rejects(tmp_path: Path) -> None:
    data = _warc(
        [
            (f"https://x.example/{i}", "text/html", _page(RUSSIAN * 20, lang="ru").encode())
            for i in range(3)
        ]
    )
    warc = tmp_path / "cut.warc.gz"
    warc.write_bytes(data[: len(data) * 2 // 3])
    items = _read(warc, tmp_path)
    assert isinstance(items[-1], Reject) and items[-1].reason is RejectReason.PARSE_ERROR
    assert any(isinstance(i, RawDocument) for i in items)
    gz = tmp_path / "cut.html.gz"
    gz.write_bytes(gzip.compress(_page(RUSSIAN * 50, lang="ru").encode())[:-30])
    (reject,) = _read(gz, tmp_path)
    assert reject.reason is RejectReason.PARSE_ERROR


def test_gzip_bomb_stops_at_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    with gzip.open(path, "wb") as handle:
        chunk = b"a" * (1 << 20)
        for _ in range(64):
            handle.write(chunk)
    assert path.stat().st_size < 1 << 20
    (reject,) = read_path(path, tmp_path, max_file_bytes=8 << 20)
    assert reject.reason is RejectReason.TOO_LARGE


def test_a_streamed_feed_over_the_file_limit_is_read_record_by_record(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"title": f"Brief {n}", "text": "Ferry service resumes. " * 20})
        for n in range(8)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read_path(path, tmp_path, max_file_bytes=1024, max_record_bytes=1024)
    assert path.stat().st_size > 1024
    assert [type(i) for i in items] == [RawDocument] * 8


def test_a_whole_file_format_over_the_file_limit_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        _page("Ferry service resumes after the storm. " * 100, lang="en"), encoding="utf-8"
    )
    (reject,) = read_path(path, tmp_path, max_file_bytes=1024)
    assert reject.reason is RejectReason.TOO_LARGE


def test_gzip_bomb_in_a_streamed_format_stops_at_the_ratio_cap(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        line = b'{"text": "' + b"a" * 1000 + b'"}\n'
        for _ in range(64 << 10):
            handle.write(line)
    compressed = path.stat().st_size
    assert compressed * readers.MAX_GZIP_RATIO < 8 << 20 < 64 << 20
    items = read_path(path, tmp_path, max_file_bytes=8 << 20, max_record_bytes=4096)
    assert items[-1].reason is RejectReason.TOO_LARGE
    assert len(items) < (8 << 20) // 1000


def test_discover_rejects_unknown_types_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<p>x</p>")
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "loop").symlink_to(tmp_path)
    files, rejects = discover(tmp_path)
    assert [f.relpath for f in files] == ["a.html"]
    assert [(r.source, r.reason) for r in rejects] == [("photo.jpg", RejectReason.UNSUPPORTED)]


def test_plan_skips_unchanged_and_touched_files(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(RUSSIAN)
    files, _ = discover(tmp_path)
    (item,) = files
    seen = {"a.txt": InputState("a.txt", item.size, item.mtime_ns, file_hash(path))}
    plan, _ = plan_inputs(files, seen)
    assert plan.unchanged == [item] and not plan.new_files
    touched = InputState("a.txt", item.size, item.mtime_ns - 1, file_hash(path))
    plan, _ = plan_inputs(files, {"a.txt": touched})
    assert not plan.new_files and plan.touched
    changed = InputState("a.txt", item.size, item.mtime_ns - 1, "0" * 32)
    plan, _ = plan_inputs(files, {"a.txt": changed})
    assert plan.new_files == [item]
