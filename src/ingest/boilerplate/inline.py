"""Chrome glued onto story paragraphs: a metadata stamp before the first sentence, a wire
copyright trailer or a desk's or agency's credit after the last one ("... by Takaichi. END
[Copyright ...]", "... on Monday. (Writing by Jo Roe)") and an agency's initials closing a paragraph in
Arabic-script and Hebrew news ("... الميناء. (واس)")."""

from __future__ import annotations

import re

import regex

from ingest.boilerplate.kinds import RemovalKind
from ingest.boilerplate.phrases import PhraseMatch, phrase_book

_LEADING_STAMP = re.compile(
    r"^(?:(?:date|published|updated|posted|datum|fecha|data|tarih|дата)\s*[:：]?\s*)?"
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?(?:\s*[|·•–—-])?\s+(?=\S)",
    re.IGNORECASE,
)
_TRAILING_WIRE = re.compile(
    r"\s*(?:\bEND\b\s*|-+\s*END\s*-+\s*)?[\[(]\s*(?:copyright|©|\(c\))[^\])]{0,120}[\])]\s*$"
    r"|\s+(?:\(END\)|-END-|—END—|\[END\])\s*$",
    re.IGNORECASE,
)

#: A parenthesis closing a story sentence: where a wire desk's credit or an agency's tag sits
#: ("... on Monday. (Writing by Jo Roe)", "... senken. (dpa)"); the phrase lists say which.
CLOSING_PARENTHESIS = regex.compile(r"(?<=[.!?…\"'”’»]\s*)\([^()]{1,200}\)\s*$")

# An agency credit closing a paragraph: up to three words of Arabic or Hebrew letters in
# parentheses, after the sentence's last mark or behind a dash ("(واس)", "-- (أ ف ب)", "(بترا)").
# Written in letters without capitals, it cannot be told from a name by shape, so only this
# closing position counts; a parenthesis inside a sentence is text.
_AGENCY_CREDIT = regex.compile(
    r"(?:(?<=[.!?\u061f\u06d4…»\"”])\s*(?:[-–—]{1,2}\s*)?|\s+[-–—]{1,2}\s*)"
    r"\((?=[^)]{2,16}\))[\p{Arabic}\p{Hebrew}]+(?: [\p{Arabic}\p{Hebrew}]+){0,2}\)\s*$"
)
_STAMP_SEPARATOR = re.compile(r"[|·•–—-]\s*$")
#: After a date and a separator, a section label ("2024-03-01 | Politik") is this short.
STAMP_LABEL_WORDS = 3

#: Every trailer ends on one of these and carries one of the hints; testing for them first
#: spares the full pattern, which would otherwise be tried at every position of every
#: paragraph on every pass.
_TRAILER_ENDS = frozenset("])-—")
_WIRE_HINT = re.compile(r"copyright|©|\(c\)|END", re.IGNORECASE)


def cut_leading_stamp(paragraph: str) -> str:
    """`date 2025-01-01 NARA, Jan 14 - ...` -> `NARA, Jan 14 - ...`."""
    match = _LEADING_STAMP.match(paragraph)
    return paragraph[match.end() :] if match else paragraph


def is_stamped_label(paragraph: str) -> bool:
    """`2024-03-01 | Politik`: a date and a section label make a metadata line, not a story
    line (a dateline opens a sentence: `2024-03-01 – The council voted ...`)."""
    match = _LEADING_STAMP.match(paragraph)
    if match is None or not _STAMP_SEPARATOR.search(match.group()):
        return False
    label = paragraph[match.end() :].rstrip()
    return len(label.split()) <= STAMP_LABEL_WORDS and not label.endswith((".", "!", "?", ":"))


def cut_wire_trailer(paragraph: str) -> str:
    """`... the story's last sentence. END [Copyright Agency]` -> the story's last sentence."""
    if paragraph.rstrip()[-1:] not in _TRAILER_ENDS or not _WIRE_HINT.search(paragraph):
        return paragraph
    match = _TRAILING_WIRE.search(paragraph)
    return paragraph[: match.start()].rstrip() if match and match.start() > 0 else paragraph


def closing_credit_start(paragraph: str, hit: PhraseMatch | None) -> int | None:
    """Where the parenthesis closing `paragraph`'s last sentence starts, when the paragraph's
    wire-trailer phrase `hit` lies inside it: a credit glued to a story sentence."""
    if hit is None or hit.kind is not RemovalKind.WIRE_TRAILER or hit.mode != "contains":
        return None
    match = CLOSING_PARENTHESIS.search(paragraph) if paragraph.rstrip()[-1:] == ")" else None
    if match is None or match.start() == 0 or hit.start < match.start():
        return None
    return match.start()


def cut_closing_credit(paragraph: str) -> str:
    """`... last sentence. (Reporting by Jo Roe; Editing by Al Poe)` -> the last sentence,
    when the phrase lists name what the parenthesis holds."""
    if paragraph.rstrip()[-1:] != ")":
        return paragraph
    start = closing_credit_start(paragraph, phrase_book().match(paragraph))
    return paragraph if start is None else paragraph[:start].rstrip()


def cut_agency_credit(paragraph: str) -> str:
    """`... في الميناء. (واس)` -> `... في الميناء.`"""
    if not paragraph.endswith(")"):
        return paragraph
    match = _AGENCY_CREDIT.search(paragraph)
    return paragraph[: match.start()].rstrip() if match and match.start() > 0 else paragraph
