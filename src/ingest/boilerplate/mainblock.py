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
    phrase = paragraph.phrase
    labelled = phrase is not None and phrase.mode != "reader" and not paragraph.mentions_chrome
    if paragraph.shape is not None or labelled:
        return -NEUTRAL_WORDS
    score = paragraph.words - NEUTRAL_WORDS
    if paragraph.full_stop and paragraph.words >= 4:
        score += SENTENCE_BONUS
    if paragraph.full_stop and paragraph.prose:
        score = max(score, 1.0)  # a sentence never counts against the story around it
    return min(score, MAX_GAIN)


def densest_block(paragraphs: Sequence[Paragraph], eligible: Sequence[bool]) -> tuple[int, int]:
    """[start, end) of the run of eligible paragraphs with the highest total score (Kadane);
    ineligible paragraphs (already cut) are skipped, neither helping nor breaking a run."""
    indices = [i for i, ok in enumerate(eligible) if ok]
    scores = [line_score(paragraphs[i]) for i in indices]
    best_total, best = 0.0, (0, 0)
    total, start = 0.0, 0
    for index, score in zip(indices, scores, strict=True):
        if total <= 0:
            total, start = 0.0, index
        total += score
        if total > best_total:
            best_total, best = total, (start, index + 1)
    return best
