"""WARC and WET files shaped like real crawls write them, built with warcio's writer.

Shared by tests/test_warc.py, tests/fuzzing.py and benchmarks/fuzz.py. Content is our own
fictional stories (tests/fakenews.py). Each builder returns the file's bytes; `CRAWL_OUTCOMES`
says what every document record of `crawl_warc` must become.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from uuid import UUID

import brotli
from fakenews import Story, html_page, story
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def chunked(data: bytes, size: int = 700) -> bytes:
    """HTTP/1.1 chunked transfer encoding of data."""
    parts = [
        f"{len(data[i : i + size]):x}\r\n".encode() + data[i : i + size] + b"\r\n"
        for i in range(0, len(data), size)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


def deflate(data: bytes) -> bytes:
    return zlib.compress(data)


def _http(status: str, headers: list[tuple[str, str]]) -> StatusAndHeaders:
    return StatusAndHeaders(status, headers, protocol="HTTP/1.1")


class CrawlWriter:
    """A WARCWriter with the record kinds a crawler writes around each response."""

    def __init__(self, *, version: str = "1.1", gzip_records: bool = False) -> None:
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=gzip_records, warc_version=version)
        self.writer.write_record = self._write  # type: ignore[method-assign]
        self._records = 0

    def _write(self, record) -> None:
        """Fixed record ids and dates, so the same call always writes the same bytes."""
        self._records += 1
        record.rec_headers.replace_header("WARC-Record-ID", f"<urn:uuid:{UUID(int=self._records)}>")
        record.rec_headers.replace_header("WARC-Date", "2026-03-01T08:00:00Z")
        WARCWriter.write_record(self.writer, record)

    def warcinfo(self) -> None:
        info = {"software": "newsclean-tests/1.0", "format": "WARC File Format 1.1"}
        self.writer.write_record(self.writer.create_warcinfo_record("crawl.warc", info))

    def request(self, url: str) -> None:
        headers = StatusAndHeaders(
            "GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True
        )
        record = self.writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), http_headers=headers
        )
        self.writer.write_record(record)

    def response(
        self,
        url: str | None,
        body: bytes,
        *,
        status: str = "200 OK",
        content_type: str = "text/html; charset=utf-8",
        extra: list[tuple[str, str]] | None = None,
    ) -> None:
        headers = _http(status, [("Content-Type", content_type), *(extra or [])])
        record = self.writer.create_warc_record(
            url or "", "response", payload=io.BytesIO(body), http_headers=headers
        )
        if not url:
            record.rec_headers.remove_header("WARC-Target-URI")
        self.writer.write_record(record)

    def dns(self, host: str) -> None:
        """A dns: response as Heritrix writes one (not HTTP: Content-Type text/dns)."""
        answer = io.BytesIO(f"20260301080000\n{host}. 300 IN A 192.0.2.7\n".encode())
        record = self.writer.create_warc_record(
            f"dns:{host}", "response", payload=answer, warc_content_type="text/dns"
        )
        self.writer.write_record(record)

    def metadata(self, url: str) -> None:
        payload = io.BytesIO(b"via: https://news.example/\r\nfetchTimeMs: 120\r\n")
        record = self.writer.create_warc_record(
            url, "metadata", payload=payload, warc_content_type="application/warc-fields"
        )
        self.writer.write_record(record)

    def revisit(self, url: str, earlier: str) -> None:
        record = self.writer.create_revisit_record(
            url,
            "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            earlier,
            "2026-03-01T08:00:00Z",
            http_headers=_http("304 Not Modified", [("Content-Type", "text/html")]),
        )
        self.writer.write_record(record)

    def resource(self, url: str, body: bytes, content_type: str) -> None:
        record = self.writer.create_warc_record(
            url, "resource", payload=io.BytesIO(body), warc_content_type=content_type
        )
        self.writer.write_record(record)

    def conversion(self, url: str, text: str, language: str) -> None:
        headers = {"WARC-Identified-Content-Language": language}
        record = self.writer.create_warc_record(
            url,
            "conversion",
            payload=io.BytesIO(text.encode("utf-8")),
            warc_content_type="text/plain",
            warc_headers_dict=headers,
        )
        self.writer.write_record(record)

    def getvalue(self) -> bytes:
        return self.buffer.getvalue()


def page(item: Story) -> bytes:
    return html_page(item).encode("utf-8")


CRAWL_OUTCOMES = {
    "#1": "unsupported",  # dns: response
    "#2": "article",  # plain response
    "#3": "article",  # chunked transfer encoding
    "#4": "article",  # gzip content encoding
    "#5": "article",  # deflate content encoding
    "#6": "article",  # chunked and gzip
    "#7": "article",  # brotli content encoding
    "#8": "article",  # response without WARC-Target-URI
    "#9": "article",  # resource record holding an HTML page
    "#10": "unsupported",  # resource record holding an image
}


def crawl_warc(seed: int = 1, *, version: str = "1.1", gzip_records: bool = False) -> bytes:
    """A crawl as Heritrix, wget or Browsertrix write it: warcinfo first, a request and a
    metadata record around each response, a revisit, resources, a dns: response, payloads
    chunked and compressed every way HTTP allows. Its documents are CRAWL_OUTCOMES."""
    w = CrawlWriter(version=version, gzip_records=gzip_records)
    w.warcinfo()
    stories = [story(seed * 100 + i, lang) for i, lang in enumerate(["en", "de", "fr", "es"] * 2)]
    bodies = [page(s) for s in stories]
    gz = [("Content-Encoding", "gzip")]
    te = [("Transfer-Encoding", "chunked")]
    shapes = [
        (bodies[0], []),
        (chunked(bodies[1]), te),
        (gzip.compress(bodies[2], mtime=0), gz),
        (deflate(bodies[3]), [("Content-Encoding", "deflate")]),
        (chunked(gzip.compress(bodies[4], mtime=0)), gz + te),
        (brotli.compress(bodies[5]), [("Content-Encoding", "br")]),
    ]
    w.dns("news.example")
    for i, (body, extra) in enumerate(shapes):
        url = f"https://news.example/{seed}/story-{i}"
        w.request(url)
        w.response(url, body, extra=extra + [("Content-Length", str(len(body)))])
        w.metadata(url)
    w.revisit(f"https://news.example/{seed}/story-0?again", f"https://news.example/{seed}/story-0")
    w.response(None, bodies[6])
    w.resource(f"urn:browsertrix:page:{seed}", bodies[7], "text/html")
    w.resource(f"https://news.example/{seed}/logo.png", b"\x89PNG\r\n\x1a\n\0\0", "image/png")
    return w.getvalue()


def wet_file(seed: int = 1, *, count: int = 3) -> bytes:
    """A Common Crawl WET file: warcinfo, then one `conversion` record of plain text per page."""
    w = CrawlWriter(version="1.0")
    w.warcinfo()
    for i in range(count):
        item = story(seed * 100 + 50 + i, ["en", "ru", "de"][i % 3])
        w.conversion(f"https://{item.site}/wet/{seed}/{i}", f"{item.title}\n{item.text}\n", "eng")
    return w.getvalue()


def no_documents_warc() -> bytes:
    """A WARC with only warcinfo, request and metadata records: no document in it."""
    w = CrawlWriter()
    w.warcinfo()
    w.request("https://news.example/robots.txt")
    w.metadata("https://news.example/robots.txt")
    return w.getvalue()


def responses_warc(pages: list[bytes], *, seed: int = 1) -> bytes:
    """Plain WARC/1.0 of a response per page."""
    w = CrawlWriter(version="1.0")
    for i, body in enumerate(pages):
        w.response(f"https://news.example/{seed}/plain-{i}", body)
    return w.getvalue()


_CONTENT_LENGTH = re.compile(rb"Content-Length: (\d+)\r\n")


def with_content_length(data: bytes, record: int, change: int) -> bytes:
    """data with the WARC Content-Length of the given record (0-based) off by `change` bytes."""
    start = [m.start() for m in re.finditer(rb"WARC/1\.[01]\r\n", data)][record]
    match = _CONTENT_LENGTH.search(data, start)
    assert match is not None
    value = str(int(match.group(1)) + change).encode()
    return data[: match.start(1)] + value + data[match.end(1) :]
