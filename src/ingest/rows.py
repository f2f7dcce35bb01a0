"""Records to table rows and back, by column name: the one adapter between the dataclasses of
`ingest.documents` and the Arrow schemas of its tables.

A row takes each column of its schema from the first place that has it: the values given by
name, then each record in turn. So a column added to a schema reaches every row builder of
that table once a record (or the caller) holds a value of that name, and the scratch files
between stages store exactly the fields of `Article`, typed as its output columns are.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any, TypeVar

import pyarrow as pa

from ingest.documents import ARTICLES_SCHEMA, REJECTS_SCHEMA, Article, Removal

T = TypeVar("T")

RUN_FIELDS = ("run_id", "ingested_at")
"""Columns every row of a run carries, given by the run, never by a record."""
STAGE2_FIELDS = ("n_words", "content_hash")
"""Article columns that stage 2 computes, kept beside the article in scratch files."""


def row(schema: pa.Schema, *records: object, **values: Any) -> dict[str, Any]:
    """The row of `schema`: each column from `values`, else from the first record with an
    attribute of its name. A column no one gives is a bug, and raises."""
    out: dict[str, Any] = {}
    for name in schema.names:
        if name in values:
            out[name] = values[name]
            continue
        holder = next((r for r in records if hasattr(r, name)), None)
        if holder is None:
            raise KeyError(f"no value for column {name!r} of {schema.metadata or 'a table'}")
        out[name] = plain(getattr(holder, name))
    return out


def plain(value: Any) -> Any:
    """A value as Arrow takes it: enums as their value, records as dicts of their fields,
    numpy floats as Python floats (they are `float` subclasses Arrow may reject)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float):
        return float(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    return value


def without(schema: pa.Schema, names: tuple[str, ...]) -> pa.Schema:
    """`schema` less the columns `names`."""
    return pa.schema([f for f in schema if f.name not in names])


ARTICLE_COLUMNS = without(ARTICLES_SCHEMA, ("cluster_size", *RUN_FIELDS))
"""An article's own columns: what `ingest clean` prints, and a run completes."""
REJECT_COLUMNS = without(REJECTS_SCHEMA, RUN_FIELDS)
"""A reject's own columns."""

SCRATCH_SCHEMA = pa.schema(
    [ARTICLES_SCHEMA.field(f.name).with_nullable(True) for f in fields(Article)]
    + [ARTICLES_SCHEMA.field(name).with_nullable(True) for name in STAGE2_FIELDS]
)
"""The fields of Article as the scratch files between stages store them, then what stage 2
counts and hashes (null before it)."""


def article_from_row(values: dict[str, Any]) -> Article:
    """The Article of a scratch row (extra columns, such as STAGE2_FIELDS, are ignored)."""
    article = from_row(Article, values)
    article.removed = [Removal(**r) for r in values["removed"]]
    return article


def from_row(cls: type[T], values: dict[str, Any]) -> T:
    """The record of class `cls` from a row holding at least its fields."""
    return cls(**{f.name: values[f.name] for f in fields(cls)})  # type: ignore[arg-type]
