"""Find the story inside a full-page text dump: the densest run of prose lines.

A dump puts every menu item, teaser and footer link on its own line around the story.
Story paragraphs are long and sentence-shaped; chrome lines are short, labelled by a phrase
rule, or both. Scoring each line (prose gains, chrome costs) and taking the run with the
highest total (the maximum-subarray idea of Finn et al.'s Body Text Extraction) finds the
story without any per-site knowledge; a few short subheadings or ads inside it cost less
than the paragraphs around them gain.
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.boilerplate.lines import Paragraph

#: A line of this many words neither helps nor hurts; shorter lines cost, longer ones gain.
NEUTRAL_WORDS = 14.0
#: Extra gain for a line that ends with a full stop (teaser titles end in ! or ? or nothing).
SENTENCE_BONUS = 6.0
#: Gain is capped so one huge footer paragraph cannot pull the block away from the story.
MAX_GAIN = 120.0


def line_score(paragraph: Paragraph) -> float:
    if paragraph.shape is not None or (paragraph.phrase and not _mentions(paragraph)):
        return -NEUTRAL_WORDS
    score = paragraph.words - NEUTRAL_WORDS
    if paragraph.full_stop and paragraph.words >= 4:
        score += SENTENCE_BONUS
    return min(score, MAX_GAIN)


def densest_block(paragraphs: Sequence[Paragraph], eligible: Sequence[bool]) -> tuple[int, int]:
    """[start, end) of the run of eligible paragraphs with the highest total score (Kadane);
    ineligible paragraphs (already cut) are skipped, neither helping nor breaking a run."""
    best_total, best = 0.0, (0, 0)
    total, start = 0.0, 0
    for index, paragraph in enumerate(paragraphs):
        if not eligible[index]:
            continue
        if total <= 0:
            total, start = 0.0, index
        total += line_score(paragraph)
        if total > best_total:
            best_total, best = total, (start, index + 1)
    return best


def _mentions(paragraph: Paragraph) -> bool:
    """A sentence that merely contains a chrome phrase ("... uses cookies to track ...")."""
    return paragraph.phrase is not None and paragraph.phrase.mode == "contains" and paragraph.prose
