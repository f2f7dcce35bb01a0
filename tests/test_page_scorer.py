"""The learned block scorer wired into HTML extraction: blocks from the tree extraction
parsed, features from what extraction kept, cuts recorded with their rule id, the switch
(off by default), and the same cuts in a fresh process.

The page is fictional: a story of a few paragraphs inside an article, with chrome that
trafilatura keeps around it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from freshprocess import outputs_of_fresh_runs
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ingest.cli import app
from ingest.extract import extract_html
from ingest.extract.blocks import FEATURES, Block, Place, features, places, segment
from ingest.extract.page_scorer import RULE, body_blocks, cut_chrome
from ingest.extract.tree import load_page
from ingest.options import Options

STORY = [
    "The council of Brackenford agreed on Monday to reopen the town's lido next summer, "
    "after a survey found that the old pool's walls could be repaired rather than rebuilt.",
    "Repairs start in January and are expected to cost about 1.3 million pounds, most of it "
    "from a heritage grant the town won last year after a campaign by local swimmers.",
    "\u201cPeople have been asking every spring whether this is the year,\u201d said the "
    "council's leader, Nell Ashworth. \u201cNow we can tell them it is.\u201d",
    "The lido, opened in 1934, closed six years ago when a crack in its north wall let water "
    "seep into the changing rooms. A trust of volunteers will run its caf\u00e9.",
]
TITLE = "Brackenford lido to reopen next summer"
#: The site's imprint in a table under the story: trafilatura keeps its cells as a table.
CHROME = (
    "<table><tr><td>Copyright 2031 The Brackenford Gazette. All Rights Reserved.</td></tr>"
    "<tr><td>Brackenford Gazette, 4 Mill Lane, Brackenford | (555) 829-7101</td></tr></table>"
)
CHROME_TEXT = "| Brackenford Gazette, 4 Mill Lane, Brackenford \\| (555) 829-7101 |"

PARAGRAPH = Place("p", frozenset(), 0, 0)


def page(chrome: str = "") -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in STORY)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{TITLE}</title></head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/town">Town</a></li></ul></nav></header>
<main><article>
<h1>{TITLE}</h1>
<div class="content">
{paragraphs}
{chrome}
</div>
</article></main>
<footer><p>Brackenford Gazette, 4 Mill Lane, Brackenford</p></footer>
</body></html>"""


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p]


def test_a_short_block_counts_as_kept_only_as_a_line_of_its_own() -> None:
    blocks = [
        Block(text, 3, 0, given=PARAGRAPH) for text in ["Share", "Brackenford", STORY[0], STORY[1]]
    ]
    body = "\n".join([f"Share this: {STORY[0]}", "Brackenford", STORY[1]])
    rows = features(blocks, body, body)
    kept = rows[:, FEATURES.index("in_pipeline")]
    assert list(kept) == [0, 1, 1, 1]  # "Share" only inside a story line does not count


def test_features_of_chosen_blocks_are_the_rows_of_all_blocks() -> None:
    tree = load_page(page())
    assert tree is not None
    blocks = segment(tree)
    body = "\n\n".join(STORY[:3])
    everything = features(blocks, "\n".join(STORY), body)
    chosen = [0, 3, len(blocks) - 1]
    assert np.array_equal(features(blocks, "\n".join(STORY), body, chosen), everything[chosen])
    assert features(blocks, "", "", []).shape == (0, len(FEATURES))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([*STORY, "Home", "Share", "Read more"]), max_size=8))
def test_the_headline_is_never_a_body_block(texts: list[str]) -> None:
    blocks = [Block(t, 1, 0, given=PARAGRAPH) for t in [TITLE, *texts]]
    kept, matched = body_blocks(blocks, [TITLE, None])
    assert [b.text for b in kept] == texts and matched == texts


def test_a_body_the_blocks_do_not_explain_stays_whole() -> None:
    blocks = [Block(t, 1, 0, given=PARAGRAPH) for t in ["Home", "Town"]]
    body = "\n\n".join(STORY)
    assert cut_chrome(body, blocks, body, []) == (body, [])
    assert cut_chrome("", blocks, "", []) == ("", [])


def test_extraction_without_the_scorer_segments_nothing_and_cuts_nothing() -> None:
    extraction = extract_html(page(), block_scorer=False)
    assert paragraphs(extraction.text) == STORY
    assert not any(r.rule == RULE for r in extraction.removed)


def test_same_page_same_cuts_in_a_fresh_process() -> None:
    script = (
        "import sys, json\n"
        "from ingest.startup import prepare_process\n"
        "from ingest.extract import extract_html\n"
        "prepare_process()\n"
        "e = extract_html(sys.stdin.read(), block_scorer=True)\n"
        "print(json.dumps([e.text, [[r.kind, r.text, r.rule] for r in e.removed]]))\n"
    )
    runs = outputs_of_fresh_runs(script, page(CHROME))
    assert runs[0] == runs[1]
    text, removed = json.loads(runs[0])
    assert paragraphs(text)[: len(STORY)] == STORY and CHROME_TEXT not in text
    assert ["page_chrome", CHROME_TEXT, RULE] in removed


def test_a_run_cuts_chrome_by_the_scorer_with_its_rule_when_switched_on(
    tmp_path: Path,
) -> None:
    raw = tmp_path / "raw" / "brackenford-gazette.example"
    raw.mkdir(parents=True)
    (raw / "lido.html").write_text(page(CHROME), encoding="utf-8")
    for flag, scorer in (("--block-scorer", True), ("--no-block-scorer", False)):
        out = tmp_path / f"out-{scorer}"
        args = ["run", str(tmp_path / "raw"), "--out", str(out), "--no-report", flag]
        assert CliRunner().invoke(app, args).exit_code == 0
        (row,) = pq.read_table(out / "articles", columns=["text", "removed"]).to_pylist()
        cuts = {(r["kind"], r["text"], r["rule"]) for r in row["removed"]}
        assert (("page_chrome", CHROME_TEXT, RULE) in cuts) is scorer
        assert paragraphs(row["text"])[: len(STORY)] == STORY
        assert (CHROME_TEXT in row["text"]) is not scorer


def test_the_scorer_is_off_unless_asked_for() -> None:
    assert Options().block_scorer is False


def test_places_read_at_the_cut_are_those_of_the_tree_as_segmented(monkeypatch) -> None:
    """A block's place is read from its holder when the cut scores it, after trafilatura and
    the page steps: they must have left the tree's elements where segmentation found them."""
    from ingest.extract import page as extract_page

    seen: dict[str, list] = {}
    segment_now, cut_now = extract_page.segment, extract_page.cut_chrome

    def segment_and_place(tree):
        blocks = segment_now(tree)
        seen["segmented"] = places(blocks)
        return blocks

    def cut_and_place(body, blocks, extracted, headlines):
        seen["cut"] = places(blocks)
        return cut_now(body, blocks, extracted, headlines)

    monkeypatch.setattr(extract_page, "segment", segment_and_place)
    monkeypatch.setattr(extract_page, "cut_chrome", cut_and_place)
    extraction = extract_html(page(CHROME), block_scorer=True)
    assert CHROME_TEXT not in extraction.text
    assert seen["cut"] == seen["segmented"]
    assert any({"article", "main"} <= p.landmarks for p in seen["cut"])
