"""The per-batch stages: pure top-level functions any executor can run (pool, Prefect, Dask).

Stage 1 (`read_and_extract`) reads a batch of files and puts every record through
EXTRACT_STEPS; stage 2 (`finalize`) puts every draft through DOCUMENT_STEPS: clean (site
repeats, then boilerplate), language, fingerprint. Between them the run learns which lines
repeat across each site. A batch's documents and line counts wait in scratch files (see
`ingest.scratch`); stage 2 writes the fingerprints to scratch too, which dedup reads from disk.
Every step has the one shape of `ingest.steps`: a new step is one entry in a tuple below.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest import boilerplate, dedup, language
from ingest.boilerplate import fields
from ingest.boilerplate.site_lines import (
    SITE_LINES_SCHEMA,
    count_site_lines,
    count_title_parts,
)
from ingest.collector import run_collector
from ingest.documents import (
    UNDETERMINED,
    Article,
    InputState,
    RawDocument,
    Reject,
    RejectReason,
    Removal,
)
from ingest.extract import extract_html
from ingest.extract.line_scorer import score_dump, still_cut
from ingest.extract.title import strip_site_affixes
from ingest.options import Options
from ingest.scratch import (
    ScratchArticle,
    ScratchWriter,
    TableWriter,
    chunk_full,
    read_scratch,
)
from ingest.sources import InputFile, read_input
from ingest.sources.discover import input_hash, unchanged_since_listed
from ingest.startup import prepare_process
from ingest.steps import Step, StepStats, internal_error, run_steps
from ingest.text import count_words
from ingest.timeout import TimeLimitExceeded, describe

if TYPE_CHECKING:
    from ingest.boilerplate import SiteLineModel
    from ingest.dedup import Fingerprint

log = logging.getLogger("ingest")

PLAIN_TEXT = "plain_text"
FINGERPRINT_ROWS = 10_000  # fingerprints a worker holds before writing them out
READ = "read"


@dataclass(frozen=True)
class StageContext:
    """What every step of a batch sees besides its document."""

    options: Options
    site_model: SiteLineModel | None = None


@dataclass
class BatchOutput:
    """Stage 1's result. The extracted documents are in `drafts` (scratch Parquet files)."""

    drafts: list[Path] = field(default_factory=list)
    n_drafts: int = 0
    site_lines: list[Path] = field(default_factory=list)
    """Scratch Parquet files of per-site line counts (see boilerplate.count_site_lines)."""
    rejects: list[Reject] = field(default_factory=list)
    inputs: list[InputState] = field(default_factory=list)
    stats: StepStats = field(default_factory=StepStats)

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
    stats: StepStats = field(default_factory=StepStats)

    def describe(self) -> str:
        return f"{self.n_articles} articles, {len(self.rejects)} rejects"


# --- stage 1 ------------------------------------------------------------------------------


def _extract(raw: RawDocument, context: StageContext) -> Article | Reject:
    """Extract one record (trafilatura for HTML, as is for text): an Article draft or a Reject.

    The draft's text is extraction output with normalised whitespace; boilerplate is cut in
    stage 2, once the run-wide site-line statistics are known.
    """
    options = context.options
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
                block_scorer=options.block_scorer,
            )
        except TimeLimitExceeded as error:
            detail = f"extraction took {describe(error, options.extraction_timeout_s)}"
            return Reject(raw.source, RejectReason.TIMEOUT, detail, fmt, raw.doc_id)
        text = extraction.text
        method = extraction.method
        title = title or extraction.title
        author = author or fields.clean_author(extraction.author)
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
    prepare_process()
    out = BatchOutput()
    context = StageContext(options)
    batch = _Drafts.open(scratch, "drafts", "sites")
    for file in files:
        started = time.perf_counter()
        extracting = out.stats.seconds["extract"]
        read = _read_file(file, context, scratch, out.stats)
        _settle(file, read, hashes, batch, out)
        extracted = out.stats.seconds["extract"] - extracting
        out.stats.seconds[READ] += time.perf_counter() - started - extracted
    batch.close_into(out)
    return out


@dataclass
class _Drafts:
    """Drafts and their per-site line counts on their way to two scratch files."""

    drafts: ScratchWriter
    sites: TableWriter

    @classmethod
    def open(cls, scratch: Path, drafts: str, sites: str) -> _Drafts:
        return cls(ScratchWriter(scratch, drafts), TableWriter(scratch, sites, SITE_LINES_SCHEMA))

    def write(self, articles: list[Article]) -> None:
        for article in articles:
            self.drafts.add(article)
        self.sites.write(count_site_lines((a.site or "", a.text) for a in articles))
        self.sites.write(count_title_parts((a.site or "", a.title) for a in articles))

    def close_into(self, out: BatchOutput) -> None:
        out.n_drafts += self.drafts.count
        out.drafts.extend(p for p in [self.drafts.close()] if p is not None)
        out.site_lines.extend(p for p in [self.sites.close()] if p is not None)

    def delete(self) -> None:
        self.drafts.delete()
        self.sites.delete()


@dataclass
class _FileRead:
    """One file's records after extraction: its rejects, and its drafts, those of a big feed
    partly spilled to scratch files of its own."""

    scratch: Path
    records: int = 0
    rejects: list[Reject] = field(default_factory=list)
    pending: list[Article] = field(default_factory=list)
    pending_chars: int = 0
    spilled: _Drafts | None = None

    def add(self, article: Article) -> None:
        self.pending.append(article)
        self.pending_chars += len(article.text)
        if chunk_full(len(self.pending), self.pending_chars):  # a big feed: drafts wait on disk
            self.spilled = self.spilled or _Drafts.open(self.scratch, "feed", "feed-sites")
            self.spilled.write(self.pending)
            self.pending, self.pending_chars = [], 0


def _read_file(
    file: InputFile, context: StageContext, scratch: Path, stats: StepStats
) -> _FileRead:
    """Every record of `file` through EXTRACT_STEPS."""
    read = _FileRead(scratch)
    strict = context.options.strict
    for item in _records(file, context.options):
        read.records += 1
        if not isinstance(item, Reject):
            item = run_steps(EXTRACT_STEPS, item, context, stats, strict=strict, record=item)
        if isinstance(item, Reject):
            read.rejects.append(item)
        else:
            read.add(item)
    return read


def _settle(
    file: InputFile,
    read: _FileRead,
    hashes: dict[str, str],
    batch: _Drafts,
    out: BatchOutput,
) -> None:
    """A file read to the end unchanged counts with its drafts and rejects; one that changed
    or vanished meanwhile counts only as a reject, and is read again next run."""
    done = _input_done(file, hashes, read.records)
    if done is None:
        if read.spilled is not None:
            read.spilled.delete()
        out.rejects.extend(_vanished(file, read.rejects))
        return
    out.rejects.extend(read.rejects)
    batch.write(read.pending)
    if read.spilled is not None:
        read.spilled.close_into(out)
    out.inputs.append(done)


def _vanished(file: InputFile, rejects: list[Reject]) -> list[Reject]:
    """The rejects of a file that changed or vanished while it was read."""
    if [r.reason for r in rejects] == [RejectReason.UNREADABLE]:
        return rejects  # there but cannot be opened; retried next run
    detail = "file changed or vanished while it was read; it will be read again next run"
    return [Reject(file.relpath, RejectReason.VANISHED, detail, str(file.input_format))]


def _input_done(file: InputFile, hashes: dict[str, str], records: int) -> InputState | None:
    """The input's state after reading, or None when it changed or vanished under us."""
    try:
        if not unchanged_since_listed(file):
            return None
        digest = hashes.get(file.relpath) or input_hash(file)
    except OSError:
        return None
    return InputState(file.relpath, file.size, file.mtime_ns, digest, records)


# --- stage 2 ------------------------------------------------------------------------------


def _strip(article: Article, site_model: SiteLineModel | None, line_scorer: bool = True) -> None:
    """Site repeats first: the rules would otherwise cut part of a repeated block and leave
    the rest unrecognisable. A dump's lines are then checked by the learned line scorer. The
    title loses the parts naming its site before cleaning, which cuts the headline where the
    text opens with it, and again after: a dump's title is what cleaning finds."""
    dump = article.text
    if site_model is not None:
        article.text, repeats = site_model.remove_repeats(article.text, article.site)
        article.removed.extend(repeats)
    article.title = site_title(article.title, article.site, site_model)
    cleaned = boilerplate.clean_document(
        article.text,
        from_html=article.extraction_method != PLAIN_TEXT,
        title=article.title,
        language_hint=article.language_hint,
    )
    if line_scorer and article.extraction_method == PLAIN_TEXT:
        cleaned = score_dump(dump, cleaned)
        article.removed = still_cut(article.removed, cleaned.text)
    article.text, article.title = cleaned.text, site_title(cleaned.title, article.site, site_model)
    article.removed.extend(cleaned.removed)
    _fields_from_cuts(article, cleaned.removed)


def site_title(title: str | None, site: str | None, model: SiteLineModel | None) -> str | None:
    """The title without the parts at its ends that name its site: those the site's titles
    repeat (learnt per run: its name, sections) and those its host, or the folder of a page
    whose own url is unknown, names."""
    if model is not None:
        title = model.strip_title(title, site)
    return strip_site_affixes(title, site_name=None, host=site) if title else title


def _fields_from_cuts(article: Article, removed: list[Removal]) -> None:
    """Fields a text dump states only in lines cut as chrome: its date stamp, its byline (or
    the name beside the stamp), its site's domain (then `site` names the outlet as its pages'
    host does, not the folder)."""
    if article.published is None:
        article.published = fields.published_from(removed, article.language_hint)
    if article.author is None:
        article.author = fields.author_from(removed, article.text, article.language_hint)
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


@dataclass
class _Finishing:
    """A draft going through DOCUMENT_STEPS, with what they compute besides the article."""

    article: Article
    n_words: int = 0
    fingerprint: Fingerprint | None = None


def _clean(work: _Finishing, context: StageContext) -> _Finishing | Reject:
    """Cut site repeats and boilerplate; too little text left makes a no_text reject."""
    article, options = work.article, context.options
    if options.strip_boilerplate:
        _strip(article, context.site_model, options.line_scorer)
    n_chars = len(article.text.strip())
    if n_chars < options.min_text_chars:
        detail = f"{n_chars} characters of text after cleaning (minimum {options.min_text_chars})"
        return Reject(
            article.source, RejectReason.NO_TEXT, detail, article.input_format, article.doc_id
        )
    return work


def _language(work: _Finishing, context: StageContext) -> _Finishing:
    _detect_language(work.article, context.options)
    return work


def _fingerprint(work: _Finishing, context: StageContext) -> _Finishing:
    work.fingerprint = dedup.fingerprint(work.article.text)
    work.n_words = count_words(work.article.text)
    return work


EXTRACT_STEPS = (Step("extract", _extract),)
"""Stage 1's steps, run on each record a reader gives (reading is timed as `read`)."""
DOCUMENT_STEPS = (
    Step("clean", _clean),
    Step("language", _language),
    Step("fingerprint", _fingerprint),
)
"""Stage 2's steps, run on each draft once the run knows its sites' repeated lines."""


@run_collector()
def finalize(
    batch: BatchOutput, site_model: SiteLineModel | None, options: Options, scratch: Path
) -> FinalBatch:
    """Stage 2 for one batch: every draft through DOCUMENT_STEPS, the clean articles and
    their fingerprints to scratch."""
    out = FinalBatch()
    context = StageContext(options, site_model)
    writer = ScratchWriter(scratch, "final")
    fingerprints = TableWriter(scratch, "fingerprints", dedup.fingerprint_schema())
    pending: list[dedup.DedupItem] = []
    for path in batch.drafts:
        for draft in read_scratch(path):
            article = draft.article
            result = run_steps(
                DOCUMENT_STEPS,
                _Finishing(article),
                context,
                out.stats,
                strict=options.strict,
                record=article,
            )
            if isinstance(result, Reject):
                out.rejects.append(result)
                continue
            fingerprint = result.fingerprint
            pending.append(
                dedup.DedupItem(article.doc_id, fingerprint, len(article.text), article.published)
            )
            if len(pending) >= FINGERPRINT_ROWS:
                fingerprints.write(dedup.fingerprint_table(pending))
                pending = []
            writer.add(article, result.n_words, fingerprint.content_hash)
    if pending:
        fingerprints.write(dedup.fingerprint_table(pending))
    out.n_articles = writer.count
    out.articles = writer.close()
    out.fingerprints = fingerprints.close()
    return out


# --- one document -------------------------------------------------------------------------


def clean_record(raw: RawDocument, options: Options) -> ScratchArticle | Reject:
    """One record through both stages' steps as a run would take it, without a site-line
    model (there are no other pages of its site to learn from): for `ingest clean`."""
    prepare_process()
    context, stats = StageContext(options), StepStats()
    draft = run_steps(EXTRACT_STEPS, raw, context, stats, strict=options.strict, record=raw)
    if isinstance(draft, Reject):
        return draft
    result = run_steps(
        DOCUMENT_STEPS, _Finishing(draft), context, stats, strict=options.strict, record=draft
    )
    if isinstance(result, Reject):
        return result
    return ScratchArticle(draft, result.n_words, result.fingerprint.content_hash)
