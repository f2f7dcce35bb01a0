"""The learned chooser of a dump's headline: its candidates and features on fictional dumps,
its choices where the rule's steps go wrong, its model file, and the same choice in a fresh
process. The rule's own cases (bylines, breadcrumbs, standfirsts, stamps) are in
test_titles.py and still hold with the ranker in place."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest
from freshprocess import outputs_of_fresh_runs

from ingest.boilerplate import clean_document
from ingest.boilerplate.cleaner import _one_pass
from ingest.boilerplate.dump_title import FEATURES, load_ranker
from ingest.boilerplate.headline import (
    FURTHER_CANDIDATES,
    HEADLINE_WINDOW,
    HeadlineChoice,
    headline_choice,
)
from ingest.boilerplate.phrases import phrase_book
from ingest.boilerplate.rules import Layout
from ingest.stages import site_title

HEADLINE = "Port Alden votes for a later island ferry"
STORY = [
    "The harbour board of Port Alden voted on Tuesday to add two evening crossings of the "
    "island ferry, after years of requests from the crews of the cannery night shift.",
    "The later ferry will leave the quay at half past ten from June, said board chair Ilse "
    "Marrow, and the fare will stay at four crowns for islanders.",
    "Captain Mara Lindqvist said the crew welcomed the vote, since the last crossing had left "
    "before the night shift at the cannery ended.",
]
MENU = ["Home", "News", "Sport", "Weather", "Islands", "Contact us", "Privacy policy"]
TEASERS = [
    "Island ferry fares to stay at four crowns for islanders",
    "Cannery night shift crews wait for the later ferry",
]


def _choice(lines: list[str]) -> tuple[Layout, HeadlineChoice | None]:
    body = _one_pass(lines, None, from_html=False, book=phrase_book(), removed=[])
    return body, headline_choice(body)


def test_features_describe_each_candidate_line():
    lines = [*MENU, f"{HEADLINE} | Port Alden Post", HEADLINE, "By Jon Halvorsen", *STORY]
    layout, choice = _choice(lines)
    assert choice is not None
    assert choice.rows.shape == (len(choice.candidates), len(FEATURES))
    texts = [layout.paragraphs[i].text for i in choice.candidates]
    assert HEADLINE in texts
    column = dict(zip(FEATURES, choice.rows[texts.index(HEADLINE)], strict=True))
    assert column["inside_longer_lines"] == 1.0  # the title bar holds it
    assert column["story_below"] == 0.0  # the byline stands between
    assert column["shared"] >= 4
    assert sum(choice.rows[:, FEATURES.index("rule")]) == 1.0


def test_headline_the_title_bar_states_wins_over_teasers_sharing_more_words():
    """A teaser sharing more of the story's words stands closer to it than the headline;
    the page's title bar names the headline. Either the headline or the title bar is taken,
    whose site name stage 2 cuts, as it does for every title."""
    lines = [
        f"{HEADLINE} | Port Alden Post",
        *MENU,
        HEADLINE,
        "By Jon Halvorsen",
        "12 March 2026",
        *TEASERS,
        *STORY,
        "© 2026 Port Alden Post",
    ]
    result = clean_document("\n".join(lines), from_html=False)
    assert site_title(result.title, "portaldenpost.example", None) == HEADLINE
    assert result.text.split("\n\n") == STORY


@pytest.mark.parametrize("lines", [[*MENU, HEADLINE, "By Jon Halvorsen", *STORY], [*MENU, *STORY]])
def test_the_rule_decides_where_there_is_no_choice(lines):
    """One candidate or none: the ranker is not asked."""
    result = clean_document("\n".join(lines), from_html=False)
    assert result.title == (HEADLINE if HEADLINE in lines else None)


def test_model_file_holds_trees_and_numbers_only():
    text = (
        resources.files("ingest.boilerplate").joinpath("dump_title_model.json").read_text("utf-8")
    )
    data = json.loads(text)
    assert data["features"] == list(FEATURES)
    for values in data["trees"].values():
        assert all(isinstance(x, int | float) for row in values for x in row)
    assert load_ranker().feature.shape[0] == data["trained_on"]["rounds"]
    strings = {s for s in json.dumps(data["cv_exact_titles"]).split('"') if s.isalpha()}
    assert strings <= {"dumps", "rule", "ranker", "reachable"} | {"all"}


def test_ranker_scores_are_finite_and_differ_between_candidates():
    lines = [f"{HEADLINE} | Port Alden Post", *MENU, HEADLINE, "By Jon Halvorsen", *TEASERS]
    _, choice = _choice([*lines, *STORY])
    scores = load_ranker().probabilities(choice.rows)
    assert np.isfinite(scores).all()
    assert len(set(np.round(scores, 9))) > 1


SCRIPT = """
import sys
from ingest.boilerplate import clean_document
from ingest.boilerplate.cleaner import _one_pass
print(repr(clean_document(sys.stdin.read(), from_html=False).title))
"""


def test_same_title_in_a_fresh_process():
    dump = "\n".join(
        [f"{HEADLINE} | Port Alden Post", *MENU, HEADLINE, "Jon Halvorsen", *TEASERS, *STORY]
    )
    first, second = outputs_of_fresh_runs(SCRIPT, dump)
    assert first == second
    assert first.strip() == repr(clean_document(dump, from_html=False).title)


def test_thousands_of_lines_sharing_the_storys_words_are_not_all_candidates():
    """A dump with a long teaser list above its story: the ranker reads each candidate
    against the whole dump, so the candidates further up are bounded, the rule's pick
    among them."""
    teasers = [f"Island ferry crossings for Port Alden, part {i}" for i in range(3000)]
    lines = [*teasers, *MENU, HEADLINE, "By Jon Halvorsen", *STORY]
    layout, choice = _choice(lines)
    further = [i for i in choice.candidates if choice.start - i >= HEADLINE_WINDOW]
    assert 0 < len(further) <= FURTHER_CANDIDATES
    assert choice.rule in choice.candidates
    assert clean_document("\n".join(lines), from_html=False).text.split("\n\n") == STORY
