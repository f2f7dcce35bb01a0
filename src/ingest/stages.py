"""The per-batch stages: pure top-level functions any executor can run (pool, Prefect, Dask).

Stage 1 (`read_and_extract`) reads, decodes and extracts a batch of files; stage 2
(`finalize`) cuts site-repeated lines and boilerplate, detects language and fingerprints.
Between them the run learns which lines repeat across each site. A batch's documents and
line counts wait in scratch Parquet files under the run's staging folder, written in chunks
of bounded size, so the process that orchestrates the run holds only small per-batch results
(rejects, scratch paths), and nothing of the texts travels through a worker pool: a 1 GB
JSONL costs a chunk's worth of memory, not a gigabyte's. Stage 2 writes the fingerprints
to scratch files too, which dedup reads from disk.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ingest import boilerplate, dedup, language
from ingest.boilerplate import fields
from ingest.boilerplate.line_scorer import score_dump, still_cut
from ingest.boilerplate.site_lines import SITE_LINES_SCHEMA, count_site_lines
from ingest.collector import run_collector
from ingest.documents import (
    REMOVAL_TYPE,
    UNDETERMINED,
    UTC_TIMESTAMP,
    Article,
    RawDocument,
    Reject,
    RejectReason,
    Removal,
)
from ingest.extract import extract_html
from ingest.options import Options
from ingest.sources import InputFile, read_input
from ingest.sources.discover import input_hash, unchanged_since_listed
from ingest.text import count_words
from ingest.timeout import TimeLimitExceeded

log = logging.getLogger("ingest")

PLAIN_TEXT = "plain_text"
SCRATCH_ROWS = 500  # documents per scratch row group: bounds memory within a batch too
SCRATCH_CHARS = 8_000_000  # ... and characters, for feeds of long documents
TABLE_ROWS = 100_000  # rows of small tables (line counts, fingerprints) per row group
FINGERPRINT_ROWS = 10_000  # fingerprints a worker holds before writing them out

# The fields of Article, as the scratch files between stages store them.
SCRATCH_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source", pa.string()),
        ("input_format", pa.string()),
        ("extraction_method", pa.string()),
        ("encoding", pa.string()),
        ("text", pa.string()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("site", pa.string()),
        ("author", pa.string()),
        ("published", UTC_TIMESTAMP),
        ("language", pa.string()),
        ("language_score", pa.float64()),
        ("language_hint", pa.string()),
        ("removed", pa.list_(REMOVAL_TYPE)),
        ("n_words", pa.int32()),  # counted by stage 2, in parallel, for the commit
        ("content_hash", pa.string()),  # hashed by stage 2 with the fingerprint
    ]
)


@dataclass
class InputDone:
    """An input file read to the end: recorded under _state/inputs so later runs skip it."""

    path: str
    size: int
    mtime_ns: int
    content_hash: str
    n_records: int


@dataclass
class BatchOutput:
    """Stage 1's result. The extracted documents are in `drafts` (a scratch Parquet file)."""

    drafts: list[Path] = field(default_factory=list)
    n_drafts: int = 0
    site_lines: list[Path] = field(default_factory=list)
    """Scratch Parquet files of per-site line counts (see boilerplate.count_site_lines)."""
    rejects: list[Reject] = field(default_factory=list)
    inputs: list[InputDone] = field(default_factory=list)
    seconds: Counter = field(default_factory=Counter)

    def describe(self) -> str:
        return f"{len(self.inputs)} files, {self.n_drafts} documents, {len(self.rejects)} rejects"


@dataclass
class FinalBatch:
    """Stage 2's result. The clean articles are in `articles`, their fingerprints in
    `fingerprints` (scratch Parquet files, see dedup.fingerprint_table)."""

    articles: Path | None = None
    fingerprints: Path | None = None
    n_articles: int = 0
    rejects: list[Reject] = field(default_factory=list)
    seconds: Counter = field(default_factory=Counter)

    def describe(self) -> str:
        return f"{self.n_articles} articles, {len(self.rejects)} rejects"


# --- scratch files ------------------------------------------------------------------------


_STAGE2_FIELDS = ("removed", "n_words", "content_hash")
_ARTICLE_FIELDS = [n for n in SCRATCH_SCHEMA.names if n not in _STAGE2_FIELDS]


@dataclass
class ScratchArticle:
    """An article as a scratch file keeps it; `n_words` and `content_hash` are None before
    stage 2 counted and hashed it."""

    article: Article
    n_words: int | None = None
    content_hash: str | None = None


def _to_row(item: ScratchArticle) -> dict[str, Any]:
    a = item.article
    row: dict[str, Any] = {name: getattr(a, name) for name in _ARTICLE_FIELDS}
    row["removed"] = [{"kind": str(r.kind), "text": r.text} for r in a.removed]
    row["n_words"] = item.n_words
    row["content_hash"] = item.content_hash
    return row


def _from_row(row: dict[str, Any]) -> ScratchArticle:
    removed = [Removal(r["kind"], r["text"]) for r in row.pop("removed")]
    n_words, content_hash = row.pop("n_words"), row.pop("content_hash")
    return ScratchArticle(Article(**row, removed=removed), n_words, content_hash)


def chunk_full(rows: int, chars: int) -> bool:
    """Whether a chunk of documents in memory should go to disk now."""
    return rows >= SCRATCH_ROWS or chars >= SCRATCH_CHARS


class _TableWriter:
    """Appends tables to one scratch Parquet file, gathering small ones into row groups of
    about `group_rows` rows; creates the file on first write."""

    def __init__(
        self, folder: Path, prefix: str, schema: pa.Schema, group_rows: int = TABLE_ROWS
    ) -> None:
        self.path = folder / f"{prefix}-{uuid.uuid4().hex}.parquet"
        self.schema = schema
        self.group_rows = group_rows
        self._writer: pq.ParquetWriter | None = None
        self._pending: list[pa.Table] = []
        self._rows = 0

    def write(self, table: pa.Table) -> None:
        self._pending.append(table)
        self._rows += table.num_rows
        if self._rows >= self.group_rows:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            if self._writer is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._writer = pq.ParquetWriter(self.path, self.schema, compression="lz4")
            self._writer.write_table(pa.concat_tables(self._pending))
        self._pending, self._rows = [], 0

    def close(self) -> Path | None:
        self._flush()
        if self._writer is None:
            return None
        self._writer.close()
        self._writer = None
        return self.path

    def delete(self) -> None:
        self._pending, self._rows = [], 0
        self.close()
        self.path.unlink(missing_ok=True)


class _ScratchWriter:
    """Writes articles to one scratch file in row groups of a bounded size."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self._file = _TableWriter(folder, prefix, SCRATCH_SCHEMA, group_rows=1)
        self.count = 0
        self._pending: list[ScratchArticle] = []
        self._chars = 0

    def add(
        self, article: Article, n_words: int | None = None, content_hash: str | None = None
    ) -> None:
        self._pending.append(ScratchArticle(article, n_words, content_hash))
        self.count += 1
        self._chars += len(article.text)
        if chunk_full(len(self._pending), self._chars):
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            rows = [_to_row(a) for a in self._pending]
            self._file.write(pa.Table.from_pylist(rows, schema=SCRATCH_SCHEMA))
        self._pending, self._chars = [], 0

    def close(self) -> Path | None:
        self._flush()
        return self._file.close()

    def delete(self) -> None:
        self._pending, self._chars = [], 0
        self._file.delete()


def read_scratch(path: Path | None) -> Iterator[ScratchArticle]:
    """The articles of a scratch file, one row group at a time."""
    if path is None:
        return
    handle = pq.ParquetFile(path)
    for group in range(handle.num_row_groups):
        for row in handle.read_row_group(group).to_pylist():
            yield _from_row(row)


# --- stage 1 ------------------------------------------------------------------------------


def _extract(raw: RawDocument, options: Options) -> Article | Reject:
    """Extract one record (trafilatura for HTML, as is for text): an Article draft or a Reject.

    The draft's text is extraction output with normalised whitespace; boilerplate is cut in
    stage 2, once the run-wide site-line statistics are known.
    """
    fmt = str(raw.input_format)
    title, author, published, url = raw.title, raw.author, raw.published, raw.url
    site = raw.site
    removed: list[Removal] = []
    if raw.is_html:
        try:
            extraction = extract_html(
                raw.content,
                url=raw.url,
                timeout_s=options.extraction_timeout_s,
                ruby_readings=options.ruby_readings,
            )
        except TimeLimitExceeded:
            detail = f"extraction took over {options.extraction_timeout_s:g} s"
            return Reject(raw.source, RejectReason.TIMEOUT, detail, fmt, raw.doc_id)
        text = extraction.text
        method = extraction.method
        title = title or extraction.title
        author = author or extraction.author
        published = published or extraction.published
        url = url or extraction.url
        site = extraction.host or site or extraction.site_name
        removed = list(extraction.removed)
    else:
        text = raw.content
        method = PLAIN_TEXT
    text = boilerplate.normalize_whitespace(text)
    if not text.strip():
        return Reject(raw.source, RejectReason.NO_TEXT, "no article text found", fmt, raw.doc_id)
    return Article(
        doc_id=raw.doc_id,
        source=raw.source,
        input_format=fmt,
        extraction_method=method,
        encoding=raw.encoding,
        text=text,
        title=title,
        url=url,
        site=site,
        author=author,
        published=published,
        language_hint=language.normalize_language_code(raw.language_hint),
        removed=removed,
    )


def internal_error(
    source: str, stage: str, exc: Exception, fmt: str | None, doc_id: str | None = None
) -> Reject:
    """The reject for a bug of ours on one record: the run goes on and says where it broke."""
    log.error("internal error on %s in stage %s", source, stage, exc_info=exc)
    message = str(exc)
    message = message if len(message) <= 300 else message[:299] + "…"
    detail = (
        f"{stage}: {type(exc).__name__}: {message}" if message else f"{stage}: {type(exc).__name__}"
    )
    return Reject(source, RejectReason.INTERNAL_ERROR, detail, fmt, doc_id)


def _extract_safely(raw: RawDocument, options: Options) -> Article | Reject:
    try:
        return _extract(raw, options)
    except Exception as exc:  # a bug of ours must not stop the run: reject and go on
        if options.strict:
            raise
        return internal_error(raw.source, "extract", exc, str(raw.input_format), raw.doc_id)


def _records(file: InputFile, options: Options) -> Iterator[RawDocument | Reject]:
    """The file's records; a reader that breaks mid-way ends the file with an internal_error
    reject for the rest of it (`#rest`, or the file itself when nothing was read)."""
    items = read_input(
        file, max_file_bytes=options.max_file_bytes, max_record_bytes=options.max_record_bytes
    )
    read = 0
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except Exception as exc:
            if options.strict:
                raise
            source = f"{file.relpath}#rest" if read else file.relpath
            yield internal_error(source, "read", exc, str(file.input_format))
            return
        read += 1
        yield item


@run_collector()
def read_and_extract(
    files: Sequence[InputFile], hashes: dict[str, str], options: Options, scratch: Path
) -> BatchOutput:
    """Stage 1 for one batch of files: read, decode and extract every record.

    Lines of the extracted texts are counted per site here, so stage 2 can cut the lines a
    site repeats on many pages, learnt from the text as extraction left it. A file's records
    count only once the file was read to the end unchanged. Drafts and counts go to scratch
    files in chunks of bounded size, so a batch holding one huge feed stays small in memory.
    """
    out = BatchOutput()
    batch_writer = _ScratchWriter(scratch, "drafts")
    batch_sites = _TableWriter(scratch, "sites", SITE_LINES_SCHEMA)
    for file in files:
        started = time.perf_counter()
        records = 0
        file_rejects: list[Reject] = []
        pending: list[Article] = []
        pending_chars = 0
        feed: tuple[_ScratchWriter, _TableWriter] | None = None  # for files with many records
        for item in _records(file, options):
            records += 1
            result = item if isinstance(item, Reject) else _extract_safely(item, options)
            if isinstance(result, Reject):
                file_rejects.append(result)
                continue
            pending.append(result)
            pending_chars += len(result.text)
            if chunk_full(len(pending), pending_chars):  # a big feed: its drafts wait on disk
                feed = feed or (
                    _ScratchWriter(scratch, "feed"),
                    _TableWriter(scratch, "feed-sites", SITE_LINES_SCHEMA),
                )
                _write_all(pending, *feed)
                pending, pending_chars = [], 0
        done = _input_done(file, hashes, records)
        if done is None:
            if feed is not None:
                for writer in feed:
                    writer.delete()
            if [r.reason for r in file_rejects] == [RejectReason.UNREADABLE]:
                out.rejects.extend(file_rejects)  # there but cannot be opened; retried next run
            else:
                detail = (
                    "file changed or vanished while it was read; it will be read again next run"
                )
                fmt = str(file.input_format)
                out.rejects.append(Reject(file.relpath, RejectReason.VANISHED, detail, fmt))
        else:
            out.rejects.extend(file_rejects)
            _write_all(pending, batch_writer, batch_sites)
            if feed is not None:
                drafts, sites = feed
                out.n_drafts += drafts.count
                out.drafts.extend(p for p in [drafts.close()] if p is not None)
                out.site_lines.extend(p for p in [sites.close()] if p is not None)
            out.inputs.append(done)
        out.seconds["read_extract"] += time.perf_counter() - started
    out.n_drafts += batch_writer.count
    out.drafts.extend(p for p in [batch_writer.close()] if p is not None)
    out.site_lines.extend(p for p in [batch_sites.close()] if p is not None)
    return out


def _write_all(articles: list[Article], drafts: _ScratchWriter, sites: _TableWriter) -> None:
    """Write drafts and their per-site line counts to scratch."""
    for article in articles:
        drafts.add(article)
    sites.write(count_site_lines((a.site or "", a.text) for a in articles))


def _input_done(file: InputFile, hashes: dict[str, str], records: int) -> InputDone | None:
    """The input's state after reading, or None when it changed or vanished under us."""
    try:
        if not unchanged_since_listed(file):
            return None
        digest = hashes.get(file.relpath) or input_hash(file)
    except OSError:
        return None
    return InputDone(file.relpath, file.size, file.mtime_ns, digest, records)


# --- stage 2 ------------------------------------------------------------------------------


def _strip(article: Article, site_model: Any, line_scorer: bool = True) -> None:
    """Site repeats first: the rules would otherwise cut part of a repeated block and leave
    the rest unrecognisable. A dump's lines are then checked by the learned line scorer."""
    dump = article.text
    if site_model is not None:
        article.text, repeats = site_model.remove_repeats(article.text, article.site)
        article.removed.extend(repeats)
    cleaned = boilerplate.clean_document(
        article.text,
        from_html=article.extraction_method != PLAIN_TEXT,
        title=article.title,
        language_hint=article.language_hint,
    )
    if line_scorer and article.extraction_method == PLAIN_TEXT:
        cleaned = score_dump(dump, cleaned)
        article.removed = still_cut(article.removed, cleaned.text)
    article.text, article.title = cleaned.text, cleaned.title
    article.removed.extend(cleaned.removed)
    _fields_from_cuts(article, cleaned.removed)


def _fields_from_cuts(article: Article, removed: list[Removal]) -> None:
    """Fields a text dump states only in lines cut as chrome: its date stamp, its byline, its
    site's domain (then `site` names the outlet as its pages' host does, not the folder)."""
    if article.published is None:
        article.published = fields.published_from(removed, article.language_hint)
    if article.author is None:
        article.author = fields.author_from(removed)
    if article.url is None:
        article.site = fields.host_from(removed) or article.site


def _detect_language(article: Article, options: Options) -> None:
    result = language.detect_language(article.text, backend=options.language_backend)
    article.language, article.language_score = result.language, result.score
    hint = article.language_hint
    if hint and hint != article.language and article.language != UNDETERMINED:
        log.info(
            "%s: language hint %s, detected %s (%.2f)",
            article.source,
            hint,
            article.language,
            article.language_score,
        )


class _StageError(Exception):
    """An unexpected exception in one stage-2 step of one article, with the step's name."""

    def __init__(self, stage: str, cause: Exception) -> None:
        super().__init__(stage)
        self.stage = stage
        self.cause = cause


def _finish(
    article: Article, site_model: Any, options: Options, seconds: Counter
) -> tuple[int, Any] | Reject:
    """Clean, detect the language of and fingerprint one article (changed in place): its
    word count and fingerprint, or a no_text reject. Raises _StageError naming the step."""
    started = time.perf_counter()
    if options.strip_boilerplate:
        with _stage("clean"):
            _strip(article, site_model, options.line_scorer)
    seconds["clean"] += time.perf_counter() - started
    n_chars = len(article.text.strip())
    if n_chars < options.min_text_chars:
        detail = f"{n_chars} characters of text after cleaning (minimum {options.min_text_chars})"
        return Reject(
            article.source, RejectReason.NO_TEXT, detail, article.input_format, article.doc_id
        )
    started = time.perf_counter()
    with _stage("language"):
        _detect_language(article, options)
    seconds["language"] += time.perf_counter() - started
    started = time.perf_counter()
    with _stage("fingerprint"):
        fingerprint = dedup.fingerprint(article.text)
        n_words = count_words(article.text)
    seconds["fingerprint"] += time.perf_counter() - started
    return n_words, fingerprint


@contextmanager
def _stage(name: str) -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        raise _StageError(name, exc) from exc


@run_collector()
def finalize(batch: BatchOutput, site_model: Any, options: Options, scratch: Path) -> FinalBatch:
    """Stage 2 for one batch: cut site-repeated lines and boilerplate, detect language,
    fingerprint; too little text left makes a no_text reject."""
    out = FinalBatch()
    writer = _ScratchWriter(scratch, "final")
    fingerprints = _TableWriter(scratch, "fingerprints", dedup.fingerprint_schema())
    pending: list[dedup.DedupItem] = []
    for path in batch.drafts:
        for draft in read_scratch(path):
            article = draft.article
            try:
                result = _finish(article, site_model, options, out.seconds)
            except _StageError as exc:  # a bug of ours must not stop the run: reject, go on
                if options.strict:
                    raise exc.cause from None
                out.rejects.append(
                    internal_error(
                        article.source, exc.stage, exc.cause, article.input_format, article.doc_id
                    )
                )
                continue
            if isinstance(result, Reject):
                out.rejects.append(result)
                continue
            n_words, fingerprint = result
            pending.append(
                dedup.DedupItem(article.doc_id, fingerprint, len(article.text), article.published)
            )
            if len(pending) >= FINGERPRINT_ROWS:
                fingerprints.write(dedup.fingerprint_table(pending))
                pending = []
            writer.add(article, n_words, fingerprint.content_hash)
    if pending:
        fingerprints.write(dedup.fingerprint_table(pending))
    out.n_articles = writer.count
    out.articles = writer.close()
    out.fingerprints = fingerprints.close()
    return out


# --- one document -------------------------------------------------------------------------


def clean_record(raw: RawDocument, options: Options) -> ScratchArticle | Reject:
    """One record through both stages as a run would take it, without a site-line model
    (there are no other pages of its site to learn from): for `ingest clean`."""
    draft = _extract_safely(raw, options)
    if isinstance(draft, Reject):
        return draft
    if options.strip_boilerplate:
        _strip(draft, None, options.line_scorer)
    n_chars = len(draft.text.strip())
    if n_chars < options.min_text_chars:
        detail = f"{n_chars} characters of text after cleaning (minimum {options.min_text_chars})"
        return Reject(draft.source, RejectReason.NO_TEXT, detail, draft.input_format, draft.doc_id)
    _detect_language(draft, options)
    content_hash = dedup.fingerprint(draft.text).content_hash
    return ScratchArticle(draft, count_words(draft.text), content_hash)
