"""Every cut records the id of the rule that made it, in memory and in the Parquet output."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from ingest.boilerplate import clean_document
from ingest.boilerplate.lines import SHAPE_RULES
from ingest.boilerplate.phrases import PHRASE_FAMILIES
from ingest.boilerplate.rules import EDGE_RULES, RULES
from ingest.options import Options
from ingest.pipeline import run_pipeline

STORY = [
    "The ferry board of Lindmouth agreed on Thursday to keep the night crossing to the islands "
    "running through the winter, after a season in which it carried more passengers than ever.",
    "The board's chair, Mara Ellison, said the crossing would run three times a week and that "
    "the fares would stay at last year's level until the spring review.",
    "Islanders had asked for the service for years, saying the last boat in the afternoon left "
    "them cut off from the hospital and the schools on the mainland.",
]
TITLE = "Lindmouth ferry keeps its night crossing"
DUMP = [
    "Home > News > Islands",
    TITLE,
    "12.03.2026 | 08:15",
    *STORY,
    "Photo: Jo Roe",
    "Share on Facebook",
    "Related articles",
    "New pier opens in Lindmouth",
    "© 2026 Lindmouth Courier",
]
STEPS = {rule.id for rule in RULES} | {"opening_title", "inline", "title"}
LABELS = {family.id for family in PHRASE_FAMILIES} | {rule.id for rule in SHAPE_RULES}


def _known(rule: str) -> bool:
    step, _, label = rule.partition(":")
    step, _, branch = step.partition(".")
    branches = {rule.id for rule in EDGE_RULES} | {"signature"} if step == "edges" else None
    return (
        step in STEPS
        and (not label or label in LABELS)
        and (branches is None or not branch or branch in branches)
    )


def test_ids_are_unique_in_every_table() -> None:
    for table in (RULES, EDGE_RULES, PHRASE_FAMILIES, SHAPE_RULES):
        ids = [rule.id for rule in table]
        assert len(ids) == len(set(ids))


def test_a_dump_records_the_step_and_the_label_of_each_cut() -> None:
    result = clean_document("\n\n".join(DUMP), from_html=False)
    rules = {removal.text: removal.rule for removal in result.removed}
    assert result.text == "\n\n".join(STORY)
    assert rules == {
        "Home > News > Islands": "densest_block:breadcrumb",
        TITLE: "title",
        "12.03.2026 | 08:15": "densest_block:date_line",
        "Photo: Jo Roe": "densest_block:credit.prefix",
        "Share on Facebook": "densest_block:share_prompt.line",
        "Related articles": "densest_block:related_block.heading",
        "New pier opens in Lindmouth": "densest_block",
        "© 2026 Lindmouth Courier": "densest_block:copyright",
    }


def test_extracted_text_records_labels_edges_and_signatures() -> None:
    follow = "Follow Harbour Radio on Instagram, Facebook and YouTube."
    text = "\n\n".join(["Advertisement", *STORY, follow, "Jo Roe"])
    result = clean_document(text, from_html=True, title=TITLE)
    assert [(r.kind, r.rule) for r in result.removed] == [
        ("advertisement", "labelled_lines:advertisement.line"),
        ("share_prompt", "edges.label:follow_prompt"),
        ("byline", "edges.signature"),
    ]
    assert all(_known(removal.rule) for removal in result.removed)


def test_the_output_holds_the_rule_of_every_cut(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw" / "courier", tmp_path / "out"
    raw.mkdir(parents=True)
    (raw / "ferry.txt").write_text("\n\n".join(DUMP), encoding="utf-8")
    run_pipeline(Options(raw_dir=raw.parent, out_dir=out, write_report=False))
    rows = pq.read_table(out / "articles", columns=["removed"]).to_pylist()
    removed = rows[0]["removed"]
    rules = {r["text"]: r["rule"] for r in removed}
    assert rules["12.03.2026 | 08:15"] == "densest_block:date_line"
    assert removed and all(_known(r["rule"]) for r in removed)
