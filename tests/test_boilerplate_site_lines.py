"""Site-repeat learning: per-batch counts, run-wide model, Parquet round trip, guards."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.boilerplate import RemovalKind, SiteLineModel, count_site_lines, line_keys
from ingest.boilerplate.site_lines import count_title_parts, is_state_file, merge_site_lines
from ingest.options import Options
from ingest.pipeline import run_pipeline

MENU = "Home\nPolitics\nSport\nNewsletter sign-up: the morning briefing"
FOOTER = "© 2026 Valley Courier. All rights reserved."


def page(story: str) -> str:
    return f"{MENU}\n\n{story}\n\n{FOOTER}"


STORIES = [
    "The valley council approved a new bus route to the hospital on Monday evening.",
    "Farmers in the upper valley expect a late harvest after weeks of heavy rain.",
    "A local choir won second prize at the national festival in the capital.",
    "The old mill will reopen as a museum of weaving next spring, its owners said.",
]


def test_line_keys_are_distinct_stable_and_ignore_case_and_spacing() -> None:
    keys = line_keys("Home\n\nhome\n  HOME  \n---\nSport")
    assert len(keys) == 2
    assert keys == line_keys("HOME\nSport")
    assert all(0 <= key < 2**64 for key in keys)


def test_count_site_lines_counts_documents_not_occurrences() -> None:
    docs = [("courier.example", page(s)) for s in STORIES[:2]] + [(None, page(STORIES[2]))]
    table = count_site_lines(docs)
    assert table.schema.field("line_key").type == pa.uint64()
    assert table.schema.field("n_docs").type == pa.int64()
    assert set(table["site"].to_pylist()) == {"courier.example"}
    counts = dict(zip(table["line_key"].to_pylist(), table["n_docs"].to_pylist(), strict=True))
    assert counts[line_keys("Home")[0]] == 2
    assert counts[line_keys(STORIES[0])[0]] == 1


def test_model_sums_batches_and_earlier_runs_read_back_from_parquet(tmp_path: Path) -> None:
    first_run = count_site_lines([("courier.example", page(s)) for s in STORIES[:2]])
    pq.write_table(first_run, tmp_path / "site_lines.parquet")
    earlier = pq.read_table(tmp_path / "site_lines.parquet")
    this_run = count_site_lines([("courier.example", page(STORIES[2]))])
    model = SiteLineModel.from_counts([earlier, this_run], min_docs=3)
    text, removed = model.remove_repeats(page(STORIES[3]), "courier.example")
    assert text == STORIES[3]
    assert {r.kind for r in removed} == {RemovalKind.SITE_REPEAT}
    assert {r.text for r in removed} == {*MENU.split("\n"), FOOTER}


def test_lines_below_min_docs_or_on_another_site_stay() -> None:
    tables = [count_site_lines([("courier.example", page(s)) for s in STORIES[:2]])]
    model = SiteLineModel.from_counts(tables, min_docs=3)
    assert model.remove_repeats(page(STORIES[3]), "courier.example")[1] == []
    model = SiteLineModel.from_counts(tables, min_docs=2)
    assert model.remove_repeats(page(STORIES[3]), "other.example")[1] == []
    assert model.remove_repeats(page(STORIES[3]), None)[1] == []


def test_republished_story_keeps_its_prose() -> None:
    """Three versions of one story on one site: its paragraphs repeat, yet they are story."""
    story = "\n\n".join(STORIES)
    versions = [page(story), page(story + "\n\nUpdated at noon."), page(story)]
    model = SiteLineModel.from_counts([count_site_lines(("c.example", v) for v in versions)])
    text, removed = model.remove_repeats(versions[0], "c.example")
    assert text == story
    assert {r.text for r in removed} == {*MENU.split("\n"), FOOTER}


TEASERS = [
    "The valley council will debate the budget for the new bridge at its meeting next week.",
    "Heavy snow closed the mountain pass for two days, and the road crews worked through it.",
    "The school board named a new head for the secondary school after a long search.",
    "A family of otters was seen on the river for the first time in thirty years.",
    "The market hall will stay open late on Fridays through the summer, traders said.",
    "The hospital opened a second ward for children after a donation from a local firm.",
]


def test_teaser_leads_outweighing_a_story_of_its_own_go() -> None:
    """The site's column of other stories' leads, longer than the page's own story: the
    page is no republished copy, so the leads go and the story stays."""
    teasers = "\n\n".join(TEASERS)
    own = [STORIES[:2], STORIES[2:], [STORIES[1], STORIES[3]]]
    pages = [page(f"{teasers}\n\n" + "\n\n".join(story)) for story in own]
    model = SiteLineModel.from_counts([count_site_lines(("c.example", p) for p in pages)])
    text, removed = model.remove_repeats(pages[0], "c.example")
    assert text == "\n\n".join(STORIES[:2])
    assert {r.text for r in removed} == {*MENU.split("\n"), FOOTER, *TEASERS}


def test_never_empties_a_document_with_a_story() -> None:
    docs = [("c.example", STORIES[0])] * 3
    model = SiteLineModel.from_counts([count_site_lines(docs)])
    assert model.remove_repeats(STORIES[0], "c.example") == (STORIES[0], [])


def test_empty_model() -> None:
    model = SiteLineModel.from_counts([])
    assert model.n_lines == 0
    assert model.remove_repeats(page(STORIES[0]), "c.example")[1] == []


def _counts_file(folder: Path, name: str, docs: list[tuple[str, str]]) -> Path:
    path = folder / f"{name}.parquet"
    pq.write_table(count_site_lines(docs), path)
    return path


def _merge(tmp_path: Path, earlier: list[Path], counts: list[Path], run: int, **kw) -> Path:
    destination = tmp_path / f"state-{run}.parquet"
    merge_site_lines(
        earlier, counts, destination, run_number=run, spill_dir=tmp_path / "spill", **kw
    )
    return destination


def test_merged_state_sums_batches_and_earlier_runs(tmp_path: Path) -> None:
    first = _counts_file(tmp_path, "a", [("courier.example", page(s)) for s in STORIES[:2]])
    state = _merge(tmp_path, [], [first], 1)
    assert is_state_file(state) and not is_state_file(first)
    batches = [
        _counts_file(tmp_path, "b", [("courier.example", page(STORIES[2]))]),
        _counts_file(tmp_path, "c", [("other.example", page(STORIES[3]))]),
    ]
    state = _merge(tmp_path, [state], batches, 2)
    model = SiteLineModel.from_state(state, min_docs=3)
    text, removed = model.remove_repeats(page(STORIES[3]), "courier.example")
    assert text == STORIES[3]
    assert {r.text for r in removed} == {*MENU.split("\n"), FOOTER}
    assert model.remove_repeats(page(STORIES[3]), "other.example")[1] == []
    table = pq.read_table(state)
    assert table.schema.field("line_key").type == pa.uint64()
    assert max(table["n_docs"].to_pylist()) == 3


def test_older_per_run_counts_fold_into_the_first_merged_state(tmp_path: Path) -> None:
    legacy = [
        _counts_file(tmp_path, f"run{n}", [("courier.example", page(STORIES[n]))]) for n in range(2)
    ]
    batch = _counts_file(tmp_path, "new", [("courier.example", page(STORIES[2]))])
    model = SiteLineModel.from_state(_merge(tmp_path, legacy, [batch], 3), min_docs=3)
    assert model.n_lines == len(MENU.split("\n")) + 1


def test_lines_seen_once_leave_the_state_after_some_runs(tmp_path: Path) -> None:
    """Prose seen on one page stops costing space; chrome (seen on many) stays for good."""
    state = _merge(
        tmp_path, [], [_counts_file(tmp_path, "r1", [("c.example", page(STORIES[0]))])], 1
    )
    for run in range(2, 5):
        batch = _counts_file(tmp_path, f"r{run}", [("c.example", page(STORIES[run - 1]))])
        state = _merge(tmp_path, [state], [batch], run, keep_single_runs=2)
    kept = set(pq.read_table(state)["line_key"].to_pylist())
    assert line_keys(STORIES[0])[0] not in kept  # seen once, in run 1
    assert line_keys(STORIES[1])[0] not in kept  # seen once, in run 2
    assert line_keys(STORIES[2])[0] in kept  # seen once, in run 3: still young
    assert set(line_keys(page(""))) <= kept  # chrome, seen on every page


def test_model_from_no_state_is_empty() -> None:
    assert SiteLineModel.from_state(None).n_lines == 0


TITLES = [
    "Harbour Ledger - Ferry adds two evening crossings - Island life",
    "Harbour Ledger - Cannery night shift ends an hour earlier - Island life",
    "Harbour Ledger - Mill museum opens its weaving hall - Island life",
]


def test_title_parts_a_site_repeats_are_cut_from_its_titles() -> None:
    model = SiteLineModel.from_counts(
        [count_title_parts(("courier.example", t) for t in TITLES)], min_docs=3
    )
    new = "Harbour Ledger - Choir wins second prize: a first for the valley - Island life"
    assert (
        model.strip_title(new, "courier.example")
        == "Choir wins second prize: a first for the valley"
    )
    assert model.strip_title(new, "other.example") == new
    assert model.strip_title("Harbour Ledger - Island life", "courier.example") == "Harbour Ledger"
    assert model.strip_title(None, "courier.example") is None


def test_title_parts_on_fewer_documents_stay_and_never_touch_lines() -> None:
    table = count_title_parts(("courier.example", t) for t in TITLES[:2])
    model = SiteLineModel.from_counts([table], min_docs=3)
    assert model.strip_title(TITLES[2], "courier.example") == TITLES[2]
    lines = SiteLineModel.from_counts(
        [count_title_parts(("courier.example", t) for t in TITLES)], min_docs=3
    )
    text, removed = lines.remove_repeats("Harbour Ledger\n\n" + STORIES[0], "courier.example")
    assert removed == [] and text.startswith("Harbour Ledger")


def test_pipeline_learns_a_site_title_affix_no_page_names(tmp_path: Path) -> None:
    body = "".join(f"<p>{s} {s}</p>" for s in STORIES)
    raw = tmp_path / "raw" / "courier.example"
    raw.mkdir(parents=True)
    headlines = [t.split(" - ")[1] for t in TITLES] + ["Choir wins second prize at the festival"]
    for i, headline in enumerate(headlines):
        page_html = (
            f"<html><head><title>Harbour Ledger - {headline} - Island life</title></head>"
            f"<body><article>{body}<p>Story number {i} of the week.</p></article></body></html>"
        )
        (raw / f"story-{i}.html").write_text(page_html, encoding="utf-8")
    options = Options(
        raw_dir=tmp_path / "raw",
        out_dir=tmp_path / "out",
        write_report=False,
        near_duplicates=False,
    )
    run_pipeline(options)
    titles = pq.read_table(tmp_path / "out" / "articles", columns=["title"])["title"].to_pylist()
    assert sorted(titles) == sorted(headlines)
