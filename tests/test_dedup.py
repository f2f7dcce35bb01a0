"""Dedup: normalisation, fingerprints, clustering within a run and across runs via Parquet."""

from __future__ import annotations

import pickle
import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.dedup import (
    DedupItem,
    compact_index,
    content_hash,
    deduplicate,
    deduplicate_files,
    estimated_jaccard,
    fingerprint,
    fingerprint_table,
    normalize_text,
)
from ingest.dedup.minhash import sketch_matrix

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)

TRAM = """Council backs eastern tram extension after five-hour debate

Port Ellery city council voted 31 to 12 on Tuesday night to fund a four-kilometre extension
of the eastern tram line, ending a dispute that has divided the harbour districts for two years.

The extension will run from the ferry terminal past the old grain silos to the new hospital
campus at Marden Heights, with six stops and a depot on the site of a former bus garage.
Construction is due to start next spring and the first trams should carry passengers in 2029.

Transport councillor Ines Okafor said the line would take about nine thousand car journeys a
day off the coast road. "People in the eastern districts have waited long enough for a proper
connection to the hospital and the ferry," she told the chamber before the vote.

Opponents argued that the projected cost of 212 million has already risen twice and warned that
shops along Quay Street would lose trade during two years of road works. Councillor Bram Tessel
proposed an electric bus route instead, but his amendment failed by a wide margin.

The city expects the national infrastructure fund to cover about half of the bill. The rest
will come from a bond issue and a small rise in the harbour parking levy, which drivers and
the chamber of commerce have criticised as a tax on visitors.

Residents of Marden Heights welcomed the decision. A petition for the extension collected more
than fourteen thousand signatures last autumn, and campaigners gathered outside the town hall
on Tuesday evening with banners and a brass band waiting for the result."""

TRAM_STRIKE = """Tram drivers walk out over rosters in Lindqvist

Tram services across Lindqvist came to a halt on Monday morning as drivers began a
forty-eight hour strike over new shift rosters introduced by the city transport company.

The drivers' union says the rosters force staff to work split shifts of up to thirteen hours
with unpaid breaks in the middle of the day. The company insists the changes are needed to
cover a shortage of almost sixty drivers and to keep the night network running.

Commuters crowded onto replacement buses at the central station, where queues stretched
around the block shortly after seven. Several schools told pupils to stay at home, and the
university moved morning lectures online for the two days of the walkout.

Talks between the union and the company broke down on Friday after management offered a
one-off bonus instead of changes to the roster. Both sides said they were willing to meet again
but no date has been set, and the union has warned of further strikes next month."""

FLOOD = """Neue Schutzmauer am Rheinufer soll Altstadt vor Hochwasser bewahren

Die Stadt Wendelfurt baut für rund 38 Millionen Euro eine neue Hochwasserschutzmauer entlang
des Rheinufers. Der Stadtrat hat die Pläne am Donnerstag mit großer Mehrheit beschlossen.

Die Mauer soll auf einer Länge von 2,4 Kilometern die Altstadt und das Hafenviertel schützen.
An mehreren Stellen sind mobile Elemente vorgesehen, die bei steigendem Pegel innerhalb von
wenigen Stunden aufgebaut werden können. Die Arbeiten sollen im kommenden Herbst beginnen.

Bürgermeisterin Katrin Albers erinnerte an das Hochwasser vor drei Jahren, als das Wasser bis
in die Keller der Marktstraße stand und viele Geschäfte wochenlang schließen mussten. Damals
entstand ein Schaden von mehr als zwanzig Millionen Euro.

Kritik kam von Anwohnern der Uferpromenade, die um den Blick auf den Fluss fürchten. Die
Planer haben deshalb Glaselemente und eine niedrigere Mauer im Bereich des Stadtparks
vorgesehen. Das Land übernimmt voraussichtlich sechzig Prozent der Kosten."""

LIBRARY = """市立図書館で夏の読書祭り、子ども向けの朗読会に長い列

港北市の市立図書館で二十日、夏休み恒例の読書祭りが始まり、朝から多くの親子連れが訪れた。
今年は地元の作家による朗読会や、古い絵本を修理する体験教室など十二の催しが用意された。

朗読会では、作家の森川涼子さんが港町を舞台にした新作の童話を読み上げ、子どもたちは身を
乗り出して聞き入っていた。会場に入りきれなかった人のために、隣の部屋にも映像が流された。

図書館によると、昨年の読書祭りには三日間で約八千人が来場した。今年は駅前に臨時の受付を
設け、混雑を避けるために整理券を配っている。祭りは二十二日まで開かれる。"""

FERRY = """Night ferry to the islands returns after winter repairs

The overnight ferry between Port Ellery and the outer islands resumes sailings on Friday
after three months in dry dock, where the ship received new engines and a rebuilt car deck.
Islanders had relied on a smaller day boat that could not carry lorries or livestock.
The operator says timetables will stay the same until the summer schedule begins in June."""

CHROME_A = "We use cookies to improve your experience.\nHome | News | Local | Sport\n"
CHROME_B = "Harbour Gazette\nSubscribe\nMost read\n"
FOOTER_A = "\nShare on Facebook\nShare on X\n© 2026 Harbour Gazette. All rights reserved."
FOOTER_B = "\nSign up for our morning newsletter\nRead more: Ferry timetable changes"
CHROME_DE = "Wir verwenden Cookies.\nStartseite | Region | Politik\n"
FOOTER_DE = "\nArtikel teilen\nMehr zum Thema: Hafenfest"
CHROME_JA = "ログイン\nトップ | 地域 | 文化\n"
FOOTER_JA = "\nこの記事をシェアする\n関連記事"


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def copy_of(text: str, headline: str, header: str, footer: str, keep: int | None = None) -> str:
    """A republished copy: new headline, other site's chrome, optionally cut after `keep` paragraphs."""
    body = paragraphs(text)[1:]
    if keep is not None:
        body = body[:keep]
    return header + headline + "\n\n" + "\n\n".join(body) + footer


def item(doc_id: str, text: str, published: datetime | None = None) -> DedupItem:
    return DedupItem(doc_id, fingerprint(text), len(text), published)


def write_index(result, folder: Path, run: str) -> Path:
    path = folder / f"{run}.parquet"
    pq.write_table(result.index_rows, path)
    return path


def story_items() -> list[DedupItem]:
    return [
        item("tram-original", TRAM),
        item(
            "tram-copy-b",
            copy_of(TRAM, "Tram line to hospital approved", CHROME_B, FOOTER_B, keep=5),
        ),
        item("tram-copy-a", copy_of(TRAM, "EASTERN TRAMS: yes vote", CHROME_A, FOOTER_A, keep=4)),
        item("strike", TRAM_STRIKE),
        item("flood", FLOOD),
        item(
            "flood-copy",
            copy_of(FLOOD, "Millionen für den Hochwasserschutz", CHROME_DE, FOOTER_DE, keep=3),
        ),
        item("library", LIBRARY),
        item("library-copy", copy_of(LIBRARY, "図書館で読書祭り", CHROME_JA, FOOTER_JA, keep=2)),
    ]


def canonical_map(result, items: list[DedupItem]) -> dict[str, str]:
    return {
        i.doc_id: result.duplicates[i.doc_id].duplicate_of
        if i.doc_id in result.duplicates
        else i.doc_id
        for i in items
    }


# --- normalisation and fingerprints ---------------------------------------------------------


def test_normalize_text_folds_width_case_and_punctuation() -> None:
    assert normalize_text("ＡＢＣ, déjà-vu!\n\t“Quote”  _x_") == "abc déjà vu quote x"
    assert normalize_text("नमस्ते दुनिया") == "नमस्ते दुनिया"  # vowel signs stay inside words


def test_content_hash_ignores_form_only_differences() -> None:
    assert content_hash("Council backs tram — “yes”!") == content_hash("council BACKS tram yes")
    assert content_hash("council backs tram") != content_hash("council backs trams")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_fingerprint_is_small_and_deterministic() -> None:
    first, second = fingerprint(TRAM), fingerprint(TRAM)
    assert first.content_hash == second.content_hash
    assert np.array_equal(first.band_keys, second.band_keys)
    assert first.sketch == second.sketch
    assert first.band_keys.dtype == np.uint64 and len(first.band_keys) == 28
    assert len(pickle.dumps(first)) < 1024


def test_unspaced_script_is_shingled_by_characters() -> None:
    assert fingerprint(LIBRARY).n_shingles > 100  # a word split would give a handful


# --- clustering within one run ----------------------------------------------------------------


def test_copies_with_other_chrome_and_headlines_cluster() -> None:
    items = story_items()
    result = deduplicate(items, [], now=NOW)
    canon = canonical_map(result, items)
    assert canon["tram-copy-a"] == canon["tram-copy-b"] == "tram-original"
    assert canon["flood-copy"] == "flood"
    assert canon["library-copy"] == "library"
    assert result.cluster_sizes["tram-original"] == 3
    assert result.duplicates["tram-copy-b"].match == "near"
    assert 0.25 <= result.duplicates["tram-copy-b"].similarity <= 1.0


def test_same_topic_different_story_stays_apart() -> None:
    items = story_items()
    result = deduplicate(items, [], now=NOW)
    assert "strike" not in result.duplicates
    assert result.cluster_sizes["strike"] == 1
    low = estimated_jaccard(
        *sketch_matrix([fingerprint(TRAM).sketch, fingerprint(TRAM_STRIKE).sketch])
    )
    assert low < 0.1


def test_exact_copy_is_an_exact_match() -> None:
    items = [item("a", TRAM), item("b", TRAM.upper().replace(",", ";"))]
    result = deduplicate(items, [], now=NOW)
    assert result.duplicates["b"].match == "exact"
    assert result.duplicates["b"].similarity == 1.0


def test_canonical_is_most_complete_then_earliest_then_doc_id() -> None:
    early, late = NOW - timedelta(days=2), NOW - timedelta(days=1)
    full = item("z-full", TRAM, late)
    cut = item("a-cut", copy_of(TRAM, "Trams", CHROME_A, "", keep=3), early)
    assert deduplicate([cut, full], [], now=NOW).duplicates["a-cut"].duplicate_of == "z-full"

    same = [item("b", TRAM, late), item("c", TRAM, early), item("a", TRAM, None)]
    assert "c" in deduplicate(same, [], now=NOW).cluster_sizes
    undated = [item("b", TRAM), item("a", TRAM)]
    assert "a" in deduplicate(undated, [], now=NOW).cluster_sizes


def test_near_off_keeps_exact_only() -> None:
    items = story_items()
    result = deduplicate([*items, item("tram-again", TRAM)], [], near=False, now=NOW)
    assert set(result.duplicates) == {"tram-original"}  # equal length: the smaller doc_id wins
    assert result.duplicates["tram-original"].match == "exact"


def test_very_short_texts_only_match_exactly() -> None:
    items = [
        item("a", "Storm warning for the coast tonight."),
        item("b", "Storm warning for the coast."),
    ]
    assert deduplicate(items, [], now=NOW).duplicates == {}


def test_repeated_doc_id_in_one_batch_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        deduplicate([item("a", TRAM), item("a", FLOOD)], [], now=NOW)


# --- across runs ----------------------------------------------------------------------------


def test_copy_in_a_later_run_points_at_first_runs_canonical(tmp_path: Path) -> None:
    first = story_items()
    run1 = deduplicate(first, [], now=NOW - timedelta(days=7))
    index = [write_index(run1, tmp_path, "run1")]
    later = [
        item("tram-late", copy_of(TRAM, "Trams reach the hospital", CHROME_B, FOOTER_A, keep=5)),
        item("flood-late", copy_of(FLOOD, "Mauer für Wendelfurt", CHROME_DE, "", keep=3)),
        item("new-story", FERRY),
    ]
    run2 = deduplicate(later, index, now=NOW)
    assert run2.duplicates["tram-late"].duplicate_of == "tram-original"
    assert run2.duplicates["tram-late"].match == "near"
    assert run2.duplicates["flood-late"].duplicate_of == "flood"
    assert run2.index_rows.num_rows == 3
    assert run2.cluster_sizes == {"new-story": 1}
    rows = {r["doc_id"]: r["canonical_id"] for r in run2.index_rows.to_pylist()}
    assert rows["tram-late"] == "tram-original" and rows["new-story"] is None


def test_copy_of_an_old_duplicate_points_at_its_canonical(tmp_path: Path) -> None:
    copy_b = copy_of(TRAM, "Tram line to hospital approved", CHROME_B, FOOTER_B, keep=5)
    run1 = deduplicate([item("orig", TRAM), item("copy-b", copy_b)], [], now=NOW)
    index = [write_index(run1, tmp_path, "run1")]
    run2 = deduplicate([item("copy-of-copy", copy_b + "\nPrint this page")], index, now=NOW)
    assert run2.duplicates["copy-of-copy"].duplicate_of == "orig"


def test_rerunning_the_same_documents_changes_nothing(tmp_path: Path) -> None:
    items = story_items()
    run1 = deduplicate(items, [], now=NOW)
    index = [write_index(run1, tmp_path, "run1")]
    again = deduplicate(items, index, now=NOW + timedelta(hours=1))
    assert again.already_indexed == {i.doc_id for i in items}
    assert again.duplicates == {} and again.cluster_sizes == {}
    assert again.index_rows.num_rows == 0


def test_window_excludes_old_index_rows(tmp_path: Path) -> None:
    run1 = deduplicate([item("old-tram", TRAM)], [], now=NOW - timedelta(days=100))
    index = [write_index(run1, tmp_path, "run1")]
    copy = [item("new-tram", copy_of(TRAM, "Trams", CHROME_A, FOOTER_A))]
    assert "new-tram" in deduplicate(copy, index, now=NOW, window_days=365).duplicates
    windowed = deduplicate(copy, index, now=NOW, window_days=90)
    assert windowed.duplicates == {} and windowed.cluster_sizes == {"new-tram": 1}


def test_compact_index_keeps_the_window(tmp_path: Path) -> None:
    old = deduplicate([item("old", TRAM)], [], now=NOW - timedelta(days=100))
    young = deduplicate([item("young", FLOOD)], [], now=NOW - timedelta(days=3))
    files = [write_index(old, tmp_path, "a"), write_index(young, tmp_path, "b")]
    target = tmp_path / "compacted.parquet"
    assert compact_index(files, target, since=NOW - timedelta(days=90)) == 1
    table = pq.read_table(target)
    assert table.column("doc_id").to_pylist() == ["young"]
    assert table.schema.equals(young.index_rows.schema, check_metadata=True)
    flood_copy = [item("flood-copy", copy_of(FLOOD, "Mauer", CHROME_DE, FOOTER_DE))]
    assert (
        deduplicate(flood_copy, [target], now=NOW).duplicates["flood-copy"].duplicate_of == "young"
    )


def test_index_built_with_other_settings_is_refused(tmp_path: Path) -> None:
    other = DedupItem("x", fingerprint(TRAM, bands=32), len(TRAM), None)
    index = [write_index(deduplicate([other], [], now=NOW), tmp_path, "run1")]
    with pytest.raises(ValueError, match="built with"):
        deduplicate([item("y", FLOOD)], index, now=NOW)


# --- from a run's fingerprint files -----------------------------------------------------------


def fingerprint_files(items: list[DedupItem], folder: Path, per_file: int) -> list[Path]:
    """The items written as a run's workers write them: a scratch file per batch."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for start in range(0, len(items), per_file):
        path = folder / f"fingerprints-{start}.parquet"
        pq.write_table(fingerprint_table(items[start : start + per_file]), path, row_group_size=2)
        paths.append(path)
    return paths


def test_files_give_the_decisions_of_items_and_list_only_real_clusters(tmp_path: Path) -> None:
    items = story_items()
    expected = deduplicate(items, [], now=NOW)
    run = deduplicate_files(fingerprint_files(items, tmp_path / "fp", 3), [], now=NOW)
    assert run.duplicates == expected.duplicates
    assert run.cluster_sizes == {k: n for k, n in expected.cluster_sizes.items() if n > 1}
    assert "strike" not in run.cluster_sizes  # alone: the commit counts it as a cluster of one


def test_index_written_from_files_matches_the_items_index(tmp_path: Path) -> None:
    items = story_items()
    run = deduplicate_files(fingerprint_files(items, tmp_path / "fp", 5), [], now=NOW)
    written = tmp_path / "index.parquet"
    run.write_index(written)
    expected = deduplicate(items, [], now=NOW).index_rows
    assert pq.read_table(written).equals(expected)
    assert pq.read_schema(written).equals(expected.schema, check_metadata=True)


def test_files_match_the_index_and_skip_what_it_holds(tmp_path: Path) -> None:
    first = deduplicate([item("tram-original", TRAM), item("flood", FLOOD)], [], now=NOW)
    index = [write_index(first, tmp_path, "run1")]
    later = [
        item("flood", FLOOD),  # read again: already indexed, takes no part
        item("tram-late", copy_of(TRAM, "Trams reach the hospital", CHROME_B, FOOTER_A, keep=5)),
        item("new-story", FERRY),
    ]
    spill = tmp_path / "spill"
    files = fingerprint_files(later, tmp_path / "fp", 1)
    run = deduplicate_files(files, index, now=NOW, spill_dir=spill)
    assert run.already_indexed == {"flood"}
    assert run.duplicates["tram-late"].duplicate_of == "tram-original"
    assert set(run.duplicates) == {"tram-late"} and run.cluster_sizes == {}
    run.write_index(tmp_path / "run2.parquet")
    rows = pq.read_table(tmp_path / "run2.parquet").to_pylist()
    assert {r["doc_id"]: r["canonical_id"] for r in rows} == {
        "tram-late": "tram-original",
        "new-story": None,
    }


def test_a_run_without_documents_writes_no_index(tmp_path: Path) -> None:
    run = deduplicate_files([], [], now=NOW)
    run.write_index(tmp_path / "none.parquet")
    assert run.duplicates == {} and not (tmp_path / "none.parquet").exists()


def test_a_doc_id_twice_across_files_is_refused(tmp_path: Path) -> None:
    twice = [item("same", TRAM), item("same", FLOOD)]
    with pytest.raises(ValueError, match="appears twice"):
        deduplicate_files(fingerprint_files(twice, tmp_path, 1), [], now=NOW)


# --- properties -----------------------------------------------------------------------------

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöß", min_size=1, max_size=10)
documents = st.lists(words, min_size=40, max_size=200).map(
    lambda ws: "\n".join(" ".join(ws[i : i + 12]) for i in range(0, len(ws), 12))
)


@settings(max_examples=25, deadline=None)
@given(documents)
def test_a_document_always_matches_itself(text: str) -> None:
    fp = fingerprint(text)
    assert estimated_jaccard(*sketch_matrix([fp.sketch, fp.sketch])) == 1.0
    other = replace(fp)
    result = deduplicate([DedupItem("a", fp, 1, None), DedupItem("b", other, 1, None)], [], now=NOW)
    assert result.duplicates["b"].duplicate_of == "a"


@settings(max_examples=10, deadline=None)
@given(st.permutations(range(8)))
def test_clustering_does_not_depend_on_input_order(order: list[int]) -> None:
    items = story_items()
    baseline = deduplicate(items, [], now=NOW)
    shuffled = deduplicate([items[i] for i in order], [], now=NOW)
    assert shuffled.duplicates == baseline.duplicates
    assert shuffled.cluster_sizes == baseline.cluster_sizes


@settings(max_examples=10, deadline=None)
@given(st.integers(min_value=1, max_value=9), st.permutations(range(8)))
def test_files_agree_with_items_however_the_run_is_split(per_file: int, order: list[int]) -> None:
    items = [story_items()[i] for i in order]
    expected = deduplicate(items, [], now=NOW)
    with tempfile.TemporaryDirectory() as folder:
        run = deduplicate_files(fingerprint_files(items, Path(folder), per_file), [], now=NOW)
    assert run.duplicates == expected.duplicates
    assert run.cluster_sizes == {k: n for k, n in expected.cluster_sizes.items() if n > 1}
