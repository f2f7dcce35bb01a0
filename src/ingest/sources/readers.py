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
from collections.abc import Iterator
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
from ingest.sources.records import BadRecord, bad_record_reject, host_of, record_fields

_HTML_LANG = re.compile(
    r"""<html[^>]*?\slang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.I
)
_HTML_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")

Item = RawDocument | Reject
_CUT_RECORD = "truncated WARC record"
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
    """A gzip stream that is cut short or corrupt.

    Not an EOFError on purpose: warcio reads an EOFError as the clean end of the archive and
    would drop the records of a truncated .warc.gz without a word.
    """


class _CappedReader(io.RawIOBase):
    """A read-only stream that raises TooLarge once more than `limit` bytes came through,
    and BrokenCompression when the (decompressing) inner stream breaks. Closing it closes
    the streams below it (GzipFile does not close the file it was given)."""

    def __init__(
        self, inner: IO[bytes], limit: int, *, owned: IO[bytes], end_before_break: bool = False
    ) -> None:
        self._inner = inner
        # read1: one read from below, so bytes decompressed before a break are returned
        # rather than lost inside GzipFile's own buffer when the next read raises.
        self._read = getattr(inner, "read1", inner.read)
        self._owned = owned
        self._left = limit
        self._end_before_break = end_before_break
        self._broken: BrokenCompression | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._broken is not None:
            raise self._broken
        try:
            data = self._read(len(buffer))
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            broken = BrokenCompression(str(exc) or "truncated")
            if not self._end_before_break:
                raise broken from exc
            # Report the end once, so a record reader sees the bytes that did arrive and
            # names the record that was cut; the next read raises.
            self._broken = broken
            return 0
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


def _open(file: InputFile, limit: int, *, end_before_break: bool = False) -> IO[bytes]:
    """The file's bytes, decompressed when gzipped, under the size cap.

    With end_before_break the stream is left unbuffered: a buffer would ask for more bytes
    than came before a break and lose them with the exception.
    """
    raw = open_input(file)
    stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if file.gzipped else raw
    capped = _CappedReader(stream, limit, owned=raw, end_before_break=end_before_break)
    if end_before_break:
        return capped  # type: ignore[return-value]
    return io.BufferedReader(capped, buffer_size=1 << 16)


def read_input(file: InputFile, *, max_file_bytes: int, max_record_bytes: int) -> Iterator[Item]:
    """Yield the records of one file, or rejects; never raises for bad content."""
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
    """We decompress .warc.gz ourselves rather than leave it to warcio: warcio refuses a WARC
    gzipped as one member (`gzip crawl.warc`), and its own decompression is not under the
    size cap, so a bomb inside a record would be inflated in full while skipping it.
    warcio is imported here: it pulls in fsspec and asyncio, a fifth of a second that runs
    without WARC input should not pay."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    fmt = file.input_format
    number = 0
    last_was_cut = False
    with _open(file, max_file_bytes, end_before_break=True) as stream:
        try:
            for record in ArchiveIterator(stream, arc2warc=True, check_digests="raise"):
                if record.rec_type != "response":
                    continue
                number += 1
                item = _warc_document(file, number, record, max_record_bytes)
                last_was_cut = isinstance(item, Reject) and item.detail.startswith(_CUT_RECORD)
                yield item
        except (ArchiveLoadFailed, BrokenCompression, EOFError, ValueError) as exc:
            if not last_was_cut:  # the break is already reported as that record's reject
                detail = f"broken WARC after {number} response record(s): {_short(exc)}"
                yield Reject(f"{file.relpath}#{number + 1}", RejectReason.PARSE_ERROR, detail, fmt)


def _warc_document(file: InputFile, number: int, record, max_record_bytes: int) -> Item:
    fmt = file.input_format
    source = f"{file.relpath}#{number}"
    url = record.rec_headers.get_header("WARC-Target-URI")
    http = record.http_headers
    status = http.get_statuscode() if http else None
    content_type = (http.get_header("Content-Type") if http else None) or ""
    if status and not status.startswith("2"):
        return Reject(source, RejectReason.UNSUPPORTED, f"HTTP status {status} ({url})", fmt)
    if content_type and not content_type.lower().startswith(_HTML_CONTENT_TYPES):
        return Reject(
            source, RejectReason.UNSUPPORTED, f"not HTML: {content_type.split(';')[0]} ({url})", fmt
        )
    payload = record.content_stream().read(max_record_bytes + 1)
    if len(payload) > max_record_bytes:
        return Reject(
            source, RejectReason.TOO_LARGE, f"payload over {max_record_bytes} bytes ({url})", fmt
        )
    if getattr(record.raw_stream, "limit", 0) > 0:  # fewer bytes than Content-Length: cut short
        return Reject(source, RejectReason.PARSE_ERROR, f"{_CUT_RECORD} ({url})", fmt)
    try:
        decoded = decode_bytes(
            payload, declared=charset_from_content_type(content_type), is_html=True
        )
    except DecodeFailure as exc:
        return Reject(source, exc.reason, f"{exc.detail} ({url})", fmt)
    return RawDocument(
        doc_id=make_doc_id(source, payload),
        source=source,
        input_format=fmt,
        content=decoded.text,
        is_html=True,
        encoding=decoded.encoding,
        site=host_of(url) or folder_site(file.relpath),
        url=url,
        language_hint=html_language_hint(decoded.text),
    )


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
