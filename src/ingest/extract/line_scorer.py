"""The learned line scorer's second opinion on a cleaned plain-text dump.

The rules find a dump's story block from the shape of its lines; on sites nobody tuned them
on, the dump model of `ingest.extract.scorer` (trained on lines of dumps, judged by
cross-validation grouped by site) cuts and keeps better. It reads the rules' result as
features, drops the lines it is sure are chrome and brings back those it is sure are story;
the text rules then run once more over the result, as over extracted HTML, to cut what
came back with them.
"""

from __future__ import annotations

from ingest.boilerplate.cleaner import CleanResult, clean_document
from ingest.boilerplate.kinds import RemovalKind
from ingest.boilerplate.lines import analyse
from ingest.boilerplate.normalize import split_paragraphs
from ingest.boilerplate.phrases import phrase_book
from ingest.documents import Removal
from ingest.extract.scorer import rescore_dump

RULE = "line_scorer"


def score_dump(dump: str, result: CleanResult) -> CleanResult:
    """`result` (the rules' cleaning of `dump`, the document as read) with the scorer's
    decisions: lines it dropped are recorded as page chrome, and a cut it undid is no
    longer recorded as one."""
    text = rescore_dump(dump, result.text, result.title)
    if text == result.text:
        return result
    again = clean_document(text, from_html=True, title=result.title) if text else None
    final = set(split_paragraphs(again.text)) if again else set()
    scored = set(split_paragraphs(text))
    removed = [r for r in result.removed if r.text not in final]
    removed += [scored_cut(p) for p in split_paragraphs(result.text) if p not in scored]
    if again is None:
        return CleanResult("", result.title, removed)
    return CleanResult(again.text, result.title, removed + again.removed)


def scored_cut(line: str) -> Removal:
    """The record of a line the scorer dropped: as page chrome, or as what the line is when
    its phrase or shape says so (a date stamp, a byline), as the cleaner records its cuts;
    the fields of a dump are read from those records."""
    paragraph = analyse(line, phrase_book())
    if paragraph.kind is None:
        return Removal(RemovalKind.PAGE_CHROME, line, RULE)
    return Removal(paragraph.kind, line, f"{RULE}:{paragraph.label}")


def still_cut(removed: list[Removal], text: str) -> list[Removal]:
    """The cuts of `removed` whose line is not in the final `text` (the scorer may have
    brought a cut line back)."""
    kept = set(split_paragraphs(text))
    return [r for r in removed if r.text not in kept]
