"""Read one input file into decoded records: HTML, text, JSON, JSONL and WARC, gzipped or not.

Readers are generators of RawDocument | Reject so a huge JSONL or WARC file is streamed, never
loaded whole. Sizes are capped before and after decompression (a gzip bomb stops at the cap).

Whole-file formats (HTML, text, JSON) are read into memory, so `max_file_bytes` caps them on
disk and once decompressed. Streamed formats (JSONL, WARC, gzipped or not) hold one record at
a time, which `max_record_bytes` caps, so a 1 GB feed on disk is fine. Their decompressed
stream is still capped, at `max_file_bytes` or `MAX_GZIP_RATIO` times the compressed size,
whichever is larger: news text compresses 3-10x, a gzip bomb a thousandfold, so a real .gz
feed of any size is read while a bomb stops after a bounded amount of work.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

import xxhash

from ingest.documents import InputFormat, RawDocument, Reject, RejectReason
from ingest.sources.decode import (
    DecodeFailure,
    binary_kind,
    charset_from_content_type,
    decode_bytes,
)
from ingest.sources.discover import InputFile, open_input
from ingest.sources.gzmembers import Break, GzipMembers
from ingest.sources.httpmessage import BadPayload, PayloadTooLarge, parse_response, payload
from ingest.sources.records import BadRecord, bad_record_reject, host_of, record_fields
from ingest.sources.warc import Junk, WarcRecord, read_records

_HTML_LANG = re.compile(
    r"""<html[^>]*?\slang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.I
)
_HTML_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")

Item = RawDocument | Reject
_CUT_RECORD = "truncated WARC record"
_DOCUMENT_RECORDS = ("response", "resource", "conversion")
_LOOKS_LIKE_HTML = re.compile(rb"\s*(<!doctype html|<html)", re.I)
STREAMED_FORMATS = (InputFormat.JSONL, InputFormat.WARC)
MAX_GZIP_RATIO = 50


class TooLarge(Exception):
    pass


def make_doc_id(source: str, payload: bytes) -> str:
    """Stable id: the same record at the same place always gets the same id, a changed one a new id."""
    digest = xxhash.xxh3_128()
    digest.update(source.encode("utf-8", "surrogateescape"))
    digest.update(b"\0")
    digest.update(payload)
    return digest.hexdigest()


def folder_site(relpath: str) -> str | None:
    """The input's folder stands in for the site when a record has no url."""
    parent = PurePosixPath(relpath).parent.as_posix()
    return None if parent in ("", ".") else parent


def html_language_hint(html: str) -> str | None:
    match = _HTML_LANG.search(html[:20000])
    return match.group(1) if match else None


class BrokenCompression(Exception):
    """A gzip stream that is cut short or corrupt (HTML, text, JSON, JSONL; WARC reads its
    members with ingest.sources.gzmembers, which goes on after a broken one)."""


class _CappedReader(io.RawIOBase):
    """A read-only stream that raises TooLarge once more than `limit` bytes came through,
    and BrokenCompression when the (decompressing) inner stream breaks. Closing it closes
    the streams below it (GzipFile does not close the file it was given)."""

    def __init__(self, inner: IO[bytes], limit: int, *, owned: IO[bytes]) -> None:
        self._inner = inner
        # read1: one read from below, so bytes decompressed before a break are returned
        # rather than lost inside GzipFile's own buffer when the next read raises.
        self._read = getattr(inner, "read1", inner.read)
        self._owned = owned
        self._left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        try:
            data = self._read(len(buffer))
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise BrokenCompression(str(exc) or "truncated") from exc
        self._left -= len(data)
        if self._left < 0:
            raise TooLarge
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._inner.close()
            self._owned.close()
        super().close()


def _open(file: InputFile, limit: int) -> IO[bytes]:
    """The file's bytes, decompressed when gzipped, under the size cap."""
    raw = open_input(file)
    stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if file.gzipped else raw
    return io.BufferedReader(_CappedReader(stream, limit, owned=raw), buffer_size=1 << 16)


def read_input(file: InputFile, *, max_file_bytes: int, max_record_bytes: int) -> Iterator[Item]:
    """Yield the records of one file, or rejects; never raises for bad content. Every file
    yields at least one item: one without any record is an `empty` reject saying so."""
    empty = True
    for item in _read_input(file, max_file_bytes, max_record_bytes):
        empty = False
        yield item
    if empty:
        detail = "no records in the file"
        if file.input_format is InputFormat.JSONL:
            detail += " (only blank lines)"
        yield Reject(file.relpath, RejectReason.EMPTY, detail, file.input_format)


def _read_input(file: InputFile, max_file_bytes: int, max_record_bytes: int) -> Iterator[Item]:
    fmt = file.input_format
    streamed = fmt in STREAMED_FORMATS
    if file.size > max_file_bytes and not streamed:
        yield Reject(
            file.relpath, RejectReason.TOO_LARGE, f"{file.size} bytes > limit {max_file_bytes}", fmt
        )
        return
    stream_limit = stream_cap(file, max_file_bytes)
    try:
        if fmt is InputFormat.WARC:
            yield from _read_warc(file, stream_limit, max_record_bytes)
        elif fmt is InputFormat.JSONL:
            yield from _read_jsonl(file, stream_limit, max_record_bytes)
        else:
            with _open(file, max_file_bytes) as stream:
                data = stream.read()
            if fmt is InputFormat.JSON:
                yield from _read_json(file, data, max_record_bytes)
            else:
                yield _read_page(file, data, max_record_bytes)
    except TooLarge:
        what = "decompressed size" if file.gzipped else "size"
        yield Reject(
            file.relpath, RejectReason.TOO_LARGE, f"{what} over limit {stream_limit} bytes", fmt
        )
    except FileNotFoundError:
        yield Reject(
            file.relpath, RejectReason.VANISHED, "file disappeared before it was read", fmt
        )
    except BrokenCompression as exc:
        yield Reject(file.relpath, RejectReason.PARSE_ERROR, f"broken gzip stream: {exc}", fmt)
    except OSError as exc:
        yield Reject(file.relpath, RejectReason.UNREADABLE, exc.strerror or str(exc), fmt)


def stream_cap(file: InputFile, max_file_bytes: int) -> int:
    """Bytes a file may yield once decompressed (see the module docstring)."""
    if file.input_format not in STREAMED_FORMATS:
        return max_file_bytes
    if not file.gzipped:
        return max(max_file_bytes, file.size)
    return max(max_file_bytes, file.size * MAX_GZIP_RATIO)


def _read_page(file: InputFile, data: bytes, max_record_bytes: int) -> Item:
    fmt = file.input_format
    if len(data) > max_record_bytes:
        return Reject(
            file.relpath, RejectReason.TOO_LARGE, f"{len(data)} bytes > record limit", fmt
        )
    is_html = fmt is InputFormat.HTML
    try:
        decoded = decode_bytes(data, is_html=is_html)
    except DecodeFailure as exc:
        return Reject(file.relpath, exc.reason, exc.detail, fmt)
    return RawDocument(
        doc_id=make_doc_id(file.relpath, data),
        source=file.relpath,
        input_format=fmt,
        content=decoded.text,
        is_html=is_html,
        encoding=decoded.encoding,
        site=folder_site(file.relpath),
        language_hint=html_language_hint(decoded.text) if is_html else None,
    )


def _record_document(file: InputFile, locator: str, record: object, payload: bytes) -> Item:
    source = f"{file.relpath}#{locator}"
    fmt = file.input_format
    try:
        fields = record_fields(record)
    except BadRecord as exc:
        return bad_record_reject(source, fmt, exc)
    hint = fields["language_hint"]
    if fields["is_html"] and not hint:
        hint = html_language_hint(fields["content"])
    return RawDocument(
        doc_id=make_doc_id(source, payload),
        source=source,
        input_format=fmt,
        content=fields["content"],
        is_html=fields["is_html"],
        encoding="utf-8",
        site=fields["site"] or folder_site(file.relpath),
        url=fields["url"],
        title=fields["title"],
        author=fields["author"],
        published=fields["published"],
        language_hint=hint,
    )


def _decode_json_text(data: bytes) -> str:
    """JSON is UTF-8/16/32 by spec; legacy-encoded exports still happen, so fall back to detection."""
    try:
        return data.decode(json.detect_encoding(data))
    except UnicodeDecodeError:
        return decode_bytes(data).text


def _read_json(file: InputFile, data: bytes, max_record_bytes: int) -> Iterator[Item]:
    fmt = file.input_format
    if binary_kind(data):
        yield Reject(
            file.relpath, RejectReason.BINARY, f"binary content ({binary_kind(data)})", fmt
        )
        return
    try:
        text = _decode_json_text(data)
        if not text.strip():
            yield Reject(file.relpath, RejectReason.EMPTY, "no content", fmt)
            return
        parsed = json.loads(text)
    except DecodeFailure as exc:
        yield Reject(file.relpath, exc.reason, exc.detail, fmt)
        return
    except (ValueError, RecursionError) as exc:
        yield Reject(file.relpath, RejectReason.PARSE_ERROR, f"malformed JSON: {_short(exc)}", fmt)
        return
    records = _records_of(parsed)
    if records is None:
        yield _record_document(file, "1", parsed, data)
        return
    if not records:
        yield Reject(file.relpath, RejectReason.EMPTY, "JSON holds no records", fmt)
        return
    for number, record in enumerate(records, start=1):
        payload = json.dumps(record, sort_keys=True, ensure_ascii=False).encode(
            "utf-8", "surrogatepass"
        )
        if len(payload) > max_record_bytes:
            yield Reject(
                f"{file.relpath}#{number}", RejectReason.TOO_LARGE, "record over limit", fmt
            )
            continue
        yield _record_document(file, str(number), record, payload)


def _records_of(parsed: object) -> list | None:
    """The list of records in a JSON document: a list, or the one list inside an API envelope."""
    if isinstance(parsed, list):
        return parsed
    if isinstance(parsed, dict):
        for key in (
            "articles",
            "items",
            "data",
            "results",
            "docs",
            "documents",
            "records",
            "entries",
        ):
            value = parsed.get(key)
            if isinstance(value, list):
                return value
    return None


def _read_jsonl(file: InputFile, max_file_bytes: int, max_record_bytes: int) -> Iterator[Item]:
    fmt = file.input_format
    with _open(file, max_file_bytes) as stream:
        for number, line in enumerate(_lines(stream, max_record_bytes), start=1):
            source = f"{file.relpath}#{number}"
            if line is None:
                yield Reject(
                    source, RejectReason.TOO_LARGE, f"line over {max_record_bytes} bytes", fmt
                )
                continue
            if not line.strip():
                continue
            if number == 1 and binary_kind(line):
                yield Reject(
                    file.relpath, RejectReason.BINARY, f"binary content ({binary_kind(line)})", fmt
                )
                return
            try:
                record = json.loads(line.decode("utf-8-sig"))
            except UnicodeDecodeError:
                try:
                    record = json.loads(decode_bytes(line).text)
                except (DecodeFailure, ValueError, RecursionError) as exc:
                    yield Reject(
                        source, RejectReason.PARSE_ERROR, f"line {number}: {_short(exc)}", fmt
                    )
                    continue
            except (ValueError, RecursionError) as exc:
                yield Reject(
                    source,
                    RejectReason.PARSE_ERROR,
                    f"line {number}: malformed JSON: {_short(exc)}",
                    fmt,
                )
                continue
            yield _record_document(file, str(number), record, line)


def _lines(stream: IO[bytes], max_line: int) -> Iterator[bytes | None]:
    """Lines of a stream without ever holding more than max_line bytes of one; None for an over-long line."""
    while True:
        line = stream.readline(max_line + 1)
        if not line:
            return
        if len(line) > max_line and not line.endswith(b"\n"):
            while True:  # skip the rest of the over-long line
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line


def _read_warc(file: InputFile, max_file_bytes: int, max_record_bytes: int) -> Iterator[Item]:
    """The document records of a WARC or WET file: responses, resources and WET conversions.

    We decompress .warc.gz ourselves (one gzip member per record or one for the whole file,
    both under the size cap) and frame the records ourselves (`ingest.sources.warc`), so a
    broken record costs that record, not the rest of the file. A file whose bytes are gzip
    under a plain .warc name is read as gzip."""
    fmt = file.input_format
    number = 0
    skipped: Counter = Counter()
    last_was_cut = False
    with open_input(file) as raw:
        members = GzipMembers(raw) if file.gzipped or raw.read(2) == b"\x1f\x8b" else None
        raw.seek(0)
        stream = _CappedReader(members or raw, max_file_bytes, owned=raw)
        more = None if members is None else lambda: not members.finished()
        for record in read_records(stream, max_record_bytes, more=more):
            if isinstance(record, Junk):
                yield _junk_reject(file, record, first=number == 0 and not skipped)
                continue
            kind = record.headers.get("warc-type", "").lower()
            if kind not in _DOCUMENT_RECORDS:
                skipped[kind or "untyped"] += 1
                continue
            number += 1
            item = _warc_document(file, number, kind, record, max_record_bytes)
            last_was_cut = record.problem == _CUT_RECORD
            yield item
    if members is not None:
        breaks = members.breaks
        if breaks and last_was_cut and breaks[-1].skipped == 0:
            breaks = breaks[:-1]  # the file ends cut short: already that record's reject
        yield from _gzip_rejects(file, breaks)
    if number == 0 and skipped:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(skipped.items()))
        detail = f"no response, resource or conversion record in the WARC ({kinds})"
        yield Reject(file.relpath, RejectReason.EMPTY, detail, fmt)


def _gzip_rejects(file: InputFile, breaks: list[Break]) -> Iterator[Reject]:
    for gap in breaks:
        if not gap.skipped:
            detail = f"gzip stream cut short in the member at byte {gap.offset}"
        elif gap.resumed:
            detail = (
                f"broken gzip member at byte {gap.offset} ({gap.error}); reading resumed "
                f"at the next member, {gap.skipped} bytes further"
            )
        else:
            detail = (
                f"broken gzip member at byte {gap.offset} ({gap.error}); "
                "no member after it: the rest of the file is lost"
            )
        source = f"{file.relpath}@gz{gap.offset}"
        yield Reject(source, RejectReason.PARSE_ERROR, detail, file.input_format)


def _junk_reject(file: InputFile, junk: Junk, *, first: bool) -> Reject:
    line = junk.first_line.decode("utf-8", "backslashreplace").strip()[:60]
    what = "not a WARC file" if first and junk.offset == 0 else "bytes that are no WARC record"
    detail = f"{what}: {junk.size} bytes at offset {junk.offset} starting {line!r}"
    return Reject(
        f"{file.relpath}@{junk.offset}", RejectReason.PARSE_ERROR, detail, file.input_format
    )


def _warc_document(
    file: InputFile, number: int, kind: str, record: WarcRecord, max_record_bytes: int
) -> Item:
    """One response, resource or conversion record as a document, or its reject."""
    fmt = file.input_format
    source = f"{file.relpath}#{number}"
    url = record.headers.get("warc-target-uri", "").strip("<> ") or None
    where = f" ({url})" if url else ""
    if record.too_large:
        return Reject(
            source, RejectReason.TOO_LARGE, f"record over {max_record_bytes} bytes{where}", fmt
        )
    if record.problem:
        return Reject(source, RejectReason.PARSE_ERROR, f"{record.problem}{where}", fmt)
    content_type = record.headers.get("content-type", "")
    body = record.block
    if kind == "response" and content_type.lower().startswith("application/http"):
        http = _http_payload(body, max_record_bytes)
        if isinstance(http, tuple):
            reason, detail = http
            return Reject(source, reason, f"{detail}{where}", fmt)
        content_type, body = http.content_type, http.body
    mime = content_type.split(";")[0].strip().lower()
    if mime and not mime.startswith(_HTML_CONTENT_TYPES):
        return Reject(source, RejectReason.UNSUPPORTED, f"not HTML: {mime}{where}", fmt)
    is_html = kind != "conversion" and (
        mime != "text/plain" or _LOOKS_LIKE_HTML.match(body) is not None
    )
    try:
        decoded = decode_bytes(
            body, declared=charset_from_content_type(content_type), is_html=is_html
        )
    except DecodeFailure as exc:
        return Reject(source, exc.reason, f"{exc.detail}{where}", fmt)
    hint = record.headers.get("warc-identified-content-language", "").split(",")[0].strip()
    return RawDocument(
        doc_id=make_doc_id(source, body),
        source=source,
        input_format=fmt,
        content=decoded.text,
        is_html=is_html,
        encoding=decoded.encoding,
        site=host_of(url) or folder_site(file.relpath),
        url=url,
        language_hint=(html_language_hint(decoded.text) if is_html else None) or hint or None,
    )


@dataclass(frozen=True)
class _HttpPayload:
    content_type: str
    body: bytes


def _http_payload(block: bytes, max_record_bytes: int) -> _HttpPayload | tuple[RejectReason, str]:
    """The payload of a WARC response block holding an HTTP message, or why it is none."""
    response = parse_response(block)
    if response is None:
        return RejectReason.PARSE_ERROR, "no HTTP response header"
    if not response.status.startswith("2"):
        return RejectReason.UNSUPPORTED, f"HTTP status {response.status}"
    try:
        body = payload(response, max_record_bytes)
    except PayloadTooLarge:
        return RejectReason.TOO_LARGE, f"payload over {max_record_bytes} bytes"
    except BadPayload as exc:
        reason = RejectReason.UNSUPPORTED if exc.unsupported else RejectReason.PARSE_ERROR
        return reason, exc.detail
    return _HttpPayload(response.headers.get("content-type", ""), body)


def _short(exc: BaseException, limit: int = 160) -> str:
    text = str(exc) or exc.__class__.__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_path(path: Path, root: Path, **limits: int) -> list[Item]:
    """Convenience for tests and notebooks: read one file below root without a run."""
    from ingest.sources.discover import input_format_of, relative_source

    kind = input_format_of(path.name)
    if kind is None:
        raise ValueError(f"unsupported input type: {path.name}")
    st = path.stat()
    file = InputFile(path, relative_source(path, root), st.st_size, st.st_mtime_ns, *kind)
    return list(
        read_input(
            file,
            max_file_bytes=limits.get("max_file_bytes", 256 << 20),
            max_record_bytes=limits.get("max_record_bytes", 16 << 20),
        )
    )
