"""Runs the stages over batches and over a whole run. No Prefect here.

Stages (see DESIGN.md): discover -> read -> extract -> clean -> [site lines, run-wide] ->
site-repeat removal + language + fingerprint -> [dedup, run-wide] -> commit.

The per-batch stages are pure top-level functions (`read_and_clean`, `finalize`) so any
executor can run them: the plain CLI maps them over a process pool, the Prefect flow maps
them as tasks. `run_pipeline` composes the stages with a `StageMapper` that decides how a
stage's batches are executed; everything run-wide stays in the calling process.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pyarrow as pa

from ingest import __version__, boilerplate, dedup, language, store
from ingest.documents import (
    ARTICLES_SCHEMA,
    DUPLICATES_SCHEMA,
    REJECTS_SCHEMA,
    RUNS_SCHEMA,
    SCHEMA_VERSION,
    UNDETERMINED,
    Article,
    RawDocument,
    Reject,
    RejectReason,
)
from ingest.extract import extract_html
from ingest.options import Options
from ingest.sources import InputFile, SeenInput, discover, file_hash, plan_inputs, read_input
from ingest.text import count_words
from ingest.timeout import TimeLimitExceeded

log = logging.getLogger("ingest")
T = TypeVar("T")

PLAIN_TEXT = "plain_text"
INPUTS_STATE = "inputs"
DEDUP_STATE = "dedup"
SITE_LINES_STATE = "site_lines"
INPUTS_SCHEMA = pa.schema(
    [
        ("path", pa.string()),
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("content_hash", pa.string()),
        ("n_records", pa.int64()),
        ("run_id", pa.string()),
    ]
)


class StageMapper(Protocol):
    """Runs `fn(*args)` for each args tuple of one stage and returns the results in order."""

    def __call__(self, stage: str, fn: Callable[..., T], items: Sequence[tuple]) -> list[T]: ...


def serial_mapper(stage: str, fn: Callable[..., T], items: Sequence[tuple]) -> list[T]:
    return [fn(*args) for args in items]


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
    articles: list[Article] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    inputs: list[InputDone] = field(default_factory=list)
    seconds: Counter = field(default_factory=Counter)


@dataclass
class FinalBatch:
    articles: list[Article] = field(default_factory=list)
    fingerprints: list[Any] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    seconds: Counter = field(default_factory=Counter)


@dataclass
class RunSummary:
    run_id: str
    out_dir: Path
    started: datetime
    finished: datetime
    n_files: int
    n_unchanged_files: int
    n_records: int
    n_articles: int
    n_duplicates: int
    n_rejects: int
    n_already_ingested: int
    rejects_by_reason: dict[str, int]
    duplicates_by_match: dict[str, int]
    articles_by_language: dict[str, int]
    articles_by_format: dict[str, int]
    removed_by_kind: dict[str, int]
    removed_chars_by_kind: dict[str, int]
    stage_seconds: dict[str, float]
    rolled_back: list[str]
    report_path: Path | None = None

    @property
    def elapsed_s(self) -> float:
        return (self.finished - self.started).total_seconds()

    @property
    def docs_per_second(self) -> float:
        return self.n_records / self.elapsed_s if self.elapsed_s > 0 else 0.0


# --- per-document work -------------------------------------------------------------------


def _extract(raw: RawDocument, options: Options) -> Article | Reject:
    """Extract one record (trafilatura for HTML, as is for text): an Article draft or a Reject.

    The draft's text is extraction output with normalised whitespace; boilerplate is cut in
    stage 2, once the run-wide site-line statistics are known.
    """
    fmt = str(raw.input_format)
    title, author, published, url = raw.title, raw.author, raw.published, raw.url
    site = raw.site
    if raw.is_html:
        try:
            extraction = extract_html(
                raw.content, url=raw.url, timeout_s=options.extraction_timeout_s
            )
        except TimeLimitExceeded:
            return Reject(
                raw.source,
                RejectReason.TIMEOUT,
                f"extraction took over {options.extraction_timeout_s:g} s",
                fmt,
                raw.doc_id,
            )
        text = extraction.text
        method = extraction.method
        title = title or extraction.title
        author = author or extraction.author
        published = published or extraction.published
        url = url or extraction.url
        site = extraction.host or site or extraction.site_name
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
    )


def read_and_clean(
    files: Sequence[InputFile], hashes: dict[str, str], options: Options
) -> BatchOutput:
    """Stage 1 for one batch of files: read, decode and extract every record.

    Lines of the extracted texts are then counted per site (`site_line_counts`) before stage 2
    cleans, so repeated chrome is learnt from the text as extraction left it.
    """
    out = BatchOutput()
    for file in files:
        started = time.perf_counter()
        records = 0
        file_rejects: list[Reject] = []
        file_articles: list[Article] = []
        for item in read_input(
            file, max_file_bytes=options.max_file_bytes, max_record_bytes=options.max_record_bytes
        ):
            records += 1
            if isinstance(item, Reject):
                file_rejects.append(item)
                continue
            try:
                result = _extract(item, options)
            except Exception as exc:  # a bug of ours must not stop the run: reject and go on
                log.exception("internal error on %s", item.source)
                result = Reject(
                    item.source,
                    RejectReason.INTERNAL_ERROR,
                    f"{type(exc).__name__}: {exc}",
                    str(item.input_format),
                    item.doc_id,
                )
            (file_rejects if isinstance(result, Reject) else file_articles).append(result)
        done = _input_done(file, hashes, records)
        if done is None and [r.reason for r in file_rejects] == [RejectReason.UNREADABLE]:
            out.rejects.extend(file_rejects)  # there but cannot be opened: say so, retry next run
        elif done is None:
            out.rejects.append(
                Reject(
                    file.relpath,
                    RejectReason.VANISHED,
                    "file changed or vanished while it was read; it will be read again next run",
                    str(file.input_format),
                )
            )
        else:
            out.rejects.extend(file_rejects)
            out.articles.extend(file_articles)
            out.inputs.append(done)
        out.seconds["read_extract"] += time.perf_counter() - started
    return out


def _input_done(file: InputFile, hashes: dict[str, str], records: int) -> InputDone | None:
    """The input's state after reading, or None when it changed under us."""
    try:
        st = file.path.stat()
        if st.st_size != file.size or st.st_mtime_ns != file.mtime_ns:
            return None
        digest = hashes.get(file.relpath) or file_hash(file.path)
    except OSError:
        return None
    return InputDone(file.relpath, file.size, file.mtime_ns, digest, records)


def _strip(article: Article, site_model: Any) -> None:
    if site_model is not None:
        article.text, repeats = site_model.remove_repeats(article.text, article.site)
        article.removed.extend(repeats)
    cleaned = boilerplate.clean_document(
        article.text,
        from_html=article.extraction_method != PLAIN_TEXT,
        title=article.title,
        language_hint=article.language_hint,
    )
    article.text, article.title = cleaned.text, cleaned.title
    article.removed.extend(cleaned.removed)


def site_line_counts(batch: BatchOutput) -> pa.Table:
    return boilerplate.count_site_lines((a.site or "", a.text) for a in batch.articles)


def finalize(articles: Sequence[Article], site_model: Any, options: Options) -> FinalBatch:
    """Stage 2 for one batch: cut site-wide repeated lines and boilerplate, detect language,
    fingerprint. Site repeats go first: the rules would otherwise cut some of a repeated
    block and leave the rest unrecognisable."""
    out = FinalBatch()
    for article in articles:
        started = time.perf_counter()
        if options.strip_boilerplate:
            _strip(article, site_model)
        out.seconds["clean"] += time.perf_counter() - started
        if len(article.text.strip()) < options.min_text_chars:
            detail = f"{len(article.text.strip())} characters of text after cleaning (minimum {options.min_text_chars})"
            out.rejects.append(
                Reject(
                    article.source,
                    RejectReason.NO_TEXT,
                    detail,
                    article.input_format,
                    article.doc_id,
                )
            )
            continue
        started = time.perf_counter()
        result = language.detect_language(article.text, backend=options.language_backend)
        article.language, article.language_score = result.language, result.score
        if (
            article.language_hint
            and article.language_hint != article.language
            and article.language != UNDETERMINED
        ):
            log.info(
                "%s: language hint %s, detected %s (%.2f)",
                article.source,
                article.language_hint,
                article.language,
                article.language_score,
            )
        out.seconds["language"] += time.perf_counter() - started
        started = time.perf_counter()
        out.fingerprints.append(dedup.fingerprint(article.text))
        out.articles.append(article)
        out.seconds["fingerprint"] += time.perf_counter() - started
    return out


# --- run-wide work -----------------------------------------------------------------------


def seen_inputs(out_dir: Path) -> dict[str, SeenInput]:
    seen: dict[str, SeenInput] = {}
    for table in store.read_state(out_dir, INPUTS_STATE):
        for row in table.to_pylist():
            seen[row["path"]] = SeenInput(row["size"], row["mtime_ns"], row["content_hash"])
    return seen


def batches_of(files: Sequence[InputFile], batch_size: int) -> list[list[InputFile]]:
    """Group files so each batch holds about batch_size records' worth of work.

    Single-page files count one; record files (JSONL, JSON, WARC) count by size, so one
    big feed does not end up in the same batch as hundreds of pages.
    """
    batches: list[list[InputFile]] = []
    current: list[InputFile] = []
    weight = 0
    for file in files:
        cost = 1 if file.input_format in ("html", "txt") else max(1, file.size // 20_000)
        if current and weight + cost > batch_size:
            batches.append(current)
            current, weight = [], 0
        current.append(file)
        weight += cost
    if current:
        batches.append(current)
    return batches


def _removal_rows(article: Article) -> list[dict[str, str]]:
    return [{"kind": str(r.kind), "text": r.text} for r in article.removed]


def _article_row(
    a: Article, content_hash: str, cluster_size: int, run_id: str, now: datetime
) -> dict:
    return {
        "doc_id": a.doc_id,
        "source": a.source,
        "url": a.url,
        "site": a.site,
        "title": a.title,
        "author": a.author,
        "published": a.published,
        "language": a.language,
        "language_score": float(a.language_score),
        "language_hint": a.language_hint,
        "text": a.text,
        "n_words": count_words(a.text),
        "n_chars": len(a.text),
        "removed": _removal_rows(a),
        "content_hash": content_hash,
        "cluster_size": cluster_size,
        "input_format": a.input_format,
        "extraction_method": a.extraction_method,
        "encoding": a.encoding,
        "run_id": run_id,
        "ingested_at": now,
    }


def _duplicate_row(
    a: Article, decision: Any, content_hash: str, run_id: str, now: datetime
) -> dict:
    return {
        "doc_id": a.doc_id,
        "source": a.source,
        "url": a.url,
        "site": a.site,
        "title": a.title,
        "language": a.language,
        "duplicate_of": decision.duplicate_of,
        "similarity": float(decision.similarity),
        "match": str(decision.match),
        "content_hash": content_hash,
        "n_words": count_words(a.text),
        "removed": _removal_rows(a),
        "input_format": a.input_format,
        "run_id": run_id,
        "ingested_at": now,
    }


def _reject_row(r: Reject, run_id: str, now: datetime) -> dict:
    return {
        "source": r.source,
        "doc_id": r.doc_id,
        "reason": str(r.reason),
        "detail": r.detail,
        "input_format": r.input_format,
        "run_id": run_id,
        "ingested_at": now,
    }


def _local_mapper(
    options: Options, on_batch_done: Callable[[str, Any], None] | None
) -> StageMapper:
    """Serial for one worker, a process pool otherwise; reports each finished batch."""

    def mapper(stage: str, fn: Callable[..., T], items: Sequence[tuple]) -> list[T]:
        if options.workers <= 1 or len(items) <= 1:
            results = []
            for args in items:
                results.append(fn(*args))
                if on_batch_done:
                    on_batch_done(stage, results[-1])
            return results
        from concurrent.futures import ProcessPoolExecutor

        results_by_index: dict[int, T] = {}
        with ProcessPoolExecutor(max_workers=options.workers) as pool:
            futures = {pool.submit(fn, *args): i for i, args in enumerate(items)}
            from concurrent.futures import as_completed

            for future in as_completed(futures):
                results_by_index[futures[future]] = future.result()
                if on_batch_done:
                    on_batch_done(stage, results_by_index[futures[future]])
        return [results_by_index[i] for i in range(len(items))]

    return mapper


ProgressCallback = Callable[[str, int, int], None]
"""progress(stage, done, total): called as stages advance (stage in 'read', 'finalize', 'dedup', 'commit')."""


def run_pipeline(
    options: Options,
    *,
    mapper: StageMapper | None = None,
    progress: ProgressCallback | None = None,
) -> RunSummary:
    """Ingest the new files under options.raw_dir into options.out_dir as one atomic run."""
    raw_dir, out_dir = options.raw_dir, options.out_dir
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"input folder {raw_dir} does not exist or is not a folder")
    with store.output_lock(out_dir, options.lock_timeout_s):
        rolled_back = store.recover(out_dir)
        return _run_locked(options, mapper, progress, rolled_back)


def _run_locked(
    options: Options,
    mapper: StageMapper | None,
    progress: ProgressCallback | None,
    rolled_back: list[str],
) -> RunSummary:
    out_dir = options.out_dir
    started = datetime.now(UTC)
    run_id = store.new_run_id(started)
    stage_seconds: Counter = Counter()
    clock = time.perf_counter()

    files, discover_rejects = discover(options.raw_dir)
    plan, plan_rejects = plan_inputs(files, seen_inputs(out_dir))
    batches = batches_of(plan.new_files, options.batch_size)
    stage_seconds["discover"] = time.perf_counter() - clock
    seen_rejects = {r.source for r in _rejects_of_committed_runs(out_dir)}
    file_rejects = [r for r in discover_rejects + plan_rejects if r.source not in seen_rejects]

    total = len(batches)
    done = Counter()

    def on_batch_done(stage: str, _result: Any) -> None:
        done[stage] += 1
        if progress:
            progress(stage, done[stage], total)

    run_mapper = mapper or _local_mapper(options, on_batch_done)
    if progress:
        progress("read", 0, total)
    outputs = run_mapper(
        "read", read_and_clean, [(batch, plan.hashes, options) for batch in batches]
    )
    if mapper and progress:
        progress("read", total, total)

    clock = time.perf_counter()
    counts = [site_line_counts(b) for b in outputs]
    site_model = boilerplate.SiteLineModel.from_counts(
        store.read_state(out_dir, SITE_LINES_STATE) + counts, min_docs=options.site_repeat_min_docs
    )
    stage_seconds["site_lines"] = time.perf_counter() - clock

    if progress:
        progress("finalize", 0, total)
    finals = run_mapper("finalize", finalize, [(b.articles, site_model, options) for b in outputs])
    if mapper and progress:
        progress("finalize", total, total)
    for part in [*outputs, *finals]:
        stage_seconds.update(part.seconds)

    if progress:
        progress("dedup", 0, 1)
    clock = time.perf_counter()
    articles = [a for f in finals for a in f.articles]
    fingerprints = [fp for f in finals for fp in f.fingerprints]
    items = [
        dedup.DedupItem(a.doc_id, fp, len(a.text), a.published)
        for a, fp in zip(articles, fingerprints, strict=True)
    ]
    result = dedup.deduplicate(
        items,
        store.state_files(out_dir, DEDUP_STATE),
        threshold=options.near_dup_threshold,
        near=options.near_duplicates,
        window_days=options.dedup_window_days,
        now=started,
    )
    stage_seconds["dedup"] = time.perf_counter() - clock
    if progress:
        progress("dedup", 1, 1)

    rejects = (
        file_rejects
        + [r for b in outputs for r in b.rejects]
        + [r for f in finals for r in f.rejects]
    )
    summary = _commit(
        options,
        run_id,
        started,
        stage_seconds,
        plan,
        outputs,
        articles,
        fingerprints,
        result,
        rejects,
        site_counts=counts,
        rolled_back=rolled_back,
        progress=progress,
    )
    return summary


def _rejects_of_committed_runs(out_dir: Path) -> list[Reject]:
    """File-level rejects already recorded, so an unreadable file is not re-reported every run."""
    table = store.read_table(out_dir, "rejects", columns=["source", "reason", "detail"])
    return [
        Reject(row["source"], RejectReason(row["reason"]), row["detail"])
        for row in table.to_pylist()
        if row["reason"] in (RejectReason.UNREADABLE, RejectReason.UNSUPPORTED)
    ]


def _commit(
    options: Options,
    run_id: str,
    started: datetime,
    stage_seconds: Counter,
    plan: Any,
    outputs: list[BatchOutput],
    articles: list[Article],
    fingerprints: list[Any],
    result: Any,
    rejects: list[Reject],
    *,
    site_counts: list[pa.Table],
    rolled_back: list[str],
    progress: ProgressCallback | None,
) -> RunSummary:
    out_dir = options.out_dir
    now = started
    clock = time.perf_counter()
    if progress:
        progress("commit", 0, 1)
    already = set(getattr(result, "already_indexed", ()) or ())
    article_rows, duplicate_rows = [], []
    for article, fp in zip(articles, fingerprints, strict=True):
        if article.doc_id in already:
            continue
        decision = result.duplicates.get(article.doc_id)
        if decision is None:
            size = result.cluster_sizes.get(article.doc_id, 1)
            article_rows.append(_article_row(article, fp.content_hash, size, run_id, now))
        else:
            duplicate_rows.append(_duplicate_row(article, decision, fp.content_hash, run_id, now))
    reject_rows = [_reject_row(r, run_id, now) for r in rejects]

    staged = store.StagedRun(out_dir, run_id)
    try:
        staged.add_articles(pa.Table.from_pylist(article_rows, schema=ARTICLES_SCHEMA))
        staged.write_table(
            "duplicates", pa.Table.from_pylist(duplicate_rows, schema=DUPLICATES_SCHEMA)
        )
        staged.write_table("rejects", pa.Table.from_pylist(reject_rows, schema=REJECTS_SCHEMA))
        inputs = [i for b in outputs for i in b.inputs]
        touched = [
            InputDone(f.relpath, f.size, f.mtime_ns, digest, 0) for f, digest in plan.touched
        ]
        staged.write_state(
            INPUTS_STATE,
            pa.Table.from_pylist(
                [{**vars(i), "run_id": run_id} for i in inputs + touched], schema=INPUTS_SCHEMA
            ),
        )
        staged.write_state(DEDUP_STATE, result.index_rows, **dedup.INDEX_PARQUET_OPTIONS)
        if site_counts:
            staged.write_state(SITE_LINES_STATE, pa.concat_tables(site_counts))
        finished = datetime.now(UTC)
        stage_seconds["commit"] = time.perf_counter() - clock
        summary = _summary(
            options,
            run_id,
            started,
            finished,
            plan,
            inputs,
            article_rows,
            duplicate_rows,
            reject_rows,
            len(already),
            stage_seconds,
            rolled_back,
        )
        staged.write_table(
            "runs", pa.Table.from_pylist([_runs_row(options, summary)], schema=RUNS_SCHEMA)
        )
        staged.commit()
    except OSError as exc:
        staged.abort()
        raise store.StoreError(f"could not write to {out_dir}: {exc.strerror or exc}") from exc
    except BaseException:
        staged.abort()
        raise
    if progress:
        progress("commit", 1, 1)
    if options.write_report:
        summary.report_path = _write_report(out_dir, run_id)
    return summary


def _write_report(out_dir: Path, run_id: str) -> Path | None:
    """The HTML report is derived from committed tables; failing to draw it never fails a run."""
    try:
        from ingest.report import write_report

        return write_report(out_dir, run_id)
    except Exception:
        log.exception("could not write the run report for %s", run_id)
        return None


def _count(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))


def _summary(
    options,
    run_id,
    started,
    finished,
    plan,
    inputs,
    article_rows,
    duplicate_rows,
    reject_rows,
    n_already,
    stage_seconds,
    rolled_back,
) -> RunSummary:
    removed = [r for row in article_rows + duplicate_rows for r in row["removed"]]
    chars: Counter = Counter()
    for r in removed:
        chars[r["kind"]] += len(r["text"])
    return RunSummary(
        run_id=run_id,
        out_dir=options.out_dir,
        started=started,
        finished=finished,
        n_files=len(plan.new_files),
        n_unchanged_files=len(plan.unchanged),
        n_records=len(article_rows) + len(duplicate_rows) + len(reject_rows),
        n_articles=len(article_rows),
        n_duplicates=len(duplicate_rows),
        n_rejects=len(reject_rows),
        n_already_ingested=n_already,
        rejects_by_reason=_count(r["reason"] for r in reject_rows),
        duplicates_by_match=_count(r["match"] for r in duplicate_rows),
        articles_by_language=_count(r["language"] for r in article_rows),
        articles_by_format=_count(r["input_format"] for r in article_rows),
        removed_by_kind=_count(r["kind"] for r in removed),
        removed_chars_by_kind=dict(chars.most_common()),
        stage_seconds={k: round(v, 4) for k, v in stage_seconds.items()},
        rolled_back=rolled_back,
    )


def _runs_row(options: Options, s: RunSummary) -> dict:
    return {
        "run_id": s.run_id,
        "started": s.started,
        "finished": s.finished,
        "elapsed_s": s.elapsed_s,
        "raw_dir": str(options.raw_dir),
        "options": options.to_json(),
        "n_files": s.n_files,
        "n_records": s.n_records,
        "n_articles": s.n_articles,
        "n_duplicates": s.n_duplicates,
        "n_rejects": s.n_rejects,
        "rejects_by_reason": list(s.rejects_by_reason.items()),
        "duplicates_by_match": list(s.duplicates_by_match.items()),
        "articles_by_language": list(s.articles_by_language.items()),
        "articles_by_format": list(s.articles_by_format.items()),
        "removed_by_kind": list(s.removed_by_kind.items()),
        "removed_chars_by_kind": list(s.removed_chars_by_kind.items()),
        "stage_seconds": list(s.stage_seconds.items()),
        "pipeline_version": __version__,
        "schema_version": SCHEMA_VERSION,
    }


def summary_json(summary: RunSummary) -> str:
    data = {k: v for k, v in vars(summary).items() if k not in ("out_dir", "report_path")}
    data.update(
        started=summary.started.isoformat(),
        finished=summary.finished.isoformat(),
        elapsed_s=summary.elapsed_s,
        docs_per_second=summary.docs_per_second,
        out_dir=str(summary.out_dir),
        report_path=str(summary.report_path) if summary.report_path else None,
    )
    return json.dumps(data, indent=2)
