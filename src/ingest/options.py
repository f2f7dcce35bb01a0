"""One typed options object shared by the CLI, the library and the Prefect flows.

Flat on purpose: every field is a plain scalar, so it maps one to one onto CLI flags and
onto Prefect flow parameters, and it serialises to JSON for the runs table.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal

from ingest.locations import as_location

LanguageBackend = Literal["auto", "fasttext", "cld2", "langdetect"]


@dataclass(frozen=True)
class Options:
    raw_dir: Path | str = Path("raw")
    """A local folder, or an fsspec URL of a prefix in object storage (s3://bucket/raw)."""
    out_dir: Path = Path("processed")

    # Reading
    max_file_bytes: int = 256 * 1024 * 1024
    """Whole-file formats (HTML, text, JSON) larger than this, on disk or once decompressed, are
    too_large. JSONL and WARC are streamed record by record, so they have no whole-file cap; only
    their decompressed stream stops at max(this, 50x the compressed size), which a gzip bomb hits
    and a real feed does not."""
    max_record_bytes: int = 16 * 1024 * 1024
    """A single document (HTML page, JSON record, WARC payload) larger than this is too_large."""

    # Extraction and cleaning
    extraction_timeout_s: float = 15.0
    """Per-document limit on the CPU seconds HTML extraction spends (so machine load does not
    change results), with a wall-clock backstop at 5 times it; a page that hits either becomes
    a timeout reject."""
    min_text_chars: int = 40
    """Articles whose clean text is shorter than this become no_text rejects."""
    strip_boilerplate: bool = True
    ruby_readings: bool = False
    """Keep ruby readings (furigana, pinyin) in parentheses after their base text; by default
    only the base text stays in the sentence."""
    site_repeat_min_docs: int = 3
    """A line seen on at least this many documents of one site (this and earlier runs) is chrome."""
    line_scorer: bool = True
    """Let the learned line scorer check the rules' cut of plain-text dumps (see
    ingest.extract.line_scorer); off, dumps are cleaned by the rules alone."""
    block_scorer: bool = False
    """Let the learned block scorer cut the body paragraphs of HTML pages it scores as chrome
    (see ingest.extract.page_scorer); off, pages are cleaned by the rules alone. Off by
    default: it gains in the grouped cross-validation (all HTML 0.931 -> 0.935, snippets
    kept as the rules keep them) but costs about 4 ms of CPU a page, over the 3 ms it may
    (README, "Judging cleaning on sites nobody tuned on")."""

    # Language
    language_backend: LanguageBackend = "auto"

    # Dedup
    near_duplicates: bool = True
    near_dup_threshold: float = 0.23
    """Estimated Jaccard (word 5-gram MinHash) at or above which two documents are one story.

    Copies of one wire story sit at 0.2-0.6, so the usual 0.8 misses most of them; 0.23 is
    where dedup/dev keeps precision >= 0.995 (see benchmarks/dedup.py)."""
    dedup_window_days: int | None = None
    """Keep only the last N days of the persistent dedup index (None: keep everything)."""

    # Execution
    batch_size: int = 200
    workers: int = 1
    """Worker processes for the per-batch stages of a plain (non-Prefect) run."""
    lock_timeout_s: float = 0.0
    """How long to wait for another run on the same output folder (0: refuse at once)."""
    write_report: bool = True
    strict: bool = False
    """Re-raise an unexpected exception instead of turning it into an internal_error reject
    (for development and tests: a bug then stops the run with its traceback)."""

    # Operating for months
    reprocess: bool = False
    """Re-read every input present in raw_dir and replace its earlier rows (`--reprocess`)."""
    compact_at_files: int = 200
    """The scheduled flow compacts the output once a table partition or state folder holds
    more than this many files (0: never)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "raw_dir", as_location(self.raw_dir))
        object.__setattr__(self, "out_dir", Path(self.out_dir))
        if self.batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        if not 0.0 < self.near_dup_threshold <= 1.0:
            raise ValueError("near_dup_threshold must be in (0, 1]")
        if self.compact_at_files < 0:
            raise ValueError("compact_at_files must be 0 (never) or a number of files")
        if self.extraction_timeout_s <= 0:
            raise ValueError("extraction_timeout_s must be positive")

    def with_changes(self, **changes: Any) -> Options:
        return replace(self, **changes)

    def to_json(self) -> str:
        data = asdict(self)
        data["raw_dir"] = str(self.raw_dir)
        data["out_dir"] = str(self.out_dir)
        return json.dumps(data, sort_keys=True)

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]
