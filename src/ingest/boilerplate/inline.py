"""Chrome glued onto story paragraphs: a metadata stamp before the first sentence, a wire
copyright trailer or desk credit after the last one ("... by Takaichi. END [Copyright ...]",
"... on Monday. (Writing by Jo Roe)") and an agency's initials closing a paragraph in
Arabic-script and Hebrew news ("... الميناء. (واس)")."""

from __future__ import annotations

import re

import regex

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

#: A wire desk's credit closing a story sentence: "... on Monday. (Writing by Jo Roe; Editing
#: by Al Poe)". The sentence is story, the credit is not.
CLOSING_CREDIT = regex.compile(
    r"(?<=[.!?…\"'”’»]\s*)\((?:additional\s+)?(?:reporting|writing|editing)\s+by\b[^()]{1,200}\)\s*$",
    regex.IGNORECASE,
)

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
_WIRE_HINT = re.compile(r"copyright|©|\(c\)|END|\sby\s", re.IGNORECASE)


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
    """`... the story's last sentence. END [Copyright Agency]` -> the story's last sentence;
    so too `... last sentence. (Reporting by Jo Roe; Editing by Al Poe)`."""
    if paragraph.rstrip()[-1:] not in _TRAILER_ENDS or not _WIRE_HINT.search(paragraph):
        return paragraph
    match = _TRAILING_WIRE.search(paragraph) or CLOSING_CREDIT.search(paragraph)
    return paragraph[: match.start()].rstrip() if match and match.start() > 0 else paragraph


def cut_agency_credit(paragraph: str) -> str:
    """`... في الميناء. (واس)` -> `... في الميناء.`"""
    if not paragraph.endswith(")"):
        return paragraph
    match = _AGENCY_CREDIT.search(paragraph)
    return paragraph[: match.start()].rstrip() if match and match.start() > 0 else paragraph
