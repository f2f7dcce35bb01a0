"""A run's rows: every record's outcome streamed into articles, duplicates or rejects, and the
input files it read into `_state/inputs`. All rows are built by `ingest.rows` from the
records and the run's own fields."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

import pyarrow as pa

from ingest import store
from ingest.documents import (
    ARTICLES_SCHEMA,
    DUPLICATES_SCHEMA,
    INPUTS_SCHEMA,
    REJECTS_SCHEMA,
    InputState,
    Reject,
)
from ingest.rows import row
from ingest.scratch import chunk_full, read_scratch
from ingest.summary import Tally

if TYPE_CHECKING:
    from ingest.dedup import RunDedup
    from ingest.stages import FinalBatch


def write_outcomes(
    staged: store.StagedRun,
    finals: list[FinalBatch],
    result: RunDedup | None,
    rejects: list[Reject],
    now: datetime,
) -> Tally:
    """Stream each batch's clean articles into articles or duplicates; write the rejects.

    `result` is None, and `finals` empty, when the run found no new file."""
    tally = Tally()
    run = {"run_id": staged.run_id, "ingested_at": now}
    duplicate_rows = _write_articles(staged, finals, result, run, tally) if result else []
    staged.write_table("duplicates", store.rows_table(duplicate_rows, DUPLICATES_SCHEMA))
    reject_rows = [row(REJECTS_SCHEMA, r, **run) for r in rejects]
    tally.rejects.update(r["reason"] for r in reject_rows)
    staged.write_table("rejects", store.rows_table(reject_rows, REJECTS_SCHEMA))
    return tally


def _write_articles(
    staged: store.StagedRun,
    finals: list[FinalBatch],
    result: RunDedup,
    run: dict,
    tally: Tally,
) -> list[dict]:
    """Stream each batch's clean articles into the articles table; return the duplicate rows."""
    duplicate_rows = []
    for final in finals:
        article_rows, chars = [], 0
        for item in read_scratch(final.articles):
            article = item.article
            if article.doc_id in result.already_indexed:
                tally.already_ingested += 1
                continue
            for removal in article.removed:
                tally.removed[removal.kind] += 1
                tally.removed_chars[removal.kind] += len(removal.text)
            n_words = item.n_words or 0
            decision = result.duplicates.get(article.doc_id)
            if decision is None:
                size = result.cluster_sizes.get(article.doc_id, 1)
                article_rows.append(
                    row(ARTICLES_SCHEMA, article, item, n_words=n_words, cluster_size=size, **run)
                )
                tally.articles[article.language] += 1
                tally.formats[article.input_format] += 1
                chars += len(article.text)
                if chunk_full(len(article_rows), chars):
                    staged.add_articles(pa.Table.from_pylist(article_rows, schema=ARTICLES_SCHEMA))
                    article_rows, chars = [], 0
            else:
                duplicate_rows.append(
                    row(DUPLICATES_SCHEMA, article, decision, item, n_words=n_words, **run)
                )
                tally.duplicates[str(decision.match)] += 1
        staged.add_articles(pa.Table.from_pylist(article_rows, schema=ARTICLES_SCHEMA))
    return duplicate_rows


def write_inputs(staged: store.StagedRun, inputs: Iterable[InputState]) -> None:
    """Record the input files this run read (or found unchanged but touched)."""
    rows = [row(INPUTS_SCHEMA, i, run_id=staged.run_id) for i in inputs]
    staged.write_state(store.INPUTS_STATE, store.rows_table(rows, INPUTS_SCHEMA))
