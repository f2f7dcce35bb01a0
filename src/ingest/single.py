"""One document through the pipeline's stages, for `ingest clean`: no output folder, no state.

A file is read by the same readers as a run (so a JSONL, JSON list or WARC file gives one
result per record), then extracted, cleaned and its language detected exactly as a run
would, except for the site-line model, which needs other pages of the site. Bytes without a
telling name (stdin, a file with no suffix) get their input type from their first bytes.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ingest.documents import Reject
from ingest.options import Options
from ingest.rows import ARTICLE_COLUMNS, REJECT_COLUMNS, row
from ingest.scratch import ScratchArticle
from ingest.sources import InputFile, read_input
from ingest.sources.discover import input_format_of, relative_source
from ingest.stages import clean_record

Result = ScratchArticle | Reject
SNIFF_BYTES = 4096


def sniff_name(head: bytes, stem: str = "stdin") -> str:
    """A file name whose suffix tells the readers what `head` (a document's first bytes) is."""
    gzipped = head[:2] == b"\x1f\x8b"
    if gzipped:
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, SNIFF_BYTES)
        except zlib.error:
            head = b""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"WARC/"):
        suffix = ".warc"
    elif start[:1] == b"{" and b"\n{" in start.rstrip():
        suffix = ".jsonl"
    elif start[:1] in (b"{", b"["):
        suffix = ".json"
    elif start[:1] == b"<":
        suffix = ".html"
    else:
        suffix = ".txt"
    return stem + suffix + (".gz" if gzipped else "")


def clean_path(path: Path, options: Options, *, name: str | None = None) -> list[Result]:
    """Every record of the file at `path`, cleaned; `name` stands for its file name (the
    record's `source`, and its suffix picks the reader)."""
    name = name or path.name
    kind = input_format_of(name)
    if kind is None:
        with path.open("rb") as handle:
            kind = input_format_of(sniff_name(handle.read(SNIFF_BYTES)))
    assert kind is not None  # sniff_name always names a known type
    st = path.stat()
    source = name if name != path.name else relative_source(path, path.parent)
    file = InputFile(path, source, st.st_size, st.st_mtime_ns, *kind)
    return list(_clean(file, options))


def _clean(file: InputFile, options: Options) -> Iterator[Result]:
    limits = {
        "max_file_bytes": options.max_file_bytes,
        "max_record_bytes": options.max_record_bytes,
    }
    for item in read_input(file, **limits):
        yield item if isinstance(item, Reject) else clean_record(item, options)


def as_record(result: Result) -> dict[str, Any]:
    """The columns an article (or reject) would have in its table, JSON-ready; no run fields."""
    if isinstance(result, Reject):
        return row(REJECT_COLUMNS, result)
    record = row(ARTICLE_COLUMNS, result.article, result)
    published = record["published"]
    record["published"] = published.isoformat() if isinstance(published, datetime) else None
    record["language_score"] = round(record["language_score"], 4)
    return record


def as_markdown(result: ScratchArticle) -> str:
    """The article as Markdown: its title as a heading, then its paragraphs."""
    a = result.article
    heading = f"# {' '.join(a.title.split())}\n\n" if a.title else ""
    return heading + a.text
