"""The learned line scorer wired into the cleaning of plain-text dumps.

The dump is fictional: a site's menu, a headline, a story, a reporter's bio line the text
rules keep (it reads like a sentence of the story), then related links and a footer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from fakenews import MARKET_STORY
from freshprocess import outputs_of_fresh_runs

from ingest.boilerplate import clean_document, normalize_whitespace
from ingest.documents import Removal
from ingest.extract.line_scorer import score_dump, scored_cut, still_cut
from ingest.extract.scorer import Matching, within_reach
from ingest.options import Options
from ingest.pipeline import run_pipeline

STORY = list(MARKET_STORY)
BIO = "Tom Arden is the Courier's local reporter."
DUMP = "\n".join(
    [
        "Kellmouth Courier",
        "Home",
        "Local",
        "Sport",
        "Kellmouth fish market to become a covered hall",
        *STORY,
        BIO,
        "More from Local",
        "Ferry timetable changes for winter",
        "Copyright 2031 The Kellmouth Courier",
    ]
)


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_the_scorer_cuts_a_bio_line_the_rules_keep() -> None:
    dump = normalize_whitespace(DUMP)
    rules = clean_document(dump, from_html=False)
    assert paragraphs(rules.text) == [*STORY, BIO]
    scored = score_dump(dump, rules)
    assert paragraphs(scored.text) == STORY
    assert scored.title == rules.title == "Kellmouth fish market to become a covered hall"
    assert Removal("page_chrome", BIO, "line_scorer") in scored.removed


def test_a_cut_the_scorer_undid_is_no_longer_recorded() -> None:
    removed = [Removal("page_chrome", "Home"), Removal("byline", STORY[0])]
    assert still_cut(removed, "\n\n".join(STORY)) == [Removal("page_chrome", "Home")]


def test_only_blocks_the_story_reaches_come_back() -> None:
    # blocks: menu, story, (hole), story, related heading, teaser, teaser
    blocks = ("Menu", "a", "b", "c", "Related", "t1", "t2")
    matching = Matching(("a", "c"), ((1,), (3,)), (0, 2, 4, 5, 6), blocks)
    scores = np.array([0.9, 0.9, 0.8, 0.9, 0.2, 0.9, 0.9])
    reach = within_reach(matching, scores, 0.5, 0.5)
    assert reach.missing == (0, 2)  # the hole and the high block right above; not the teasers


def test_dumps_in_a_run_are_scored_unless_switched_off(tmp_path: Path) -> None:
    raw = tmp_path / "raw" / "kellmouth-courier"
    raw.mkdir(parents=True)
    (raw / "market.txt").write_text(DUMP, encoding="utf-8")
    texts = {}
    for scorer in (True, False):
        out = tmp_path / f"out-{scorer}"
        run_pipeline(
            Options(raw_dir=tmp_path / "raw", out_dir=out, write_report=False, line_scorer=scorer)
        )
        (row,) = pq.read_table(out / "articles", columns=["text", "removed"]).to_pylist()
        texts[scorer] = row["text"]
        cut = {r["text"] for r in row["removed"]}
        assert (BIO in cut) is scorer
    assert paragraphs(texts[True]) == STORY
    assert paragraphs(texts[False]) == [*STORY, BIO]


def test_same_dump_same_lines_kept_in_a_fresh_process() -> None:
    script = (
        "import sys\n"
        "from ingest.boilerplate import clean_document, normalize_whitespace\n"
        "from ingest.extract.line_scorer import score_dump\n"
        "dump = normalize_whitespace(sys.stdin.read())\n"
        "print(score_dump(dump, clean_document(dump, from_html=False)).text)\n"
    )
    runs = outputs_of_fresh_runs(script, DUMP)
    assert runs[0] == runs[1] and paragraphs(runs[0].strip()) == STORY


@pytest.mark.parametrize(
    ("line", "kind", "rule"),
    [
        ("March 5, 2026", "date_stamp", "line_scorer:date_line"),
        ("By Jane Marlow", "byline", "line_scorer:byline.prefix"),
        ("The ferry runs twice a day in winter.", "page_chrome", "line_scorer"),
    ],
)
def test_a_line_the_scorer_drops_is_recorded_as_what_it_is(line, kind, rule):
    """As the cleaner records its cuts: a dump's date and byline are read from these."""
    assert scored_cut(line) == Removal(kind, line, rule)
