"""The README's Hugging Face `datasets` lines load the articles, language included."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import store
from ingest.options import Options
from ingest.pipeline import run_pipeline

datasets = pytest.importorskip("datasets")

STORIES = {
    "en": "The harbour council of Port Alden voted on Tuesday to turn the old ferry terminal "
    "into a public library, ending a debate that had run for almost six years.",
    "de": "Die Stadt Lindenau hat am Mittwoch die neue Fußgängerbrücke über den Fluss eröffnet, "
    "nachdem die Bauarbeiten fast drei Jahre gedauert hatten.",
}


@pytest.fixture()
def processed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for language, text in STORIES.items():
        (raw / f"{language}.txt").write_text(f"{text}\n\n{text.replace('.', ' again.')}\n")
    run_pipeline(Options(raw_dir=raw, out_dir=tmp_path / "processed", write_report=False))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "processed"


def test_the_in_memory_line_keeps_every_column(processed: Path) -> None:
    from datasets import Dataset; import pyarrow.dataset as pads; ds = Dataset(pads.dataset("processed/articles", partitioning="hive").to_table())  # fmt: skip  # noqa: E702, I001

    stored = store.read_table(processed, "articles")
    assert ds.num_rows == stored.num_rows == 2
    assert sorted(ds["language"]) == ["de", "en"]
    assert set(ds.column_names) >= {"doc_id", "text", "removed", "language"}
    assert ds.features["removed"].feature["kind"].dtype == "string"


def test_the_memory_mapped_line_reads_one_language(processed: Path, tmp_path: Path) -> None:
    from datasets import load_dataset; ds = load_dataset("parquet", data_files="processed/articles/language=de/*.parquet", split="train", cache_dir=str(tmp_path / "hf"))  # fmt: skip  # noqa: E702, I001

    assert ds.num_rows == 1 and ds[0]["text"].startswith("Die Stadt Lindenau")
