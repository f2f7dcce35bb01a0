"""The learned block scorer: blocks and features of pages written for these tests, the model
file as the installed package ships it, and the same decisions in a fresh process.

Every page is fictional: a headline, a story of a few paragraphs, and chrome around it
(a menu, a share bar, a related-stories list, a footer).
"""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
from fakenews import MARKET_STORY
from freshprocess import outputs_of_fresh_runs
from hypothesis import given
from hypothesis import strategies as st

from ingest.extract.blocks import FEATURES, features, line_blocks, normalized, segment
from ingest.extract.scorer import MODEL_FILE, Model, decide, load_model, match
from ingest.extract.tree import load_page

STORY = list(MARKET_STORY[:3])

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Fish market to become a hall</title>
<script>var tracking = "not text";</script><style>p {{ color: red }}</style></head>
<body>
<nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/local">Local</a></li></ul></nav>
<main><article class="story">
<h1>Kellmouth fish market to become a covered hall</h1>
<div class="share-bar"><a href="#">Share</a> <a href="#">Post</a></div>
<div class="article-body">
<p>{STORY[0]}</p>
<p>{STORY[1]}</p>
<p>{STORY[2].replace("welcomed", "<b>welcomed</b>")}</p>
</div>
<section class="related"><h2>Related stories</h2>
<ul><li><a href="/a">Ferry timetable changes for winter</a></li>
<li><a href="/b">New lifeboat named after retired skipper</a></li></ul></section>
</article></main>
<footer id="footer"><p>Copyright 2031 The Kellmouth Courier</p></footer>
</body></html>"""


def blocks_of(html: str):
    tree = load_page(html)
    assert tree is not None
    return segment(tree)


def test_segment_finds_each_visible_block_once_in_page_order() -> None:
    texts = [b.text for b in blocks_of(PAGE)]
    assert texts == [
        "Home",
        "Local",
        "Kellmouth fish market to become a covered hall",
        "Share Post",
        *STORY,
        "Related stories",
        "Ferry timetable changes for winter",
        "New lifeboat named after retired skipper",
        "Copyright 2031 The Kellmouth Courier",
    ]


def test_segment_records_links_landmarks_and_class_words() -> None:
    by_text = {b.text: b for b in blocks_of(PAGE)}
    story = by_text[STORY[0]]
    assert story.place.tag == "p" and story.link_chars == 0
    assert {"article", "main"} <= story.place.landmarks
    assert story.place.story_names >= 1 and story.place.chrome_names == 0
    teaser = by_text["Ferry timetable changes for winter"]
    assert teaser.place.tag == "li" and teaser.link_chars == len(teaser.text)
    assert "ul" in teaser.place.landmarks and teaser.place.chrome_names >= 1  # class="related"
    assert by_text["Home"].place.chrome_names >= 1  # class="main-nav"
    assert by_text["Copyright 2031 The Kellmouth Courier"].place.chrome_names >= 1  # id="footer"


def test_segment_skips_script_style_and_keeps_inline_tails() -> None:
    texts = [b.text for b in blocks_of(PAGE)]
    assert not any("tracking" in t or "color" in t for t in texts)
    assert STORY[2] in texts  # the text after <b> stays in its paragraph


def test_features_say_what_the_extractor_and_the_pipeline_kept() -> None:
    blocks = blocks_of(PAGE)
    extracted = "\n".join([*STORY, "Related stories"])
    rows = features(blocks, extracted, "\n\n".join(STORY[:2]))
    assert rows.shape == (len(blocks), len(FEATURES))
    column = {name: rows[:, i] for i, name in enumerate(FEATURES)}
    index = {b.text: i for i, b in enumerate(blocks)}
    story, last, related = index[STORY[0]], index[STORY[2]], index["Related stories"]
    assert column["in_trafilatura"][story] == 1 and column["in_pipeline"][story] == 1
    assert column["in_trafilatura"][related] == 1 and column["in_pipeline"][related] == 0
    assert column["in_pipeline"][last] == 0 and column["prev_in_pipeline"][last] == 1
    assert column["link_share"][index["Home"]] == 1 and column["link_share"][story] == 0
    assert column["ends_sentence"][story] == 1 and column["ends_sentence"][related] == 0
    assert column["tag_p"][story] == 1 and column["tag_heading"][related] == 1
    assert column["in_nav"][index["Home"]] == 1 and column["in_footer"][story] == 0
    assert column["digit_share"][index["Copyright 2031 The Kellmouth Courier"]] > 0
    assert np.all(np.isfinite(rows))
    assert column["position"].min() >= 0 and column["position"].max() == 1


def test_a_text_dump_is_cut_into_its_lines() -> None:
    dump = "Home\nLocal\n\n  " + "\n".join(STORY) + "\nShare  this\n"
    blocks = line_blocks(dump)
    assert [b.text for b in blocks] == ["Home", "Local", *STORY, "Share this"]
    assert all(b.place.tag == "line" and b.depth == 0 and not b.place.landmarks for b in blocks)
    rows = features(blocks, dump, "\n\n".join(STORY))
    column = {name: rows[:, i] for i, name in enumerate(FEATURES)}
    assert list(column["in_pipeline"]) == [0, 0, 1, 1, 1, 0]
    assert list(column["tag_other"]) == [1] * 6


def test_features_of_an_empty_page() -> None:
    assert features([], "", "").shape == (0, len(FEATURES))


def test_model_loads_from_the_installed_package_fast() -> None:
    load_model.cache_clear()
    started = time.perf_counter()
    model = load_model()
    assert time.perf_counter() - started < 0.5
    assert model.meta["features"] == list(FEATURES)
    trained = model.meta["trained_on"]
    assert trained["pages"] > 1000 and "daniel" in trained["corpora"]
    assert model.meta["cross_validation"]["grouped_by"] == "site"
    assert 0 < model.drop_below < 1 and model.drop_below <= model.add_from
    assert "pipeline, scorers on" in model.meta["cross_validation"]["scores"]["overall HTML"]


def test_model_file_holds_numbers_and_names_only() -> None:
    from importlib import resources

    data = json.loads(resources.files("ingest.extract").joinpath(MODEL_FILE).read_text("utf-8"))
    strings: list[str] = []

    def collect(value) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            strings.extend(value)
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(data)
    assert max(len(s) for s in strings) < 40  # names and settings, never a sentence of a page


def test_model_scores_story_above_chrome_on_our_page() -> None:
    blocks = blocks_of(PAGE)
    extracted = "\n".join(STORY)
    scores = load_model().probabilities(features(blocks, extracted, "\n\n".join(STORY)))
    by_text = {b.text: s for b, s in zip(blocks, scores, strict=True)}
    assert min(by_text[p] for p in STORY) > max(by_text["Home"], by_text["Share Post"])


def test_a_model_for_other_features_is_refused() -> None:
    data = {"features": ["log_chars"], "trees": {}, "depth": 1}
    with pytest.raises(ValueError, match="other features"):
        Model.from_dict(data, FEATURES)


def test_decide_drops_low_paragraphs_and_adds_high_blocks_in_page_order() -> None:
    blocks = [normalized(t) for t in ["Menu", STORY[0], STORY[1], STORY[2], "Related stories"]]
    body = "\n\n".join(["Menu", STORY[0], STORY[2], "Related stories"])
    scores = np.array([0.1, 0.9, 0.8, 0.9, 0.2])
    assert decide(match(body, blocks), scores, 0.5, 0.7) == "\n\n".join(STORY)


def test_decide_keeps_a_paragraph_the_blocks_do_not_explain() -> None:
    lead = "A lead the extractor put back, reworded by nothing on the page."
    body = f"{lead}\n\n{STORY[0]}"
    blocks = [normalized(STORY[0])]
    assert decide(match(body, blocks), np.array([0.9]), 0.5, 0.5) == body


@given(st.lists(st.text(min_size=1, max_size=30), max_size=6), st.floats(0, 1))
def test_decide_keeps_every_paragraph_in_order_when_all_blocks_score_high(texts, cutoff) -> None:
    paragraphs = [" ".join(t.split()) for t in texts if t.strip()]
    blocks = [normalized(t) for t in texts if normalized(t)]
    out = decide(match("\n\n".join(paragraphs), blocks), np.ones(len(blocks)), cutoff, cutoff)
    rest = iter(out.split("\n\n"))
    assert all(any(p == q for q in rest) for p in paragraphs)  # a subsequence of the output


def test_same_page_same_blocks_kept_in_a_fresh_process() -> None:
    script = (
        "import sys, json\n"
        "from ingest.extract.blocks import features, segment\n"
        "from ingest.extract.scorer import load_model\n"
        "from ingest.extract.tree import load_page\n"
        "html = sys.stdin.read()\n"
        "blocks = segment(load_page(html))\n"
        "text = '\\n'.join(b.text for b in blocks)\n"
        "scores = load_model().probabilities(features(blocks, text, text))\n"
        "print(json.dumps([[b.text, float(s)] for b, s in zip(blocks, scores)]))\n"
    )
    runs = outputs_of_fresh_runs(script, PAGE)
    assert runs[0] == runs[1] and json.loads(runs[0])
