"""The HTTP response inside a WARC record: status, headers, and the payload decoded from its
transfer and content encodings, under a size cap.

Crawlers disagree on what they store: some keep the bytes as sent (chunked, gzipped), some
store the decoded payload but keep the original headers. So decoding is lenient where the
bytes show they were already decoded (no chunk size line, no gzip magic) and strict where
they break half-way, which is a parse error of that record alone.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import brotli

_STATUS = re.compile(rb"HTTP/\d(?:\.\d)?\s+(\d{3})(?:\s[^\r\n]*)?")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r?\n")


class BadPayload(Exception):
    """The payload's encoding is broken or unknown; `unsupported` tells the two apart."""

    def __init__(self, detail: str, *, unsupported: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.unsupported = unsupported


class PayloadTooLarge(Exception):
    pass


@dataclass
class HttpResponse:
    status: str
    headers: dict[str, str]  # names lower-cased; repeated headers joined by ", "
    body: bytes  # as stored: possibly chunked and compressed


def parse_response(block: bytes) -> HttpResponse | None:
    """Status line and headers of an HTTP response; None when the block is no HTTP response."""
    match = _STATUS.match(block)
    if match is None:
        return None
    end = block.find(b"\r\n\r\n")
    sep = 4
    if end < 0 or (0 <= block.find(b"\n\n") < end):
        end, sep = block.find(b"\n\n"), 2
    if end < 0:
        end, sep = len(block), 0
    headers: dict[str, str] = {}
    for raw in block[match.end() : end].split(b"\n"):
        name, colon, value = raw.decode("latin-1").partition(":")
        if colon and name.strip():
            key = name.strip().lower()
            headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return HttpResponse(match.group(1).decode(), headers, block[end + sep :])


def payload(response: HttpResponse, max_bytes: int) -> bytes:
    """The body without transfer and content encodings, at most max_bytes of it."""
    body = response.body
    if "chunked" in response.headers.get("transfer-encoding", "").lower():
        body = dechunk(body)
    encodings = [e.strip().lower() for e in response.headers.get("content-encoding", "").split(",")]
    for encoding in reversed([e for e in encodings if e and e != "identity"]):
        body = decode_content(body, encoding, max_bytes)
    if len(body) > max_bytes:
        raise PayloadTooLarge
    return body


def dechunk(data: bytes) -> bytes:
    """Undo chunked transfer encoding; data that does not start with a chunk size line was
    stored de-chunked already and comes back as it is."""
    if _CHUNK_SIZE.match(data) is None:
        return data
    parts = []
    at = 0
    while True:
        match = _CHUNK_SIZE.match(data, at)
        if match is None:
            raise BadPayload("broken chunked transfer encoding")
        size = int(match.group(1), 16)
        if size == 0:
            return b"".join(parts)
        chunk = data[match.end() : match.end() + size]
        parts.append(chunk)
        if len(chunk) < size:
            raise BadPayload("chunked transfer encoding cut short")
        at = match.end() + size
        at += 2 if data.startswith(b"\r\n", at) else 1 if data.startswith(b"\n", at) else 0
        if at >= len(data):
            return b"".join(parts)  # no last chunk: the capture ended the stream


def decode_content(data: bytes, encoding: str, max_bytes: int) -> bytes:
    """gzip, deflate (zlib or raw) or brotli, capped at max_bytes + 1 bytes of output."""
    if encoding in ("gzip", "x-gzip"):
        if not data.startswith(b"\x1f\x8b"):
            return data  # stored decoded, header kept
        return _zlib(data, 16 + zlib.MAX_WBITS, max_bytes, "gzip")
    if encoding == "deflate":
        wbits = zlib.MAX_WBITS if data[:1] == b"\x78" else -zlib.MAX_WBITS
        return _zlib(data, wbits, max_bytes, "deflate")
    if encoding == "br":
        try:
            decoder = brotli.Decompressor()
            out = decoder.process(data, output_buffer_limit=max_bytes + 1)
        except brotli.error as exc:
            if data.lstrip()[:1] == b"<":
                return data  # stored decoded, header kept
            raise BadPayload(f"broken brotli content encoding: {exc}") from exc
        return out
    raise BadPayload(f"content encoding {encoding!r} not supported", unsupported=True)


def _zlib(data: bytes, wbits: int, max_bytes: int, name: str) -> bytes:
    decoder = zlib.decompressobj(wbits)
    try:
        out = decoder.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise BadPayload(f"broken {name} content encoding: {exc}") from exc
    if not decoder.eof and len(out) <= max_bytes:
        raise BadPayload(f"{name} content encoding cut short")
    return out
