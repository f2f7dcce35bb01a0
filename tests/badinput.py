"""Builds a folder of bad news input in code, with the outcome each record must get.

No binary fixtures are committed: every file is generated here, the huge ones cheaply (a
sparse file for "over the size limit", a multi-member gzip for the bomb). Shared by
tests/test_bad_input.py and benchmarks/torture.py.

An outcome is "article" or a reject reason. Every source listed must end in exactly one
of the output tables, and no other source may appear.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fakenews import Story, html_page, jsonl_record, story, text_dump
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter
from warcs import CrawlWriter, no_documents_warc

ARTICLE = "article"

# Limits the folder is built against: small enough that the bomb and the oversized file are
# cheap, large enough that the slow page (about 1 MB) is read and reaches extraction.
MAX_FILE_BYTES = 64 << 20
MAX_RECORD_BYTES = 2 << 20
EXTRACTION_TIMEOUT_S = 2.0
LIMITS = {
    "max_file_bytes": MAX_FILE_BYTES,
    "max_record_bytes": MAX_RECORD_BYTES,
    "extraction_timeout_s": EXTRACTION_TIMEOUT_S,
}

# Names of files the tests change or remove while a run reads them.
CHANGING = "during-run/changing.txt"
VANISHING = "during-run/vanishing.txt"
GONE_BEFORE_READ = "during-run/gone-before-read.txt"
# A file without read permission (only effective when not run as root).
PRIVATE = "private/locked.html"
# Values of record fields (title, id, url) that would escape the output folder as paths.
RECORD_FIELD_PATHS = ("../../escaped-by-title", "/tmp/escaped-by-id", "../escaped-by-url")


@dataclass(frozen=True)
class BadInput:
    kind: str
    expected: dict[str, str]  # source -> "article" or reject reason


class _Folder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.cases: list[BadInput] = []
        self._seed = 1000

    def next_story(self, language: str | None = None) -> Story:
        self._seed += 1
        return story(self._seed, language)

    def write(self, rel: str, data: bytes | str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def case(self, kind: str, expected: dict[str, str]) -> None:
        self.cases.append(BadInput(kind, expected))


def _random_bytes(seed: int, size: int) -> bytes:
    data = bytearray(random.Random(seed).randbytes(size))
    data[:4] = b"\x13\x07\x00\x9e"  # no file-format magic by chance
    return bytes(data)


def _gzip_bomb(expanded_bytes: int) -> bytes:
    """Concatenated gzip members of 1 MiB of zeros each: ~1 KB on disk per MiB expanded."""
    member = gzip.compress(b"\0" * (1 << 20), compresslevel=9)
    return member * (expanded_bytes >> 20)


def _warc(records: list[tuple[str, str, str, bytes]], *, gzip_records: bool = False) -> bytes:
    """(url, status line, content type, payload) responses, each after its request record."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip_records)
    for url, status, content_type, payload in records:
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x.example")], is_http_request=True)
        writer.write_record(
            writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=request)
        )
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload), http_headers=headers
            )
        )
    return buffer.getvalue()


def slow_page(paragraphs: int = 1000) -> str:
    """A page of link-only paragraphs: trafilatura's link-density checks are quadratic on it
    (about 40 s for 1 MB on a laptop core), far past EXTRACTION_TIMEOUT_S."""
    links = " ".join(f"<a href='/tag/{i}'>tag{i}</a>" for i in range(50))
    return "<html><body><article>" + f"<p>{links}</p>" * paragraphs + "</article></body></html>"


BILLION_LAUGHS_DTD = "<!ENTITY lol0 'lol'>" + "".join(
    f"<!ENTITY lol{i} '{f'&lol{i - 1};' * 10}'>" for i in range(1, 10)
)


def build_bad_input(root: Path) -> list[BadInput]:
    """Write the bad-input folder under root; returns every kind with its expected outcomes."""
    f = _Folder(root)
    _empty_and_binary(f)
    _encodings(f)
    _compression_and_size(f)
    _html_structure(f)
    _records(f)
    _file_system(f)
    _names_and_fields(f)
    return f.cases


def _empty_and_binary(f: _Folder) -> None:
    f.write("empty.html", b"")
    f.case("empty file", {"empty.html": "empty"})
    f.write("whitespace.txt", " \n\t \r\n  \n")
    f.case("whitespace-only file", {"whitespace.txt": "empty"})
    f.write("bom-only.txt", b"\xef\xbb\xbf")
    f.case("only a UTF-8 BOM", {"bom-only.txt": "empty"})
    f.write("zeros.txt", b"\0" * 4096)
    f.case("only NUL bytes (preallocated file)", {"zeros.txt": "empty"})
    f.write("photo.html", b"\x89PNG\r\n\x1a\n" + _random_bytes(1, 2048))
    f.case("PNG image named .html", {"photo.html": "binary"})
    f.write("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + _random_bytes(2, 2048))
    f.case("PDF named .txt", {"report.txt": "binary"})
    f.write("noise.html", _random_bytes(3, 4096))
    f.case("random bytes named .html", {"noise.html": "binary"})
    f.write("controls.txt", "".join(f"word{chr(1 + i % 8)} " for i in range(500)))
    f.case("text full of control characters", {"controls.txt": "binary"})
    f.write("photo.json", b"\xff\xd8\xff\xe0" + _random_bytes(4, 512))
    f.case("JPEG named .json", {"photo.json": "binary"})


def _encodings(f: _Folder) -> None:
    body = text_dump(f.next_story("en")).encode("utf-8")
    cut = body.replace(b"people", b"peo\xc3ple", 2).replace(b"said", b"sa\xe2\x82id", 1)
    f.write("invalid-utf8.txt", cut)
    f.case("invalid UTF-8 sequences in UTF-8 text", {"invalid-utf8.txt": ARTICLE})
    f.write("cp1252.txt", text_dump(f.next_story("fr")).encode("cp1252"))
    f.case("legacy encoding (cp1252), undeclared", {"cp1252.txt": ARTICLE})
    f.write("utf16-le.txt", text_dump(f.next_story("de")).encode("utf-16-le"))
    f.case("UTF-16 without BOM", {"utf16-le.txt": ARTICLE})
    first, second = f.next_story("es"), f.next_story("es")
    f.write("mixed.txt", text_dump(first).encode("utf-8") + text_dump(second).encode("latin-1"))
    f.case("mixed encodings in one file (UTF-8 then Latin-1)", {"mixed.txt": ARTICLE})
    page = html_page(f.next_story("ru")).replace('charset="utf-8"', 'charset="windows-1251"')
    f.write("cp1251.html", page.encode("cp1251"))
    f.case("declared legacy charset (windows-1251)", {"cp1251.html": ARTICLE})
    page = html_page(f.next_story("ar")).replace('charset="utf-8"', 'charset="shift_jis"')
    f.write("lying-charset.html", page.encode("utf-8"))
    f.case("meta charset that lies (says Shift-JIS, is UTF-8)", {"lying-charset.html": ARTICLE})
    page = html_page(f.next_story("en")).replace("</p><p>", "</p>\0\0<p>")
    f.write("nul-inside.html", page)
    f.case("NUL bytes between paragraphs", {"nul-inside.html": ARTICLE})


def _compression_and_size(f: _Folder) -> None:
    f.write("cut.html.gz", gzip.compress(html_page(f.next_story("de")).encode())[:-40])
    f.case("truncated gzip", {"cut.html.gz": "parse_error"})
    f.write("not-gzip.txt.gz", text_dump(f.next_story("fr")))
    f.case("plain text named .gz", {"not-gzip.txt.gz": "parse_error"})
    f.write("bomb.txt.gz", _gzip_bomb(1 << 30))
    f.case("gzip bomb (1 MB expanding to 1 GiB)", {"bomb.txt.gz": "too_large"})
    f.write("bomb.jsonl.gz", _gzip_bomb(1 << 30))
    f.case("gzip bomb named as a streamed JSONL feed", {"bomb.jsonl.gz": "too_large"})
    f.write("bomb.warc.gz", _gzip_bomb(1 << 30))
    f.case("gzip bomb named as a WARC", {"bomb.warc.gz": "too_large"})
    with (f.root / "huge.html").open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk and no time
    f.case("file over the size limit", {"huge.html": "too_large"})
    lines = [
        jsonl_record(f.next_story("en"), 1),
        json.dumps({"title": "huge", "text": "x" * (50 << 20)}),
        jsonl_record(f.next_story("es"), 3),
    ]
    f.write("long-line.jsonl", "\n".join(lines) + "\n")
    f.case(
        "one line of 50 MB between good lines",
        {
            "long-line.jsonl#1": ARTICLE,
            "long-line.jsonl#2": "too_large",
            "long-line.jsonl#3": ARTICLE,
        },
    )
    page = html_page(
        f.next_story("en"), extra_body="<p>" + "padding " * (MAX_RECORD_BYTES // 7) + "</p>"
    )
    f.write("record-too-big.html", page)
    f.case("one page over the record limit", {"record-too-big.html": "too_large"})


def _html_structure(f: _Folder) -> None:
    scripts = "".join(f"<script>var s{i} = {i} * 2; track('{i}');</script>" for i in range(40))
    f.write("scripts-only.html", f"<html><head>{scripts}</head><body>{scripts}</body></html>")
    f.case("HTML with only scripts", {"scripts-only.html": "no_text"})
    nav = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(60))
    f.write(
        "nav-only.html",
        f"<html><body><nav><ul>{nav}</ul></nav><footer>© Example</footer></body></html>",
    )
    f.case("HTML with only navigation", {"nav-only.html": "no_text"})
    item = f.next_story("fr")
    inner = "".join(f"<p>{p}</p>" for p in item.paragraphs)
    f.write(
        "deep.html",
        "<html><body>" + "<div>" * 100_000 + inner + "</div>" * 100_000 + "</body></html>",
    )
    f.case("HTML nested 100k levels deep", {"deep.html": "no_text"})
    item = f.next_story("en")
    body = "".join(f"<p>{p}</p>" for p in item.paragraphs)
    f.write(
        "laughs.xhtml",
        f'<?xml version="1.0"?><!DOCTYPE html [{BILLION_LAUGHS_DTD}]>'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{item.title}</title></head>'
        f"<body><article><h1>{item.title}</h1><p>&lol9;</p>{body}</article></body></html>",
    )
    f.case("XHTML with entity expansion (billion laughs)", {"laughs.xhtml": ARTICLE})
    f.write("slow.html", slow_page())
    f.case("page that makes extraction slow", {"slow.html": "timeout"})
    remote = (
        '<script src="http://tracker.invalid/t.js"></script>'
        '<link rel="stylesheet" href="https://cdn.invalid/site.css">'
    )
    images = (
        '<img src="http://images.invalid/a.jpg"><iframe src="https://video.invalid/embed"></iframe>'
    )
    f.write("remote.html", html_page(f.next_story("de"), extra_head=remote, extra_body=images))
    f.case("page pointing at remote scripts, images, frames", {"remote.html": ARTICLE})
    f.write("good/plain.html", html_page(f.next_story("es")))
    f.write("good/dump.txt", text_dump(f.next_story("ru")))
    f.case(
        "well-formed page and text (control)",
        {"good/plain.html": ARTICLE, "good/dump.txt": ARTICLE},
    )


def _records(f: _Folder) -> None:
    f.write("malformed.json", '{"articles": [{"title": "x", "text": "unterminated')
    f.case("malformed JSON", {"malformed.json": "parse_error"})
    f.write("nested.json", "[" * 100_000 + "]" * 100_000)
    f.case("JSON nested 100k levels deep", {"nested.json": "parse_error"})
    f.write("no-records.json", '{"articles": []}')
    f.case("JSON envelope with no records", {"no-records.json": "empty"})
    lines = [
        jsonl_record(f.next_story("ar"), 1),
        '{"title": "broken", "text": ',
        jsonl_record(f.next_story("de"), 3),
        "[1, 2",
        "",
        "not json at all",
        jsonl_record(f.next_story("fr"), 7),
    ]
    f.write("partly-broken.jsonl", "\n".join(lines) + "\n")
    f.case(
        "JSONL with broken lines",
        {
            "partly-broken.jsonl#1": ARTICLE,
            "partly-broken.jsonl#2": "parse_error",
            "partly-broken.jsonl#3": ARTICLE,
            "partly-broken.jsonl#4": "parse_error",
            "partly-broken.jsonl#6": "parse_error",
            "partly-broken.jsonl#7": ARTICLE,
        },
    )
    good = f.next_story("es")
    records = [
        {"title": 5, "text": ["not", "a", "string"]},
        {"text": 12345},
        7,
        {"title": "only a title"},
        {
            "text": good.text,
            "title": None,
            "url": 5,
            "published": {"year": 2026},
            "author": [1, {}],
        },
    ]
    f.write("wrong-types.json", json.dumps(records))
    f.case(
        "JSON records with wrong field types",
        {
            "wrong-types.json#1": "bad_record",
            "wrong-types.json#2": "bad_record",
            "wrong-types.json#3": "bad_record",
            "wrong-types.json#4": "no_text",
            "wrong-types.json#5": ARTICLE,
        },
    )
    pages = [html_page(f.next_story(lang)).encode() for lang in ("en", "ru", "de")]
    data = _warc(
        [
            (f"https://w.example/{i}", "200 OK", "text/html; charset=utf-8", p)
            for i, p in enumerate(pages)
        ]
    )
    f.write("cut.warc", data[: len(data) - len(pages[-1]) // 2])
    f.case(
        "truncated WARC",
        {"cut.warc#1": ARTICLE, "cut.warc#2": ARTICLE, "cut.warc#3": "parse_error"},
    )
    pages = [html_page(f.next_story(lang)).encode() for lang in ("fr", "es")]
    data = _warc(
        [(f"https://w.example/gz{i}", "200 OK", "text/html", p) for i, p in enumerate(pages)],
        gzip_records=True,
    )
    f.write("cut.warc.gz", data[: len(data) - 200])
    f.case(
        "truncated WARC, gzipped per record",
        {"cut.warc.gz#1": ARTICLE, "cut.warc.gz#2": "parse_error"},
    )
    f.write("blank-lines.jsonl", "\n\n   \n\r\n")
    f.case("JSONL of blank lines only", {"blank-lines.jsonl": "empty"})
    f.write("robots.warc", no_documents_warc())
    f.case("WARC with no response record (warcinfo, request, metadata)", {"robots.warc": "empty"})
    crawl = CrawlWriter()
    crawl.response(None, html_page(f.next_story("de")).encode())
    crawl.response("https://w.example/after", html_page(f.next_story("fr")).encode())
    f.write("no-target.warc", crawl.getvalue())
    f.case(
        "WARC response without WARC-Target-URI",
        {"no-target.warc#1": ARTICLE, "no-target.warc#2": ARTICLE},
    )
    line = json.dumps({"text": f.next_story("en").text + " \ud83d", "title": "Cut emoji \udc00"})
    f.write("lone-surrogate.jsonl", line + "\n")
    f.case("JSON string with a lone surrogate escape", {"lone-surrogate.jsonl#1": ARTICLE})
    f.write(
        "not-html.warc.gz",
        gzip.compress(
            _warc(
                [
                    ("https://w.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n"),
                    ("https://w.example/a.pdf", "200 OK", "application/pdf", b"%PDF-1.4"),
                    ("https://w.example/gone", "404 Not Found", "text/html", b"<p>gone</p>"),
                ]
            )
        ),
    )
    f.case(
        "WARC records that are not HTML",
        {
            "not-html.warc.gz#1": "unsupported",
            "not-html.warc.gz#2": "unsupported",
            "not-html.warc.gz#3": "unsupported",
        },
    )


def _file_system(f: _Folder) -> None:
    f.write("notes.docx", b"PK\x03\x04" + _random_bytes(5, 256))
    f.case("a type we do not read", {"notes.docx": "unsupported"})
    os.symlink("nowhere/missing.html", f.root / "dangling.html")
    f.case("symlink to nothing", {"dangling.html": "unreadable"})
    os.symlink("loop-b.html", f.root / "loop-a.html")
    os.symlink("loop-a.html", f.root / "loop-b.html")
    f.case(
        "symlink loop between two files", {"loop-a.html": "unreadable", "loop-b.html": "unreadable"}
    )
    f.write("linked/inside.txt", text_dump(f.next_story("en")))
    os.symlink("..", f.root / "linked" / "up")
    f.case("symlink loop between folders", {"linked/inside.txt": ARTICLE})
    os.mkfifo(f.root / "pipe.html")
    f.case("a FIFO named .html (must not hang)", {"pipe.html": "unsupported"})
    f.write(CHANGING, text_dump(f.next_story("de")))
    f.write(VANISHING, text_dump(f.next_story("fr")))
    f.write(GONE_BEFORE_READ, text_dump(f.next_story("es")))
    f.case(
        "files changed or removed while the run reads them",
        {CHANGING: "vanished", VANISHING: "vanished", GONE_BEFORE_READ: "vanished"},
    )
    if os.geteuid() != 0:  # root reads through chmod 000; the run-as-root check lives in the test
        path = f.write(PRIVATE, html_page(f.next_story("es")))
        path.chmod(0)
        f.case("file without read permission", {PRIVATE: "unreadable"})


def _names_and_fields(f: _Folder) -> None:
    f.write("with space.html", html_page(f.next_story("en")))
    f.write("new\nline.txt", text_dump(f.next_story("de")))
    f.write("новости 東京.html", html_page(f.next_story("ru")))
    (f.root / os.fsdecode(b"caf\xe9.txt")).write_text(text_dump(f.next_story("fr")))
    f.case(
        "file names with spaces, newlines, non-Latin and non-UTF-8 bytes",
        {
            "with space.html": ARTICLE,
            "new\nline.txt": ARTICLE,
            "новости 東京.html": ARTICLE,
            "caf\\xe9.txt": ARTICLE,
        },
    )
    by_title, by_id, by_url = RECORD_FIELD_PATHS
    item = f.next_story("es")
    record = json.loads(jsonl_record(item, 1))
    record.update(title=by_title, id=by_id, url=f"file://{by_url}", source=by_url, site="/etc")
    f.write("fields.jsonl", json.dumps(record, ensure_ascii=False) + "\n")
    f.case("record fields that look like paths", {"fields.jsonl#1": ARTICLE})


@contextmanager
def files_change_while_read() -> Iterator[None]:
    """Make the files under during-run/ change under a run in this process.

    CHANGING grows right after it is read, VANISHING is deleted right after it is read, and
    GONE_BEFORE_READ is deleted after discovery, just before it is opened.
    """
    import ingest.stages

    original = ingest.stages.read_input

    def reading(file, **limits):
        if file.relpath == GONE_BEFORE_READ:
            file.path.unlink()
        yield from original(file, **limits)
        if file.relpath == CHANGING:
            with file.path.open("a", encoding="utf-8") as handle:
                handle.write("Update: a correction was appended while the run was reading.\n")
        elif file.relpath == VANISHING:
            file.path.unlink()

    ingest.stages.read_input = reading
    try:
        yield
    finally:
        ingest.stages.read_input = original


def expected_outcomes(cases: list[BadInput]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for case in cases:
        merged.update(case.expected)
    return merged
