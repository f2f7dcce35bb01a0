"""The shape rules of `boilerplate.lines` are one ordered table of named rules, so a
benchmark can count each rule's hits by id."""

import pytest

from ingest.boilerplate.kinds import RemovalKind
from ingest.boilerplate.lines import SHAPE_RULES, analyse, line_shape_rule
from ingest.boilerplate.phrases import phrase_book


def _rule_id(text: str) -> str | None:
    rule = line_shape_rule(text, phrase_book())
    return None if rule is None else rule.id


def test_rule_ids_are_unique():
    ids = [rule.id for rule in SHAPE_RULES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("www.harbourgazette.example", "bare_domain"),
        ("https://harbourgazette.example/news/ferry-timetable", "url_line"),
        ("<div class='share'>", "markup"),
        ("Mastered the ferry timetable at last, the council said on Tuesday.", None),
    ],
)
def test_a_line_is_named_by_the_first_rule_it_matches(text, rule_id):
    assert _rule_id(text) == rule_id


def test_the_paragraph_shape_is_the_kind_of_the_matching_rule():
    assert analyse("www.harbourgazette.example", phrase_book()).shape is RemovalKind.SITE_NAME
    assert analyse("The ferry left on time.", phrase_book()).shape is None


@pytest.mark.parametrize(
    ("short", "rule_id"),
    [
        ("Home > Harbour > Ferries", "breadcrumb"),
        ("Ferry timetable [VIDEO]", "media_teaser"),
        ("Jo Roe | Lyon | 03/03/2026", "signed_stamp"),
        ("© Harbour Gazette", "copyright"),
    ],
)
def test_a_rule_leaves_lines_longer_than_it_reads(short, rule_id):
    """Each rule states the longest line it matches, so a story paragraph that ends or opens
    like chrome is never read as that chrome: the short line matches, the long one not."""
    rule = next(rule for rule in SHAPE_RULES if rule.id == rule_id)
    long = " ".join(["The ferry crossed the bay on time."] * 8) + " " + short
    if rule_id in ("breadcrumb", "copyright"):
        long = short + " " + " ".join(["the ferry crossed the bay on time"] * 8)
    assert _rule_id(short) == rule_id
    assert analyse(long, phrase_book()).words > rule.most_words
    assert _rule_id(long) != rule_id
