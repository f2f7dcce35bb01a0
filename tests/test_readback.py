"""Dataset figures and one-document lookup, read back from real Parquet files in the store layout."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from rich.console import Console
from typer.testing import CliRunner

from ingest.cli import app
from ingest.documents import ARTICLES_SCHEMA, DUPLICATES_SCHEMA, REJECTS_SCHEMA, RUNS_SCHEMA
from ingest.readback import (
    KindTotal,
    collect_figures,
    disk_usage,
    find_document,
    print_document,
    print_stats,
    render_document,
    render_stats,
)
from ingest.store import new_run_id

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
FIRST_RUN = new_run_id(NOW)
SECOND_RUN = new_run_id(datetime(2025, 3, 14, 9, 45, tzinfo=UTC))
DEAD_RUN = new_run_id(datetime(2025, 3, 14, 10, 0, tzinfo=UTC))


def article(doc_id: str, language: str, site: str, fmt: str, removed=(), cluster_size=1) -> dict:
    text = f"Story {doc_id} from {site}. " * 12
    return {
        "doc_id": doc_id,
        "source": f"{site}/{doc_id}.{fmt}",
        "url": f"https://{site}/news/{doc_id}",
        "site": site,
        "title": f"Headline {doc_id}",
        "author": "Desk",
        "published": NOW,
        "language": language,
        "language_score": 0.98,
        "language_hint": None,
        "text": text,
        "n_words": len(text.split()),
        "n_chars": len(text),
        "removed": [{"kind": kind, "text": piece} for kind, piece in removed],
        "content_hash": f"hash-{doc_id}",
        "cluster_size": cluster_size,
        "input_format": fmt,
        "extraction_method": "trafilatura" if fmt == "html" else "plain",
        "encoding": "utf-8",
    }


def duplicate(doc_id: str, of: str, language: str, site: str, match: str, removed=()) -> dict:
    return {
        "doc_id": doc_id,
        "source": f"{site}/{doc_id}.html",
        "url": None,
        "site": site,
        "title": f"Copy {doc_id}",
        "language": language,
        "duplicate_of": of,
        "similarity": 1.0 if match == "exact" else 0.82,
        "match": match,
        "content_hash": f"hash-{doc_id}",
        "n_words": 40,
        "removed": [{"kind": kind, "text": piece} for kind, piece in removed],
        "input_format": "html",
    }


def reject(source: str, reason: str, fmt: str, doc_id: str | None = None) -> dict:
    return {
        "source": source,
        "doc_id": doc_id,
        "reason": reason,
        "detail": f"{reason} in {source}",
        "input_format": fmt,
    }


def write_run(out: Path, run_id: str, articles, duplicates, rejects, commit: bool = True) -> None:
    """Write one run's tables in the store's layout; the runs row (commit marker) last."""
    stamp = {"run_id": run_id, "ingested_at": NOW}
    file_schema = ARTICLES_SCHEMA.remove(ARTICLES_SCHEMA.get_field_index("language"))
    for language in sorted({a["language"] for a in articles}):
        rows = [
            {k: v for k, v in a.items() if k != "language"} | stamp
            for a in articles
            if a["language"] == language
        ]
        folder = out / "articles" / f"language={language}"
        folder.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pylist(rows, schema=file_schema)
        pq.write_table(table, folder / f"part-{run_id}-0.parquet")
    for name, schema, rows in (
        ("duplicates", DUPLICATES_SCHEMA, duplicates),
        ("rejects", REJECTS_SCHEMA, rejects),
    ):
        (out / name).mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pylist([r | stamp for r in rows], schema=schema)
        pq.write_table(table, out / name / f"part-{run_id}.parquet")
    if not commit:
        return
    run = {
        "run_id": run_id,
        "started": NOW,
        "finished": NOW,
        "elapsed_s": 4.0,
        "raw_dir": "raw",
        "options": "{}",
        "n_files": 5,
        "n_records": len(articles) + len(duplicates) + len(rejects),
        "n_articles": len(articles),
        "n_duplicates": len(duplicates),
        "n_rejects": len(rejects),
        "rejects_by_reason": [],
        "duplicates_by_match": [],
        "articles_by_language": [],
        "articles_by_format": [],
        "removed_by_kind": [],
        "removed_chars_by_kind": [],
        "stage_seconds": [("read", 0.5), ("extract", 3.0), ("commit", 0.5)],
        "pipeline_version": "test",
        "schema_version": "1",
    }
    (out / "runs").mkdir(exist_ok=True)
    pq.write_table(
        pa.Table.from_pylist([run], schema=RUNS_SCHEMA), out / "runs" / f"part-{run_id}.parquet"
    )


COOKIE = "We use cookies to improve your visit. Accept all"
RELATED = "Read also: [bold]Markets rally[/bold] <b>today</b>"


@pytest.fixture()
def dataset(tmp_path: Path) -> Path:
    out = tmp_path / "processed"
    write_run(
        out,
        FIRST_RUN,
        [
            article("en1", "en", "daily.example", "html", [("cookie_banner", COOKIE)], 3),
            article("de1", "de", "zeitung.example", "txt", [("share_prompt", "Teilen Sie")]),
            article("fr1", "fr", "journal.example", "jsonl"),
        ],
        [
            duplicate(
                "en1-copy", "en1", "en", "mirror.example", "exact", [("cookie_banner", COOKIE)]
            )
        ],
        [
            reject("broken.json", "parse_error", "json", "r-broken"),
            reject("empty.txt", "empty", "txt"),
        ],
    )
    write_run(
        out,
        SECOND_RUN,
        [article("es1", "es", "diario.example", "html", [("related_block", RELATED)])],
        [duplicate("en1-near", "en1", "en", "daily.example", "near")],
        [],
    )
    write_run(
        out,
        DEAD_RUN,
        [article("ghost", "en", "daily.example", "html")],
        [duplicate("ghost-copy", "en1", "en", "daily.example", "exact")],
        [reject("ghost.txt", "empty", "txt", "r-ghost")],
        commit=False,
    )
    return out


def test_figures_count_committed_runs_only(dataset: Path) -> None:
    figures = collect_figures(dataset)

    assert (figures.n_articles, figures.n_duplicates, figures.n_rejects) == (4, 2, 2)
    assert figures.articles_by_language == {"en": 1, "de": 1, "fr": 1, "es": 1}
    assert figures.duplicates_by_language == {"en": 2}
    assert figures.articles_by_format == {"html": 2, "txt": 1, "jsonl": 1}
    assert figures.duplicates_by_match == {"exact": 1, "near": 1}
    assert figures.rejects_by_reason == {"parse_error": 1, "empty": 1}
    assert figures.rejects_by_format == {"json": 1, "txt": 1}
    assert figures.removed_by_kind == {
        "cookie_banner": KindTotal(2, 2 * len(COOKIE)),
        "related_block": KindTotal(1, len(RELATED)),
        "share_prompt": KindTotal(1, len("Teilen Sie")),
    }
    assert [run.run_id for run in figures.runs] == [FIRST_RUN, SECOND_RUN]
    assert figures.runs[0].docs_per_s == pytest.approx(6 / 4.0)
    assert figures.top_sites(2) == [("daily.example", 1, 1), ("diario.example", 1, 0)]


def test_figures_of_one_run(dataset: Path) -> None:
    figures = collect_figures(dataset, SECOND_RUN)

    assert (figures.n_articles, figures.n_duplicates, figures.n_rejects) == (1, 1, 0)
    assert figures.articles_by_language == {"es": 1}
    assert [run.run_id for run in figures.runs] == [SECOND_RUN]


def test_figures_as_plain_json(dataset: Path) -> None:
    data = json.loads(json.dumps(collect_figures(dataset).as_dict()))

    assert data["n_articles"] == 4
    assert data["articles_by_language"]["de"] == 1
    assert data["removed_by_kind"]["cookie_banner"] == {"count": 2, "chars": 2 * len(COOKIE)}
    assert data["runs"][0]["stage_seconds"] == {"read": 0.5, "extract": 3.0, "commit": 0.5}


def test_empty_output_folder(tmp_path: Path) -> None:
    figures = collect_figures(tmp_path / "nothing-yet")

    assert figures.n_documents == 0
    assert figures.runs == []
    assert disk_usage(tmp_path / "nothing-yet") == {}


def test_find_article_with_its_duplicates(dataset: Path) -> None:
    view = find_document(dataset, "en1")

    assert view is not None and view.table == "articles"
    assert view.record["language"] == "en"
    assert view.record["removed"] == [{"kind": "cookie_banner", "text": COOKIE}]
    assert [d["doc_id"] for d in view.duplicates] == ["en1-copy", "en1-near"]


def test_find_duplicate_points_to_its_article(dataset: Path) -> None:
    view = find_document(dataset, "en1-near")

    assert view is not None and view.table == "duplicates"
    assert view.canonical is not None and view.canonical["title"] == "Headline en1"


def test_find_reject_and_unknown(dataset: Path) -> None:
    view = find_document(dataset, "r-broken")

    assert view is not None and view.table == "rejects"
    assert view.record["reason"] == "parse_error"
    assert find_document(dataset, "no-such-doc") is None
    assert find_document(dataset, "ghost") is None  # its run never committed


def _printed(render, *args) -> str:
    console = Console(record=True, width=160, color_system=None)
    render(*args, console)
    return console.export_text()


def test_stats_prints_every_section(dataset: Path) -> None:
    text = _printed(render_stats, collect_figures(dataset), disk_usage(dataset))

    for heading in ("Outcomes", "Per language", "Per input format", "Per site", "Rejects per"):
        assert heading in text
    assert "cookie_banner" in text and "parse_error" in text and FIRST_RUN in text
    assert "_state" not in text and "articles" in text


def test_show_prints_text_removed_chrome_and_links(dataset: Path) -> None:
    es = _printed(render_document, find_document(dataset, "es1"))
    assert "Story es1 from diario.example." in es
    assert "related_block" in es
    assert "[bold]Markets rally[/bold] <b>today</b>" in es  # shown as data, never as markup
    assert "source: diario.example/es1.html" in es

    en = _printed(render_document, find_document(dataset, "en1"))
    assert "Duplicates of this article (2)" in en and "en1-near" in en

    copy = _printed(render_document, find_document(dataset, "en1-copy"))
    assert "Duplicate of" in copy and "Headline en1" in copy


def test_print_commands(dataset: Path) -> None:
    console = Console(record=True, width=160, color_system=None)

    assert print_document(dataset, "no-such-doc", console) is False
    assert print_document(dataset, "fr1", console) is True
    print_stats(dataset, console)
    text = console.export_text()
    assert "article fr1" in text and "Size on disk" in text


def test_cli_stats_and_show(dataset: Path) -> None:
    runner = CliRunner()

    stats = runner.invoke(app, ["stats", str(dataset)])
    shown = runner.invoke(app, ["show", "de1", "--out", str(dataset)])
    missing = runner.invoke(app, ["show", "no-such-doc", "--out", str(dataset)])

    assert stats.exit_code == 0 and "Per language" in stats.stdout
    assert shown.exit_code == 0 and "Teilen Sie" in shown.stdout
    assert missing.exit_code == 2
