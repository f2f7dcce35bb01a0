"""The whole pipeline on small folders we write: accounting, schemas, incremental runs, CLI."""

from __future__ import annotations

import gc
import gzip
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ingest import collector, stages, store
from ingest.cli import app
from ingest.documents import ARTICLES_SCHEMA, DUPLICATES_SCHEMA, REJECTS_SCHEMA, RUNS_SCHEMA
from ingest.options import Options
from ingest.pipeline import run_pipeline
from ingest.scripts import UNSPACED_SCRIPTS, char_script
from ingest.text import _MAYBE_UNSPACED, count_words, tokens

SHARED_SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

STORY_EN = (
    "The city council of Port Alden voted on Tuesday to turn the old ferry terminal into a public "
    "library, ending a decade of debate over the empty building on the waterfront.\n\n"
    "Mayor Ines Calder said the conversion would cost about four million euros and take two years. "
    "Construction crews are expected to begin removing the rusted gangways in the spring.\n\n"
    "Residents who packed the council chamber applauded the decision. Several older fishermen said "
    "they had waited years to see the terminal used again, even if no boat will ever dock there."
)
STORY_AR = (
    "أعلنت بلدية مدينة الساحل يوم الثلاثاء عن افتتاح حديقة عامة جديدة على الواجهة البحرية بعد عامين من الأعمال.\n\n"
    "وقال رئيس البلدية إن الحديقة ستضم مسارات للدراجات ومساحات للعب الأطفال ومكتبة صغيرة مفتوحة للجميع.\n\n"
    "ورحب السكان بالمشروع الذي طال انتظاره، وأكدوا أنه سيعيد الحياة إلى الحي القديم."
)
STORY_JA = (
    "港町の市場で新しい朝の競りが始まり、多くの観光客が早朝から集まった。\n\n"
    "市の担当者によると、競りは毎週土曜日に開かれ、地元の漁師が獲った魚が並ぶという。\n\n"
    "初日には三百人以上が訪れ、売り場は昼前にほぼ空になった。"
)


def _page(title: str, body: str, lang: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        f"<footer>© 2026 Example Media</footer></body></html>"
    )


@pytest.fixture()
def mixed_folder(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    (raw / "alden").mkdir(parents=True)
    (raw / "sahil").mkdir()
    (raw / "alden" / "library.html").write_text(
        _page("Ferry terminal becomes a library", STORY_EN, "en")
    )
    (raw / "alden" / "library-copy.html").write_text(
        _page("Old ferry terminal to be library", STORY_EN, "en")
    )
    (raw / "sahil" / "park.html").write_bytes(_page("حديقة جديدة", STORY_AR, "ar").encode("utf-8"))
    (raw / "market.txt.gz").write_bytes(
        gzip.compress(("朝の競りが始まる\n\n" + STORY_JA).encode("shift_jis"))
    )
    feed = [
        json.dumps({"url": "https://news.example.net/a", "title": "Park opens", "text": STORY_AR}),
        "{broken json",
        json.dumps({"title": "no body at all"}),
    ]
    (raw / "feed.jsonl").write_text("\n".join(feed) + "\n", encoding="utf-8")
    (raw / "empty.html").write_bytes(b"")
    (raw / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(256))
    (raw / "notes.docx").write_bytes(b"PK\x03\x04")
    return raw


def _run(raw: Path, out: Path, **changes) -> object:
    return run_pipeline(Options(raw_dir=raw, out_dir=out, write_report=False, **changes))


def _rows(out: Path, table: str) -> list[dict]:
    return store.read_table(out, table).to_pylist()


def test_every_record_lands_in_exactly_one_table(mixed_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = _run(mixed_folder, out)
    articles, duplicates, rejects = (
        _rows(out, "articles"),
        _rows(out, "duplicates"),
        _rows(out, "rejects"),
    )
    # 4 pages/dumps + 3 JSONL lines + empty + image + unsupported file
    assert summary.n_records == 10 == len(articles) + len(duplicates) + len(rejects)
    sources = [r["source"] for r in articles + duplicates + rejects]
    assert len(sources) == len(set(sources))
    assert {r["reason"] for r in rejects} == {
        "parse_error",
        "no_text",
        "empty",
        "binary",
        "unsupported",
    }
    assert all(r["detail"] for r in rejects)
    assert {a["language"] for a in articles} == {"en", "ar", "ja"}
    # the two ferry pages and the Arabic page/JSONL record are the same stories
    assert len(articles) == 3 and len(duplicates) == 2
    assert {d["match"] for d in duplicates} == {"exact"}
    canonical_ids = {a["doc_id"] for a in articles}
    assert all(d["duplicate_of"] in canonical_ids for d in duplicates)


def test_tables_read_back_with_their_schemas(mixed_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(mixed_folder, out)
    for name, schema in [
        ("articles", ARTICLES_SCHEMA),
        ("duplicates", DUPLICATES_SCHEMA),
        ("rejects", REJECTS_SCHEMA),
        ("runs", RUNS_SCHEMA),
    ]:
        table = store.read_table(out, name)
        assert table.schema.equals(schema, check_metadata=False), name
    for path in out.rglob("*.parquet"):
        if "_state" not in path.parts:
            assert pq.read_schema(path).metadata[b"newsclean.schema_version"]


def test_one_line_loaders_read_the_dataset(mixed_folder: Path, tmp_path: Path) -> None:
    import duckdb
    import pandas as pd
    import polars as pl
    import pyarrow.dataset as ds

    out = tmp_path / "out"
    summary = _run(mixed_folder, out)
    articles = out / "articles"
    assert len(pd.read_parquet(articles)) == summary.n_articles
    assert (
        pl.scan_parquet(f"{articles}/**/*.parquet", hive_partitioning=True).collect().height
        == summary.n_articles
    )
    assert (
        duckdb.sql(
            f"select count(*) from read_parquet('{articles}/**/*.parquet', hive_partitioning=true)"
        ).fetchall()[0][0]
        == summary.n_articles
    )
    assert ds.dataset(articles, partitioning="hive").count_rows() == summary.n_articles
    langs = set(pd.read_parquet(articles)["language"].astype(str))
    assert langs == set(summary.articles_by_language)


def test_second_run_adds_nothing_and_new_files_are_picked_up(
    mixed_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = _run(mixed_folder, out)
    files_before = sorted(
        p for p in out.rglob("*.parquet") if "runs" not in p.parts and "_state" not in p.parts
    )
    second = _run(mixed_folder, out)
    assert second.n_records == 0 and second.n_files == 0
    assert (
        sorted(
            p
            for p in out.rglob("*.parquet")
            if "runs" not in p.parts
            and "_state" not in p.parts
            and p.stat().st_size
            and second.run_id not in p.name
        )
        == files_before
    )
    assert len(_rows(out, "articles")) == first.n_articles
    (mixed_folder / "alden" / "later.html").write_text(
        _page("A later story", STORY_EN.replace("library", "museum"), "en")
    )
    third = _run(mixed_folder, out)
    assert third.n_files == 1 and third.n_records == 1
    total = len(_rows(out, "articles")) + len(_rows(out, "duplicates"))
    assert total == first.n_articles + first.n_duplicates + 1


def test_big_batches_run_first_and_the_output_keeps_the_folders_order(
    mixed_folder: Path, tmp_path: Path
) -> None:
    submitted: list[int] = []

    def serial(stage, fn, items):
        if stage == "read":
            submitted.extend(sum(f.size for f in item[0]) for item in items)
        return [fn(*args) for args in items]

    one_per_batch = Options(
        raw_dir=mixed_folder, out_dir=tmp_path / "small", batch_size=1, write_report=False
    )
    run_pipeline(one_per_batch, mapper=serial)
    assert len(submitted) == 7 and submitted == sorted(submitted, reverse=True)
    _run(mixed_folder, tmp_path / "one", batch_size=100)
    for table, key in (
        ("articles", "doc_id"),
        ("duplicates", "duplicate_of"),
        ("rejects", "reason"),
    ):
        rows = {
            out: [(r["source"], r[key]) for r in _rows(tmp_path / out, table)]
            for out in ("small", "one")
        }
        assert rows["small"] == rows["one"]


def test_cli_run_prints_summary_and_exits_zero(mixed_folder: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["run", str(mixed_folder), "--out", str(tmp_path / "out"), "--no-report"]
    )
    assert result.exit_code == 0, result.output
    assert "articles" in result.output and "rejects: parse_error" in result.output


def test_cli_missing_input_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["run", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code != 0
    assert "does not exist" in result.output


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside the repo")
def test_seeds_become_english_articles_with_titles(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(SHARED_SEEDS, out)
    articles = {Path(a["source"]).name: a for a in _rows(out, "articles")}
    duplicates = _rows(out, "duplicates")
    assert len(articles) + len(duplicates) == 5
    assert {a["language"] for a in articles.values()} == {"en"}
    titled = {name for name, a in articles.items() if a["title"]}
    assert {"002_869baf697406c617.txt", "004_1ee38f6cb67d9728.txt"} <= titled | {
        Path(d["source"]).name for d in duplicates
    }


def test_site_lines_are_learnt_across_runs_in_one_state_file(tmp_path: Path) -> None:
    """Chrome seen once per run is cut on its third page; the state stays one file per output."""
    raw, out = tmp_path / "raw" / "valley", tmp_path / "out"
    raw.mkdir(parents=True)
    chrome = "Printed in the Riverside edition of the Valley Courier"
    paragraphs = STORY_EN.split("\n\n")
    for n, paragraph in enumerate(paragraphs):
        (raw / f"story-{n}.txt").write_text(f"{paragraph}\n\n{chrome}\n", encoding="utf-8")
        _run(raw.parent, out)
    cut = [
        removal["text"]
        for row in _rows(out, "articles")
        for removal in row["removed"]
        if removal["kind"] == "site_repeat"
    ]
    assert cut == [chrome]
    assert len(store.state_files(out, "site_lines")) == 1


def test_a_run_that_finds_nothing_new_keeps_the_site_line_state(
    mixed_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _run(mixed_folder, out)
    (state,) = store.state_files(out, "site_lines")
    second = _run(mixed_folder, out)
    assert second.n_files == 0
    assert store.state_files(out, "site_lines") == [state]
    assert len(_rows(out, "runs")) == 2


def test_word_counts_come_from_the_clean_text(mixed_folder: Path, tmp_path: Path) -> None:
    """Counted by the batch stage (in the workers), not by the commit: same numbers."""
    out = tmp_path / "out"
    _run(mixed_folder, out)
    articles, duplicates = _rows(out, "articles"), _rows(out, "duplicates")
    assert articles and duplicates
    for row in articles:
        assert row["n_words"] == count_words(row["text"]) > 0
    assert all(row["n_words"] > 0 for row in duplicates)


def _tokens_char_by_char(text: str) -> list[str]:
    """tokens() as first written: every word's characters looked up one by one."""
    out: list[str] = []
    for word in re.findall(r"\w+", text.lower()):
        run: list[str] = []
        for char in word:
            if char_script(char) in UNSPACED_SCRIPTS:
                out.extend(["".join(run)] if run else [])
                out.append(char)
                run = []
            else:
                run.append(char)
        out.extend(["".join(run)] if run else [])
    return out


WORDS_IN_MANY_SCRIPTS = st.text(
    st.sampled_from(
        list("ab Zé\u00dfİ1_-.\n\u2126\u212a") + list("Жжعربی\u0915\u093f東京の港ไทยລາວ한국")
    )
)


@settings(max_examples=300, deadline=None)
@given(WORDS_IN_MANY_SCRIPTS)
def test_tokens_are_those_of_a_look_at_every_character(text: str) -> None:
    assert tokens(text) == _tokens_char_by_char(text)


def test_every_unspaced_character_is_in_the_blocks_tokens_look_at() -> None:
    """The fast path of tokens() skips texts with no character in _MAYBE_UNSPACED: every
    character of an unspaced script this Python's Unicode knows must lie in those blocks."""
    missing = [
        hex(code)
        for code in range(0x0E00, sys.maxunicode + 1)
        if char_script(chr(code)) in UNSPACED_SCRIPTS and not _MAYBE_UNSPACED.match(chr(code))
    ]
    assert missing == []
    assert not _MAYBE_UNSPACED.search("\u201cQuoted\u201d \u2014 \u20ac5 \u2026 \u0416 \u0639")


def test_word_counts_of_spaced_and_unspaced_text() -> None:
    assert count_words("Die Fähre läuft um 7:10 Uhr aus.") == 8
    assert count_words("東京の港で新しい船が就航した") == 14
    assert count_words("Port of 横浜 reopens") == 5


HEAVY_MODULES = (
    "pandas",
    "pyarrow.compute",
    "scipy",
    "datasketch",
    "duckdb",
    "trafilatura",
    "warcio",
    "ingest.stages",
)


def test_a_run_that_finds_nothing_new_loads_no_stage_libraries(
    mixed_folder: Path, tmp_path: Path
) -> None:
    """The second run, in a fresh process, commits its runs row without importing what the
    stages and dedup need (seconds of imports for a run that does nothing)."""
    out = tmp_path / "out"
    first = _run(mixed_folder, out)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from ingest.options import Options\n"
        "from ingest.pipeline import run_pipeline\n"
        f"s = run_pipeline(Options(raw_dir=Path({str(mixed_folder)!r}),"
        f" out_dir=Path({str(out)!r}), write_report=False))\n"
        "assert s.n_files == 0 and s.n_unchanged_files > 0, s\n"
        f"print(sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    runs = _rows(out, "runs")
    assert len(runs) == 2 and runs[-1]["n_records"] == 0
    assert len(_rows(out, "articles")) == first.n_articles


def test_fingerprints_written_in_chunks_give_the_same_run(
    mixed_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _run(mixed_folder, tmp_path / "whole")
    monkeypatch.setattr(stages, "FINGERPRINT_ROWS", 1)
    chunked = _run(mixed_folder, tmp_path / "chunked")
    assert (chunked.n_articles, chunked.n_duplicates) == (whole.n_articles, whole.n_duplicates)
    pick = ["doc_id", "content_hash", "cluster_size"]
    rows = {
        name: sorted(({k: r[k] for k in pick} for r in _rows(tmp_path / name, "articles")), key=str)
        for name in ("whole", "chunked")
    }
    assert rows["chunked"] == rows["whole"]
    dup = [(r["doc_id"], r["duplicate_of"]) for r in _rows(tmp_path / "chunked", "duplicates")]
    assert dup == [
        (r["doc_id"], r["duplicate_of"]) for r in _rows(tmp_path / "whole", "duplicates")
    ]


def test_a_run_leaves_the_callers_collector_settings_as_they_were(
    mixed_folder: Path, tmp_path: Path
) -> None:
    before = gc.get_threshold()
    inside: list[tuple[tuple[int, ...], int]] = []
    original = stages.read_and_extract

    def spy(*args):
        inside.append((gc.get_threshold(), gc.get_freeze_count()))
        return original(*args)

    stages.read_and_extract = spy
    try:
        run_pipeline(Options(raw_dir=mixed_folder, out_dir=tmp_path / "out", write_report=False))
    finally:
        stages.read_and_extract = original
    assert inside and all(t[0] >= collector.YOUNG_THRESHOLD and n > 0 for t, n in inside)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_collector_settings_hold_until_the_last_of_overlapping_batches_ends() -> None:
    before = gc.get_threshold()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[tuple[int, ...]] = []

    def first() -> None:
        with collector.run_collector():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with collector.run_collector():
            second_in.set()
            first_out.wait(5)
            seen.append(gc.get_threshold())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [(collector.YOUNG_THRESHOLD, *before[1:])]
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_objects_the_caller_froze_stay_frozen_and_a_stricter_setting_stays() -> None:
    before = gc.get_threshold()
    gc.freeze()
    made_after_callers_freeze = [[]]
    try:
        gc.set_threshold(50_000, *before[1:])
        with collector.run_collector():
            assert gc.get_threshold()[0] == 50_000
            visible = {id(o) for o in gc.get_objects()}
            assert id(made_after_callers_freeze) in visible  # nothing of ours was frozen
        assert gc.get_freeze_count() > 0
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
