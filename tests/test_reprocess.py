"""`--reprocess`: a dataset re-cleaned in place equals a fresh run, and survives kill -9.

The dataset is first built by two runs with boilerplate stripping off (a copy of a page of
the first run arrives with the second), then reprocessed with the defaults; the fresh run
ingests the same folder once with the defaults. Rows are compared whole, less run_id and
ingested_at, which name when a row was written.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from fakenews import html_page, story, write_mixed_folder
from killing import die, die_on_call, run_child

from ingest import compact, store, swap
from ingest.options import Options
from ingest.pipeline import run_pipeline

CLOCKS = ("run_id", "ingested_at")
TABLES = ("articles", "duplicates", "rejects")
COOKIES = "<p>We use cookies to improve your experience. Accept all cookies to continue.</p>"


def _options(raw: Path, out: Path, **changes) -> Options:
    return Options(raw_dir=raw, out_dir=out, write_report=False, **changes)


def rows(out: Path) -> dict[str, list[str]]:
    view = {}
    for table in TABLES:
        found = store.read_table(out, table).to_pylist()
        view[table] = sorted(repr({k: v for k, v in r.items() if k not in CLOCKS}) for r in found)
    return view


def _write_delivery(raw: Path, first: int) -> None:
    write_mixed_folder(raw, 8, seed=33, first=first)
    chrome = raw / "chrome.example"
    chrome.mkdir(exist_ok=True)
    for number in range(first, first + 3):
        page = html_page(story(900 + number, "en"), extra_body=COOKIES)
        (chrome / f"page-{number}.html").write_text(page, encoding="utf-8")


@dataclass
class Datasets:
    raw: Path
    stripped_off: Path  # two runs with --no-boilerplate
    fresh: Path  # one run with the defaults


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> Datasets:
    root = tmp_path_factory.mktemp("reprocess")
    raw, off, fresh = root / "raw", root / "off", root / "fresh"
    raw.mkdir()
    _write_delivery(raw, 0)
    run_pipeline(_options(raw, off, strip_boilerplate=False))
    _write_delivery(raw, 8)
    (raw / "copies").mkdir()
    shutil.copy(min(raw.rglob("story-*.html")), raw / "copies" / "saved-again.html")
    run_pipeline(_options(raw, off, strip_boilerplate=False))
    run_pipeline(_options(raw, fresh))
    return Datasets(raw, off, fresh)


def _copy(datasets: Datasets, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(datasets.stripped_off, out)
    return out


def test_reprocessed_dataset_equals_a_fresh_run_row_for_row(
    datasets: Datasets, tmp_path: Path
) -> None:
    out = _copy(datasets, tmp_path)
    fresh = rows(datasets.fresh)
    before = rows(out)
    assert before["articles"] != fresh["articles"]  # the cleaning differs
    assert len(before["articles"]) == len(fresh["articles"])  # the same documents
    assert fresh["duplicates"]
    ids_before = {r["doc_id"] for t in TABLES for r in store.read_table(out, t).to_pylist()}

    summary = run_pipeline(_options(datasets.raw, out, reprocess=True))

    assert rows(out) == fresh
    ids_after = {r["doc_id"] for t in TABLES for r in store.read_table(out, t).to_pylist()}
    assert ids_after == ids_before
    runs = {r["run_id"]: r for r in store.read_table(out, "runs").to_pylist()}
    assert json.loads(runs[summary.run_id]["options"])["reprocess"] is True
    assert summary.n_already_ingested == 0 and summary.n_records == sum(map(len, fresh.values()))
    assert run_pipeline(_options(datasets.raw, out)).n_records == 0  # still incremental
    assert not any((out / store.STAGING).iterdir())


def test_inputs_gone_from_raw_keep_their_rows(datasets: Datasets, tmp_path: Path) -> None:
    out = _copy(datasets, tmp_path)
    raw = tmp_path / "raw"
    shutil.copytree(datasets.raw, raw)
    gone = sorted((raw / "chrome.example").iterdir())[0]
    gone.unlink()
    source = gone.relative_to(raw).as_posix()
    kept = [r for r in store.read_table(out, "articles").to_pylist() if r["source"] == source]
    assert len(kept) == 1

    run_pipeline(_options(raw, out, reprocess=True))

    articles = store.read_table(out, "articles").to_pylist()
    assert [r for r in articles if r["source"] == source] == kept  # untouched, clocks included
    fresh = {
        r["doc_id"]: r["text"] for r in store.read_table(datasets.fresh, "articles").to_pylist()
    }
    assert all(r["text"] == fresh[r["doc_id"]] for r in articles if r["source"] != source)
    assert len(articles) == len(fresh)


def test_reprocess_of_an_empty_folder_keeps_everything(datasets: Datasets, tmp_path: Path) -> None:
    out = _copy(datasets, tmp_path)
    before = rows(out)
    index = sorted(r["doc_id"] for t in store.read_state(out, "dedup") for r in t.to_pylist())
    empty = tmp_path / "empty"
    empty.mkdir()

    summary = run_pipeline(_options(empty, out, reprocess=True))

    assert summary.n_records == 0 and rows(out) == before
    after = sorted(r["doc_id"] for t in store.read_state(out, "dedup") for r in t.to_pylist())
    assert after == index
    assert run_pipeline(_options(datasets.raw, out)).n_records == 0


def test_reprocess_compacts_what_it_rewrites(datasets: Datasets, tmp_path: Path) -> None:
    out = _copy(datasets, tmp_path)
    run_pipeline(_options(datasets.raw, out, reprocess=True))
    counts = compact.folder_file_counts(out)
    replaced = [n for n in counts if n.startswith((*TABLES, "_state/dedup"))]
    assert len(replaced) > 4 and all(counts[name] <= 2 for name in replaced)  # kept + new


# --- kill -9 -----------------------------------------------------------------------------


def _die_before_the_runs_row() -> None:
    original = os.replace

    def replace(src, dst):
        if Path(dst).parent.name == "runs":
            die()
        original(src, dst)

    os.replace = replace


REPROCESS_KILLS = {
    "before the swap journal": (lambda: die_on_call(swap, "swap_in", 1), False),
    "after the journal, before any swap": (lambda: die_on_call(swap, "_install", 1), True),
    "half of the folders swapped": (lambda: die_on_call(swap, "_install", 3), True),
    "before the runs row moves in": (_die_before_the_runs_row, True),
}


@pytest.fixture(scope="module")
def reprocessed(datasets: Datasets, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("reference") / "out"
    shutil.copytree(datasets.stripped_off, out)
    started = time.perf_counter()
    run_pipeline(_options(datasets.raw, out, reprocess=True))
    return {"rows": rows(out), "seconds": time.perf_counter() - started}


@pytest.mark.parametrize("point", list(REPROCESS_KILLS))
def test_reprocess_killed_at_any_point(
    point: str, datasets: Datasets, reprocessed: dict, tmp_path: Path
) -> None:
    out = _copy(datasets, tmp_path)
    before = rows(out)
    kill, committed = REPROCESS_KILLS[point]
    reprocess = _options(datasets.raw, out, reprocess=True)
    assert run_child(lambda: run_pipeline(reprocess), kill) == -signal.SIGKILL

    seen = rows(out)  # each table read whole: old or new, never a mix
    for table in TABLES:
        assert seen[table] in (before[table], reprocessed["rows"][table])
    if not committed:
        assert seen == before
        run_pipeline(reprocess)
    else:  # the next writer, whatever it is, finishes the swap
        assert run_pipeline(_options(datasets.raw, out)).n_records == 0
    assert rows(out) == reprocessed["rows"]
    assert run_pipeline(_options(datasets.raw, out)).n_records == 0
    assert not any((out / store.STAGING).iterdir())
    assert not any((out / store.STATE / swap.SWAPS).iterdir())


def test_reprocess_killed_at_random_moments(
    datasets: Datasets, reprocessed: dict, tmp_path: Path
) -> None:
    rng = random.Random(9)
    for trial in range(3):
        out = tmp_path / f"out-{trial}"
        shutil.copytree(datasets.stripped_off, out)
        reprocess = _options(datasets.raw, out, reprocess=True)
        run_child(
            lambda r=reprocess: run_pipeline(r),
            kill_after_s=rng.uniform(0, 1.2 * reprocessed["seconds"]),
        )
        run_pipeline(reprocess)
        assert rows(out) == reprocessed["rows"]
