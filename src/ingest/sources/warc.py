"""WARC records as crawlers really write them, split leniently one record at a time.

warcio's ArchiveIterator stops the whole file at the first surprise (a response without
WARC-Target-URI raises AttributeError inside it, a wrong Content-Length ends the iteration,
a digest mismatch raises), and a generator that raised cannot go on. So records are framed
here: header lines up to a blank line, then Content-Length bytes, checked against the next
record's `WARC/` line. A Content-Length that is too short or too long is repaired from
where the next record starts; bytes that are no record are skipped up to the next one and
reported. Record kinds, HTTP headers, chunked transfer encoding and content encodings are
read by `ingest.sources.readers`, which turns records into documents.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

MAX_HEADER_BYTES = 64 << 10
_LINE = 64 << 10
_CHUNK = 1 << 16
_RECORD_START = re.compile(rb"WARC/[01]\.\d+\r?\n")
# A record boundary inside a block read under a wrong Content-Length: the blank lines that
# end a record, then the next record's version line.
_INNER_START = re.compile(rb"\r?\n\r?\nWARC/[01]\.\d+\r?\n")
_DIGESTS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "md5": hashlib.md5}


@dataclass
class WarcRecord:
    """One record: its WARC headers (names lower-cased), its block, and what was wrong."""

    offset: int
    headers: dict[str, str]
    block: bytes
    problem: str | None = None  # why the block cannot be trusted: cut short, corrupt
    too_large: bool = False
    repaired: bool = False  # Content-Length was wrong; the block ends where the next record starts


@dataclass
class Junk:
    """Bytes between records that are no WARC record (a broken header, stray data)."""

    offset: int
    size: int
    first_line: bytes


class _Stream:
    """Lines and blocks of a binary stream, buffered here, with bytes pushed back for a
    second look. The stream below may be unbuffered (so that the bytes before a broken gzip
    member are not lost); reading it a line at a time would cost a call per byte."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._buffer = b""
        self._at = 0  # read position in the buffer: lines are sliced out, never off the front
        self.offset = 0

    def _fill(self) -> bool:
        """More bytes into the buffer; False at the end. Not latched: a stream that reported
        its end before a break raises on the next read, and that must reach the reader."""
        more = self._stream.read(_CHUNK)
        if not more:
            return False
        self._buffer = self._buffer[self._at :] + more
        self._at = 0
        return True

    def readline(self, limit: int = _LINE) -> bytes:
        while True:
            end = self._buffer.find(b"\n", self._at, self._at + limit)
            if end >= 0:
                cut = end + 1
                break
            if len(self._buffer) - self._at >= limit or not self._fill():
                cut = min(len(self._buffer), self._at + limit)
                break
        line = self._buffer[self._at : cut]
        self._at = cut
        self.offset += len(line)
        return line

    def read(self, size: int) -> bytes:
        parts = [self._buffer[self._at : self._at + size]]
        self._at += len(parts[0])
        missing = size - len(parts[0])
        while missing > 0:
            more = self._stream.read(min(missing, _CHUNK))
            if not more:
                break
            parts.append(more)
            missing -= len(more)
        data = b"".join(parts)
        self.offset += len(data)
        return data

    def skip(self, size: int) -> int:
        skipped = 0
        while skipped < size:
            chunk = self.read(min(_CHUNK, size - skipped))
            if not chunk:
                break
            skipped += len(chunk)
        return skipped

    def unread(self, data: bytes) -> None:
        self._buffer = data + self._buffer[self._at :]
        self._at = 0
        self.offset -= len(data)


def read_records(
    stream: IO[bytes], max_record_bytes: int, *, more: Callable[[], bool] | None = None
) -> Iterator[WarcRecord | Junk]:
    """Every record of a (decompressed) WARC stream, and every stretch that is no record.

    `more` tells an end that is not one (a broken gzip member skipped): reading goes on."""
    source = _Stream(stream)
    while True:
        line = source.readline()
        while line and not line.strip():
            line = source.readline()
        if not line:
            if more is not None and more():
                continue
            return
        start = source.offset - len(line)
        if not _RECORD_START.fullmatch(line):
            skipped = _skip_to_record(source)
            yield Junk(start, len(line) + skipped, line[:80])
            continue
        headers = _headers(source)
        if headers is None:
            yield Junk(start, source.offset - start, line[:80])
            continue
        yield _record(source, start, headers, max_record_bytes)


def _skip_to_record(source: _Stream) -> int:
    """Skip lines up to the next `WARC/` version line (left to be read); bytes skipped."""
    skipped = 0
    while True:
        line = source.readline()
        if not line:
            return skipped
        if _RECORD_START.fullmatch(line):
            source.unread(line)
            return skipped
        skipped += len(line)


def _headers(source: _Stream) -> dict[str, str] | None:
    """Header lines up to the blank line; None when there is no blank line in reach."""
    headers: dict[str, str] = {}
    size = 0
    last = None
    while size <= MAX_HEADER_BYTES:
        line = source.readline()
        size += len(line)
        if not line:
            return None
        if not line.strip():
            return headers
        if _RECORD_START.fullmatch(line):  # a record start inside the headers: this one is broken
            source.unread(line)
            return None
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if text[:1] in (" ", "\t") and last:
            headers[last] += " " + text.strip()
            continue
        name, colon, value = text.partition(":")
        if colon:
            last = name.strip().lower()
            headers[last] = value.strip()
    return None


def _record(
    source: _Stream, start: int, headers: dict[str, str], max_record_bytes: int
) -> WarcRecord:
    declared = headers.get("content-length", "").strip()
    length = int(declared) if declared.isdigit() else None
    if length is not None and length > max_record_bytes:
        skipped = source.skip(length)
        record = WarcRecord(start, headers, b"", too_large=True)
        if skipped < length:
            record.problem = "truncated WARC record"
        return record
    block = source.read(length) if length is not None else b""
    if length is not None and len(block) < length:
        inner = _INNER_START.search(block)
        if inner is None:
            return WarcRecord(start, headers, block, problem="truncated WARC record")
        source.unread(block[inner.start() :])
        return WarcRecord(start, headers, block[: inner.start()], repaired=True)
    if length is not None:
        problem = _digest_problem(headers, block)
        if _at_boundary(source) or (problem is None and "warc-block-digest" in headers):
            # At the next record, or the digest vouches for the length: what follows is junk.
            return WarcRecord(start, headers, block, problem=problem)
    # Content-Length missing, too short or too long: the block ends where the next record starts.
    rest = _until_next_record(source, max_record_bytes + 1 - len(block))
    block += rest
    inner = _INNER_START.search(block)
    if inner is not None:
        source.unread(block[inner.start() :])
        block = block[: inner.start()]
    block = block.rstrip(b"\r\n")
    if len(block) > max_record_bytes:
        _skip_to_record(source)
        return WarcRecord(start, headers, b"", too_large=True, repaired=True)
    return WarcRecord(start, headers, block, repaired=True)


def _at_boundary(source: _Stream) -> bool:
    """Whether the stream, after the blank lines that end a record, is at its end or at the
    next record. Reads nothing past the blank lines."""
    consumed = []
    while True:
        line = source.readline()
        if not line:
            return True
        if line.strip():
            source.unread(line)
            if _RECORD_START.fullmatch(line):
                return True
            source.unread(b"".join(consumed))
            return False
        consumed.append(line)


def _until_next_record(source: _Stream, limit: int) -> bytes:
    """Bytes up to the next `WARC/` line, at most `limit` of them kept."""
    parts: list[bytes] = []
    kept = 0
    while True:
        line = source.readline()
        if not line:
            break
        if _RECORD_START.fullmatch(line):
            source.unread(line)
            break
        if kept < limit:
            parts.append(line)
            kept += len(line)
    return b"".join(parts)


def _digest_problem(headers: dict[str, str], block: bytes) -> str | None:
    """A mismatch with WARC-Block-Digest (sha1, sha256 or md5; base32 or hex), or None."""
    algorithm, _, value = headers.get("warc-block-digest", "").partition(":")
    digest = _DIGESTS.get(algorithm.strip().lower())
    if digest is None or not value:
        return None
    raw = digest(block).digest()
    value = value.strip()
    if value.upper() in (base64.b32encode(raw).decode(), raw.hex().upper()):
        return None
    return "block digest mismatch: the record is corrupt"
