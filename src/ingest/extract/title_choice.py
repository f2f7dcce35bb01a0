"""The article's title, chosen per page among what the page states by a small learned ranker.

No fixed order of sources is right across sites: where the visible headline and og:title
differ, the labelled pages side with the h1 about as often as with og:title, and which one
depends on the page. So each distinct wording the page gives is a candidate: its h1s, the
JSON-LD headline, og:title, twitter:title, `<title>` and trafilatura's title, each without
site affixes, the longest part of each that still has separators in it, and its first h2.
Each is described by signals that carry across sites: how many sources state it, which
sources, how much it shares with the others, which titles hold it whole, its length,
whether it still names the site, whether an h1 stands just above the story, and whether
`choose_title`'s vote picks it. A boosted tree ensemble ranks the candidates
(`benchmarks/train_titles.py` fits it on every labelled title, grouped by site, and writes
`title_model.json`: trees, feature names and cross-validated scores, never a page's text).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from ingest.extract.title import (
    MIN_NAME_CHARS,
    PageTitles,
    choose_title,
    site_keys,
    squash,
    strip_site_affixes,
    title_key,
)
from ingest.text import title_segments, tokens
from ingest.trees import Model

MODEL_FILE = "title_model.json"
#: The sources a candidate can come from, in the order a tie between wordings keeps.
SOURCES = (
    "h1",
    "h1_later",
    "json_ld",
    "og",
    "twitter",
    "title_tag",
    "trafilatura",
    "h2",
    "segment",
)
FEATURES = (
    "rule",
    "n_exact",
    *(f"from_{source}" for source in SOURCES),
    "contained",
    "contains",
    "overlap_mean",
    "overlap_max",
    "log_words",
    "separator",
    "names_site",
    "h1_near_story",
    "n_h1",
    "n_candidates",
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One wording of the title and every source that states it."""

    text: str
    sources: frozenset[str]
    near_story: bool  # the candidate is an h1 that stands just above the story


def pick_title(
    title: str | None, titles: PageTitles, *, site_name: str | None, host: str | None
) -> str | None:
    """The candidate the ranker scores highest; `choose_title`'s vote where there is no
    choice to make. `title` is trafilatura's, the fallback of pages stating no other."""
    rule = choose_title(
        title, list(titles.headlines), titles.metadata, site_name=site_name, host=host
    )
    found = candidates(title, titles, site_name=site_name, host=host)
    if len(found) < 2:
        return rule if rule is not None or not found else found[0].text
    rows = features(found, titles, site_name=site_name, host=host, rule=rule)
    scores = load_ranker().probabilities(rows)
    return found[int(np.argmax(scores))].text


def candidates(
    title: str | None, titles: PageTitles, *, site_name: str | None, host: str | None
) -> list[Candidate]:
    """The page's distinct title wordings (equal once case and spaces are folded), in the
    order of `SOURCES`; the first source's spelling is kept."""
    stated: list[tuple[str, str, bool]] = [
        ("h1" if i == 0 else "h1_later", text, near)
        for i, (text, near) in enumerate(zip(titles.headlines, titles.near_story, strict=True))
    ]
    metadata = zip(
        ("json_ld", "og", "twitter", "title_tag", "trafilatura"),
        (titles.json_ld, titles.og_title, titles.twitter_title, titles.title_tag, title),
        strict=True,
    )
    for source, text in metadata:
        if text and text.strip():
            bare = strip_site_affixes(" ".join(text.split()), site_name=site_name, host=host)
            stated.append((source, bare, False))
            parts = _parts(bare)
            if len(parts) > 1:  # a name or section no site name told apart is still on it
                stated.append(("segment", max(parts, key=lambda p: len(p.split())), False))
    if titles.subheading:
        stated.append(("h2", titles.subheading, False))
    merged: dict[str, tuple[str, set[str], bool]] = {}
    for source, text, near in stated:
        key = title_key(text)
        if key:
            first, sources, was_near = merged.setdefault(key, (text, set(), False))
            sources.add(source)
            merged[key] = (first, sources, was_near or near)
    return [Candidate(text, frozenset(s), near) for text, s, near in merged.values()]


def _parts(title: str) -> list[str]:
    """The parts of a title between its separators, a colon joining rather than separating."""
    spans: list[list[int]] = []
    for start, end in title_segments(title):
        if spans and ":" in title[spans[-1][1] : start]:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [title[a:b].strip() for a, b in spans]


def features(
    found: list[Candidate],
    titles: PageTitles,
    *,
    site_name: str | None,
    host: str | None,
    rule: str | None,
) -> np.ndarray:
    """One row of `FEATURES` per candidate."""
    keys = [title_key(c.text) for c in found]
    words = [set(tokens(k)) for k in keys]
    stated = [title_key(t) for t in (*titles.metadata, titles.twitter_title) if t]
    names = site_keys(site_name, host)
    rule_key = title_key(rule or "")
    rows = []
    for index, candidate in enumerate(found):
        key, own = keys[index], words[index]
        overlaps = [_overlap(own, w) for j, w in enumerate(words) if j != index] or [0.0]
        squashed = squash(candidate.text)
        rows.append(
            [
                float(key == rule_key),
                float(len(candidate.sources)),
                *(float(s in candidate.sources) for s in SOURCES),
                float(sum(1 for s in stated if s != key and key in s)),
                float(sum(1 for k in keys if k != key and k in key)),
                sum(overlaps) / len(overlaps),
                max(overlaps),
                math.log1p(len(own)),
                float(len(title_segments(candidate.text)) > 1),
                float(any(len(n) >= MIN_NAME_CHARS and n in squashed for n in names)),
                float(candidate.near_story),
                float(len(titles.headlines)),
                float(len(found)),
            ]
        )
    return np.asarray(rows, dtype=np.float64)


def _overlap(a: set[str], b: set[str]) -> float:
    """Shared words over all words of the two (Jaccard)."""
    return len(a & b) / len(a | b) if a | b else 0.0


@cache
def load_ranker() -> Model:
    """The shipped ranker as a tree ensemble the block scorer's evaluator runs; its file
    must name exactly `FEATURES`."""
    text = resources.files("ingest.extract").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return Model.from_dict(json.loads(text), FEATURES)
