"""Records to table rows and back, by column name: the one adapter between the dataclasses of
`ingest.documents` and the Arrow schemas of its tables.

A row takes each column of its schema from the first place that has it: the values given by
name, then each record in turn. So a column added to a schema reaches every row builder of
that table once a record (or the caller) holds a value of that name, and the scratch files
between stages store exactly the fields of `Article`, typed as its output columns are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
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
    """The row of `schema`: each column from `values`, else from the first record (a
    dataclass) with a field or property of its name, made plain for Arrow. A column no one
    gives is a bug, and raises."""
    key = (id(schema), tuple(map(type, records)), frozenset(values))
    known = _PLANS.get(key)
    if known is None or known[0] is not schema:  # the schema is kept, so its id stays its own
        known = _PLANS[key] = (schema, _plan(schema, key[1], key[2]))
    return {
        name: values[name] if source < 0 else convert(getattr(records[source], name))
        for name, source, convert in known[1]
    }


Plan = tuple[tuple[str, int, Callable[[Any], Any]], ...]
_PLANS: dict[tuple[int, tuple[type, ...], frozenset[str]], tuple[pa.Schema, Plan]] = {}
"""Plans by (schema, record types, given names): hashing a schema costs more than a row."""


def _plan(schema: pa.Schema, types: tuple[type, ...], given: frozenset[str]) -> Plan:
    """For each column: where its value comes from (-1 for the given values, else the
    index of the record) and how it is made plain. Worked out once per shape of call, since
    a row is built for every document."""
    plan = []
    for column in schema:
        name = column.name
        source = (
            -1 if name in given else next((i for i, t in enumerate(types) if _has(t, name)), None)
        )
        if source is None:
            raise KeyError(f"no value for column {name!r} in {[t.__name__ for t in types]}")
        plan.append((name, source, _converter(column.type)))
    return tuple(plan)


def _has(cls: type, name: str) -> bool:
    return name in getattr(cls, "__dataclass_fields__", ()) or isinstance(
        getattr(cls, name, None), property
    )


def _converter(kind: pa.DataType) -> Callable[[Any], Any]:
    """What makes a record's value plain for a column of type `kind`: enums of text become
    their text (rows hold plain values, whoever reads them), numpy floats Python floats, a
    list of records a list of dicts of the struct's fields."""
    if pa.types.is_string(kind):
        return _text
    if pa.types.is_floating(kind):
        return _float
    if pa.types.is_list(kind) and pa.types.is_struct(kind.value_type):
        names = tuple(kind.value_type.field(i).name for i in range(kind.value_type.num_fields))
        return lambda items: [
            {name: _text(getattr(item, name)) for name in names} for item in items
        ]
    return _as_is


def _text(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _float(value: Any) -> Any:
    return None if value is None else float(value)


def _as_is(value: Any) -> Any:
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
