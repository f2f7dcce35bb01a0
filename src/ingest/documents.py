"""The records that move through the pipeline and the one Arrow schema per output table.

Every table written under the output folder is built from the schemas here and checked
against them on write; nothing is inferred from data. Bump SCHEMA_VERSION whenever a
schema changes so readers can tell files apart (it is stamped into the Parquet metadata).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum

import pyarrow as pa

SCHEMA_VERSION = "2"
UNDETERMINED = "und"


class InputFormat(StrEnum):
    HTML = "html"
    TXT = "txt"
    JSON = "json"
    JSONL = "jsonl"
    WARC = "warc"


class RejectReason(StrEnum):
    """Closed vocabulary of reasons a record cannot become an article."""

    EMPTY = "empty"  # no bytes, or only whitespace
    BINARY = "binary"  # bytes that are not text (image, PDF, random data)
    UNDECODABLE = "undecodable"  # text whose encoding cannot be determined
    TOO_LARGE = "too_large"  # over the size limit, also after decompression
    NO_TEXT = "no_text"  # extraction found no article text (or too little)
    PARSE_ERROR = "parse_error"  # malformed JSON/WARC/HTML structure
    BAD_RECORD = "bad_record"  # a JSON record without usable fields or with wrong types
    UNSUPPORTED = "unsupported"  # a record or file type we do not ingest (WARC image, ...)
    TIMEOUT = "timeout"  # extraction hit the per-document time limit
    UNREADABLE = "unreadable"  # the file could not be opened (permissions, I/O error)
    VANISHED = "vanished"  # the file disappeared or changed while the run read it
    INTERNAL_ERROR = "internal_error"  # a bug of ours; the run goes on and says so


class MatchKind(StrEnum):
    EXACT = "exact"
    NEAR = "near"


@dataclass(frozen=True, slots=True)
class Removal:
    """One piece of text the cleaner cut, with the rule kind that cut it."""

    kind: str
    text: str


@dataclass(slots=True)
class RawDocument:
    """One input record, decoded, before extraction."""

    doc_id: str
    source: str  # relative path, plus "#n" for the record number inside JSONL/WARC/JSON lists
    input_format: InputFormat
    content: str  # decoded HTML or plain text
    is_html: bool
    encoding: str
    site: str | None = None  # url host, or the input's folder when there is no url
    url: str | None = None
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    language_hint: str | None = None


@dataclass(slots=True)
class Reject:
    source: str
    reason: RejectReason
    detail: str
    input_format: str | None = None
    doc_id: str | None = None


@dataclass(slots=True)
class InputState:
    """An input file read to the end, as `_state/inputs` records it so later runs skip it."""

    path: str
    size: int
    mtime_ns: int
    content_hash: str
    n_records: int = 0


@dataclass(slots=True)
class Article:
    """A cleaned article before dedup decides whether it is canonical or a duplicate."""

    doc_id: str
    source: str
    input_format: str
    extraction_method: str
    encoding: str
    text: str
    title: str | None = None
    url: str | None = None
    site: str | None = None
    author: str | None = None
    published: datetime | None = None
    language: str = UNDETERMINED
    language_score: float = 0.0
    language_hint: str | None = None
    removed: list[Removal] = field(default_factory=list)

    @property
    def n_chars(self) -> int:
        return len(self.text)


def _with_version(schema: pa.Schema, table: str) -> pa.Schema:
    return schema.with_metadata(
        {b"newsclean.table": table.encode(), b"newsclean.schema_version": SCHEMA_VERSION.encode()}
    )


UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")
# Every field of Removal is a text column of the struct: a field added there reaches the
# `removed` lists of every table and of the scratch files without another edit.
REMOVAL_TYPE = pa.struct([(f.name, pa.string()) for f in fields(Removal)])
COUNTS_TYPE = pa.map_(pa.string(), pa.int64())

ARTICLES_SCHEMA = _with_version(
    pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("source", pa.string(), nullable=False),
            pa.field("url", pa.string()),
            pa.field("site", pa.string()),
            pa.field("title", pa.string()),
            pa.field("author", pa.string()),
            pa.field("published", UTC_TIMESTAMP),
            pa.field("language", pa.string(), nullable=False),
            pa.field("language_score", pa.float64(), nullable=False),
            pa.field("language_hint", pa.string()),
            pa.field("text", pa.string(), nullable=False),
            pa.field("n_words", pa.int32(), nullable=False),
            pa.field("n_chars", pa.int32(), nullable=False),
            pa.field("removed", pa.list_(REMOVAL_TYPE), nullable=False),
            pa.field("content_hash", pa.string(), nullable=False),
            pa.field("cluster_size", pa.int32(), nullable=False),
            pa.field("input_format", pa.string(), nullable=False),
            pa.field("extraction_method", pa.string(), nullable=False),
            pa.field("encoding", pa.string()),
            pa.field("run_id", pa.string(), nullable=False),
            pa.field("ingested_at", UTC_TIMESTAMP, nullable=False),
        ]
    ),
    "articles",
)

DUPLICATES_SCHEMA = _with_version(
    pa.schema(
        [
            pa.field("doc_id", pa.string(), nullable=False),
            pa.field("source", pa.string(), nullable=False),
            pa.field("url", pa.string()),
            pa.field("site", pa.string()),
            pa.field("title", pa.string()),
            pa.field("language", pa.string(), nullable=False),
            pa.field("duplicate_of", pa.string(), nullable=False),
            pa.field("similarity", pa.float64(), nullable=False),
            pa.field("match", pa.string(), nullable=False),
            pa.field("content_hash", pa.string(), nullable=False),
            pa.field("n_words", pa.int32(), nullable=False),
            pa.field("removed", pa.list_(REMOVAL_TYPE), nullable=False),
            pa.field("input_format", pa.string(), nullable=False),
            pa.field("run_id", pa.string(), nullable=False),
            pa.field("ingested_at", UTC_TIMESTAMP, nullable=False),
        ]
    ),
    "duplicates",
)

REJECTS_SCHEMA = _with_version(
    pa.schema(
        [
            pa.field("source", pa.string(), nullable=False),
            pa.field("doc_id", pa.string()),
            pa.field("reason", pa.string(), nullable=False),
            pa.field("detail", pa.string(), nullable=False),
            pa.field("input_format", pa.string()),
            pa.field("run_id", pa.string(), nullable=False),
            pa.field("ingested_at", UTC_TIMESTAMP, nullable=False),
        ]
    ),
    "rejects",
)

RUNS_SCHEMA = _with_version(
    pa.schema(
        [
            pa.field("run_id", pa.string(), nullable=False),
            pa.field("started", UTC_TIMESTAMP, nullable=False),
            pa.field("finished", UTC_TIMESTAMP, nullable=False),
            pa.field("elapsed_s", pa.float64(), nullable=False),
            pa.field("raw_dir", pa.string(), nullable=False),
            pa.field("options", pa.string(), nullable=False),  # JSON of the Options used
            pa.field("n_files", pa.int64(), nullable=False),
            pa.field("n_records", pa.int64(), nullable=False),
            pa.field("n_articles", pa.int64(), nullable=False),
            pa.field("n_duplicates", pa.int64(), nullable=False),
            pa.field("n_rejects", pa.int64(), nullable=False),
            # rejects that are bugs of ours (internal_error), counted in n_rejects too;
            # null in runs written before schema version 2
            pa.field("n_internal_errors", pa.int64()),
            pa.field("rejects_by_reason", COUNTS_TYPE, nullable=False),
            pa.field("duplicates_by_match", COUNTS_TYPE, nullable=False),
            pa.field("articles_by_language", COUNTS_TYPE, nullable=False),
            pa.field("articles_by_format", COUNTS_TYPE, nullable=False),
            pa.field("removed_by_kind", COUNTS_TYPE, nullable=False),
            pa.field("removed_chars_by_kind", COUNTS_TYPE, nullable=False),
            pa.field("stage_seconds", pa.map_(pa.string(), pa.float64()), nullable=False),
            pa.field("pipeline_version", pa.string(), nullable=False),
            pa.field("schema_version", pa.string(), nullable=False),
        ]
    ),
    "runs",
)

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

RECORD_TABLES = ("articles", "duplicates", "rejects")
"""The tables with a row per input record (runs has one per run)."""

TABLE_SCHEMAS: dict[str, pa.Schema] = {
    "articles": ARTICLES_SCHEMA,
    "duplicates": DUPLICATES_SCHEMA,
    "rejects": REJECTS_SCHEMA,
    "runs": RUNS_SCHEMA,
}
