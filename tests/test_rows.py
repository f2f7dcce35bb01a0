"""Records to rows and back through the one adapter (ingest.rows): every shape of a record
follows from documents.py, and what goes into a scratch file comes back equal."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.documents import (
    ARTICLES_SCHEMA,
    DUPLICATES_SCHEMA,
    INPUTS_SCHEMA,
    REMOVAL_TYPE,
    Article,
    InputState,
    Removal,
)
from ingest.rows import ARTICLE_COLUMNS, RUN_FIELDS, SCRATCH_SCHEMA, STAGE2_FIELDS, from_row, row
from ingest.scratch import ScratchWriter, read_scratch

RUN = {"run_id": "20260101T000000Z-0a1b2c", "ingested_at": datetime(2026, 1, 1, tzinfo=UTC)}


def _article(text: str, removed: list[Removal]) -> Article:
    return Article(
        doc_id="d1",
        source="harbour/storm.html",
        input_format="html",
        extraction_method="trafilatura",
        encoding="utf-8",
        text=text,
        title="Storm closes the harbour",
        site="harbour.example",
        published=datetime(2026, 3, 1, 6, 30, tzinfo=UTC),
        language="en",
        language_score=0.97,
        removed=removed,
    )


def test_every_shape_follows_the_records_of_documents() -> None:
    article_fields = [f.name for f in fields(Article)]
    assert set(article_fields) <= set(ARTICLES_SCHEMA.names)
    assert SCRATCH_SCHEMA.names == [*article_fields, *STAGE2_FIELDS]
    assert [REMOVAL_TYPE.field(i).name for i in range(REMOVAL_TYPE.num_fields)] == [
        f.name for f in fields(Removal)
    ]
    assert ARTICLE_COLUMNS.names == [
        n for n in ARTICLES_SCHEMA.names if n not in ("cluster_size", *RUN_FIELDS)
    ]


@given(
    text=st.text(min_size=1, max_size=200),
    cuts=st.lists(st.tuples(st.sampled_from(["title", "credit"]), st.text(max_size=40))),
)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_scratch_file_gives_back_what_was_written(
    tmp_path: Path, text: str, cuts: list[tuple[str, str]]
) -> None:
    article = _article(text, [Removal(kind, cut) for kind, cut in cuts])
    writer = ScratchWriter(tmp_path, "roundtrip")
    writer.add(article, 7, "c0ffee")
    path = writer.close()
    (item,) = read_scratch(path)
    path.unlink()
    assert (item.article, item.n_words, item.content_hash) == (article, 7, "c0ffee")


def test_rows_take_each_column_from_the_run_or_the_first_record_that_has_it() -> None:
    @dataclass
    class Verdict:
        duplicate_of: str
        similarity: float
        match: str

    article = _article("The ferry stayed in port.", [Removal("credit", "Photo: Harbour Desk")])
    values = dict(n_words=5, content_hash="c0ffee", **RUN)
    duplicate = row(DUPLICATES_SCHEMA, article, Verdict("d0", 0.93, "near"), **values)
    assert duplicate["duplicate_of"] == "d0" and duplicate["match"] == "near"
    assert duplicate["removed"] == [{"kind": "credit", "text": "Photo: Harbour Desk"}]
    assert pa.Table.from_pylist([duplicate], schema=DUPLICATES_SCHEMA).num_rows == 1
    with pytest.raises(KeyError, match="cluster_size"):
        row(ARTICLES_SCHEMA, article, **values)


def test_a_new_column_needs_only_its_schema_entry_and_a_field_of_its_name() -> None:
    @dataclass
    class Extra:
        paywalled: bool

    schema = ARTICLES_SCHEMA.append(pa.field("paywalled", pa.bool_()))
    article = _article("The ferry stayed in port.", [])
    built = row(schema, article, Extra(True), n_words=5, content_hash="c", cluster_size=1, **RUN)
    assert built["paywalled"] is True
    assert pa.Table.from_pylist([built], schema=schema).column("paywalled").to_pylist() == [True]


def test_input_state_rows_round_trip() -> None:
    state = InputState("feeds/a.jsonl", 4170, 1796602699377328744, "9f" * 16, 2)
    values = row(INPUTS_SCHEMA, state, run_id=RUN["run_id"])
    assert from_row(InputState, values) == state
