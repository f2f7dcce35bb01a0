"""A dump's headline, chosen among the lines above its story by a small learned ranker.

`headline_before_story`'s rule takes, in turn, a line stated twice above the story, the line
sharing most words with the story's opening, the same further up, and the longest line close
above the story. Each step is right on some sites and wrong on others: a teaser or a
subheading shares more words than the headline, a menu entry stands closer. So every line the
rule looked at is a candidate, described by what the rule weighed (shared words and their
share, distance, length, how often the dump states it) and by what it did not (whether a
longer line holds it, as a title bar holds the headline with the site's name; whether the
line right below is the story or another candidate; where in the dump it stands; its
punctuation), and a boosted tree ensemble ranks them (`benchmarks/train_dump_titles.py` fits
it on every labelled dump, grouped by site, and writes `dump_title_model.json`: trees,
feature names and cross-validated scores, never a line of text).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from functools import cache
from importlib import resources

import numpy as np

from ingest.boilerplate.lines import Paragraph
from ingest.text import title_segments
from ingest.trees import Model

MODEL_FILE = "dump_title_model.json"
FEATURES = (
    "rule",
    "shared",
    "shared_share",
    "most_shared",
    "distance",
    "nearest",
    "log_words",
    "stated_in_window",
    "stated_in_dump",
    "inside_longer_lines",
    "holds_candidates",
    "in_window",
    "outside_story_block",
    "story_below",
    "candidate_below",
    "candidate_above",
    "first_line",
    "position",
    "question_or_exclamation",
    "separator",
    "colon",
    "digit_share",
    "upper_share",
    "n_candidates",
)


def features(
    paragraphs: list[Paragraph],
    start: int,
    candidates: list[int],
    scores: dict[int, tuple[int, float]],
    *,
    rule: int | None,
    window: int,
    outside: list[bool],
) -> np.ndarray:
    """One row of `FEATURES` per candidate line (indices into `paragraphs`, nearest first);
    `scores` are the rule's shared words and their share, `outside` whether each candidate
    was cut as outside the dump's story block."""
    texts = [p.text for p in paragraphs]
    dump = "\n".join(texts)
    in_dump = Counter(texts)
    above = Counter(texts[max(start - window, 0) : start])
    candidate_texts = [texts[i] for i in candidates]
    top = max((scores[i] for i in candidates), default=(0, 0.0))
    chosen = set(candidates)
    rows = []
    for rank, index in enumerate(candidates):
        paragraph = paragraphs[index]
        text = paragraph.text
        letters = [c for c in text if c.isalpha()]
        shared, share = scores[index]
        rows.append(
            [
                float(index == rule),
                float(shared),
                share,
                float((shared, share) == top and shared > 0),
                float(start - index),
                float(rank),
                math.log1p(paragraph.words),
                float(above[text]),
                float(in_dump[text]),
                float(dump.count(text) - in_dump[text]),
                float(sum(1 for other in candidate_texts if other != text and other in text)),
                float(start - index < window),
                float(outside[rank]),
                float(index + 1 == start),
                float(index + 1 in chosen),
                float(index - 1 in chosen),
                float(index == 0),
                index / max(len(paragraphs), 1),
                float(text.rstrip().endswith(("?", "!", "？", "！"))),
                float(len(title_segments(text)) > 1),
                float(":" in text or "：" in text),
                sum(c.isdigit() for c in text) / max(len(text), 1),
                sum(c.isupper() for c in letters) / max(len(letters), 1),
                float(len(candidates)),
            ]
        )
    return np.asarray(rows, dtype=np.float64)


def best(rows: np.ndarray) -> int:
    """The position of the candidate the ranker scores highest."""
    return int(np.argmax(load_ranker().probabilities(rows)))


@cache
def load_ranker() -> Model:
    """The shipped ranker; its file must name exactly `FEATURES`."""
    text = resources.files("ingest.boilerplate").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return Model.from_dict(json.loads(text), FEATURES)
